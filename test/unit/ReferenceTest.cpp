//===- ReferenceTest.cpp - tests of the float64 reference -----------------===//
//
// The float64 reference is what every lowering is judged against, so these
// tests check it against identities that do not reuse its own code paths:
// small independent helpers written here (a direct softmax without the max
// shift, the spec's tiled online softmax and split-KV merge, a radix-2 FFT
// convolution) and special cases where one op reduces to another (Combiner
// with one segment, routed attention with every region, an all-ones block
// layout, GQA as MHA with repeated heads). Small hand-computed cases pin the
// exact numbers of each op. Inputs are normal random numbers from a fixed
// seed.
//
//===----------------------------------------------------------------------===//

#include "mixir/Reference/Reference.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <functional>
#include <limits>
#include <random>

using namespace mixir::reference;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kTol = 1e-12;

//===----------------------------------------------------------------------===//
// Independent helpers
//===----------------------------------------------------------------------===//

Tensor randomNormal(std::vector<int64_t> shape, std::mt19937_64 &rng) {
  Tensor t(std::move(shape));
  std::normal_distribution<double> normal(0.0, 1.0);
  for (double &x : t.data)
    x = normal(rng);
  return t;
}

/// Max |a - b| over all entries; equal non-finite entries count as 0 and
/// unequal ones as +inf.
double maxDifference(const Tensor &a, const Tensor &b) {
  EXPECT_EQ(a.shape, b.shape);
  if (a.data.size() != b.data.size())
    return kInf;
  double worst = 0.0;
  for (size_t i = 0; i < a.data.size(); ++i) {
    double x = a.data[i], y = b.data[i];
    if (!std::isfinite(x) || !std::isfinite(y)) {
      if (!(x == y))
        return kInf;
      continue;
    }
    worst = std::max(worst, std::fabs(x - y));
  }
  return worst;
}

/// [B,H,N,D] row-major indexing written out, independent of Tensor::offset.
double &elem(Tensor &t, int64_t b, int64_t h, int64_t n, int64_t d) {
  return t.data[((b * t.shape[1] + h) * t.shape[2] + n) * t.shape[3] + d];
}
double elem(const Tensor &t, int64_t b, int64_t h, int64_t n, int64_t d) {
  return t.data[((b * t.shape[1] + h) * t.shape[2] + n) * t.shape[3] + d];
}

using Mask = std::function<bool(int64_t b, int64_t h, int64_t i, int64_t j)>;
using BiasFn =
    std::function<double(int64_t b, int64_t h, int64_t i, int64_t j)>;

const Mask kAllowAll = [](int64_t, int64_t, int64_t, int64_t) { return true; };
const BiasFn kNoBias = [](int64_t, int64_t, int64_t, int64_t) { return 0.0; };

/// The logit of query (b,h,i) and key j of MHA inputs.
double logit(const Tensor &q, const Tensor &k, double scale, int64_t b,
             int64_t h, int64_t i, int64_t j) {
  double dot = 0.0;
  for (int64_t d = 0; d < q.shape[3]; ++d)
    dot += elem(q, b, h, i, d) * elem(k, b, h, j, d);
  return scale * dot;
}

/// Softmax attention straight from the formula, p = exp(z) / sum exp(z)
/// without the max shift (fine for the small logits of these tests), for
/// MHA inputs (Hq == Hkv). Rows without allowed keys are 0 with lse -inf.
void naiveAttention(const Tensor &q, const Tensor &k, const Tensor &v,
                    double scale, const Mask &mask, const BiasFn &bias,
                    Tensor &out, Tensor &lse) {
  int64_t B = q.shape[0], H = q.shape[1], S = q.shape[2];
  int64_t T = k.shape[2], Dv = v.shape[3];
  out = Tensor({B, H, S, Dv});
  lse = Tensor({B, H, S});
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < H; ++h)
      for (int64_t i = 0; i < S; ++i) {
        double sum = 0.0;
        std::vector<double> acc(Dv, 0.0);
        for (int64_t j = 0; j < T; ++j) {
          if (!mask(b, h, i, j))
            continue;
          double p =
              std::exp(logit(q, k, scale, b, h, i, j) + bias(b, h, i, j));
          sum += p;
          for (int64_t d = 0; d < Dv; ++d)
            acc[d] += p * elem(v, b, h, j, d);
        }
        lse.data[(b * H + h) * S + i] = sum == 0.0 ? -kInf : std::log(sum);
        for (int64_t d = 0; d < Dv; ++d)
          elem(out, b, h, i, d) = sum == 0.0 ? 0.0 : acc[d] / sum;
      }
}

/// Sigmoid attention straight from the formula for MHA inputs.
Tensor naiveSigmoidAttention(const Tensor &q, const Tensor &k, const Tensor &v,
                             double scale, double sigmoidBias, const Mask &mask,
                             const BiasFn &bias) {
  int64_t B = q.shape[0], H = q.shape[1], S = q.shape[2];
  int64_t T = k.shape[2], Dv = v.shape[3];
  Tensor out({B, H, S, Dv});
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < H; ++h)
      for (int64_t i = 0; i < S; ++i)
        for (int64_t j = 0; j < T; ++j) {
          if (!mask(b, h, i, j))
            continue;
          double z = logit(q, k, scale, b, h, i, j) + bias(b, h, i, j);
          double p = 1.0 / (1.0 + std::exp(-(z + sigmoidBias)));
          for (int64_t d = 0; d < Dv; ++d)
            elem(out, b, h, i, d) += p * elem(v, b, h, j, d);
        }
  return out;
}

/// The state of the spec's tiled form / a split-KV partial.
struct Partial {
  double m = -kInf;
  double l = 0.0;
  std::vector<double> acc;
};

/// The spec's "Tiled form" for one query row over keys [begin, end), in
/// tiles of `tile` keys visited in the given order of tile indices.
Partial onlineSoftmax(const std::vector<double> &z,
                      const std::vector<bool> &allowed,
                      const std::vector<std::vector<double>> &values,
                      int64_t begin, int64_t end, int64_t tile,
                      bool reverseTiles) {
  Partial st;
  st.acc.assign(values.empty() ? 0 : values[0].size(), 0.0);
  std::vector<int64_t> tiles;
  for (int64_t t0 = begin; t0 < end; t0 += tile)
    tiles.push_back(t0);
  if (reverseTiles)
    std::reverse(tiles.begin(), tiles.end());
  for (int64_t t0 : tiles) {
    int64_t t1 = std::min(end, t0 + tile);
    double rowMax = -kInf;
    for (int64_t j = t0; j < t1; ++j)
      if (allowed[j])
        rowMax = std::max(rowMax, z[j]);
    double mNew = std::max(st.m, rowMax);
    double a = st.m == -kInf ? 0.0 : std::exp(st.m - mNew);
    double shift = mNew == -kInf ? 0.0 : mNew;
    double rowSum = 0.0;
    std::vector<double> pv(st.acc.size(), 0.0);
    for (int64_t j = t0; j < t1; ++j) {
      double p = allowed[j] ? std::exp(z[j] - shift) : 0.0;
      rowSum += p;
      for (size_t d = 0; d < pv.size(); ++d)
        pv[d] += p * values[j][d];
    }
    st.l = a * st.l + rowSum;
    for (size_t d = 0; d < pv.size(); ++d)
      st.acc[d] = a * st.acc[d] + pv[d];
    st.m = mNew;
  }
  return st;
}

