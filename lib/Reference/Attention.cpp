//===- Attention.cpp - reference of attention and block-sparse attention --===//
//
// The float64 reference of `attn.attention` and `attn.block_sparse_attention`
// (spec/MIXERS.md sections 1 and 2). Both share one implementation: the mask
// `allowed(b,h,i,j)` of section 1, and with a layout the extra block bit of
// section 2. Every query row gathers its allowed keys and runs one softmax
// (with the safe max, so a row without keys is zeros with lse = -inf) or sums
// sigmoid weights.
//
//===----------------------------------------------------------------------===//

#include "mixir/Reference/Reference.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace mixir {
namespace reference {

/// The valid length of batch row b: lengths[b] when given, else `full`.
static int64_t validLength(const Tensor *lengths, int64_t b, int64_t full) {
  if (!lengths)
    return full;
  return static_cast<int64_t>(lengths->data[b]);
}

bool attentionAllowed(const AttentionParams &params, int64_t S, int64_t T,
                      const Tensor *kvLen, const Tensor *qLen,
                      const Tensor *layout, int64_t b, int64_t h, int64_t i,
                      int64_t j) {
  int64_t tb = validLength(kvLen, b, T);
  int64_t sb = validLength(qLen, b, S);
  int64_t off = params.causal == CausalMode::BottomRight ? tb - sb : 0;
  // Windows wider than any sequence are the same mask as 2^62 keys, and
  // i + off +- 2^62 cannot overflow.
  auto clamp = [](int64_t keys) { return std::min(keys, int64_t(1) << 62); };
  int64_t wl = clamp(params.window[0]), wr = clamp(params.window[1]);
  if (params.causal != CausalMode::None && j > i + off)
    return false;
  if (wl >= 0 && j < i + off - wl)
    return false;
  if (wr >= 0 && j > i + off + wr)
    return false;
  if (j >= tb || i >= sb)
    return false;
  if (layout) {
    assert(params.blockQ > 0 && params.blockK > 0 && "block sizes required");
    int64_t hl = layout->dim(0) == 1 ? 0 : h;
    if (layout->at({hl, i / params.blockQ, j / params.blockK}) == 0.0)
      return false;
  }
  return true;
}

/// bias[b,h,i,j] with every dim of size 1 broadcast; 0 without a bias.
static double biasAt(const Tensor *bias, int64_t b, int64_t h, int64_t i,
                     int64_t j) {
  if (!bias)
    return 0.0;
  auto pick = [&](int64_t dim, int64_t index) {
    return bias->dim(dim) == 1 ? 0 : index;
  };
  return bias->at({pick(0, b), pick(1, h), pick(2, i), pick(3, j)});
}

void attention(const AttentionParams &params, const Tensor &q, const Tensor &k,
               const Tensor &v, const Tensor *bias, const Tensor *kvLen,
               const Tensor *qLen, const Tensor *layout, Tensor &out,
               Tensor *lse) {
  assert(q.rank() == 4 && k.rank() == 4 && v.rank() == 4 && "rank-4 q, k, v");
  int64_t B = q.dim(0), Hq = q.dim(1), S = q.dim(2), D = q.dim(3);
  int64_t Hkv = k.dim(1), T = k.dim(2), Dv = v.dim(3);
  assert(Hkv > 0 && Hq % Hkv == 0 && "Hq must be a multiple of Hkv");
  assert(k.dim(3) == D && v.dim(2) == T && "mismatched k or v");
  assert(!bias || bias->rank() == 4);
  assert((!lse || params.score == ScoreKind::Softmax) && "lse needs softmax");

  const double scale = params.scale.value_or(1.0 / std::sqrt(double(D)));
  const double sigmoidBias =
      params.sigmoidBias.value_or(-std::log(static_cast<double>(T)));
  const int64_t group = Hq / Hkv;

  out = Tensor({B, Hq, S, Dv});
  if (lse)
    *lse = Tensor({B, Hq, S});

  std::vector<double> logits;
  std::vector<const double *> rows;
  for (int64_t b = 0; b < B; ++b) {
    for (int64_t h = 0; h < Hq; ++h) {
      int64_t kh = h / group;
      for (int64_t i = 0; i < S; ++i) {
        logits.clear();
        rows.clear();
        const double *qi = q.ptr({b, h, i, 0});
        for (int64_t j = 0; j < T; ++j) {
          if (!attentionAllowed(params, S, T, kvLen, qLen, layout, b, h, i, j))
            continue;
          const double *kj = k.ptr({b, kh, j, 0});
          double dot = 0.0;
          for (int64_t d = 0; d < D; ++d)
            dot += qi[d] * kj[d];
          logits.push_back(scale * dot + biasAt(bias, b, h, i, j));
          rows.push_back(v.ptr({b, kh, j, 0}));
        }

        double *oi = out.ptr({b, h, i, 0});
        // A row with no allowed key (or only -inf logits, from the bias) is
        // exactly zero, and its lse -inf.
        if (std::all_of(logits.begin(), logits.end(), [](double z) {
              return z == -std::numeric_limits<double>::infinity();
            }))
          out.markExact(out.offset({b, h, i, 0}), Dv);
        if (params.score == ScoreKind::Softmax) {
          double rowLse = softmaxWeightedSum(logits, rows, Dv, oi);
          if (lse)
            lse->at({b, h, i}) = rowLse;
          continue;
        }
        for (size_t j = 0; j < logits.size(); ++j) {
          noteLogit(logits[j] + sigmoidBias);
          double p = 1.0 / (1.0 + std::exp(-(logits[j] + sigmoidBias)));
          for (int64_t d = 0; d < Dv; ++d)
            oi[d] += p * rows[j][d];
        }
      }
    }
  }
}

} // namespace reference
} // namespace mixir
