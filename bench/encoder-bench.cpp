//===- encoder-bench.cpp - compiled encoder block vs hand-written ---------===//
//
// Times, in one process on the same input and weights, with the same number
// of threads:
//   mixir     the encoder example compiled by mixir-compile --shared (any
//             variant; dlopen'ed, symbol `encoder`);
//   openblas  the softmax encoder block hand-written in C++: OpenBLAS SGEMMs
//             for the projections, the MLP and each head's Q K^T and P V,
//             straightforward loops (on the same threads) for LayerNorm,
//             softmax, GELU and the residuals;
//   sgemm     the ceiling: OpenBLAS SGEMM GFLOP/s on the block's largest
//             product (512 x 1024 x 256).
// Prints one CSV line per implementation:
//   impl,threads,median_ms,min_ms,gflops,rel_l2_vs_openblas
// (the block's FLOPs are the softmax block's; rel_l2 compares the compiled
// output with the hand-written one, meaningful for the softmax variant).
//
//   encoder-bench --lib encoder.so --threads N --runs R
//
//===----------------------------------------------------------------------===//

#include "../examples/encoder/ExampleWeights.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

extern "C" {
void cblas_sgemm(int order, int transA, int transB, int m, int n, int k,
                 float alpha, const float *a, int lda, const float *b, int ldb,
                 float beta, float *c, int ldc);
void openblas_set_num_threads(int);
}

namespace {

constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;
constexpr int S = 512, DM = 256, H = 4, DH = 64, FF = 1024;

using mixir::examples::exampleWeights;

/// Runs body(begin, end) over [0, count) split across `threads` threads.
void parallelFor(int threads, int count,
                 const std::function<void(int, int)> &body) {
  if (threads <= 1) {
    body(0, count);
    return;
  }
  std::vector<std::thread> workers;
  int chunk = (count + threads - 1) / threads;
  for (int t = 0; t < threads; ++t) {
    int begin = t * chunk, end = std::min(count, begin + chunk);
    if (begin < end)
      workers.emplace_back(body, begin, end);
  }
  for (std::thread &worker : workers)
    worker.join();
}

struct Weights {
  std::vector<float> ln1Gamma, ln1Beta, qkv, qkvBias, out, outBias, ln2Gamma,
      ln2Beta, fc1, fc1Bias, fc2, fc2Bias;
  Weights()
      : ln1Gamma(exampleWeights("ln1_gamma", {1, 1, DM})),
        ln1Beta(exampleWeights("ln1_beta", {1, 1, DM})),
        qkv(exampleWeights("qkv_weight", {1, DM, 3 * DM})),
        qkvBias(exampleWeights("qkv_bias", {1, 1, 3 * DM})),
        out(exampleWeights("out_weight", {1, DM, DM})),
        outBias(exampleWeights("out_bias", {1, 1, DM})),
        ln2Gamma(exampleWeights("ln2_gamma", {1, 1, DM})),
        ln2Beta(exampleWeights("ln2_beta", {1, 1, DM})),
        fc1(exampleWeights("fc1_weight", {1, DM, FF})),
        fc1Bias(exampleWeights("fc1_bias", {1, 1, FF})),
        fc2(exampleWeights("fc2_weight", {1, FF, DM})),
        fc2Bias(exampleWeights("fc2_bias", {1, 1, DM})) {}
};

/// The hand-written block, with its scratch buffers allocated once.
class HandWritten {
public:
  HandWritten(const Weights &w, int threads) : w(w), threads(threads) {}

  void run(const float *x, float *y) {
    layerNorm(x, w.ln1Gamma, w.ln1Beta, h.data());
    linear(h.data(), DM, w.qkv, w.qkvBias, 3 * DM, qkv.data());
    for (int head = 0; head < H; ++head) {
      const float *q = qkv.data() + head * DH;
      const float *k = qkv.data() + DM + head * DH;
      const float *v = qkv.data() + 2 * DM + head * DH;
      cblas_sgemm(kRowMajor, kNoTrans, kTrans, S, S, DH,
                  1.0f / std::sqrt(float(DH)), q, 3 * DM, k, 3 * DM, 0.0f,
                  scores.data(), S);
      parallelFor(threads, S, [&](int begin, int end) {
        for (int i = begin; i < end; ++i) {
          float *row = scores.data() + size_t(i) * S;
          float max = *std::max_element(row, row + S);
          float sum = 0;
          for (int j = 0; j < S; ++j)
            sum += row[j] = std::exp(row[j] - max);
          float inverse = 1.0f / sum;
          for (int j = 0; j < S; ++j)
            row[j] *= inverse;
        }
      });
      cblas_sgemm(kRowMajor, kNoTrans, kNoTrans, S, DH, S, 1.0f, scores.data(),
                  S, v, 3 * DM, 0.0f, attention.data() + head * DH, DM);
    }
    linear(attention.data(), DM, w.out, w.outBias, DM, x1.data());
    parallelFor(threads, S * DM, [&](int begin, int end) {
      for (int i = begin; i < end; ++i)
        x1[i] += x[i];
    });
    layerNorm(x1.data(), w.ln2Gamma, w.ln2Beta, h.data());
    linear(h.data(), DM, w.fc1, w.fc1Bias, FF, hidden.data());
    parallelFor(threads, S * FF, [&](int begin, int end) {
      const float c = std::sqrt(2.0f / float(M_PI));
      for (int i = begin; i < end; ++i) {
        float a = hidden[i];
        hidden[i] =
            0.5f * a * (1.0f + std::tanh(c * (a + 0.044715f * a * a * a)));
      }
    });
    linear(hidden.data(), FF, w.fc2, w.fc2Bias, DM, y);
    parallelFor(threads, S * DM, [&](int begin, int end) {
      for (int i = begin; i < end; ++i)
        y[i] += x1[i];
    });
  }

private:
  void layerNorm(const float *x, const std::vector<float> &gamma,
                 const std::vector<float> &beta, float *out) {
    parallelFor(threads, S, [&](int begin, int end) {
      for (int i = begin; i < end; ++i) {
        const float *row = x + size_t(i) * DM;
        float mean = 0, var = 0;
        for (int c = 0; c < DM; ++c)
          mean += row[c];
        mean /= DM;
        for (int c = 0; c < DM; ++c)
          var += (row[c] - mean) * (row[c] - mean);
        float rstd = 1.0f / std::sqrt(var / DM + 1e-5f);
        for (int c = 0; c < DM; ++c)
          out[size_t(i) * DM + c] = (row[c] - mean) * rstd * gamma[c] + beta[c];
      }
    });
  }

