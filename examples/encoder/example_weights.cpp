//===- example_weights.cpp - deterministic weights for the examples -------===//
//
// The encoder examples refer to their weights as `dense_resource<NAME>`
// handles, the way exporters write large constants; the blobs themselves
// (3 MB per example) are not kept in the repository. This program copies an
// example and appends the blob of every handle it refers to: deterministic
// pseudo-random f32 values, seeded by the handle's name, scaled like an
// initialised layer (uniform with variance 1 / fan_in for weights, near 1
// for `*_gamma`, small for `*_beta` and `*_bias`, decaying along the last
// dim for `*_filter`).
//
//   example_weights <in.mlir> <out.mlir>
//
//===----------------------------------------------------------------------===//

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

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

uint64_t hashName(const std::string &name) {
  uint64_t hash = 1469598103934665603ull; // FNV-1a
  for (unsigned char c : name)
    hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

bool endsWith(const std::string &text, const std::string &suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<float> makeValues(const std::string &name,
                              const std::vector<int64_t> &shape) {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  int64_t last = shape.empty() ? 1 : shape.back();
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

/// The blob text of f32 values: "0x", the alignment (4) and the bytes, all
/// little-endian hex.
std::string blobText(const std::vector<float> &values) {
  static const char digits[] = "0123456789ABCDEF";
  std::string text = "0x04000000";
  text.reserve(text.size() + values.size() * 8);
  for (float value : values) {
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof(bits));
    for (int byte = 0; byte < 4; ++byte) {
      unsigned b = (bits >> (8 * byte)) & 0xFF;
      text += digits[b >> 4];
      text += digits[b & 15];
    }
  }
  return text;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 3) {
    std::cerr << "usage: example_weights <in.mlir> <out.mlir>\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << "example_weights: cannot read " << argv[1] << "\n";
    return 1;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (text.find("{-#") != std::string::npos) {
    std::cerr << "example_weights: " << argv[1]
              << " already has a resource section\n";
    return 1;
  }

  // Every handle with its type, e.g. dense_resource<fc1_weight> :
  // tensor<1x256x1024xf32>.
  std::regex handle(
      R"(dense_resource<([A-Za-z0-9_]+)>\s*:\s*tensor<([0-9x]+)xf32>)");
  std::map<std::string, std::vector<int64_t>> shapes;
  for (auto match = std::sregex_iterator(text.begin(), text.end(), handle);
       match != std::sregex_iterator(); ++match) {
    std::vector<int64_t> shape;
    std::stringstream dims((*match)[2].str());
    std::string dim;
    while (std::getline(dims, dim, 'x'))
      shape.push_back(std::stoll(dim));
    auto [found, inserted] = shapes.emplace((*match)[1].str(), shape);
    if (!inserted && found->second != shape) {
      std::cerr << "example_weights: " << found->first
                << " is used with two shapes\n";
      return 1;
    }
  }

  std::string temporary = std::string(argv[2]) + ".tmp";
  {
    std::ofstream out(temporary);
    out << text << "\n{-#\n  dialect_resources: {\n    builtin: {\n";
    size_t written = 0;
    for (const auto &[name, shape] : shapes) {
      out << "      " << name << ": \"" << blobText(makeValues(name, shape))
          << "\"" << (++written < shapes.size() ? "," : "") << "\n";
    }
    out << "    }\n  }\n#-}\n";
    if (!out) {
      std::cerr << "example_weights: cannot write " << temporary << "\n";
      return 1;
    }
  }
  if (std::rename(temporary.c_str(), argv[2]) != 0) {
    std::cerr << "example_weights: cannot write " << argv[2] << "\n";
    return 1;
  }
  return 0;
}