/// The spec's merge of two split-KV partials.
Partial mergePartials(const Partial &x, const Partial &y) {
  Partial r;
  r.m = std::max(x.m, y.m);
  double e1 = x.m == -kInf ? 0.0 : std::exp(x.m - r.m);
  double e2 = y.m == -kInf ? 0.0 : std::exp(y.m - r.m);
  r.l = e1 * x.l + e2 * y.l;
  r.acc.resize(x.acc.size());
  for (size_t d = 0; d < r.acc.size(); ++d)
    r.acc[d] = e1 * x.acc[d] + e2 * y.acc[d];
  return r;
}

/// o = acc / l (0 when l = 0) and lse = m + ln l (-inf when l = 0).
void finishPartial(const Partial &st, double *o, double &lse) {
  for (size_t d = 0; d < st.acc.size(); ++d)
    o[d] = st.l == 0.0 ? 0.0 : st.acc[d] / st.l;
  lse = st.l == 0.0 ? -kInf : st.m + std::log(st.l);
}

/// In-place iterative radix-2 FFT (size a power of two); inverse when asked,
/// including the 1/n factor.
void fft(std::vector<std::complex<double>> &a, bool inverse) {
  const double pi = std::acos(-1.0);
  size_t n = a.size();
  for (size_t i = 1, j = 0; i < n; ++i) {
    size_t bit = n >> 1;
    for (; j & bit; bit >>= 1)
      j ^= bit;
    j ^= bit;
    if (i < j)
      std::swap(a[i], a[j]);
  }
  for (size_t len = 2; len <= n; len <<= 1) {
    double angle = 2 * pi / double(len) * (inverse ? 1 : -1);
    std::complex<double> wl(std::cos(angle), std::sin(angle));
    for (size_t i = 0; i < n; i += len) {
      std::complex<double> w(1.0, 0.0);
      for (size_t j = 0; j < len / 2; ++j) {
        std::complex<double> u = a[i + j], t = w * a[i + j + len / 2];
        a[i + j] = u + t;
        a[i + j + len / 2] = u - t;
        w *= wl;
      }
    }
  }
  if (inverse)
    for (std::complex<double> &x : a)
      x /= double(n);
}

/// The causal convolution of h[0..L) and u[0..L) by FFT, padded to the next
/// power of two >= 2L, truncated to L outputs.
std::vector<double> fftConvolution(const std::vector<double> &h,
                                   const std::vector<double> &u) {
  size_t L = u.size(), n = 1;
  while (n < 2 * L)
    n <<= 1;
  std::vector<std::complex<double>> fh(n), fu(n);
  for (size_t t = 0; t < L; ++t) {
    fh[t] = h[t];
    fu[t] = u[t];
  }
  fft(fh, false);
  fft(fu, false);
  for (size_t i = 0; i < n; ++i)
    fh[i] *= fu[i];
  fft(fh, true);
  std::vector<double> out(L);
  for (size_t t = 0; t < L; ++t)
    out[t] = fh[t].real();
  return out;
}

/// Repeats each of the Hkv heads of x [B,Hkv,T,D] Hq/Hkv times.
Tensor repeatHeads(const Tensor &x, int64_t Hq) {
  int64_t B = x.shape[0], Hkv = x.shape[1], T = x.shape[2], D = x.shape[3];
  Tensor r({B, Hq, T, D});
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < Hq; ++h)
      for (int64_t t = 0; t < T; ++t)
        for (int64_t d = 0; d < D; ++d)
          elem(r, b, h, t, d) = elem(x, b, h / (Hq / Hkv), t, d);
  return r;
}

//===----------------------------------------------------------------------===//
// Tensor and comparison
//===----------------------------------------------------------------------===//

TEST(ReferenceTensor, ShapeOffsetAndStrides) {
  Tensor t({2, 3, 4});
  EXPECT_EQ(t.numel(), 24);
  EXPECT_EQ(t.data.size(), 24u);
  EXPECT_EQ(t.offset({1, 2, 3}), 23);
  EXPECT_EQ(t.offset({1, 0, 2}), 14);
  EXPECT_EQ(stridesOf(t.shape), (std::vector<int64_t>{12, 4, 1}));
  t.at({1, 2, 3}) = 5.0;
  EXPECT_EQ(t.data[23], 5.0);
  EXPECT_EQ(Tensor({0, 4}).numel(), 0);
  EXPECT_EQ(Tensor(std::vector<int64_t>{}).numel(), 1);
}

TEST(ReferenceCompare, NormsAndNonFinite) {
  Tensor ref({4}, {3.0, 0.0, 4.0, -kInf});
  Tensor got({4}, {3.0, 0.5, 4.0, -kInf});
  ErrorStats stats = compare(got, ref);
  EXPECT_DOUBLE_EQ(stats.relL2, 0.5 / 5.0);
  EXPECT_DOUBLE_EQ(stats.maxAbs, 0.5);
  EXPECT_FALSE(stats.nonFiniteMismatch);
  EXPECT_TRUE(withinTolerance(stats, 0.1));
  EXPECT_FALSE(withinTolerance(stats, 0.09));

  // -inf in the reference must be matched exactly.
  got.data[3] = -1e30;
  EXPECT_TRUE(compare(got, ref).nonFiniteMismatch);
  // NaN or Inf where the reference is finite.
  got.data[3] = -kInf;
  got.data[1] = std::nan("");
  EXPECT_TRUE(compare(got, ref).nonFiniteMismatch);
  got.data[1] = kInf;
  EXPECT_TRUE(compare(got, ref).nonFiniteMismatch);

  // A zero reference falls back to the absolute norm.
  Tensor zero({2}), small({2}, {3e-6, 4e-6});
  EXPECT_DOUBLE_EQ(compare(small, zero).relL2, 5e-6);
  EXPECT_EQ(compare(zero, zero).relL2, 0.0);

  // Different shapes never pass.
  EXPECT_FALSE(withinTolerance(compare(Tensor({2, 1}), Tensor({2})), 1.0));

  // Entries marked exact must match bit for bit, whatever the tolerance.
  Tensor masked({3}, {1.0, 0.0, 0.0}), near({3}, {1.0, 1e-30, 0.0});
  EXPECT_TRUE(withinTolerance(compare(near, masked), 1e-5));
  masked.markExact(1, 2);
  EXPECT_TRUE(compare(near, masked).exactMismatch);
  EXPECT_FALSE(withinTolerance(compare(near, masked), 1.0));
  near.data[1] = -0.0;
  EXPECT_FALSE(compare(near, masked).exactMismatch);

  EXPECT_EQ(toleranceFor(ElementKind::F32), 1e-5);
  EXPECT_EQ(toleranceFor(ElementKind::F16), 1e-2);
  EXPECT_EQ(toleranceFor(ElementKind::BF16), 1e-2);
  EXPECT_LT(toleranceFor(ElementKind::F64), 1e-5);

  // Logits of magnitude |z| widen the tolerance to |z| * 2^-24 when that
  // is larger than the spec's.
  Tensor logits({1});
  logits.logitMagnitude = 30.0;
  EXPECT_EQ(toleranceFor(ElementKind::F32, logits), 1e-5);
  logits.logitMagnitude = 1e4;
  EXPECT_DOUBLE_EQ(toleranceFor(ElementKind::F32, logits), 1e4 / 16777216.0);
  EXPECT_EQ(toleranceFor(ElementKind::F16, logits), 1e-2);
}

