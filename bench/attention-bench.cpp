//===- attention-bench.cpp - time attention: Mixir vs OpenBLAS ------------===//
//
// The benchmark driver behind bench/run.sh. In one process and on the same
// inputs it times one of:
//   sgemm     OpenBLAS SGEMM N^3, the machine's ceiling in GFLOP/s;
//   onednn    oneDNN's matmul N^3 (--type f32 or bf16: bf16 inputs, f32
//             output), the second ceiling; on machines with avx512_bf16 its
//             bf16 matmul runs on vdpbf16ps and is the bound for bf16
//             attention;
//   unfused   attention the usual way: per head, S = Q K^T (SGEMM), a row
//             softmax (with the causal or block mask), O = P V (SGEMM);
//   mixir     a function compiled by mixir-compile --shared, loaded with
//             dlopen: int32_t f(const float *q, *k, *v, [const bool *layout,]
//             float *o).
// It prints one CSV line: case, implementation, sizes, threads, median and
// minimum milliseconds over the runs, GFLOP/s (4 B H S T D, the dense count,
// whatever the mask) and the peak resident memory in MiB.
//
//===----------------------------------------------------------------------===//

#include <cblas.h>
#include <dlfcn.h>
#include <oneapi/dnnl/dnnl.hpp>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

extern "C" void openblas_set_num_threads(int);

namespace {

struct Options {
  std::string mode, kind = "dense", library, entry = "attention", type = "f32";
  long batch = 1, heads = 4, length = 1024, dim = 64, block = 64;
  double density = 0.1;
  int runs = 5, threads = 1;
};

[[noreturn]] void usage(const char *message) {
  std::fprintf(stderr,
               "attention-bench: %s\n"
               "usage: attention-bench sgemm|onednn|unfused|mixir [--kind "
               "dense|causal|sparse] [--type f32|bf16] [--lib x.so --entry "
               "name] [--batch B] "
               "[--heads H] [--length L] [--dim D] [--block b] [--density d] "
               "[--runs N] [--threads T]\n",
               message);
  std::exit(2);
}

Options parse(int argc, char **argv) {
  if (argc < 2)
    usage("no mode");
  Options o;
  o.mode = argv[1];
  for (int i = 2; i < argc; i += 2) {
    if (i + 1 >= argc)
      usage("an option lacks its value");
    std::string key = argv[i], value = argv[i + 1];
    if (key == "--kind")
      o.kind = value;
    else if (key == "--type")
      o.type = value;
    else if (key == "--lib")
      o.library = value;
    else if (key == "--entry")
      o.entry = value;
    else if (key == "--batch")
      o.batch = std::stol(value);
    else if (key == "--heads")
      o.heads = std::stol(value);
    else if (key == "--length")
      o.length = std::stol(value);
    else if (key == "--dim")
      o.dim = std::stol(value);
    else if (key == "--block")
      o.block = std::stol(value);
    else if (key == "--density")
      o.density = std::stod(value);
    else if (key == "--runs")
      o.runs = std::stoi(value);
    else if (key == "--threads")
      o.threads = std::stoi(value);
    else
      usage(("unknown option " + key).c_str());
  }
  return o;
}

std::vector<float> randomFloats(size_t count, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.f, 1.f);
  std::vector<float> values(count);
  for (float &value : values)
    value = normal(rng);
  return values;
}

/// A block layout [1, nb, nb] with the diagonal and about `density` of the
/// other blocks set (the same layout for every head); causal cases keep the
/// lower triangle only.
std::vector<uint8_t> makeLayout(long blocks, double density, bool causal) {
  std::mt19937 rng(7);
  std::bernoulli_distribution bit(density);
  std::vector<uint8_t> layout(blocks * blocks);
  for (long i = 0; i < blocks; ++i)
    for (long j = 0; j < blocks; ++j)
      layout[i * blocks + j] = (i == j || bit(rng)) && (!causal || j <= i);
  return layout;
}

double peakMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

