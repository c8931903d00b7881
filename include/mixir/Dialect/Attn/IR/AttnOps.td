//===- AttnOps.td - attn dialect operations ----------------*- tablegen -*-===//
//
// The six mixer ops of the attn dialect, and the internal op the tile loops
// of attn-tile are made of. Each op's description gives its math
// (the contract of spec/MIXERS.md), the role of each dimension, the rules the
// verifier enforces and an example that the round-trip tests also parse.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_DIALECT_ATTN_IR_ATTNOPS_TD
#define MIXIR_DIALECT_ATTN_IR_ATTNOPS_TD

include "mixir/Dialect/Attn/IR/AttnBase.td"
include "mixir/Dialect/Attn/IR/AttnAttrs.td"
include "mlir/Interfaces/TilingInterface.td"

// Attributes shared by `attn.attention` and `attn.block_sparse_attention`:
// the score function and every mask that is not a block layout.
defvar Attn_AttentionAttributes = (ins
  DefaultValuedAttr<Attn_ScoreAttr, "::mixir::attn::ScoreKind::softmax">:$score,
  DefaultValuedAttr<Attn_CausalAttr, "::mixir::attn::CausalMode::none">:$causal,
  OptionalAttr<DenseI64ArrayAttr>:$window,
  OptionalAttr<F32Attr>:$scale,
  OptionalAttr<F32Attr>:$sigmoid_bias
);

// Optional keyword operands and inits shared by the two attention ops; they
// print in this order and only when present.
defvar Attn_AttentionTrailingOperands = (ins
  Optional<AnyRankedTensor>:$bias,
  Optional<AnyRankedTensor>:$kv_len,
  Optional<AnyRankedTensor>:$q_len,
  Variadic<AnyRankedTensor>:$outputs
);

defvar Attn_AttentionTrailingFormat = [{
  (`bias` `(` $bias^ `:` type($bias) `)`)?
  (`kv_len` `(` $kv_len^ `:` type($kv_len) `)`)?
  (`q_len` `(` $q_len^ `:` type($q_len) `)`)?
  `outs` `(` $outputs `:` type($outputs) `)`
  attr-dict `->` type($result_tensors)
}];

defvar Attn_AttentionExtraDecls = [{
  ::mlir::MutableOperandRange getDpsInitsMutable() {
    return getOutputsMutable();
  }
  /// True when the op returns the log-sum-exp as a second result.
  bool hasLse() { return getOutputs().size() == 2; }
}];

//===----------------------------------------------------------------------===//
// AttentionOp
//===----------------------------------------------------------------------===//