  void linear(const float *in, int fin, const std::vector<float> &weight,
              const std::vector<float> &bias, int fout, float *out) {
    cblas_sgemm(kRowMajor, kNoTrans, kNoTrans, S, fout, fin, 1.0f, in, fin,
                weight.data(), fout, 0.0f, out, fout);
    parallelFor(threads, S, [&](int begin, int end) {
      for (int i = begin; i < end; ++i)
        for (int c = 0; c < fout; ++c)
          out[size_t(i) * fout + c] += bias[c];
    });
  }

  const Weights &w;
  int threads;
  std::vector<float> h = std::vector<float>(S * DM),
                     qkv = std::vector<float>(S * 3 * DM),
                     scores = std::vector<float>(size_t(S) * S),
                     attention = std::vector<float>(S * DM),
                     x1 = std::vector<float>(S * DM),
                     hidden = std::vector<float>(S * FF);
};

/// Median and minimum in ms of `runs` calls after one warm-up call.
std::pair<double, double> timeRuns(int runs, const std::function<void()> &f) {
  f();
  std::vector<double> times;
  for (int run = 0; run < runs; ++run) {
    auto start = std::chrono::steady_clock::now();
    f();
    times.push_back(std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - start)
                        .count());
  }
  std::sort(times.begin(), times.end());
  return {times[times.size() / 2], times.front()};
}

} // namespace

int main(int argc, char **argv) {
  std::string library;
  int threads = 1, runs = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string option = argv[i];
    if (option == "--lib")
      library = argv[i + 1];
    else if (option == "--threads")
      threads = std::atoi(argv[i + 1]);
    else if (option == "--runs")
      runs = std::atoi(argv[i + 1]);
  }
  if (library.empty() || threads < 1 || runs < 1) {
    std::fprintf(
        stderr, "usage: encoder-bench --lib encoder.so --threads N --runs R\n");
    return 2;
  }
  openblas_set_num_threads(threads);
  void *handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  auto encoder = handle ? reinterpret_cast<int32_t (*)(const float *, float *)>(
                              dlsym(handle, "encoder"))
                        : nullptr;
  if (!encoder) {
    std::fprintf(stderr, "encoder-bench: cannot load encoder from %s: %s\n",
                 library.c_str(), dlerror());
    return 2;
  }

  std::mt19937_64 generator(20261130);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> x(S * DM), compiled(S * DM), baseline(S * DM);
  for (float &value : x)
    value = normal(generator);
  Weights weights;
  HandWritten handWritten(weights, threads);

  double flops = 2.0 * S * DM * (3 * DM + DM + 2 * FF) + 4.0 * H * S * S * DH;
  auto [mixirMedian, mixirMin] =
      timeRuns(runs, [&] { encoder(x.data(), compiled.data()); });
  auto [blasMedian, blasMin] =
      timeRuns(runs, [&] { handWritten.run(x.data(), baseline.data()); });
  double error = 0, norm = 0;
  for (int i = 0; i < S * DM; ++i) {
    error += double(compiled[i] - baseline[i]) * (compiled[i] - baseline[i]);
    norm += double(baseline[i]) * baseline[i];
  }
  double relative = std::sqrt(error / norm);

  std::vector<float> a(S * DM, 0.5f), b(DM * FF, 0.25f), c(S * FF);
  auto [gemmMedian, gemmMin] = timeRuns(runs, [&] {
    cblas_sgemm(kRowMajor, kNoTrans, kNoTrans, S, FF, DM, 1.0f, a.data(), DM,
                b.data(), FF, 0.0f, c.data(), FF);
  });
  double gemmFlops = 2.0 * S * FF * DM;

  std::printf("mixir,%d,%.3f,%.3f,%.1f,%.3e\n", threads, mixirMedian, mixirMin,
              flops / mixirMedian / 1e6, relative);
  std::printf("openblas,%d,%.3f,%.3f,%.1f,0\n", threads, blasMedian, blasMin,
              flops / blasMedian / 1e6);
  std::printf("sgemm,%d,%.3f,%.3f,%.1f,\n", threads, gemmMedian, gemmMin,
              gemmFlops / gemmMedian / 1e6);
  return 0;
}