template <typename Fn> std::vector<double> time(Fn &&fn, int runs) {
  fn(); // warm-up
  std::vector<double> ms;
  for (int run = 0; run < runs; ++run) {
    auto start = std::chrono::steady_clock::now();
    fn();
    auto stop = std::chrono::steady_clock::now();
    ms.push_back(
        std::chrono::duration<double, std::milli>(stop - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms;
}

double median(const std::vector<double> &sorted) {
  size_t n = sorted.size();
  return n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
}

/// Times oneDNN's matmul C = A B, n x n x n, with A and B of `type` (f32 or
/// bf16) and C in f32, as a bf16 attention accumulates.
std::vector<double> timeOneDNNMatmul(long n, const std::string &type,
                                     int runs) {
  using namespace dnnl;
  memory::data_type inputType;
  if (type == "f32")
    inputType = memory::data_type::f32;
  else if (type == "bf16")
    inputType = memory::data_type::bf16;
  else
    usage(("onednn: unknown --type " + type).c_str());
  engine cpu(engine::kind::cpu, 0);
  stream queue(cpu);
  memory::dims dims = {n, n};
  memory::desc inputDesc(dims, inputType, memory::format_tag::ab);
  memory::desc outputDesc(dims, memory::data_type::f32, memory::format_tag::ab);
  matmul::primitive_desc description;
  try {
#if DNNL_VERSION_MAJOR >= 3
    description = matmul::primitive_desc(cpu, inputDesc, inputDesc, outputDesc);
#else
    description = matmul::primitive_desc(
        matmul::desc(inputDesc, inputDesc, outputDesc), cpu);
#endif
  } catch (const dnnl::error &) {
    // oneDNN 2.x has no bf16 matmul below avx512_core: not a ceiling here.
    std::fprintf(stderr,
                 "attention-bench: oneDNN has no %s matmul on this CPU\n",
                 type.c_str());
    std::exit(3);
  }
  matmul multiply(description);
  memory a(inputDesc, cpu), b(inputDesc, cpu), c(outputDesc, cpu);
  // Random inputs, rounded to the input type (bf16: the upper half of the
  // f32, rounded to nearest even).
  for (auto [buffer, seed] : {std::pair{&a, 1u}, std::pair{&b, 2u}}) {
    std::vector<float> values = randomFloats(n * n, seed);
    if (inputType == memory::data_type::f32) {
      std::memcpy(buffer->get_data_handle(), values.data(),
                  values.size() * sizeof(float));
      continue;
    }
    auto *bits = static_cast<uint16_t *>(buffer->get_data_handle());
    for (size_t i = 0; i < values.size(); ++i) {
      uint32_t word;
      std::memcpy(&word, &values[i], sizeof(word));
      bits[i] = uint16_t((word + 0x7fffu + ((word >> 16) & 1u)) >> 16);
    }
  }
  auto run = [&] {
    multiply.execute(
        queue, {{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, b}, {DNNL_ARG_DST, c}});
    queue.wait();
  };
  std::vector<double> ms = time(run, runs);
  const char *isa = "unknown";
  switch (get_effective_cpu_isa()) {
  case cpu_isa::avx2:
    isa = "avx2";
    break;
  case cpu_isa::avx512_core:
    isa = "avx512_core";
    break;
  case cpu_isa::avx512_core_bf16:
    isa = "avx512_core_bf16";
    break;
  case cpu_isa::avx512_core_amx:
    isa = "avx512_core_amx";
    break;
  default:
    break;
  }
  std::fprintf(stderr, "attention-bench: oneDNN %d.%d, effective ISA %s\n",
               DNNL_VERSION_MAJOR, DNNL_VERSION_MINOR, isa);
  return ms;
}

/// Softmax of one row in place over the allowed prefix/blocks.
void softmaxRow(float *row, long length, const uint8_t *allowedBlocks,
                long block, long limit) {
  float max = -INFINITY;
  for (long j = 0; j < length; ++j) {
    bool allowed = j <= limit && (!allowedBlocks || allowedBlocks[j / block]);
    if (!allowed)
      row[j] = -INFINITY;
    max = std::max(max, row[j]);
  }
  if (max == -INFINITY) {
    std::memset(row, 0, length * sizeof(float));
    return;
  }
  float sum = 0.f;
  for (long j = 0; j < length; ++j) {
    row[j] = std::exp(row[j] - max);
    sum += row[j];
  }
  float inverse = 1.f / sum;
  for (long j = 0; j < length; ++j)
    row[j] *= inverse;
}

} // namespace

int main(int argc, char **argv) {
  Options o = parse(argc, argv);
  openblas_set_num_threads(o.threads);
  long B = o.batch, H = o.heads, L = o.length, D = o.dim;
  std::vector<double> ms;
  double flops = 4.0 * B * H * L * L * D;

  if (o.mode == "sgemm") {
    long n = o.length;
    std::vector<float> a = randomFloats(n * n, 1), b = randomFloats(n * n, 2),
                       c(n * n);
    ms = time(
        [&] {
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.f,
                      a.data(), n, b.data(), n, 0.f, c.data(), n);
        },
        o.runs);
    flops = 2.0 * n * n * n;
  } else if (o.mode == "onednn") {
    ms = timeOneDNNMatmul(o.length, o.type, o.runs);
    flops = 2.0 * o.length * o.length * o.length;
  } else {
    size_t elements = B * H * L * D;
    std::vector<float> q = randomFloats(elements, 1),
                       k = randomFloats(elements, 2),
                       v = randomFloats(elements, 3), out(elements, NAN);
    bool causal = o.kind == "causal";
    bool sparse = o.kind == "sparse";
    long blocks = (L + o.block - 1) / o.block;
    std::vector<uint8_t> layout;
    if (sparse)
      layout = makeLayout(blocks, o.density, /*causal=*/false);
    float scale = 1.f / std::sqrt(float(D));

    if (o.mode == "unfused") {
      std::vector<float> scores(L * L);
      ms = time(
          [&] {
            for (long bh = 0; bh < B * H; ++bh) {
              const float *qh = q.data() + bh * L * D;
              const float *kh = k.data() + bh * L * D;
              const float *vh = v.data() + bh * L * D;
              cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, L, L, D,
                          scale, qh, D, kh, D, 0.f, scores.data(), L);
              for (long i = 0; i < L; ++i)
                softmaxRow(scores.data() + i * L, L,
                           sparse ? layout.data() + (i / o.block) * blocks
                                  : nullptr,
                           o.block, causal ? i : L);
              cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, L, D, L,
                          1.f, scores.data(), L, vh, D, 0.f,
                          out.data() + bh * L * D, D);
            }
          },
          o.runs);
    } else if (o.mode == "mixir") {
      void *handle = dlopen(o.library.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!handle)
        usage(dlerror());
      void *symbol = dlsym(handle, o.entry.c_str());
      if (!symbol)
        usage(dlerror());
      if (sparse) {
        auto fn = reinterpret_cast<int32_t (*)(const float *, const float *,
                                               const float *, const uint8_t *,
                                               float *)>(symbol);
        ms = time(
            [&] {
              fn(q.data(), k.data(), v.data(), layout.data(), out.data());
            },
            o.runs);
      } else {
        auto fn = reinterpret_cast<int32_t (*)(const float *, const float *,
                                               const float *, float *)>(symbol);
        ms =
            time([&] { fn(q.data(), k.data(), v.data(), out.data()); }, o.runs);
      }
    } else {
      usage(("unknown mode " + o.mode).c_str());
    }
    for (float value : out)
      if (std::isnan(value))
        usage("an output element was not written (NaN)");
  }
  double med = median(ms);
  std::printf("%s,%s,%ld,%ld,%ld,%ld,%d,%.3f,%.3f,%.2f,%.1f\n",
              o.mode == "sgemm"    ? "sgemm"
              : o.mode == "onednn" ? ("onednn-" + o.type).c_str()
                                   : o.kind.c_str(),
              o.mode.c_str(), B, H, L, D, o.threads, med, ms.front(),
              flops / med * 1e-6, peakMiB());
  return 0;
}