def Attn_AttentionOp : Attn_Op<"attention", [AttrSizedOperandSegments]> {
  let summary = "scaled dot-product attention with a softmax or sigmoid score";
  let description = [{
    Computes attention of queries `q` over keys `k` and values `v`:

    ```
    Tb, Sb         = kv_len[b] (else T), q_len[b] (else S)
    off(b)         = 0 (causal none or top_left) or Tb - Sb (bottom_right)
    allowed(b,i,j) = (causal == none or j <= i + off(b))
                     and (wl < 0 or j >= i + off(b) - wl)
                     and (wr < 0 or j <= i + off(b) + wr)
                     and j < Tb and i < Sb
    z[b,h,i,j]     = scale * dot(q[b,h,i,:], k[b,kvh(h),j,:]) + bias[b,h,i,j]
    softmax: p = exp(z - m_i) / sum_{allowed j'} exp(z_ij' - m_i) over allowed
             j, 0 elsewhere;   lse_i = m_i + ln(sum_{allowed} exp(z - m_i))
    sigmoid: p = 1 / (1 + exp(-(z + sigmoid_bias))) over allowed j, 0
             elsewhere (no row normalisation)
    o[b,h,i,:]     = sum_j p[b,h,i,j] * v[b,kvh(h),j,:]
    ```

    where `kvh(h) = h / (Hq / Hkv)`: consecutive query heads share one
    key/value head (GQA, MQA). A row with no allowed key yields exact zeros
    and `lse = -inf`. Accumulation is at least f32 whatever the input type.

    Dimensions: `q [B, Hq, S, D]`, `k [B, Hkv, T, D]`, `v [B, Hkv, T, Dv]`,
    result `o [B, Hq, S, Dv]` in the input element type; the optional second
    result `lse [B, Hq, S]` is f32 (softmax only). `B` batch, `Hq`/`Hkv` query
    and key/value heads, `S`/`T` query and key lengths, `D`/`Dv` head dims of
    q/k and of v.

    Optional operands: `bias` broadcastable to `[B, Hq, S, T]` (each dim 1 or
    full, q's element type) is added to the scaled score (ALiBi, relative
    position bias); `kv_len [B] i32` and `q_len [B] i32` give each batch row's
    valid lengths.

    Attributes: `score` (softmax, default, or sigmoid); `causal` (none,
    default; top_left as PyTorch SDPA; bottom_right as FlashAttention-2, using
    each row's valid lengths); `window = [wl, wr]` (-1 for unbounded, the
    default); `scale` (f32, default `1/sqrt(D)`); `sigmoid_bias` (f32, sigmoid
    only, default `-ln(T)`).

    The verifier enforces: q, k, v, bias and o share one element type (f32,
    f16 or bf16); ranks as above; equal batch sizes; `Hq % Hkv == 0`; equal
    `D` of q and k; equal `T` of k and v; `Dv` of v and o; bias dims 1 or
    full; kv_len and q_len `[B]` of i32; one or two outputs, the second only
    with softmax and shaped `[B, Hq, S]` f32; `sigmoid_bias` only with
    sigmoid; `window` of two values, each >= -1; finite `scale` and
    `sigmoid_bias`. Dynamic sizes are accepted where a rule cannot be checked.

    Example:

    ```mlir
    %o = attn.attention
           ins(%q, %k, %v : tensor<2x8x100x64xf32>, tensor<2x2x130x64xf32>,
                            tensor<2x2x130x32xf32>)
           bias(%b : tensor<1x8x100x130xf32>) kv_len(%kl : tensor<2xi32>)
           q_len(%ql : tensor<2xi32>)
           outs(%init : tensor<2x8x100x32xf32>)
           {causal = #attn.causal<bottom_right>, window = array<i64: 64, 0>,
            scale = 0.125 : f32}
           -> tensor<2x8x100x32xf32>
    ```

    Warning: the values of `kv_len` and `q_len` are not known to the
    verifier; each must lie in `[0, T]` and `[0, S]`. Lowerings assume it and
    do not check it.
  }];

  let arguments = !con((ins
      AnyRankedTensor:$query,
      AnyRankedTensor:$key,
      AnyRankedTensor:$value),
    Attn_AttentionTrailingOperands, Attn_AttentionAttributes);
  let results = (outs Variadic<AnyRankedTensor>:$result_tensors);

  let assemblyFormat = !strconcat([{
    `ins` `(` $query `,` $key `,` $value `:` type($query) `,` type($key) `,`
      type($value) `)`
  }], Attn_AttentionTrailingFormat);

  let extraClassDeclaration = Attn_AttentionExtraDecls;
}

//===----------------------------------------------------------------------===//
// BlockSparseAttentionOp
//===----------------------------------------------------------------------===//

