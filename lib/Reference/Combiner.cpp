//===- Combiner.cpp - reference of Combiner factorized attention ----------===//
//
// The float64 reference of `attn.combiner` (spec/MIXERS.md section 4) in its
// fixed, axial and logsparse variants. Each query gathers its direct keys and
// its abstractions (a region's elementwise-max key with its softmax-pooled
// value, or an axial row summary) as candidates of ONE softmax. Abstractions
// are recomputed where they are used, which keeps the code next to the spec.
//
//===----------------------------------------------------------------------===//

#include "mixir/Reference/Reference.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <deque>

namespace mixir {
namespace reference {

std::vector<std::pair<int64_t, int64_t>> logsparseBlocks(int64_t i, int64_t L) {
  assert(i >= 0 && i < L && "query outside the sequence");
  int64_t levels = 0; // ceil(log2 L)
  while ((int64_t(1) << levels) < L)
    ++levels;
  std::vector<std::pair<int64_t, int64_t>> blocks;
  for (int64_t l = 0; l < levels; ++l) {
    if (((i >> l) & 1) == 0)
      continue;
    int64_t f = i >> l; // floor(i / 2^l)
    blocks.emplace_back((f - 1) << l, f << l);
  }
  return blocks;
}

namespace {
/// A candidate key of the softmax with its value row.
struct Abstraction {
  std::vector<double> key;
  std::vector<double> value;
};

/// The q, k, v rows of one (batch, head) pair, with q already scaled.
struct HeadRows {
  int64_t L, D;
  std::vector<const double *> k, v;
  std::vector<std::vector<double>> q; // q' = scale * q

  HeadRows(const Tensor &qt, const Tensor &kt, const Tensor &vt, int64_t b,
           int64_t h, double scale)
      : L(qt.dim(2)), D(qt.dim(3)) {
    for (int64_t i = 0; i < L; ++i) {
      k.push_back(kt.ptr({b, h, i, 0}));
      v.push_back(vt.ptr({b, h, i, 0}));
      const double *row = qt.ptr({b, h, i, 0});
      q.emplace_back(row, row + D);
      for (double &x : q.back())
        x *= scale;
    }
  }
};
} // namespace

static double dot(const double *a, const double *b, int64_t n) {
  double sum = 0.0;
  for (int64_t d = 0; d < n; ++d)
    sum += a[d] * b[d];
  return sum;
}

/// The abstraction of the positions [begin, end): kbar and qbar are the
/// elementwise maxima of k and q', vbar = sum_j softmax_j(qbar . k_j) v_j.
static Abstraction abstractRange(const HeadRows &rows, int64_t begin,
                                 int64_t end) {
  assert(begin < end && "empty region");
  int64_t D = rows.D;
  Abstraction a;
  a.key.assign(rows.k[begin], rows.k[begin] + D);
  std::vector<double> qbar = rows.q[begin];
  for (int64_t j = begin + 1; j < end; ++j) {
    for (int64_t d = 0; d < D; ++d) {
      a.key[d] = std::max(a.key[d], rows.k[j][d]);
      qbar[d] = std::max(qbar[d], rows.q[j][d]);
    }
  }
  std::vector<double> logits;
  std::vector<const double *> values;
  for (int64_t j = begin; j < end; ++j) {
    logits.push_back(dot(qbar.data(), rows.k[j], D));
    values.push_back(rows.v[j]);
  }
  a.value.assign(D, 0.0);
  softmaxWeightedSum(logits, values, D, a.value.data());
  return a;
}

namespace {
/// The candidates of one query's softmax.
struct Candidates {
  const double *query;
  int64_t D;
  std::vector<double> logits;
  std::vector<const double *> rows;
  std::deque<Abstraction> owned; // keeps abstraction rows in place