//===----------------------------------------------------------------------===//
// attn.attention
//===----------------------------------------------------------------------===//

TEST(ReferenceAttention, HandComputedSoftmax) {
  // z = [0, ln 3] gives p = [1/4, 3/4].
  Tensor q({1, 1, 1, 1}, {1.0});
  Tensor k({1, 1, 2, 1}, {0.0, std::log(3.0)});
  Tensor v({1, 1, 2, 2}, {1.0, -2.0, 5.0, 2.0});
  AttentionParams params;
  params.scale = 1.0;
  Tensor out, lse;
  attention(params, q, k, v, nullptr, nullptr, nullptr, nullptr, out, &lse);
  ASSERT_EQ(out.shape, (std::vector<int64_t>{1, 1, 1, 2}));
  ASSERT_EQ(lse.shape, (std::vector<int64_t>{1, 1, 1}));
  EXPECT_NEAR(out.data[0], 0.25 * 1.0 + 0.75 * 5.0, 1e-15);
  EXPECT_NEAR(out.data[1], 0.25 * -2.0 + 0.75 * 2.0, 1e-15);
  EXPECT_NEAR(lse.data[0], std::log(4.0), 1e-15);

  // The default scale is 1/sqrt(D) and a bias is added to the scaled score.
  Tensor q4({1, 1, 1, 4}, {1.0, 1.0, 1.0, 1.0});
  Tensor k4({1, 1, 2, 4}, {0, 0, 0, 0, 1, 1, 1, 1}); // q.k = [0, 4] -> [0, 2]
  Tensor bias({1, 1, 1, 2}, {0.0, std::log(3.0) - 2.0});
  Tensor v4({1, 1, 2, 1}, {4.0, 8.0});
  attention(AttentionParams(), q4, k4, v4, &bias, nullptr, nullptr, nullptr,
            out, &lse);
  EXPECT_NEAR(out.data[0], 0.25 * 4.0 + 0.75 * 8.0, 1e-14);
  EXPECT_NEAR(lse.data[0], std::log(4.0), 1e-14);
}

TEST(ReferenceAttention, HandComputedSigmoid) {
  // T = 2, default sigmoid_bias = -ln 2: p(z) = 1 / (1 + 2 exp(-z)).
  Tensor q({1, 1, 1, 1}, {1.0});
  Tensor k({1, 1, 2, 1}, {0.0, 2.0});
  Tensor v({1, 1, 2, 1}, {3.0, 1.0});
  AttentionParams params;
  params.score = ScoreKind::Sigmoid;
  params.scale = 1.0;
  Tensor out;
  attention(params, q, k, v, nullptr, nullptr, nullptr, nullptr, out, nullptr);
  EXPECT_NEAR(out.data[0], 3.0 / 3.0 + 1.0 / (1.0 + 2.0 * std::exp(-2.0)),
              1e-15);
}

TEST(ReferenceAttention, SigmoidMatchesDirectFormula) {
  std::mt19937_64 rng(7);
  Tensor q = randomNormal({2, 2, 3, 4}, rng),
         k = randomNormal({2, 2, 5, 4}, rng);
  Tensor v = randomNormal({2, 2, 5, 3}, rng);
  Tensor bias = randomNormal({2, 1, 3, 1}, rng);
  Tensor kvLen({2}, {5, 2});
  AttentionParams params;
  params.score = ScoreKind::Sigmoid;
  params.causal = CausalMode::BottomRight;
  params.sigmoidBias = -0.75;
  params.scale = 0.3;
  Tensor out;
  attention(params, q, k, v, &bias, &kvLen, nullptr, nullptr, out, nullptr);
  Mask mask = [&](int64_t b, int64_t, int64_t i, int64_t j) {
    int64_t tb = static_cast<int64_t>(kvLen.data[b]);
    return j < tb && j <= i + tb - 3;
  };
  BiasFn biasFn = [&](int64_t b, int64_t, int64_t i, int64_t) {
    return bias.data[b * 3 + i];
  };
  Tensor expected = naiveSigmoidAttention(q, k, v, 0.3, -0.75, mask, biasFn);
  EXPECT_LE(maxDifference(out, expected), kTol);

  // The default sigmoid bias is -ln(T) with T = k.shape[2].
  params.sigmoidBias.reset();
  attention(params, q, k, v, &bias, &kvLen, nullptr, nullptr, out, nullptr);
  expected = naiveSigmoidAttention(q, k, v, 0.3, -std::log(5.0), mask, biasFn);
  EXPECT_LE(maxDifference(out, expected), kTol);
}

TEST(ReferenceAttention, MasksMatchDirectFormula) {
  std::mt19937_64 rng(11);
  const int64_t B = 2, H = 3, S = 7, T = 9, D = 5, Dv = 4;
  Tensor q = randomNormal({B, H, S, D}, rng),
         k = randomNormal({B, H, T, D}, rng);
  Tensor v = randomNormal({B, H, T, Dv}, rng);
  Tensor bias = randomNormal({1, H, 1, T}, rng);
  Tensor kvLen({B}, {9, 6}), qLen({B}, {7, 3});
  BiasFn biasFn = [&](int64_t, int64_t h, int64_t, int64_t j) {
    return bias.data[h * T + j];
  };

  struct Case {
    CausalMode causal;
    std::array<int64_t, 2> window;
  };
  for (Case c :
       {Case{CausalMode::None, {-1, -1}}, Case{CausalMode::TopLeft, {-1, -1}},
        Case{CausalMode::BottomRight, {-1, -1}},
        Case{CausalMode::BottomRight, {2, 0}}, Case{CausalMode::None, {1, 2}},
        Case{CausalMode::TopLeft, {0, -1}}}) {
    AttentionParams params;
    params.causal = c.causal;
    params.window = c.window;
    Tensor out, lse;
    attention(params, q, k, v, &bias, &kvLen, &qLen, nullptr, out, &lse);
    Mask mask = [&](int64_t b, int64_t, int64_t i, int64_t j) {
      int64_t tb = int64_t(kvLen.data[b]), sb = int64_t(qLen.data[b]);
      int64_t diag = i + (c.causal == CausalMode::BottomRight ? tb - sb : 0);
      if (i >= sb || j >= tb)
        return false;
      if (c.causal != CausalMode::None && j > diag)
        return false;
      if (c.window[0] >= 0 && j < diag - c.window[0])
        return false;
      return c.window[1] < 0 || j <= diag + c.window[1];
    };
    Tensor expected, expectedLse;
    naiveAttention(q, k, v, 1.0 / std::sqrt(double(D)), mask, biasFn, expected,
                   expectedLse);
    EXPECT_LE(maxDifference(out, expected), kTol);
    EXPECT_LE(maxDifference(lse, expectedLse), kTol);
  }
}

