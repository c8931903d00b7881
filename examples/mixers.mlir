// One function per mixer of the attn dialect (and per form worth showing),
// written in the textual form of spec/MIXERS.md. `scripts/run-example.sh`
// JIT-compiles each function with mixir-run, runs it on random inputs and
// prints its error against the float64 reference; `mixir-compile` turns the
// whole file into an object and a C header.

// Full attention with every optional operand and mask: GQA (8 query heads
// over 2 key/value heads), an ALiBi-style bias, valid lengths, a bottom-right
// causal mask with a sliding window, and an explicit scale.
func.func @attention_masked(%q: tensor<2x8x100x64xf32>, %k: tensor<2x2x130x64xf32>,
                            %v: tensor<2x2x130x32xf32>, %b: tensor<1x8x100x130xf32>,
                            %kl: tensor<2xi32>, %ql: tensor<2xi32>) -> tensor<2x8x100x32xf32> {
  %init = tensor.empty() : tensor<2x8x100x32xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<2x8x100x64xf32>, tensor<2x2x130x64xf32>, tensor<2x2x130x32xf32>)
         bias(%b : tensor<1x8x100x130xf32>) kv_len(%kl : tensor<2xi32>) q_len(%ql : tensor<2xi32>)
         outs(%init : tensor<2x8x100x32xf32>)
         {score = #attn.score<softmax>, causal = #attn.causal<bottom_right>, window = array<i64: 64, 0>, scale = 0.125 : f32}
         -> tensor<2x8x100x32xf32>
  return %o : tensor<2x8x100x32xf32>
}