  Candidates(const double *queryRow, int64_t width)
      : query(queryRow), D(width) {}
  void addDirect(const double *key, const double *value) {
    logits.push_back(dot(query, key, D));
    rows.push_back(value);
  }
  void addAbstraction(Abstraction a) {
    owned.push_back(std::move(a));
    addDirect(owned.back().key.data(), owned.back().value.data());
  }
  void reduce(double *out) const { softmaxWeightedSum(logits, rows, D, out); }
};
} // namespace

static void fixedHead(const CombinerParams &params, const HeadRows &rows,
                      double *out, int64_t outStride) {
  int64_t L = rows.L, bs = params.block;
  assert(bs > 0 && L % bs == 0 && "block must divide L");
  int64_t segments = L / bs;
  for (int64_t i = 0; i < L; ++i) {
    int64_t seg = i / bs;
    Candidates c(rows.q[i].data(), rows.D);
    int64_t directEnd = params.causal ? i + 1 : (seg + 1) * bs;
    for (int64_t j = seg * bs; j < directEnd; ++j)
      c.addDirect(rows.k[j], rows.v[j]);
    int64_t lastSegment = params.causal ? seg : segments;
    for (int64_t s = 0; s < lastSegment; ++s)
      if (s != seg)
        c.addAbstraction(abstractRange(rows, s * bs, (s + 1) * bs));
    c.reduce(out + i * outStride);
  }
}

static void axialHead(const CombinerParams &params, const HeadRows &rows,
                      double *out, int64_t outStride) {
  int64_t L = rows.L, D = rows.D, bs = params.block;
  assert(bs > 0 && L % bs == 0 && "block must divide L");
  int64_t numRows = L / bs;

  // Row summaries u[r,c] and kt[r,c] over the whole row r, unmasked.
  std::vector<Abstraction> summary(L);
  for (int64_t r = 0; r < numRows; ++r) {
    for (int64_t col = 0; col < bs; ++col) {
      int64_t i = r * bs + col;
      std::vector<double> logits;
      std::vector<const double *> values, keys;
      for (int64_t c2 = 0; c2 < bs; ++c2) {
        logits.push_back(dot(rows.q[i].data(), rows.k[r * bs + c2], D));
        values.push_back(rows.v[r * bs + c2]);
        keys.push_back(rows.k[r * bs + c2]);
      }
      summary[i].key.assign(D, 0.0);
      summary[i].value.assign(D, 0.0);
      softmaxWeightedSum(logits, keys, D, summary[i].key.data());
      softmaxWeightedSum(logits, values, D, summary[i].value.data());
    }
  }

  for (int64_t i = 0; i < L; ++i) {
    int64_t r = i / bs, col = i % bs;
    Candidates c(rows.q[i].data(), D);
    int64_t directEnd = params.causal ? col + 1 : bs;
    for (int64_t c2 = 0; c2 < directEnd; ++c2)
      c.addDirect(rows.k[r * bs + c2], rows.v[r * bs + c2]);
    int64_t lastRow = params.causal ? r : numRows;
    for (int64_t r2 = 0; r2 < lastRow; ++r2)
      if (r2 != r)
        c.addDirect(summary[r2 * bs + col].key.data(),
                    summary[r2 * bs + col].value.data());
    c.reduce(out + i * outStride);
  }
}

static void logsparseHead(const HeadRows &rows, double *out,
                          int64_t outStride) {
  for (int64_t i = 0; i < rows.L; ++i) {
    Candidates c(rows.q[i].data(), rows.D);
    c.addDirect(rows.k[i], rows.v[i]);
    for (const std::pair<int64_t, int64_t> &block : logsparseBlocks(i, rows.L))
      c.addAbstraction(abstractRange(rows, block.first, block.second));
    c.reduce(out + i * outStride);
  }
}

void combiner(const CombinerParams &params, const Tensor &q, const Tensor &k,
              const Tensor &v, Tensor &out) {
  assert(q.rank() == 4 && q.shape == k.shape && q.shape == v.shape &&
         "q, k, v must share one [B,H,L,D] shape");
  assert((params.variant != CombinerVariant::Logsparse || params.causal) &&
         "logsparse is causal only");
  int64_t B = q.dim(0), H = q.dim(1), L = q.dim(2), D = q.dim(3);
  const double scale = params.scale.value_or(1.0 / std::sqrt(double(D)));
  out = Tensor({B, H, L, D});
  for (int64_t b = 0; b < B; ++b) {
    for (int64_t h = 0; h < H; ++h) {
      if (L == 0)
        continue;
      HeadRows rows(q, k, v, b, h, scale);
      double *o = out.ptr({b, h, 0, 0});
      switch (params.variant) {
      case CombinerVariant::Fixed:
        fixedHead(params, rows, o, D);
        break;
      case CombinerVariant::Axial:
        axialHead(params, rows, o, D);
        break;
      case CombinerVariant::Logsparse:
        logsparseHead(rows, o, D);
        break;
      }
    }
  }
}

} // namespace reference
} // namespace mixir