TEST(ReferenceAttention, FullyMaskedRowsAreZeroWithMinusInfLse) {
  std::mt19937_64 rng(3);
  const int64_t B = 2, H = 2, S = 5, T = 4, D = 3;
  Tensor q = randomNormal({B, H, S, D}, rng),
         k = randomNormal({B, H, T, D}, rng);
  Tensor v = randomNormal({B, H, T, D}, rng);
  Tensor kvLen({B}, {0, 4}), qLen({B}, {5, 2});

  for (ScoreKind score : {ScoreKind::Softmax, ScoreKind::Sigmoid}) {
    AttentionParams params;
    params.score = score;
    Tensor out, lse;
    attention(params, q, k, v, nullptr, &kvLen, &qLen, nullptr, out,
              score == ScoreKind::Softmax ? &lse : nullptr);
    for (int64_t b = 0; b < B; ++b)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t i = 0; i < S; ++i) {
          bool masked = b == 0 || i >= 2;
          for (int64_t d = 0; d < D; ++d) {
            double o = out.at({b, h, i, d});
            EXPECT_TRUE(std::isfinite(o));
            if (masked) {
              EXPECT_EQ(o, 0.0);
            }
            // The masked rows, and only they, are marked exact.
            EXPECT_EQ(!out.exact.empty() && out.exact[out.offset({b, h, i, d})],
                      masked);
          }
          if (score != ScoreKind::Softmax)
            continue;
          if (masked) {
            EXPECT_EQ(lse.at({b, h, i}), -kInf);
          } else {
            EXPECT_TRUE(std::isfinite(lse.at({b, h, i})));
          }
        }
  }

  // Bottom-right with S > T: the first S - T query rows see no key.
  AttentionParams params;
  params.causal = CausalMode::BottomRight;
  Tensor out, lse;
  attention(params, q, k, v, nullptr, nullptr, nullptr, nullptr, out, &lse);
  for (int64_t h = 0; h < H; ++h) {
    EXPECT_EQ(lse.at({0, h, 0}), -kInf);
    EXPECT_EQ(out.at({0, h, 0, 0}), 0.0);
    EXPECT_TRUE(std::isfinite(lse.at({0, h, 1})));
  }

  // A bias of -inf on every allowed key behaves as a masked row.
  Tensor bias({1, 1, 1, 1}, {-kInf});
  attention(AttentionParams(), q, k, v, &bias, nullptr, nullptr, nullptr, out,
            &lse);
  for (double x : out.data)
    EXPECT_EQ(x, 0.0);
  for (double x : lse.data)
    EXPECT_EQ(x, -kInf);
}

TEST(ReferenceAttention, BottomRightEqualsTopLeftWhenSquare) {
  std::mt19937_64 rng(5);
  Tensor q = randomNormal({2, 2, 8, 4}, rng),
         k = randomNormal({2, 2, 8, 4}, rng);
  Tensor v = randomNormal({2, 2, 8, 4}, rng);
  Tensor lens({2}, {5, 8});
  for (std::array<int64_t, 2> window :
       {std::array<int64_t, 2>{-1, -1}, std::array<int64_t, 2>{2, 1}}) {
    for (bool withLengths : {false, true}) {
      AttentionParams topLeft, bottomRight;
      topLeft.causal = CausalMode::TopLeft;
      bottomRight.causal = CausalMode::BottomRight;
      topLeft.window = bottomRight.window = window;
      const Tensor *len = withLengths ? &lens : nullptr;
      Tensor o1, l1, o2, l2;
      attention(topLeft, q, k, v, nullptr, len, len, nullptr, o1, &l1);
      attention(bottomRight, q, k, v, nullptr, len, len, nullptr, o2, &l2);
      EXPECT_EQ(maxDifference(o1, o2), 0.0);
      EXPECT_EQ(maxDifference(l1, l2), 0.0);
    }
  }
}

TEST(ReferenceAttention, GqaEqualsMhaWithRepeatedHeads) {
  std::mt19937_64 rng(13);
  const int64_t Hq = 6, Hkv = 2;
  Tensor q = randomNormal({2, Hq, 5, 4}, rng),
         k = randomNormal({2, Hkv, 7, 4}, rng);
  Tensor v = randomNormal({2, Hkv, 7, 3}, rng);
  Tensor bias = randomNormal({2, Hq, 1, 7}, rng);
  Tensor kvLen({2}, {7, 4});
  for (ScoreKind score : {ScoreKind::Softmax, ScoreKind::Sigmoid}) {
    AttentionParams params;
    params.score = score;
    params.causal = CausalMode::BottomRight;
    params.window = {3, -1};
    bool softmax = score == ScoreKind::Softmax;
    Tensor o1, l1, o2, l2;
    attention(params, q, k, v, &bias, &kvLen, nullptr, nullptr, o1,
              softmax ? &l1 : nullptr);
    attention(params, q, repeatHeads(k, Hq), repeatHeads(v, Hq), &bias, &kvLen,
              nullptr, nullptr, o2, softmax ? &l2 : nullptr);
    EXPECT_LE(maxDifference(o1, o2), kTol);
    if (softmax) {
      EXPECT_LE(maxDifference(l1, l2), kTol);
    }
  }
}

TEST(ReferenceAttention, BiasBroadcastEqualsFullBias) {
  std::mt19937_64 rng(17);
  Tensor q = randomNormal({2, 3, 4, 2}, rng),
         k = randomNormal({2, 3, 5, 2}, rng);
  Tensor v = randomNormal({2, 3, 5, 2}, rng);
  Tensor small = randomNormal({1, 3, 1, 5}, rng);
  Tensor full({2, 3, 4, 5});
  for (int64_t b = 0; b < 2; ++b)
    for (int64_t h = 0; h < 3; ++h)
      for (int64_t i = 0; i < 4; ++i)
        for (int64_t j = 0; j < 5; ++j)
          full.data[((b * 3 + h) * 4 + i) * 5 + j] = small.data[h * 5 + j];
  Tensor o1, l1, o2, l2;
  attention(AttentionParams(), q, k, v, &small, nullptr, nullptr, nullptr, o1,
            &l1);
  attention(AttentionParams(), q, k, v, &full, nullptr, nullptr, nullptr, o2,
            &l2);
  EXPECT_EQ(maxDifference(o1, o2), 0.0);
  EXPECT_EQ(maxDifference(l1, l2), 0.0);
}

/// The logits, mask and value rows of one query row of MHA inputs, for the
/// tiled and split-KV tests.
struct Row {
  std::vector<double> z;
  std::vector<bool> allowed;
  std::vector<std::vector<double>> values;
};

Row gatherRow(const Tensor &q, const Tensor &k, const Tensor &v, double scale,
              const Mask &mask, int64_t b, int64_t h, int64_t i) {
  Row row;
  for (int64_t j = 0; j < k.shape[2]; ++j) {
    row.z.push_back(logit(q, k, scale, b, h, i, j));
    row.allowed.push_back(mask(b, h, i, j));
    std::vector<double> value;
    for (int64_t d = 0; d < v.shape[3]; ++d)
      value.push_back(elem(v, b, h, j, d));
    row.values.push_back(value);
  }
  return row;
}

