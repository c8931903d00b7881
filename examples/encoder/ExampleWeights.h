//===- ExampleWeights.h - deterministic weights of the examples -*- C++ -*-===//
//
// The values example_weights writes into the encoder examples, also used by
// the hand-written baseline of bench/encoder-bench.cpp so that both compute
// with the same weights. Header-only, no dependencies.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_EXAMPLES_ENCODER_EXAMPLEWEIGHTS_H
#define MIXIR_EXAMPLES_ENCODER_EXAMPLEWEIGHTS_H

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace mixir::examples {

/// splitmix64: a small generator whose stream depends only on its seed.
class Random {
public:
  explicit Random(uint64_t seed) : state(seed) {}
  /// Uniform in [-1, 1).
  double uniform() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-52 - 1.0;
  }

private:
  uint64_t state;
};

inline uint64_t hashName(const std::string &name) {
  uint64_t hash = 1469598103934665603ull; // FNV-1a
  for (unsigned char c : name)
    hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

inline bool endsWith(const std::string &text, const std::string &suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// The values of the weight `name` of `shape`, seeded by the name: uniform
/// with variance 1 / fan_in (all dims but the last) for weights, 1 + 0.1 u
/// for `*_gamma`, 0.02 u for `*_beta` and `*_bias`, decaying along the last
/// dim for `*_filter`.
inline std::vector<float> exampleWeights(const std::string &name,
                                         const std::vector<int64_t> &shape) {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  int64_t last = shape.empty() ? 1 : std::max<int64_t>(1, shape.back());
  int64_t fanIn = std::max<int64_t>(1, count / last);
  Random random(hashName(name));
  std::vector<float> values(count);
  for (int64_t index = 0; index < count; ++index) {
    double u = random.uniform();
    double value;
    if (endsWith(name, "_gamma"))
      value = 1.0 + 0.1 * u;
    else if (endsWith(name, "_beta") || endsWith(name, "_bias"))
      value = 0.02 * u;
    else if (endsWith(name, "_filter"))
      value = 0.5 * u * std::exp(-static_cast<double>(index % last) / 32.0);
    else
      value = u * std::sqrt(3.0 / static_cast<double>(fanIn));
    values[index] = static_cast<float>(value);
  }
  return values;
}

} // namespace mixir::examples

#endif // MIXIR_EXAMPLES_ENCODER_EXAMPLEWEIGHTS_H
