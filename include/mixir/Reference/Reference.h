//===- Reference.h - float64 reference of the attn ops ----------*- C++ -*-===//
//
// The float64 reference implementation of every op of spec/MIXERS.md, written
// for clarity and exactness rather than speed: each function follows the
// spec's formulas with direct loops. Integration tests, the execution checker
// and outside tools compare lowered code against these functions.
//
// Everything here is plain C++ (no MLIR): tensors are dense row-major arrays
// of doubles. Integer operands (kv_len, q_len, segment_ids, len) and i1 block
// layouts are passed as tensors of doubles too, which hold them exactly.
// Optional operands are `const Tensor *`, null when absent. Outputs are
// resized by the function that writes them. Shapes are expected to satisfy
// the op verifiers' rules (checked with assertions only).
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_REFERENCE_REFERENCE_H
#define MIXIR_REFERENCE_REFERENCE_H

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <utility>
#include <vector>

namespace mixir {
namespace reference {

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

/// A dense row-major tensor of doubles.
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<double> data;
  /// The entries whose value the spec fixes exactly rather than within a
  /// tolerance: the zeros of a query row with no allowed key and of a padded
  /// token. Empty when there are none; compare() checks them bit for bit.
  std::vector<bool> exact;
  /// The largest finite |logit| (softmax or sigmoid argument) the reference
  /// computed this result from; see toleranceFor(ElementKind, const Tensor &).
  double logitMagnitude = 0.0;

  Tensor() = default;
  /// A tensor of shape `dims` filled with zeros.
  explicit Tensor(std::vector<int64_t> dims);
  /// A tensor of shape `dims` holding `values` (row-major, numel entries).
  Tensor(std::vector<int64_t> dims, std::vector<double> values);

  /// The number of elements (the product of the dims; 1 for rank 0).
  int64_t numel() const;
  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  int64_t dim(int64_t i) const { return shape[i]; }

  /// Marks `count` entries from linear offset `begin` as exact.
  void markExact(int64_t begin, int64_t count);