def Attn_BlockSparseAttentionOp
    : Attn_Op<"block_sparse_attention", [AttrSizedOperandSegments]> {
  let summary = "attention restricted to the blocks set in a block layout";
  let description = [{
    As `attn.attention` (both scores, every mask, the optional operands and
    the optional `lse` result), with a block layout that further restricts
    which keys each query sees:

    ```
    allowed(b,h,i,j) &= layout[h (or 0 when Hl == 1), i / bq, j / bk]
    ```

    Dimensions: as `attn.attention`, plus
    `layout [Hl, ceil(S / bq), ceil(T / bk)]` of i1 with `Hl` either 1 (one
    layout for all heads) or `Hq` (one per query head). The attribute
    `block = [bq, bk]` gives the query and key block sizes.

    The cost of a lowering is proportional to the number of set blocks: key
    blocks whose bit is 0 are never visited.

    The verifier enforces every rule of `attn.attention`, and: `block` holds
    two positive sizes; the layout is a rank-3 i1 tensor whose first dim is 1
    or `Hq` and whose block counts match `ceil(S / bq)` and `ceil(T / bk)`.

    Example:

    ```mlir
    %o = attn.block_sparse_attention
           ins(%q, %k, %v, %layout : tensor<1x4x128x64xf32>,
               tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>,
               tensor<1x4x4xi1>)
           outs(%init : tensor<1x4x128x64xf32>)
           {block = array<i64: 32, 32>, causal = #attn.causal<top_left>}
           -> tensor<1x4x128x64xf32>
    ```

    Warning: as for `attn.attention`, the values of `kv_len` and `q_len` must
    lie in `[0, T]` and `[0, S]`; nothing checks them.
  }];

  let arguments = !con((ins
      AnyRankedTensor:$query,
      AnyRankedTensor:$key,
      AnyRankedTensor:$value,
      AnyRankedTensor:$layout),
    Attn_AttentionTrailingOperands, Attn_AttentionAttributes,
    (ins DenseI64ArrayAttr:$block));
  let results = (outs Variadic<AnyRankedTensor>:$result_tensors);

  let assemblyFormat = !strconcat([{
    `ins` `(` $query `,` $key `,` $value `,` $layout `:` type($query) `,`
      type($key) `,` type($value) `,` type($layout) `)`
  }], Attn_AttentionTrailingFormat);

  let extraClassDeclaration = Attn_AttentionExtraDecls;
}

//===----------------------------------------------------------------------===//
// RoutedAttentionOp
//===----------------------------------------------------------------------===//

