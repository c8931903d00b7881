//===- PoolMix.cpp - reference of PoNet pooling mixer ---------------------===//
//
// The float64 reference of `attn.pool_mix` (spec/MIXERS.md section 5): global
// attention pooling (GA) per head, segment max-pooling (SMP) and local
// max-pooling (LMP) over the valid tokens t < len[b], combined as
// (G + sp) * o + lp, with zeros at padded tokens.
//
//===----------------------------------------------------------------------===//

#include "mixir/Reference/Reference.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace mixir {
namespace reference {

void poolMix(const PoolMixParams &params, const Tensor &q, const Tensor &k,
             const Tensor &o, const Tensor &s, const Tensor &l,
             const Tensor &segmentIds, const Tensor *v, const Tensor *len,
             Tensor &out) {
  assert(q.rank() == 3 && "streams are [B,L,C]");
  int64_t B = q.dim(0), L = q.dim(1), C = q.dim(2);
  int64_t H = params.heads;
  assert(H > 0 && C % H == 0 && "heads must divide C");
  assert(params.window > 0 && params.window % 2 == 1 && "odd window");
  int64_t d = C / H, half = params.window / 2;
  const Tensor &value = v ? *v : k;
  assert(k.shape == q.shape && o.shape == q.shape && s.shape == q.shape &&
         l.shape == q.shape && value.shape == q.shape && "mismatched streams");

  out = Tensor({B, L, C});
  for (int64_t b = 0; b < B; ++b) {
    int64_t n = L;
    if (len)
      n = std::clamp<int64_t>(static_cast<int64_t>(len->data[b]), 0, L);
    // Padded tokens are exactly zero.
    if (n < L)
      out.markExact(out.offset({b, n, 0}), (L - n) * C);
    if (n == 0)
      continue;

    // GA: g = mean of q over the valid tokens; per head one softmax over the
    // valid tokens of g . k / sqrt(d), pooling v.
    std::vector<double> g(C, 0.0), pooled(C, 0.0);
    for (int64_t t = 0; t < n; ++t)
      for (int64_t c = 0; c < C; ++c)
        g[c] += q.at({b, t, c});
    for (double &x : g)
      x /= static_cast<double>(n);
    for (int64_t h = 0; h < H; ++h) {
      std::vector<double> logits;
      std::vector<const double *> rows;
      for (int64_t t = 0; t < n; ++t) {
        const double *kt = k.ptr({b, t, h * d});
        double dot = 0.0;
        for (int64_t e = 0; e < d; ++e)
          dot += g[h * d + e] * kt[e];
        logits.push_back(dot / std::sqrt(static_cast<double>(d)));
        rows.push_back(value.ptr({b, t, h * d}));
      }
      softmaxWeightedSum(logits, rows, d, pooled.data() + h * d);
    }

    for (int64_t t = 0; t < n; ++t) {
      for (int64_t c = 0; c < C; ++c) {
        // SMP over the valid tokens of the same segment (t itself included).
        double sp = s.at({b, t, c});
        for (int64_t t2 = 0; t2 < n; ++t2)
          if (segmentIds.at({b, t2}) == segmentIds.at({b, t}))
            sp = std::max(sp, s.at({b, t2, c}));
        // LMP over the valid tokens within window / 2 of t.
        double lp = l.at({b, t, c});
        for (int64_t t2 = std::max<int64_t>(0, t - half);
             t2 <= std::min(n - 1, t + half); ++t2)
          lp = std::max(lp, l.at({b, t2, c}));
        out.at({b, t, c}) = (pooled[c] + sp) * o.at({b, t, c}) + lp;
      }
    }
  }
}

} // namespace reference
} // namespace mixir