  /// The row-major linear offset of a multi-index (one entry per dim).
  int64_t offset(std::initializer_list<int64_t> index) const;
  double &at(std::initializer_list<int64_t> index) {
    return data[offset(index)];
  }
  double at(std::initializer_list<int64_t> index) const {
    return data[offset(index)];
  }
  /// A pointer to the contiguous innermost row at a multi-index whose last
  /// entry is the position within that row (usually 0).
  double *ptr(std::initializer_list<int64_t> index) {
    return data.data() + offset(index);
  }
  const double *ptr(std::initializer_list<int64_t> index) const {
    return data.data() + offset(index);
  }
};

/// The row-major strides of a shape (innermost stride 1).
std::vector<int64_t> stridesOf(const std::vector<int64_t> &shape);

//===----------------------------------------------------------------------===//
// Comparison against the reference
//===----------------------------------------------------------------------===//

/// The element type a tested result was computed in.
enum class ElementKind { F32, F16, BF16, F64 };

/// The spec's tolerance on the relative L2 error: 1e-5 for f32, 1e-2 for f16
/// and bf16, 1e-12 for f64 (not named by the spec; rounding only).
double toleranceFor(ElementKind kind);

/// The tolerance for a result whose reference is `ref`: the spec's, widened
/// to ref.logitMagnitude * 2^-24 when that is larger. A logit of magnitude
/// |z| held in f32 is only known to |z| * 2^-24, which moves every softmax
/// or sigmoid weight by that much relatively, whatever the algorithm: the
/// spec's 1e-5 assumes logits below about 100, and fails for an exact
/// f32 implementation at |z| ~ 1e4.
double toleranceFor(ElementKind kind, const Tensor &ref);

/// Notes `logit` in the largest |logit| the reference functions on this
/// thread have seen since resetLogitMagnitude() (evaluateReference() resets
/// it and stores it in each result's logitMagnitude).
void noteLogit(double logit);
void resetLogitMagnitude();
double getLogitMagnitude();

/// How far a result is from the reference.
struct ErrorStats {
  /// ||got - ref||_2 / ||ref||_2 over the entries where ref is finite;
  /// ||got - ref||_2 itself when ||ref||_2 == 0.
  double relL2;
  /// max |got - ref| over the entries where both are finite.
  double maxAbs;
  /// True when got is NaN or Inf where ref is finite, or where ref is not
  /// finite (e.g. lse = -inf) and got is not exactly the same value.
  bool nonFiniteMismatch;
  /// True when got differs from ref at an entry ref marks exact (e.g. a
  /// masked row that is not exactly zero).
  bool exactMismatch = false;
};

/// Compares a result with the reference. Entries where ref is not finite are
/// excluded from the norms and must match exactly, as must those ref marks
/// exact. Tensors of different shapes give relL2 = maxAbs = +inf and
/// nonFiniteMismatch = true.
ErrorStats compare(const Tensor &got, const Tensor &ref);

/// True when `stats` meets the spec: no non-finite mismatch and
/// relL2 <= tolerance.
bool withinTolerance(const ErrorStats &stats, double tolerance);

//===----------------------------------------------------------------------===//
// Shared building block
//===----------------------------------------------------------------------===//

/// One softmax over candidates: given logits z_j (-inf for a candidate that
/// contributes nothing) and for each a value row of `width` doubles, writes
/// out = sum_j softmax(z)_j * rows[j] with the safe max and returns
/// lse = m + ln(sum_j exp(z_j - m)). With no candidate, or only -inf logits,
/// writes exact zeros and returns -inf.
double softmaxWeightedSum(const std::vector<double> &logits,
                          const std::vector<const double *> &rows,
                          int64_t width, double *out);

//===----------------------------------------------------------------------===//
// attn.attention and attn.block_sparse_attention
//===----------------------------------------------------------------------===//

enum class ScoreKind { Softmax, Sigmoid };
enum class CausalMode { None, TopLeft, BottomRight };

/// The attributes of attn.attention (and block_sparse_attention), with the
/// spec's defaults.
struct AttentionParams {
  ScoreKind score = ScoreKind::Softmax;
  CausalMode causal = CausalMode::None;
  /// [wl, wr]; -1 is unbounded.
  std::array<int64_t, 2> window = {-1, -1};
  /// Default 1/sqrt(D).
  std::optional<double> scale;
  /// Sigmoid only; default -ln(T) with T = k.shape[2].
  std::optional<double> sigmoidBias;
  /// Block sizes of the layout (block_sparse_attention only).
  int64_t blockQ = 0;
  int64_t blockK = 0;
};

/// Full attention (spec sections 1 and 2). q [B,Hq,S,D], k [B,Hkv,T,D],
/// v [B,Hkv,T,Dv]; bias broadcastable to [B,Hq,S,T] (each dim 1 or full);
/// kvLen and qLen [B]; layout [Hl, ceil(S/bq), ceil(T/bk)] (Hl 1 or Hq) for
/// block-sparse attention, null for plain attention. Writes out [B,Hq,S,Dv]
/// and, when `lse` is non-null (softmax only), lse [B,Hq,S].
void attention(const AttentionParams &params, const Tensor &q, const Tensor &k,
               const Tensor &v, const Tensor *bias, const Tensor *kvLen,
               const Tensor *qLen, const Tensor *layout, Tensor &out,
               Tensor *lse);

/// The mask of spec section 1 (and the layout bit of section 2 when `layout`
/// is non-null) for batch row b, query head h, query i and key j, with the
/// key length T and query length S of the operands.
bool attentionAllowed(const AttentionParams &params, int64_t S, int64_t T,
                      const Tensor *kvLen, const Tensor *qLen,
                      const Tensor *layout, int64_t b, int64_t h, int64_t i,
                      int64_t j);

//===----------------------------------------------------------------------===//
// attn.routed_attention
//===----------------------------------------------------------------------===//

/// The attributes of attn.routed_attention: exactly one of `regionSize` (1-D)
/// or `grid` with `regions` (2-D) is set.
struct RoutedAttentionParams {
  int64_t topk = 1;
  std::optional<int64_t> regionSize;
  std::optional<std::array<int64_t, 2>> grid;
  std::optional<std::array<int64_t, 2>> regions;
  /// Default 1/sqrt(D).
  std::optional<double> scale;
};

/// The token indices of each region, in increasing order, for L tokens.
std::vector<std::vector<int64_t>>
routedRegionTokens(const RoutedAttentionParams &params, int64_t L);

/// BiFormer bi-level routing attention (spec section 3). q, k, v [B,H,L,D];
/// writes out [B,H,L,D].
void routedAttention(const RoutedAttentionParams &params, const Tensor &q,
                     const Tensor &k, const Tensor &v, Tensor &out);

//===----------------------------------------------------------------------===//
// attn.combiner
//===----------------------------------------------------------------------===//

enum class CombinerVariant { Fixed, Axial, Logsparse };

/// The attributes of attn.combiner.
struct CombinerParams {
  CombinerVariant variant = CombinerVariant::Fixed;
  /// Segment (fixed) or row (axial) length; unused by logsparse.
  int64_t block = 0;
  bool causal = false;
  /// Default 1/sqrt(D).
  std::optional<double> scale;
};

/// The dyadic blocks [begin, end) that logsparse abstracts for query i of a
/// sequence of L tokens, by increasing level: for l = 0 .. ceil(log2 L) - 1
/// with bit l of i set, [(floor(i/2^l) - 1) 2^l, floor(i/2^l) 2^l).
std::vector<std::pair<int64_t, int64_t>> logsparseBlocks(int64_t i, int64_t L);

/// Combiner factorized attention (spec section 4). q, k, v [B,H,L,D];
/// writes out [B,H,L,D].
void combiner(const CombinerParams &params, const Tensor &q, const Tensor &k,
              const Tensor &v, Tensor &out);

//===----------------------------------------------------------------------===//
// attn.pool_mix
//===----------------------------------------------------------------------===//

/// The attributes of attn.pool_mix.
struct PoolMixParams {
  int64_t heads = 1;
  int64_t window = 3;
};

/// PoNet multi-granularity pooling (spec section 5). q, k, o (gate), s, l
/// [B,L,C]; segmentIds [B,L]; v [B,L,C] (null: k); len [B] (null: L).
/// Writes out [B,L,C].
void poolMix(const PoolMixParams &params, const Tensor &q, const Tensor &k,
             const Tensor &o, const Tensor &s, const Tensor &l,
             const Tensor &segmentIds, const Tensor *v, const Tensor *len,
             Tensor &out);

//===----------------------------------------------------------------------===//
// attn.hyena
//===----------------------------------------------------------------------===//

/// The causal linear convolution of spec section 6 for one channel:
/// out[t] = sum_{s=0}^{t} h[s] u[t-s] for t < n, reading h[0..n) (taps
/// beyond n ignored) from `h` with stride `hStride` and u, out with stride
/// `uStride`.
void causalConvolution(const double *h, int64_t hStride, const double *u,
                       int64_t uStride, int64_t n, double *out);

/// The Hyena recurrence (spec section 6, causal). v [B,L,C], gates [N,B,L,C],
/// filters [N-1,C,Lf] (Lf >= L), skip [N-1,C]; writes out [B,L,C].
void hyena(const Tensor &v, const Tensor &gates, const Tensor &filters,
           const Tensor &skip, Tensor &out);

} // namespace reference
} // namespace mixir

#endif // MIXIR_REFERENCE_REFERENCE_H