def Attn_RoutedAttentionOp : Attn_Op<"routed_attention"> {
  let summary = "BiFormer bi-level routing attention";
  let description = [{
    Groups the `L` tokens into `R` regions, routes each query region to the
    `topk` key regions of highest affinity, and attends each token over the
    tokens of its routed regions:

    ```
    qr[b,n,:]  = concat over heads of mean_{t in region n} q[b,h,t,:]
    kr[b,m,:]  = likewise from k
    A[b,n,m]   = dot(qr[b,n,:], kr[b,m,:])        (shared by all heads)
    I[b,n,:]   = indices of the topk largest A[b,n,:]; ties go to the
                 lower region index
    o[b,h,t,:] = softmax attention (scaled, no other mask) of q[b,h,t,:]
                 over all tokens of the regions I[b, region(t), :]
    ```

    Regions are 1-D (`region_size = r`: region `n` holds tokens
    `[n r, (n+1) r)`, `R = L / r`) or 2-D (`grid = [GH, GW]` with tokens in
    row-major order of a `GH x GW` map, `regions = [RH, RW]`, each region a
    `GH/RH x GW/RW` window, `R = RH * RW`).

    Dimensions: `q, k, v, o [B, H, L, D]` (one key/value head per query
    head). `scale` defaults to `1/sqrt(D)`; BiFormer's `(H*D)^-0.5` is
    obtained by setting it.

    The verifier enforces: equal shapes and element types of q, k, v and o;
    exactly one of `region_size` or the pair `grid`/`regions`; positive sizes;
    `L % r == 0`, or `GH * GW == L` with `GH % RH == 0` and `GW % RW == 0`;
    `1 <= topk <= R`; a finite `scale`.

    Example:

    ```mlir
    %o = attn.routed_attention
           ins(%q, %k, %v : tensor<1x2x784x32xf32>, tensor<1x2x784x32xf32>,
               tensor<1x2x784x32xf32>)
           outs(%init : tensor<1x2x784x32xf32>)
           {topk = 4 : i64, grid = array<i64: 28, 28>,
            regions = array<i64: 7, 7>}
           -> tensor<1x2x784x32xf32>
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$query,
    AnyRankedTensor:$key,
    AnyRankedTensor:$value,
    AnyRankedTensor:$init,
    I64Attr:$topk,
    OptionalAttr<I64Attr>:$region_size,
    OptionalAttr<DenseI64ArrayAttr>:$grid,
    OptionalAttr<DenseI64ArrayAttr>:$regions,
    OptionalAttr<F32Attr>:$scale
  );
  let results = (outs AnyRankedTensor:$result);

  let assemblyFormat = [{
    `ins` `(` $query `,` $key `,` $value `:` type($query) `,` type($key) `,`
      type($value) `)`
    `outs` `(` $init `:` type($init) `)`
    attr-dict `->` type($result)
  }];

  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
  }];
}

//===----------------------------------------------------------------------===//
// CombinerOp
//===----------------------------------------------------------------------===//

def Attn_CombinerOp : Attn_Op<"combiner"> {
  let summary = "Combiner factorized full attention";
  let description = [{
    Every query runs one softmax over the union of its direct keys and its
    abstractions. With `q' = scale * q`, the logit of a direct key `j` is
    `q'_i . k_j`, that of an abstraction `A` is `q'_i . kbar_A`, and
    `o_i = sum_direct a_ij v_j + sum_abstractions a_iA vbar_A`. A region
    `Omega` of positions is abstracted as

    ```
    kbar = elementwise max_{j in Omega} k_j
    qbar = elementwise max_{j in Omega} q'_j
    vbar = sum_{j in Omega} softmax_j(qbar . k_j) v_j
    ```

    Variants (`variant`):
    - `fixed`: segments of `block` tokens, `seg(i) = i / block`. Causal:
      direct = `{j : seg(j) = seg(i), j <= i}`, one abstraction per earlier
      segment. Non-causal: direct = the own segment, one abstraction per
      other segment.
    - `axial`: position `i = r * block + c`. Row summaries
      `u[r,c] = sum_c' softmax_c'(q'[r,c] . k[r,c']) v[r,c']` and
      `kt[r,c] = sum_c' softmax_c'(q'[r,c] . k[r,c']) k[r,c']`. Causal:
      direct = `(r, c')` for `c' <= c`, one abstraction `(kt[r',c], u[r',c])`
      per earlier row `r'`. Non-causal: the whole row directly, abstractions
      for every other row.
    - `logsparse` (causal only): direct = `{i}`; for each level
      `l = 0 .. ceil(log2 L) - 1` with bit `l` of `i` set, one abstraction of
      the block `[(floor(i/2^l) - 1) 2^l, floor(i/2^l) 2^l)`.

    Dimensions: `q, k, v, o [B, H, L, D]`. Attributes: `variant`, `block`
    (fixed and axial only), `causal` (default false), `scale` (default
    `1/sqrt(D)`).

    The verifier enforces: equal shapes and element types of q, k, v and o;
    `block` present, positive and dividing `L` for fixed and axial, absent for
    logsparse; logsparse only with `causal = true`; a finite `scale`.

    Example:

    ```mlir
    %o = attn.combiner
           ins(%q, %k, %v : tensor<2x4x256x64xf32>, tensor<2x4x256x64xf32>,
               tensor<2x4x256x64xf32>)
           outs(%init : tensor<2x4x256x64xf32>)
           {variant = #attn.variant<fixed>, block = 64 : i64, causal = true}
           -> tensor<2x4x256x64xf32>
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$query,
    AnyRankedTensor:$key,
    AnyRankedTensor:$value,
    AnyRankedTensor:$init,
    Attn_CombinerVariantAttr:$variant,
    OptionalAttr<I64Attr>:$block,
    DefaultValuedAttr<BoolAttr, "false">:$causal,
    OptionalAttr<F32Attr>:$scale
  );
  let results = (outs AnyRankedTensor:$result);

  let assemblyFormat = [{
    `ins` `(` $query `,` $key `,` $value `:` type($query) `,` type($key) `,`
      type($value) `)`
    `outs` `(` $init `:` type($init) `)`
    attr-dict `->` type($result)
  }];

  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
  }];
}

//===----------------------------------------------------------------------===//
// PoolMixOp
//===----------------------------------------------------------------------===//

def Attn_PoolMixOp : Attn_Op<"pool_mix", [AttrSizedOperandSegments]> {
  let summary = "PoNet multi-granularity pooling mixer";
  let description = [{
    Mixes tokens by global attention pooling (GA), segment max-pooling (SMP)
    and local max-pooling (LMP) of five projected streams. Valid tokens are
    `t < len[b]`; `v` defaults to `k`.

    ```
    GA:  g[h]    = mean over valid t of q[t, head h]            (per batch)
         a[h,t]  = softmax over valid t of dot(g[h], k[t, head h]) / sqrt(d)
         G[h]    = sum_t a[h,t] v[t, head h]
    SMP: sp[t,c] = max over valid t' with segment_ids[t'] == segment_ids[t]
                   of s[t',c]
    LMP: lp[t,c] = max over valid t' with |t' - t| <= window/2 of l[t',c]
    out[t,c] = (G[c] + sp[t,c]) * o[t,c] + lp[t,c]  for valid t; 0 otherwise
    ```

    Dimensions: `q, k, o, s, l, v, out [B, L, C]` with `C = heads * d`;
    `segment_ids [B, L]` and `len [B]` of i32. Attributes: `heads`, `window`
    (odd, default 3).

    The verifier enforces: equal shapes and element types of the streams, the
    optional `v` and the result; `segment_ids` `[B, L]` i32; `len` `[B]` i32;
    `heads > 0` dividing `C`; `window` odd and positive.

    Example:

    ```mlir
    %y = attn.pool_mix
           ins(%q, %k, %o, %s, %l, %seg : tensor<2x512x64xf32>,
               tensor<2x512x64xf32>, tensor<2x512x64xf32>,
               tensor<2x512x64xf32>, tensor<2x512x64xf32>, tensor<2x512xi32>)
           v(%v : tensor<2x512x64xf32>) len(%n : tensor<2xi32>)
           outs(%init : tensor<2x512x64xf32>)
           {heads = 4 : i64, window = 3 : i64}
           -> tensor<2x512x64xf32>
    ```

    Warning: `len[b]` must lie in `[0, L]`; nothing checks it.
  }];

  let arguments = (ins
    AnyRankedTensor:$query,
    AnyRankedTensor:$key,
    AnyRankedTensor:$gate,
    AnyRankedTensor:$segment_stream,
    AnyRankedTensor:$local_stream,
    AnyRankedTensor:$segment_ids,
    Optional<AnyRankedTensor>:$value,
    Optional<AnyRankedTensor>:$len,
    AnyRankedTensor:$init,
    I64Attr:$heads,
    DefaultValuedAttr<I64Attr, "3">:$window
  );
  let results = (outs AnyRankedTensor:$result);

  let assemblyFormat = [{
    `ins` `(` $query `,` $key `,` $gate `,` $segment_stream `,` $local_stream
      `,` $segment_ids `:` type($query) `,` type($key) `,` type($gate) `,`
      type($segment_stream) `,` type($local_stream) `,` type($segment_ids) `)`
    (`v` `(` $value^ `:` type($value) `)`)?
    (`len` `(` $len^ `:` type($len) `)`)?
    `outs` `(` $init `:` type($init) `)`
    attr-dict `->` type($result)
  }];

  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
  }];
}

//===----------------------------------------------------------------------===//
// HyenaOp
//===----------------------------------------------------------------------===//

def Attn_HyenaOp : Attn_Op<"hyena"> {
  let summary = "Hyena recurrence of gates and long causal convolutions";
  let description = [{
    Applies an order-`N` Hyena operator: alternating elementwise gates and
    long causal convolutions per channel, each with a skip term.

    ```
    conv(h, u)[t] = sum_{s=0}^{t} h[s] u[t-s]       (per channel)
    for o = 0 .. N-2:
      v = v * x^{N-1-o}
      v = conv(filters[o], v) + skip[o] * v
    y = v * x^0
    ```

    Dimensions: `v [B, L, C]`, `gates [N, B, L, C]` holding `x^0 .. x^{N-1}`,
    `filters [N-1, C, Lf]` with `Lf >= L` (taps beyond `L` are ignored),
    `skip [N-1, C]`, result `y [B, L, C]`.

    The verifier enforces: one float element type for all operands and the
    result; the ranks and sizes above; `N >= 2`; `Lf >= L`; `causal = true`
    (the non-causal form is not supported yet).

    Example:

    ```mlir
    %y = attn.hyena
           ins(%v, %gates, %filters, %skip : tensor<2x1024x64xf32>,
               tensor<3x2x1024x64xf32>, tensor<2x64x1024xf32>,
               tensor<2x64xf32>)
           outs(%init : tensor<2x1024x64xf32>)
           -> tensor<2x1024x64xf32>
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$input,
    AnyRankedTensor:$gates,
    AnyRankedTensor:$filters,
    AnyRankedTensor:$skip,
    AnyRankedTensor:$init,
    DefaultValuedAttr<BoolAttr, "true">:$causal
  );
  let results = (outs AnyRankedTensor:$result);

  let assemblyFormat = [{
    `ins` `(` $input `,` $gates `,` $filters `,` $skip `:` type($input) `,`
      type($gates) `,` type($filters) `,` type($skip) `)`
    `outs` `(` $init `:` type($init) `)`
    attr-dict `->` type($result)
  }];

  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
  }];
}