// Softmax attention that also returns the log-sum-exp (f32) of each row.
func.func @attention_lse(%q: tensor<1x4x33x16xf16>, %k: tensor<1x4x47x16xf16>,
                         %v: tensor<1x4x47x16xf16>) -> (tensor<1x4x33x16xf16>, tensor<1x4x33xf32>) {
  %init = tensor.empty() : tensor<1x4x33x16xf16>
  %lse_init = tensor.empty() : tensor<1x4x33xf32>
  %o, %lse = attn.attention ins(%q, %k, %v : tensor<1x4x33x16xf16>, tensor<1x4x47x16xf16>, tensor<1x4x47x16xf16>)
               outs(%init, %lse_init : tensor<1x4x33x16xf16>, tensor<1x4x33xf32>)
               {causal = #attn.causal<top_left>}
               -> tensor<1x4x33x16xf16>, tensor<1x4x33xf32>
  return %o, %lse : tensor<1x4x33x16xf16>, tensor<1x4x33xf32>
}

// Sigmoid attention (FlashSigmoid) with an explicit bias of -ln(64).
func.func @attention_sigmoid(%q: tensor<1x2x64x32xbf16>, %k: tensor<1x2x64x32xbf16>,
                             %v: tensor<1x2x64x32xbf16>) -> tensor<1x2x64x32xbf16> {
  %init = tensor.empty() : tensor<1x2x64x32xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x64x32xbf16>, tensor<1x2x64x32xbf16>, tensor<1x2x64x32xbf16>)
         outs(%init : tensor<1x2x64x32xbf16>)
         {score = #attn.score<sigmoid>, sigmoid_bias = -4.15888309 : f32}
         -> tensor<1x2x64x32xbf16>
  return %o : tensor<1x2x64x32xbf16>
}

// Block-sparse attention over 32x32 blocks of a 4x4 layout shared by all heads.
func.func @block_sparse(%q: tensor<1x4x128x64xf32>, %k: tensor<1x4x128x64xf32>,
                        %v: tensor<1x4x128x64xf32>, %layout: tensor<1x4x4xi1>) -> tensor<1x4x128x64xf32> {
  %init = tensor.empty() : tensor<1x4x128x64xf32>
  %o = attn.block_sparse_attention ins(%q, %k, %v, %layout : tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, tensor<1x4x4xi1>)
         outs(%init : tensor<1x4x128x64xf32>)
         {block = array<i64: 32, 32>, causal = #attn.causal<top_left>}
         -> tensor<1x4x128x64xf32>
  return %o : tensor<1x4x128x64xf32>
}

// BiFormer routing over 1-D regions of 64 tokens.
func.func @routed_1d(%q: tensor<1x4x512x32xf32>, %k: tensor<1x4x512x32xf32>,
                     %v: tensor<1x4x512x32xf32>) -> tensor<1x4x512x32xf32> {
  %init = tensor.empty() : tensor<1x4x512x32xf32>
  %o = attn.routed_attention ins(%q, %k, %v : tensor<1x4x512x32xf32>, tensor<1x4x512x32xf32>, tensor<1x4x512x32xf32>)
         outs(%init : tensor<1x4x512x32xf32>) {topk = 4 : i64, region_size = 64 : i64}
         -> tensor<1x4x512x32xf32>
  return %o : tensor<1x4x512x32xf32>
}

// BiFormer routing over a 28x28 token map cut into 7x7 regions.
func.func @routed_2d(%q: tensor<1x2x784x32xf32>, %k: tensor<1x2x784x32xf32>,
                     %v: tensor<1x2x784x32xf32>) -> tensor<1x2x784x32xf32> {
  %init = tensor.empty() : tensor<1x2x784x32xf32>
  %o = attn.routed_attention ins(%q, %k, %v : tensor<1x2x784x32xf32>, tensor<1x2x784x32xf32>, tensor<1x2x784x32xf32>)
         outs(%init : tensor<1x2x784x32xf32>)
         {topk = 4 : i64, grid = array<i64: 28, 28>, regions = array<i64: 7, 7>}
         -> tensor<1x2x784x32xf32>
  return %o : tensor<1x2x784x32xf32>
}

// Combiner, fixed factorization (segments of 64), causal.
func.func @combiner_fixed(%q: tensor<2x4x256x64xf32>, %k: tensor<2x4x256x64xf32>,
                          %v: tensor<2x4x256x64xf32>) -> tensor<2x4x256x64xf32> {
  %init = tensor.empty() : tensor<2x4x256x64xf32>
  %o = attn.combiner ins(%q, %k, %v : tensor<2x4x256x64xf32>, tensor<2x4x256x64xf32>, tensor<2x4x256x64xf32>)
         outs(%init : tensor<2x4x256x64xf32>)
         {variant = #attn.variant<fixed>, block = 64 : i64, causal = true}
         -> tensor<2x4x256x64xf32>
  return %o : tensor<2x4x256x64xf32>
}

// Combiner, axial factorization (rows of 16), not causal.
func.func @combiner_axial(%q: tensor<2x4x256x64xf32>, %k: tensor<2x4x256x64xf32>,
                          %v: tensor<2x4x256x64xf32>) -> tensor<2x4x256x64xf32> {
  %init = tensor.empty() : tensor<2x4x256x64xf32>
  %o = attn.combiner ins(%q, %k, %v : tensor<2x4x256x64xf32>, tensor<2x4x256x64xf32>, tensor<2x4x256x64xf32>)
         outs(%init : tensor<2x4x256x64xf32>)
         {variant = #attn.variant<axial>, block = 16 : i64}
         -> tensor<2x4x256x64xf32>
  return %o : tensor<2x4x256x64xf32>
}

// Combiner, logsparse factorization (causal by definition).
func.func @combiner_logsparse(%q: tensor<2x4x256x64xf32>, %k: tensor<2x4x256x64xf32>,
                              %v: tensor<2x4x256x64xf32>) -> tensor<2x4x256x64xf32> {
  %init = tensor.empty() : tensor<2x4x256x64xf32>
  %o = attn.combiner ins(%q, %k, %v : tensor<2x4x256x64xf32>, tensor<2x4x256x64xf32>, tensor<2x4x256x64xf32>)
         outs(%init : tensor<2x4x256x64xf32>)
         {variant = #attn.variant<logsparse>, causal = true}
         -> tensor<2x4x256x64xf32>
  return %o : tensor<2x4x256x64xf32>
}

// PoNet pooling with a separate value stream and valid lengths.
func.func @pool_mix(%q: tensor<2x512x64xf32>, %k: tensor<2x512x64xf32>, %o: tensor<2x512x64xf32>,
                    %s: tensor<2x512x64xf32>, %l: tensor<2x512x64xf32>, %seg: tensor<2x512xi32>,
                    %v: tensor<2x512x64xf32>, %n: tensor<2xi32>) -> tensor<2x512x64xf32> {
  %init = tensor.empty() : tensor<2x512x64xf32>
  %y = attn.pool_mix ins(%q, %k, %o, %s, %l, %seg : tensor<2x512x64xf32>, tensor<2x512x64xf32>, tensor<2x512x64xf32>, tensor<2x512x64xf32>, tensor<2x512x64xf32>, tensor<2x512xi32>)
         v(%v : tensor<2x512x64xf32>) len(%n : tensor<2xi32>)
         outs(%init : tensor<2x512x64xf32>) {heads = 4 : i64, window = 3 : i64}
         -> tensor<2x512x64xf32>
  return %y : tensor<2x512x64xf32>
}

// An order-3 Hyena operator.
func.func @hyena(%v: tensor<2x1024x64xf32>, %gates: tensor<3x2x1024x64xf32>,
                 %filters: tensor<2x64x1024xf32>, %skip: tensor<2x64xf32>) -> tensor<2x1024x64xf32> {
  %init = tensor.empty() : tensor<2x1024x64xf32>
  %y = attn.hyena ins(%v, %gates, %filters, %skip : tensor<2x1024x64xf32>, tensor<3x2x1024x64xf32>,
         tensor<2x64x1024xf32>, tensor<2x64xf32>) outs(%init : tensor<2x1024x64xf32>) -> tensor<2x1024x64xf32>
  return %y : tensor<2x1024x64xf32>
}