TEST(ReferenceAttention, TiledOnlineSoftmaxEqualsOneShot) {
  std::mt19937_64 rng(19);
  const int64_t B = 2, H = 2, S = 6, T = 11, D = 4, Dv = 3;
  Tensor q = randomNormal({B, H, S, D}, rng),
         k = randomNormal({B, H, T, D}, rng);
  Tensor v = randomNormal({B, H, T, Dv}, rng);
  Tensor kvLen({B}, {11, 5});
  AttentionParams params;
  params.causal = CausalMode::BottomRight;
  Tensor out, lse;
  attention(params, q, k, v, nullptr, &kvLen, nullptr, nullptr, out, &lse);

  Mask mask = [&](int64_t b, int64_t, int64_t i, int64_t j) {
    int64_t tb = int64_t(kvLen.data[b]);
    return j < tb && j <= i + tb - S;
  };
  double scale = 1.0 / std::sqrt(double(D));
  for (int64_t tile : {1, 3, 4, 11})
    for (bool reverse : {false, true}) {
      Tensor tiled({B, H, S, Dv}), tiledLse({B, H, S});
      for (int64_t b = 0; b < B; ++b)
        for (int64_t h = 0; h < H; ++h)
          for (int64_t i = 0; i < S; ++i) {
            Row row = gatherRow(q, k, v, scale, mask, b, h, i);
            Partial st = onlineSoftmax(row.z, row.allowed, row.values, 0, T,
                                       tile, reverse);
            finishPartial(st, tiled.ptr({b, h, i, 0}), tiledLse.at({b, h, i}));
          }
      EXPECT_LE(maxDifference(tiled, out), kTol) << "tile " << tile;
      EXPECT_LE(maxDifference(tiledLse, lse), kTol) << "tile " << tile;
    }
  // Batch row 1 has kv_len 5 < S, so its first query row is fully masked.
  EXPECT_EQ(lse.at({1, 0, 0}), -kInf);
}

TEST(ReferenceAttention, SplitKvMergeEqualsOneShot) {
  std::mt19937_64 rng(23);
  const int64_t B = 1, H = 2, S = 4, T = 10, D = 3, Dv = 2;
  Tensor q = randomNormal({B, H, S, D}, rng),
         k = randomNormal({B, H, T, D}, rng);
  Tensor v = randomNormal({B, H, T, Dv}, rng);
  AttentionParams params;
  params.causal = CausalMode::TopLeft;
  Tensor out, lse;
  attention(params, q, k, v, nullptr, nullptr, nullptr, nullptr, out, &lse);
  Mask mask = [](int64_t, int64_t, int64_t i, int64_t j) { return j <= i; };
  double scale = 1.0 / std::sqrt(double(D));

  // Chunks [0,3) [3,7) [7,10): queries i < 3 see an empty later chunk.
  std::vector<std::pair<int64_t, int64_t>> chunks = {{0, 3}, {3, 7}, {7, 10}};
  for (int64_t h = 0; h < H; ++h)
    for (int64_t i = 0; i < S; ++i) {
      Row row = gatherRow(q, k, v, scale, mask, 0, h, i);
      std::vector<Partial> parts;
      for (auto [begin, end] : chunks)
        parts.push_back(onlineSoftmax(row.z, row.allowed, row.values, begin,
                                      end, end - begin, false));
      Partial identity;
      identity.acc.assign(Dv, 0.0);
      Partial left = mergePartials(mergePartials(parts[0], parts[1]), parts[2]);
      Partial right =
          mergePartials(parts[2], mergePartials(parts[1], parts[0]));
      Partial withIdentity =
          mergePartials(identity, mergePartials(left, identity));
      for (const Partial &merged : {left, right, withIdentity}) {
        std::vector<double> o(Dv);
        double l;
        finishPartial(merged, o.data(), l);
        EXPECT_NEAR(l, lse.at({0, h, i}), kTol);
        for (int64_t d = 0; d < Dv; ++d)
          EXPECT_NEAR(o[d], out.at({0, h, i, d}), kTol);
      }
    }

  // Sigmoid partials merge by addition.
  params.score = ScoreKind::Sigmoid;
  Tensor sigmoidOut;
  attention(params, q, k, v, nullptr, nullptr, nullptr, nullptr, sigmoidOut,
            nullptr);
  for (int64_t h = 0; h < H; ++h)
    for (int64_t i = 0; i < S; ++i) {
      Row row = gatherRow(q, k, v, scale, mask, 0, h, i);
      std::vector<double> total(Dv, 0.0);
      for (auto [begin, end] : chunks) {
        std::vector<double> part(Dv, 0.0);
        for (int64_t j = begin; j < end; ++j) {
          if (!row.allowed[j])
            continue;
          double p = 1.0 / (1.0 + std::exp(-(row.z[j] - std::log(double(T)))));
          for (int64_t d = 0; d < Dv; ++d)
            part[d] += p * row.values[j][d];
        }
        for (int64_t d = 0; d < Dv; ++d)
          total[d] += part[d];
      }
      for (int64_t d = 0; d < Dv; ++d)
        EXPECT_NEAR(total[d], sigmoidOut.at({0, h, i, d}), kTol);
    }
}

//===----------------------------------------------------------------------===//
// attn.block_sparse_attention
//===----------------------------------------------------------------------===//

TEST(ReferenceBlockSparse, AllOnesLayoutEqualsDense) {
  std::mt19937_64 rng(29);
  const int64_t Hq = 4, S = 7, T = 9;
  Tensor q = randomNormal({2, Hq, S, 3}, rng),
         k = randomNormal({2, 2, T, 3}, rng);
  Tensor v = randomNormal({2, 2, T, 2}, rng);
  Tensor kvLen({2}, {9, 6});
  for (int64_t hl : {int64_t(1), Hq})
    for (ScoreKind score : {ScoreKind::Softmax, ScoreKind::Sigmoid}) {
      Tensor layout({hl, 3, 3});
      std::fill(layout.data.begin(), layout.data.end(), 1.0);
      AttentionParams params;
      params.score = score;
      params.causal = CausalMode::BottomRight;
      params.blockQ = 3;
      params.blockK = 4;
      bool softmax = score == ScoreKind::Softmax;
      Tensor o1, l1, o2, l2;
      attention(params, q, k, v, nullptr, &kvLen, nullptr, nullptr, o1,
                softmax ? &l1 : nullptr);
      attention(params, q, k, v, nullptr, &kvLen, nullptr, &layout, o2,
                softmax ? &l2 : nullptr);
      EXPECT_EQ(maxDifference(o1, o2), 0.0);
      if (softmax) {
        EXPECT_EQ(maxDifference(l1, l2), 0.0);
      }
    }
}

TEST(ReferenceBlockSparse, LayoutBitsMaskBlocks) {
  std::mt19937_64 rng(31);
  const int64_t H = 2, S = 5, T = 7, bq = 2, bk = 3;
  Tensor q = randomNormal({1, H, S, 3}, rng),
         k = randomNormal({1, H, T, 3}, rng);
  Tensor v = randomNormal({1, H, T, 2}, rng);
  // [H, ceil(5/2) = 3, ceil(7/3) = 3]; one head has a fully empty block row.
  Tensor layout({H, 3, 3}, {1, 0, 1, 0, 1, 0, 1, 1, 1, //
                            0, 0, 0, 1, 0, 0, 0, 1, 1});
  AttentionParams params;
  params.causal = CausalMode::TopLeft;
  params.blockQ = bq;
  params.blockK = bk;
  Tensor out, lse;
  attention(params, q, k, v, nullptr, nullptr, nullptr, &layout, out, &lse);
  Mask mask = [&](int64_t, int64_t h, int64_t i, int64_t j) {
    return j <= i && layout.data[(h * 3 + i / bq) * 3 + j / bk] != 0.0;
  };
  Tensor expected, expectedLse;
  naiveAttention(q, k, v, 1.0 / std::sqrt(3.0), mask, kNoBias, expected,
                 expectedLse);
  EXPECT_LE(maxDifference(out, expected), kTol);
  EXPECT_LE(maxDifference(lse, expectedLse), kTol);
  EXPECT_EQ(lse.at({0, 1, 0}), -kInf);
}

