/*===- precision-bench.c - time one compiled function on random inputs ---===//
 *
 * The driver behind bench/precision.sh. Built against the header
 * mixir-compile --emit-header wrote for a module with one function `mixer`
 * (-include that header) and linked with its object: it allocates every
 * buffer the header describes, fills floats with standard-normal values in
 * their element type (f32, f16, bf16), lengths and segment ids with valid
 * values and block layouts with random bits, then calls the function
 * `runs` times after a warm-up and prints "median_ms min_ms". Segment ids
 * are one segment, or with `runs` nondecreasing ids whose segments end
 * after each token with probability 0.2 (as mixir-run --random-lengths).
 *
 *   precision-bench RUNS [one|runs]
 *
 *===----------------------------------------------------------------------===*/

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t state = 0x9E3779B97F4A7C15ull;

static double uniform(void) {
  state = state * 6364136223846793005ull + 1442695040888963407ull;
  return ((state >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(void) {
  return sqrt(-2.0 * log(uniform())) * cos(6.283185307179586 * uniform());
}

static uint32_t bitsOf(float x) {
  uint32_t bits;
  memcpy(&bits, &x, sizeof bits);
  return bits;
}

/* Round to nearest even; inputs here are finite and well inside range. */
static uint16_t toBF16(float x) {
  uint32_t bits = bitsOf(x);
  return (uint16_t)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
}

static uint16_t toF16(float x) {
  uint32_t bits = bitsOf(x), sign = (bits >> 16) & 0x8000;
  float magnitude = fabsf(x);
  if (magnitude < 6.103515625e-05f) /* subnormal: in units of 2^-24 */
    return (uint16_t)(sign | (uint32_t)lrintf(magnitude * 16777216.0f));
  int exponent;
  float mantissa = frexpf(magnitude, &exponent); /* [0.5, 1) */
  uint32_t fraction = (uint32_t)lrintf((mantissa * 2.0f - 1.0f) * 1024.0f);
  uint32_t biased = (uint32_t)(exponent - 1 + 15);
  if (fraction == 1024) {
    fraction = 0;
    ++biased;
  }
  return (uint16_t)(sign | (biased << 10) | fraction);
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 5;
  if (runs < 1) {
    fprintf(stderr, "precision-bench: RUNS must be at least 1\n");
    return 2;
  }
  int segmentRuns = argc > 2 && !strcmp(argv[2], "runs");
  if (argc > 2 && !segmentRuns && strcmp(argv[2], "one")) {
    fprintf(stderr, "precision-bench: segments are 'one' or 'runs'\n");
    return 2;
  }
  enum { count = MIXIR_mixer_NUM_BUFFERS };
  void *buffers[count];
  for (int i = 0; i < count; ++i) {
    const mixir_buffer_info *info = &mixer_buffers[i];
    size_t elements = 1;
    for (int d = 0; d < info->rank; ++d)
      elements *= (size_t)info->shape[d];
    const char *type = info->type;
    size_t width = !strcmp(type, "f32") || !strcmp(type, "i32") ? 4
                   : !strcmp(type, "i1")                        ? 1
                                                                : 2;
    unsigned char *data = aligned_alloc(64, (elements * width + 63) / 64 * 64);
    if (!data) {
      fprintf(stderr, "precision-bench: out of memory\n");
      return 1;
    }
    /* Lengths are full (the last dim of q); segment ids [B, L]. */
    int64_t full = mixer_buffers[0].shape[mixer_buffers[0].rank - 2];
    int32_t segment = 0;
    for (size_t e = 0; e < elements; ++e) {
      if (!strcmp(type, "f32"))
        ((float *)data)[e] = (float)normal();
      else if (!strcmp(type, "f16"))
        ((uint16_t *)data)[e] = toF16((float)normal());
      else if (!strcmp(type, "bf16"))
        ((uint16_t *)data)[e] = toBF16((float)normal());
      else if (!strcmp(type, "i32"))
        ((int32_t *)data)[e] = info->rank == 1 ? (int32_t)full
                               : segmentRuns
                                   ? (e % (size_t)info->shape[1] == 0
                                          ? (segment = 0)
                                          : (segment += uniform() < 0.2))
                                   : 0;
      else
        data[e] = uniform() < 0.25;
    }
    buffers[i] = data;
  }
  double *times = malloc(sizeof(double) * runs);
  for (int run = -1; run < runs; ++run) {
    double start = now();
    int32_t status = mixer_packed(buffers);
    double stop = now();
    if (status != 0) {
      fprintf(stderr, "precision-bench: mixer returned %d\n", status);
      return 1;
    }
    if (run >= 0)
      times[run] = stop - start;
  }
  qsort(times, runs, sizeof(double), compare);
  double median = runs % 2 ? times[runs / 2]
                           : 0.5 * (times[runs / 2 - 1] + times[runs / 2]);
  printf("%.3f %.3f\n", median, times[0]);
  return 0;
}
