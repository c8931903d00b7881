//===- Tensor.cpp - reference tensors, comparison and softmax -------------===//
//
// The dense row-major Tensor of the float64 reference, the comparison of a
// result against the reference with the spec's tolerances, and the one
// softmax-weighted sum that attention, routed attention and Combiner share.
//
//===----------------------------------------------------------------------===//

#include "mixir/Reference/Reference.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace mixir {
namespace reference {

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

static int64_t productOf(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    assert(d >= 0 && "negative dimension");
    n *= d;
  }
  return n;
}

Tensor::Tensor(std::vector<int64_t> dims)
    : shape(std::move(dims)), data(productOf(shape), 0.0) {}

Tensor::Tensor(std::vector<int64_t> dims, std::vector<double> values)
    : shape(std::move(dims)), data(std::move(values)) {
  assert(static_cast<int64_t>(data.size()) == productOf(shape) &&
         "data size does not match the shape");
}

int64_t Tensor::numel() const { return productOf(shape); }

void Tensor::markExact(int64_t begin, int64_t count) {
  exact.resize(data.size(), false);
  std::fill(exact.begin() + begin, exact.begin() + begin + count, true);
}

int64_t Tensor::offset(std::initializer_list<int64_t> index) const {
  assert(index.size() == shape.size() && "index rank mismatch");
  int64_t linear = 0;
  size_t dim = 0;
  for (int64_t i : index) {
    assert(i >= 0 && i < shape[dim] && "index out of bounds");
    linear = linear * shape[dim] + i;
    ++dim;
  }
  return linear;
}

std::vector<int64_t> stridesOf(const std::vector<int64_t> &shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t d = shape.size(); d > 1; --d)
    strides[d - 2] = strides[d - 1] * shape[d - 1];
  return strides;
}

//===----------------------------------------------------------------------===//
// Comparison
//===----------------------------------------------------------------------===//

double toleranceFor(ElementKind kind) {
  switch (kind) {
  case ElementKind::F32:
    return 1e-5;
  case ElementKind::F16:
  case ElementKind::BF16:
    return 1e-2;
  case ElementKind::F64:
    return 1e-12;
  }
  return 1e-5;
}

double toleranceFor(ElementKind kind, const Tensor &ref) {
  return std::max(toleranceFor(kind), std::ldexp(ref.logitMagnitude, -24));
}

static thread_local double largestLogit = 0.0;

void noteLogit(double logit) {
  if (std::isfinite(logit))
    largestLogit = std::max(largestLogit, std::fabs(logit));
}
void resetLogitMagnitude() { largestLogit = 0.0; }
double getLogitMagnitude() { return largestLogit; }

/// Exact equality of two non-finite-or-finite values, NaN equal to NaN.
static bool sameValue(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return std::isnan(a) && std::isnan(b);
  return a == b;
}

ErrorStats compare(const Tensor &got, const Tensor &ref) {
  const double inf = std::numeric_limits<double>::infinity();
  if (got.shape != ref.shape || got.data.size() != ref.data.size())
    return {inf, inf, true};

  ErrorStats stats{0.0, 0.0, false};
  double diffSquared = 0.0, refSquared = 0.0;
  for (size_t i = 0, e = ref.data.size(); i < e; ++i) {
    double r = ref.data[i], g = got.data[i];
    if (!ref.exact.empty() && ref.exact[i] && !sameValue(g, r))
      stats.exactMismatch = true;
    if (!std::isfinite(r)) {
      if (!sameValue(g, r))
        stats.nonFiniteMismatch = true;
      continue;
    }
    if (!std::isfinite(g)) {
      stats.nonFiniteMismatch = true;
      continue;
    }
    double diff = g - r;
    diffSquared += diff * diff;
    refSquared += r * r;
    stats.maxAbs = std::max(stats.maxAbs, std::fabs(diff));
  }
  double diffNorm = std::sqrt(diffSquared), refNorm = std::sqrt(refSquared);
  stats.relL2 = refNorm == 0.0 ? diffNorm : diffNorm / refNorm;
  return stats;
}

bool withinTolerance(const ErrorStats &stats, double tolerance) {
  return !stats.nonFiniteMismatch && !stats.exactMismatch &&
         stats.relL2 <= tolerance;
}

//===----------------------------------------------------------------------===//
// Softmax-weighted sum
//===----------------------------------------------------------------------===//

double softmaxWeightedSum(const std::vector<double> &logits,
                          const std::vector<const double *> &rows,
                          int64_t width, double *out) {
  assert(logits.size() == rows.size() && "one value row per logit");
  const double inf = std::numeric_limits<double>::infinity();
  for (int64_t d = 0; d < width; ++d)
    out[d] = 0.0;

  // The safe max; a NaN logit propagates to every output.
  double m = -inf;
  for (double z : logits)
    if (!(z <= m))
      m = z;
  if (m == -inf)
    return -inf;

  double sum = 0.0;
  for (size_t j = 0, e = logits.size(); j < e; ++j) {
    noteLogit(logits[j]);
    double p = std::exp(logits[j] - m);
    sum += p;
    for (int64_t d = 0; d < width; ++d)
      out[d] += p * rows[j][d];
  }
  for (int64_t d = 0; d < width; ++d)
    out[d] /= sum;
  return m + std::log(sum);
}

} // namespace reference
} // namespace mixir