//===----------------------------------------------------------------------===//
// attn.routed_attention
//===----------------------------------------------------------------------===//

TEST(ReferenceRouted, AllRegionsEqualDenseAttention) {
  std::mt19937_64 rng(37);
  Tensor q = randomNormal({2, 2, 24, 4}, rng),
         k = randomNormal({2, 2, 24, 4}, rng);
  Tensor v = randomNormal({2, 2, 24, 4}, rng);

  RoutedAttentionParams oneD;
  oneD.regionSize = 3;
  oneD.topk = 8;
  RoutedAttentionParams twoD;
  twoD.grid = std::array<int64_t, 2>{4, 6};
  twoD.regions = std::array<int64_t, 2>{2, 3};
  twoD.topk = 6;
  twoD.scale = 0.7;
  for (const RoutedAttentionParams &params : {oneD, twoD}) {
    Tensor out, expected, expectedLse;
    routedAttention(params, q, k, v, out);
    naiveAttention(q, k, v, params.scale.value_or(0.5), kAllowAll, kNoBias,
                   expected, expectedLse);
    EXPECT_LE(maxDifference(out, expected), kTol);
  }
}

TEST(ReferenceRouted, RegionTokens) {
  RoutedAttentionParams params;
  params.grid = std::array<int64_t, 2>{4, 4};
  params.regions = std::array<int64_t, 2>{2, 2};
  std::vector<std::vector<int64_t>> regions = routedRegionTokens(params, 16);
  ASSERT_EQ(regions.size(), 4u);
  EXPECT_EQ(regions[0], (std::vector<int64_t>{0, 1, 4, 5}));
  EXPECT_EQ(regions[1], (std::vector<int64_t>{2, 3, 6, 7}));
  EXPECT_EQ(regions[2], (std::vector<int64_t>{8, 9, 12, 13}));
  EXPECT_EQ(regions[3], (std::vector<int64_t>{10, 11, 14, 15}));

  RoutedAttentionParams oneD;
  oneD.regionSize = 2;
  regions = routedRegionTokens(oneD, 6);
  ASSERT_EQ(regions.size(), 3u);
  EXPECT_EQ(regions[2], (std::vector<int64_t>{4, 5}));
}

TEST(ReferenceRouted, HandComputedRoutingAndTies) {
  // Regions {0,1} and {2,3}. With q = k = [1,1,-1,-1] the affinity is
  // [[2,-2],[-2,2]]: each region routes to itself; equal keys in a region
  // give uniform weights.
  RoutedAttentionParams params;
  params.regionSize = 2;
  params.topk = 1;
  Tensor qk({1, 1, 4, 1}, {1, 1, -1, -1});
  Tensor v({1, 1, 4, 1}, {1, 2, 3, 4});
  Tensor out;
  routedAttention(params, qk, qk, v, out);
  EXPECT_EQ(out.data, (std::vector<double>{1.5, 1.5, 3.5, 3.5}));

  // All affinities tie: every region routes to the lower region 0.
  Tensor ones({1, 1, 4, 1}, {1, 1, 1, 1});
  routedAttention(params, ones, ones, v, out);
  EXPECT_EQ(out.data, (std::vector<double>{1.5, 1.5, 1.5, 1.5}));

  // Routing is shared by the heads: the concatenated means decide. Head 0
  // prefers region 1, head 1 prefers region 0 more strongly.
  Tensor q2({1, 2, 4, 1}, {1, 1, 1, 1, /*h1*/ 1, 1, 1, 1});
  Tensor k2({1, 2, 4, 1}, {0, 0, 1, 1, /*h1*/ 3, 3, 0, 0});
  Tensor v2({1, 2, 4, 1}, {1, 2, 3, 4, /*h1*/ 5, 6, 7, 8});
  routedAttention(params, q2, k2, v2, out);
  EXPECT_EQ(out.data, (std::vector<double>{1.5, 1.5, 1.5, 1.5, //
                                           5.5, 5.5, 5.5, 5.5}));
}

//===----------------------------------------------------------------------===//
// attn.combiner
//===----------------------------------------------------------------------===//

TEST(ReferenceCombiner, OneSegmentEqualsAttention) {
  std::mt19937_64 rng(41);
  const int64_t L = 9;
  Tensor q = randomNormal({2, 2, L, 4}, rng),
         k = randomNormal({2, 2, L, 4}, rng);
  Tensor v = randomNormal({2, 2, L, 4}, rng);
  Mask causal = [](int64_t, int64_t, int64_t i, int64_t j) { return j <= i; };
  for (bool isCausal : {false, true}) {
    Tensor expected, expectedLse;
    naiveAttention(q, k, v, 0.5, isCausal ? causal : kAllowAll, kNoBias,
                   expected, expectedLse);
    // fixed with one segment (block = L) and with one token per segment;
    // axial with one row (block = L) and with one column (block = 1).
    for (CombinerVariant variant :
         {CombinerVariant::Fixed, CombinerVariant::Axial})
      for (int64_t block : {L, int64_t(1)}) {
        CombinerParams params;
        params.variant = variant;
        params.block = block;
        params.causal = isCausal;
        Tensor out;
        combiner(params, q, k, v, out);
        EXPECT_LE(maxDifference(out, expected), kTol)
            << "variant " << int(variant) << " block " << block;
      }
  }

  // logsparse with L = 2: query 1 sees {1} and the block [0, 1) = {0}.
  Tensor q2 = randomNormal({1, 3, 2, 4}, rng),
         k2 = randomNormal({1, 3, 2, 4}, rng);
  Tensor v2 = randomNormal({1, 3, 2, 4}, rng);
  CombinerParams params;
  params.variant = CombinerVariant::Logsparse;
  params.causal = true;
  params.scale = 0.9;
  Tensor out, expected, expectedLse;
  combiner(params, q2, k2, v2, out);
  naiveAttention(q2, k2, v2, 0.9, causal, kNoBias, expected, expectedLse);
  EXPECT_LE(maxDifference(out, expected), kTol);
}

// The shared hand-computed inputs: L = 4, D = 1, scale 1. q0 = 0 and q1 = 1
// make qbar of {0,1} come from its second position.
const Tensor kHandQ({1, 1, 4, 1}, {0, 1, 1, 1});
const Tensor kHandK({1, 1, 4, 1}, {0, std::log(3.0), 0, 0});
const Tensor kHandV({1, 1, 4, 1}, {4, 8, 2, 7});

TEST(ReferenceCombiner, HandComputedFixed) {
  // Segment 0 = {0,1}: kbar = ln 3, qbar = max(0, 1) = 1, vbar = softmax(0,
  // ln 3) . (4, 8) = (4 + 3*8)/4 = 7. Segment 1 = {2,3}: kbar = 0,
  // vbar = (2+7)/2.
  CombinerParams params;
  params.variant = CombinerVariant::Fixed;
  params.block = 2;
  params.causal = true;
  params.scale = 1.0;
  Tensor out;
  combiner(params, kHandQ, kHandK, kHandV, out);
  // i=0: {0}. i=1: {0,1}, logits [0, ln 3]. i=2: {2} + seg0, logits
  // [0, ln 3]. i=3: {2,3} + seg0, logits [0, 0, ln 3].
  std::vector<double> expected = {4.0, 7.0, (2.0 + 3.0 * 7.0) / 4.0,
                                  (2.0 + 7.0 + 3.0 * 7.0) / 5.0};
  for (int64_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(out.data[i], expected[i], 1e-14) << "i = " << i;
  }

  // Non-causal: the own segment counts once. Query 0 (q = 0): logits
  // [0, 0, 0] over v0, v1 and segment 1; query 1: [0, ln 3, 0].
  params.causal = false;
  combiner(params, kHandQ, kHandK, kHandV, out);
  EXPECT_NEAR(out.data[0], (4.0 + 8.0 + 4.5) / 3.0, 1e-14);
  EXPECT_NEAR(out.data[1], (4.0 + 3.0 * 8.0 + 4.5) / 5.0, 1e-14);
  // Query 2: own {2,3} (logits 0, 0) plus segment 0 (logit ln 3, vbar 7).
  EXPECT_NEAR(out.data[2], (2.0 + 7.0 + 3.0 * 7.0) / 5.0, 1e-14);
}

