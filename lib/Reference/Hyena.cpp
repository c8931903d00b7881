//===- Hyena.cpp - reference of the Hyena recurrence ----------------------===//
//
// The float64 reference of `attn.hyena` (spec/MIXERS.md section 6): per
// channel, N-1 rounds of an elementwise gate followed by a long causal
// convolution with a skip term, then the last gate. The convolution is the
// direct O(L^2) sum, the exact definition a fused FFT kernel must match.
//
//===----------------------------------------------------------------------===//

#include "mixir/Reference/Reference.h"

#include <cassert>

namespace mixir {
namespace reference {

void causalConvolution(const double *h, int64_t hStride, const double *u,
                       int64_t uStride, int64_t n, double *out) {
  for (int64_t t = 0; t < n; ++t) {
    double sum = 0.0;
    for (int64_t s = 0; s <= t; ++s)
      sum += h[s * hStride] * u[(t - s) * uStride];
    out[t * uStride] = sum;
  }
}

void hyena(const Tensor &v, const Tensor &gates, const Tensor &filters,
           const Tensor &skip, Tensor &out) {
  assert(v.rank() == 3 && gates.rank() == 4 && filters.rank() == 3 &&
         skip.rank() == 2 && "ranks of v, gates, filters, skip");
  int64_t B = v.dim(0), L = v.dim(1), C = v.dim(2), N = gates.dim(0);
  assert(N >= 2 && gates.dim(1) == B && gates.dim(2) == L &&
         gates.dim(3) == C && "gates are [N,B,L,C]");
  assert(filters.dim(0) == N - 1 && filters.dim(1) == C &&
         filters.dim(2) >= L && "filters are [N-1,C,Lf] with Lf >= L");
  assert(skip.dim(0) == N - 1 && skip.dim(1) == C && "skip is [N-1,C]");

  out = v;
  Tensor gated({B, L, C});
  for (int64_t o = 0; o + 1 < N; ++o) {
    // v = v * x^{N-1-o}
    for (int64_t b = 0; b < B; ++b)
      for (int64_t t = 0; t < L; ++t)
        for (int64_t c = 0; c < C; ++c)
          gated.at({b, t, c}) =
              out.at({b, t, c}) * gates.at({N - 1 - o, b, t, c});
    // v = conv(h^o, v) + skip^o * v
    for (int64_t b = 0; b < B; ++b) {
      for (int64_t c = 0; c < C; ++c) {
        if (L == 0)
          continue;
        causalConvolution(filters.ptr({o, c, 0}), 1, gated.ptr({b, 0, c}), C, L,
                          out.ptr({b, 0, c}));
        for (int64_t t = 0; t < L; ++t)
          out.at({b, t, c}) += skip.at({o, c}) * gated.at({b, t, c});
      }
    }
  }
  // y = v * x^0
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 0; t < L; ++t)
      for (int64_t c = 0; c < C; ++c)
        out.at({b, t, c}) *= gates.at({0, b, t, c});
}

} // namespace reference
} // namespace mixir