//===----------------------------------------------------------------------===//
// PartialAttentionOp (internal)
//===----------------------------------------------------------------------===//

def Attn_PartialAttentionOp : Attn_Op<"partial_attention", [
    AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<TilingInterface, [
      "getIterationDomain", "getLoopIteratorTypes", "getTiledImplementation",
      "getResultTilePosition"]>]> {
  let summary = "folds a block of keys into an online-softmax state (internal)";
  let description = [{
    The unit of work of the flash-style tile loops, and the op `attn-tile`
    tiles through `TilingInterface`: it folds the keys of its operands into
    the running state `(acc, m, l)` of the spec's tiled form. With the empty
    state `(0, -inf, 0)` as init it returns the spec's partial `(acc, m, l)`
    of its key range; a chain of them over disjoint key ranges is the
    online softmax, and `acc / l` the attention output.

    ```
    softmax: m' = max(m, rowmax z);  a = exp(m - m') (0 when m = -inf)
             P = exp(z - m') over allowed keys, 0 elsewhere
             l' = a l + rowsum P;  acc' = a acc + P v
    sigmoid: acc' = acc + sigmoid(z + sigmoid_bias) v over allowed keys
    ```

    with `z = scale * q.k + bias` as in `attn.attention`. Dimensions:
    `q [B, Hq, S, D]`, `k [B, Hkv, T, D]` (or `[B, Hkv, D, T]` with
    `key_transposed`), `v [B, Hkv, T, Dv]`, `acc [B, Hq, S, Dv]` and (softmax
    only) `m, l [B, Hq, S]`, all state f32. q, k, v and the bias may each
    have their own float type (a tile computes in f32 whatever it reads: the
    CPU's tile configuration widens f16 and bf16 q, k, v before the loops,
    the Combiner mixes the op's inputs with f32 summaries). The iteration space is
    `(b, h, i, j)`: the first three parallel, the keys `j` a reduction, so
    tiling `j` as a serial loop that carries the state is exact.

    Masks are evaluated on global positions: `offsets(b0, h0, i0, j0)` is
    the position of the operands' origin in the whole problem (zeros when
    absent), `lengths = [S, T]` the whole problem's lengths (keys at or past
    `T` are padding and always masked). `causal`, `window`, `kv_len`,
    `q_len` (indexed by the global batch row) follow `attn.attention`. An
    optional block `layout` (indexed by the global head, or batch row with
    `layout_per_batch`, and the global query and key blocks of sizes
    `block = [bq, bk]`) masks as in `attn.block_sparse_attention`. An
    optional `mask` region receives the global query position `i` (i64) and
    yields the keys that query may see as intervals: pairs `first, end`
    (i64), key `j` allowed when `first <= j < end` for one of them, on top of
    the other masks. (Intervals per row, as the Combiner's direct keys and
    abstractions are, cost a target a few operations per row and key tile;
    a predicate per pair would cost one region per score.)

    Tiling keeps the layout, lengths and mask region whole and moves the
    offsets. `attn-tile` creates these ops and tiles them, leaving one per
    key tile in its loops; each target lowers those tiles its own way
    (`convert-attn-tiles-to-linalg`, `convert-attn-tiles-to-gpu`).
  }];

  let arguments = (ins
    AnyRankedTensor:$query,
    AnyRankedTensor:$key,
    AnyRankedTensor:$value,
    Optional<AnyRankedTensor>:$bias,
    Optional<AnyRankedTensor>:$kv_len,
    Optional<AnyRankedTensor>:$q_len,
    Optional<AnyRankedTensor>:$layout,
    Variadic<Index>:$offsets,
    Variadic<AnyRankedTensor>:$outputs,
    DefaultValuedAttr<Attn_ScoreAttr, "::mixir::attn::ScoreKind::softmax">:$score,
    DefaultValuedAttr<Attn_CausalAttr, "::mixir::attn::CausalMode::none">:$causal,
    OptionalAttr<DenseI64ArrayAttr>:$window,
    F32Attr:$scale,
    OptionalAttr<F32Attr>:$sigmoid_bias,
    DenseI64ArrayAttr:$lengths,
    OptionalAttr<DenseI64ArrayAttr>:$block,
    UnitAttr:$layout_per_batch,
    UnitAttr:$key_transposed
  );
  let results = (outs Variadic<AnyRankedTensor>:$result_tensors);
  let regions = (region AnyRegion:$mask);

  let assemblyFormat = [{
    `ins` `(` $query `,` $key `,` $value `:` type($query) `,` type($key) `,`
      type($value) `)`
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    (`kv_len` `(` $kv_len^ `:` type($kv_len) `)`)?
    (`q_len` `(` $q_len^ `:` type($q_len) `)`)?
    (`layout` `(` $layout^ `:` type($layout) `)`)?
    (`offsets` `(` $offsets^ `)`)?
    `outs` `(` $outputs `:` type($outputs) `)`
    (`mask` $mask^)?
    attr-dict `->` type($result_tensors)
  }];

  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getOutputsMutable();
    }
    /// The key length of the operands (dim 2 of k, or 3 when transposed).
    int64_t getKeyTileLength();
  }];
}