TEST(ReferenceCombiner, HandComputedAxial) {
  // Rows {0,1} and {2,3}. Row 0 summaries: c=0 (q'=0, uniform): u = 6,
  // kt = ln 3 / 2; c=1 (q'=1, logits [0, ln 3]): u = 7, kt = 0.75 ln 3.
  CombinerParams params;
  params.variant = CombinerVariant::Axial;
  params.block = 2;
  params.causal = true;
  params.scale = 1.0;
  Tensor out;
  combiner(params, kHandQ, kHandK, kHandV, out);
  double s = std::sqrt(3.0), a = std::pow(3.0, 0.75);
  // i=2 = (1,0): direct (1,0) logit 0, abstraction (kt[0,0], u[0,0]).
  // i=3 = (1,1): direct (1,0), (1,1) logits 0, 0, abstraction column 1.
  std::vector<double> expected = {4.0, 7.0, (2.0 + s * 6.0) / (1.0 + s),
                                  (2.0 + 7.0 + a * 7.0) / (2.0 + a)};
  for (int64_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(out.data[i], expected[i], 1e-14) << "i = " << i;
  }

  // Non-causal, query 0 = (0,0) (q = 0): row 0 and the abstraction of row 1
  // in column 0 (kt[1,0] = 0 and u[1,0] = (2+7)/2), all logits 0.
  params.causal = false;
  combiner(params, kHandQ, kHandK, kHandV, out);
  EXPECT_NEAR(out.data[0], (4.0 + 8.0 + 4.5) / 3.0, 1e-14);
}

TEST(ReferenceCombiner, HandComputedLogsparse) {
  // i=1: {1} (logit ln 3) + [0,1) (k0 = 0, v0). i=2: {2} + [0,2) (kbar ln 3,
  // vbar 7). i=3: {3} + [2,3) (kbar 0, vbar v2) + [0,2).
  CombinerParams params;
  params.variant = CombinerVariant::Logsparse;
  params.causal = true;
  params.scale = 1.0;
  Tensor out;
  combiner(params, kHandQ, kHandK, kHandV, out);
  std::vector<double> expected = {4.0, (4.0 + 3.0 * 8.0) / 4.0,
                                  (2.0 + 3.0 * 7.0) / 4.0,
                                  (7.0 + 2.0 + 3.0 * 7.0) / 5.0};
  for (int64_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(out.data[i], expected[i], 1e-14) << "i = " << i;
  }
}

TEST(ReferenceCombiner, LogsparseBlocksCoverPrefixOnce) {
  for (int64_t L : {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33, 100, 129}) {
    for (int64_t i = 0; i < L; ++i) {
      std::vector<int> count(L, 0);
      count[i] += 1;
      for (auto [begin, end] : logsparseBlocks(i, L)) {
        ASSERT_LT(begin, end);
        int64_t size = end - begin;
        EXPECT_EQ(size & (size - 1), 0) << "block size is a power of two";
        EXPECT_EQ(begin % size, 0) << "block is aligned";
        ASSERT_GE(begin, 0);
        ASSERT_LE(end, L);
        for (int64_t j = begin; j < end; ++j)
          count[j] += 1;
      }
      for (int64_t j = 0; j < L; ++j)
        EXPECT_EQ(count[j], j <= i ? 1 : 0)
            << "L = " << L << ", i = " << i << ", j = " << j;
    }
  }
  // L = 2^k + 1 needs k + 1 levels for its last query.
  EXPECT_EQ(logsparseBlocks(16, 17),
            (std::vector<std::pair<int64_t, int64_t>>{{0, 16}}));
  EXPECT_EQ(logsparseBlocks(6, 8),
            (std::vector<std::pair<int64_t, int64_t>>{{4, 6}, {0, 4}}));
}

//===----------------------------------------------------------------------===//
// attn.pool_mix
//===----------------------------------------------------------------------===//

TEST(ReferencePoolMix, HandComputed) {
  // B = 3 copies of one L = 3, C = 2 sequence with heads = 2 (d = 1) and
  // len = [3, 2, 0].
  auto batch = [](std::vector<double> row) {
    std::vector<double> data;
    for (int b = 0; b < 3; ++b)
      data.insert(data.end(), row.begin(), row.end());
    return Tensor({3, 3, 2}, data);
  };
  Tensor q = batch({1, 2, 3, 4, 5, 6});
  Tensor k = batch({0, 0, 0, 0, std::log(2.0) / 3.0, 0});
  Tensor o = batch({1, 2, 0.5, 1, -1, 0});
  Tensor s = batch({1, -1, 2, -5, 7, 3});
  Tensor l = batch({1, 0, 0, 5, 2, -3});
  Tensor v = batch({1, 2, 3, 4, 5, 9});
  // In batch row 1 the padded token shares segment 0: it must not count.
  Tensor seg({3, 3}, {0, 0, 1, 0, 0, 0, 0, 0, 1});
  Tensor len({3}, {3, 2, 0});
  k.at({1, 1, 0}) = std::log(3.0) / 2.0;
  PoolMixParams params;
  params.heads = 2;
  Tensor out;
  poolMix(params, q, k, o, s, l, seg, &v, &len, out);
  ASSERT_EQ(out.shape, (std::vector<int64_t>{3, 3, 2}));
  // len 3: g = [3, 4]; head 0 logits 3 k = [0, 0, ln 2] -> [1/4, 1/4, 1/2],
  // G0 = 1/4 + 3/4 + 5/2 = 3.5; head 1 uniform, G1 = 5. sp = [2,-1] [2,-1]
  // [7,3]; lp = [1,5] [2,5] [2,5].
  std::vector<double> full = {6.5, 13.0, 4.75, 9.0, -8.5, 5.0};
  // len 2 (k[1] changed): g = [2, 3]; head 0 logits 2 k = [0, ln 3] ->
  // [1/4, 3/4], G0 = 1/4 + 9/4 = 2.5; G1 = 3; sp = [2,-1]; lp = [1,5] [1,5].
  std::vector<double> padded = {5.5, 9.0, 3.25, 7.0, 0.0, 0.0};
  for (int64_t i = 0; i < 6; ++i) {
    EXPECT_NEAR(out.data[i], full[i], 1e-14) << "i = " << i;
    EXPECT_NEAR(out.data[6 + i], padded[i], 1e-14) << "i = " << i;
    EXPECT_EQ(out.data[12 + i], 0.0);
  }
}

