//===- RoutedAttention.cpp - reference of BiFormer routed attention -------===//
//
// The float64 reference of `attn.routed_attention` (spec/MIXERS.md section
// 3): region means of q and k concatenated over heads, the region affinity
// A = qr . kr shared by all heads, a stable top-k per query region (ties to
// the lower region index), then one softmax per token over the union of the
// tokens of its routed regions.
//
//===----------------------------------------------------------------------===//

#include "mixir/Reference/Reference.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

namespace mixir {
namespace reference {

std::vector<std::vector<int64_t>>
routedRegionTokens(const RoutedAttentionParams &params, int64_t L) {
  std::vector<std::vector<int64_t>> regions;
  if (params.regionSize) {
    int64_t r = *params.regionSize;
    assert(r > 0 && L % r == 0 && "region size must divide L");
    for (int64_t n = 0; n < L / r; ++n) {
      regions.emplace_back();
      for (int64_t t = n * r; t < (n + 1) * r; ++t)
        regions.back().push_back(t);
    }
    return regions;
  }

  assert(params.grid && params.regions && "1-D or 2-D regions required");
  int64_t gh = (*params.grid)[0], gw = (*params.grid)[1];
  int64_t rh = (*params.regions)[0], rw = (*params.regions)[1];
  assert(gh * gw == L && gh % rh == 0 && gw % rw == 0 && "uneven grid");
  int64_t wh = gh / rh, ww = gw / rw;
  // Regions are numbered row-major over the RH x RW region grid; the tokens
  // of each are listed row-major, hence in increasing order.
  for (int64_t ry = 0; ry < rh; ++ry) {
    for (int64_t rx = 0; rx < rw; ++rx) {
      regions.emplace_back();
      for (int64_t y = ry * wh; y < (ry + 1) * wh; ++y)
        for (int64_t x = rx * ww; x < (rx + 1) * ww; ++x)
          regions.back().push_back(y * gw + x);
    }
  }
  return regions;
}

/// The concatenation over heads of the region means of x [B,H,L,D] for
/// batch row b: one vector of H*D values per region.
static std::vector<std::vector<double>>
regionMeans(const Tensor &x, int64_t b,
            const std::vector<std::vector<int64_t>> &regions) {
  int64_t H = x.dim(1), D = x.dim(3);
  std::vector<std::vector<double>> means;
  for (const std::vector<int64_t> &tokens : regions) {
    std::vector<double> mean(H * D, 0.0);
    for (int64_t h = 0; h < H; ++h) {
      for (int64_t t : tokens) {
        const double *row = x.ptr({b, h, t, 0});
        for (int64_t d = 0; d < D; ++d)
          mean[h * D + d] += row[d];
      }
    }
    for (double &m : mean)
      m /= static_cast<double>(tokens.size());
    means.push_back(std::move(mean));
  }
  return means;
}

void routedAttention(const RoutedAttentionParams &params, const Tensor &q,
                     const Tensor &k, const Tensor &v, Tensor &out) {
  assert(q.rank() == 4 && q.shape == k.shape && q.shape == v.shape &&
         "q, k, v must share one [B,H,L,D] shape");
  int64_t B = q.dim(0), H = q.dim(1), L = q.dim(2), D = q.dim(3);
  const double scale = params.scale.value_or(1.0 / std::sqrt(double(D)));
  std::vector<std::vector<int64_t>> regions = routedRegionTokens(params, L);
  int64_t R = static_cast<int64_t>(regions.size());
  assert(params.topk >= 1 && params.topk <= R && "topk out of range");

  out = Tensor({B, H, L, D});
  std::vector<double> logits;
  std::vector<const double *> rows;
  for (int64_t b = 0; b < B; ++b) {
    std::vector<std::vector<double>> qr = regionMeans(q, b, regions);
    std::vector<std::vector<double>> kr = regionMeans(k, b, regions);
    for (int64_t n = 0; n < R; ++n) {
      std::vector<double> affinity(R, 0.0);
      for (int64_t m = 0; m < R; ++m)
        for (int64_t c = 0; c < H * D; ++c)
          affinity[m] += qr[n][c] * kr[m][c];

      // Stable sort by decreasing affinity: ties keep the lower index first.
      std::vector<int64_t> order(R);
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) {
        return affinity[x] > affinity[y];
      });
      std::vector<int64_t> keys;
      for (int64_t s = 0; s < params.topk; ++s)
        keys.insert(keys.end(), regions[order[s]].begin(),
                    regions[order[s]].end());
      std::sort(keys.begin(), keys.end());

      for (int64_t h = 0; h < H; ++h) {
        for (int64_t t : regions[n]) {
          logits.clear();
          rows.clear();
          const double *qt = q.ptr({b, h, t, 0});
          for (int64_t j : keys) {
            const double *kj = k.ptr({b, h, j, 0});
            double dot = 0.0;
            for (int64_t d = 0; d < D; ++d)
              dot += qt[d] * kj[d];
            logits.push_back(scale * dot);
            rows.push_back(v.ptr({b, h, j, 0}));
          }
          softmaxWeightedSum(logits, rows, D, out.ptr({b, h, t, 0}));
        }
      }
    }
  }
}

} // namespace reference
} // namespace mixir