def Attn_RoutingLayoutOp : Op<Attn_Dialect, "routing_layout", [Pure]> {
  let summary = "the block layout routed attention routes by (internal)";
  let description = [{
    The routing prologue of `attn.routed_attention`, which `attn-tile`
    separates from its tile loop so that each target computes it its own
    way: `layout[b, n, m]` is true iff key region `m` is among the `topk`
    of query region `n` (the op's `I[b, n, :]`: region means of q and k,
    their affinities, the topk largest with ties to the lower index).
    Regions as in `attn.routed_attention` (`region_size`, or `grid` and
    `regions`); `q, k [B, H, L, D]`, `layout [B, R, R]` (i1).
  }];

  let arguments = (ins
    AnyRankedTensor:$query,
    AnyRankedTensor:$key,
    I64Attr:$topk,
    OptionalAttr<I64Attr>:$region_size,
    OptionalAttr<DenseI64ArrayAttr>:$grid,
    OptionalAttr<DenseI64ArrayAttr>:$regions
  );
  let results = (outs AnyRankedTensor:$layout);

  let assemblyFormat = [{
    `ins` `(` $query `,` $key `:` type($query) `,` type($key) `)`
    attr-dict `->` type($layout)
  }];
  let hasVerifier = 1;
}

def Attn_YieldOp : Op<Attn_Dialect, "yield", [Pure, Terminator,
    HasParent<"PartialAttentionOp">]> {
  let summary = "yields the key intervals a query row may see";
  let description = [{
    Terminates the `mask` region of `attn.partial_attention` with the query
    row's key intervals, `first, end` pairs of i64 (at least one).
  }];
  let arguments = (ins Variadic<I64>:$bounds);
  let assemblyFormat = "$bounds attr-dict";
}

#endif // MIXIR_DIALECT_ATTN_IR_ATTNOPS_TD