TEST(ReferencePoolMix, GlobalPoolingMatchesDirectFormula) {
  // With s = l = 0, one segment per token, window 1 and o = 1, the output at
  // a valid token is G itself.
  std::mt19937_64 rng(53);
  const int64_t B = 2, L = 7, C = 8, H = 4, d = 2;
  Tensor q = randomNormal({B, L, C}, rng), k = randomNormal({B, L, C}, rng);
  Tensor v = randomNormal({B, L, C}, rng);
  Tensor ones({B, L, C}), zeros({B, L, C}), ids({B, L});
  std::fill(ones.data.begin(), ones.data.end(), 1.0);
  for (int64_t i = 0; i < B * L; ++i)
    ids.data[i] = double(i % L);
  Tensor len({B}, {7, 4});
  PoolMixParams params;
  params.heads = H;
  params.window = 1;
  Tensor out;
  poolMix(params, q, k, ones, zeros, zeros, ids, &v, &len, out);
  for (int64_t b = 0; b < B; ++b) {
    int64_t n = int64_t(len.data[b]);
    for (int64_t h = 0; h < H; ++h) {
      std::vector<double> g(d, 0.0), weights(n), pooled(d, 0.0);
      for (int64_t t = 0; t < n; ++t)
        for (int64_t e = 0; e < d; ++e)
          g[e] += q.data[(b * L + t) * C + h * d + e] / double(n);
      double sum = 0.0;
      for (int64_t t = 0; t < n; ++t) {
        double dot = 0.0;
        for (int64_t e = 0; e < d; ++e)
          dot += g[e] * k.data[(b * L + t) * C + h * d + e];
        weights[t] = std::exp(dot / std::sqrt(double(d)));
        sum += weights[t];
      }
      for (int64_t t = 0; t < n; ++t)
        for (int64_t e = 0; e < d; ++e)
          pooled[e] += weights[t] / sum * v.data[(b * L + t) * C + h * d + e];
      for (int64_t t = 0; t < L; ++t)
        for (int64_t e = 0; e < d; ++e)
          EXPECT_NEAR(out.data[(b * L + t) * C + h * d + e],
                      t < n ? pooled[e] : 0.0, kTol);
    }
  }
}

TEST(ReferencePoolMix, DefaultsAndWindow) {
  std::mt19937_64 rng(43);
  Tensor q = randomNormal({2, 6, 8}, rng), k = randomNormal({2, 6, 8}, rng);
  Tensor o = randomNormal({2, 6, 8}, rng), s = randomNormal({2, 6, 8}, rng);
  Tensor l = randomNormal({2, 6, 8}, rng);
  Tensor seg({2, 6}, {0, 0, 1, 1, 1, 2, 5, 4, 5, 4, 5, 4});
  PoolMixParams params;
  params.heads = 4;
  // v absent means v = k; len absent means L.
  Tensor a, b;
  Tensor len({2}, {6, 6});
  poolMix(params, q, k, o, s, l, seg, nullptr, nullptr, a);
  poolMix(params, q, k, o, s, l, seg, &k, &len, b);
  EXPECT_EQ(maxDifference(a, b), 0.0);

  // With window 1, one segment per token and zero o, out = l.
  Tensor ids({2, 6}, {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5});
  params.window = 1;
  poolMix(params, q, k, Tensor({2, 6, 8}), s, l, ids, nullptr, nullptr, a);
  EXPECT_EQ(maxDifference(a, l), 0.0);

  // A window wider than the sequence takes the max over all valid tokens.
  params.window = 99;
  poolMix(params, q, k, Tensor({2, 6, 8}), s, l, ids, nullptr, nullptr, a);
  for (int64_t bb = 0; bb < 2; ++bb)
    for (int64_t c = 0; c < 8; ++c) {
      double m = -kInf;
      for (int64_t t = 0; t < 6; ++t)
        m = std::max(m, l.data[(bb * 6 + t) * 8 + c]);
      for (int64_t t = 0; t < 6; ++t)
        EXPECT_EQ(a.data[(bb * 6 + t) * 8 + c], m);
    }
}

//===----------------------------------------------------------------------===//
// attn.hyena
//===----------------------------------------------------------------------===//

TEST(ReferenceHyena, HandComputed) {
  // N = 2, L = 2, C = 1: v = [1,2] * x1 = [1,-2]; conv with h = [1, 0.5]
  // (tap 2 ignored) = [1, -1.5]; + 2 v = [3, -5.5]; * x0 = [6, -16.5].
  Tensor v({1, 2, 1}, {1, 2});
  Tensor gates({2, 1, 2, 1}, {2, 3, 1, -1});
  Tensor filters({1, 1, 3}, {1, 0.5, 99});
  Tensor skip({1, 1}, {2});
  Tensor out;
  hyena(v, gates, filters, skip, out);
  EXPECT_EQ(out.data, (std::vector<double>{6.0, -16.5}));
}

TEST(ReferenceHyena, EqualsFftConvolution) {
  std::mt19937_64 rng(47);
  for (int64_t L : {1, 13, 32}) {
    const int64_t B = 2, C = 3, N = 3, Lf = L + 5;
    Tensor v = randomNormal({B, L, C}, rng);
    Tensor gates = randomNormal({N, B, L, C}, rng);
    Tensor filters = randomNormal({N - 1, C, Lf}, rng);
    for (int64_t o = 0; o < N - 1; ++o)
      for (int64_t c = 0; c < C; ++c)
        for (int64_t t = L; t < Lf; ++t)
          filters.data[(o * C + c) * Lf + t] = 1e6; // must be ignored
    Tensor skip = randomNormal({N - 1, C}, rng);
    Tensor out;
    hyena(v, gates, filters, skip, out);

    Tensor expected({B, L, C});
    for (int64_t b = 0; b < B; ++b)
      for (int64_t c = 0; c < C; ++c) {
        std::vector<double> u(L);
        for (int64_t t = 0; t < L; ++t)
          u[t] = v.data[(b * L + t) * C + c];
        for (int64_t o = 0; o + 1 < N; ++o) {
          for (int64_t t = 0; t < L; ++t)
            u[t] *= gates.data[(((N - 1 - o) * B + b) * L + t) * C + c];
          std::vector<double> h(filters.data.begin() + (o * C + c) * Lf,
                                filters.data.begin() + (o * C + c) * Lf + L);
          std::vector<double> conv = fftConvolution(h, u);
          for (int64_t t = 0; t < L; ++t)
            u[t] = conv[t] + skip.data[o * C + c] * u[t];
        }
        for (int64_t t = 0; t < L; ++t)
          expected.data[(b * L + t) * C + c] =
              u[t] * gates.data[((0 * B + b) * L + t) * C + c];
      }
    double scale = 0.0;
    for (double x : expected.data)
      scale = std::max(scale, std::fabs(x));
    EXPECT_LE(maxDifference(out, expected), 1e-11 * std::max(1.0, scale))
        << "L = " << L;
  }
}

TEST(ReferenceHyena, CausalConvolutionStrides) {
  // out[t] = sum_{s<=t} h[s] u[t-s] read with strides.
  double h[] = {1, 9, 2, 9, 3, 9};
  double u[] = {1, 0, 0, 1, 0, 0, 1, 0, 0};
  double out[9] = {};
  causalConvolution(h, 2, u, 3, 3, out);
  EXPECT_EQ(out[0], 1.0);
  EXPECT_EQ(out[3], 1.0 + 2.0);
  EXPECT_EQ(out[6], 1.0 + 2.0 + 3.0);
}

} // namespace
