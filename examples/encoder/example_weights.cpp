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

#include "ExampleWeights.h"

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
      out << "      " << name << ": \""
          << blobText(mixir::examples::exampleWeights(name, shape)) << "\""
          << (++written < shapes.size() ? "," : "") << "\n";
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
