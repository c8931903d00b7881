// Attention kernels for an NVIDIA GPU (mixir-compile --target=nvptx): the
// forms a decoder-only model's prefill runs, in bf16 and f16 on tensor cores.
// scripts/run-example.sh checks each on the kernel interpreter against the
// float64 reference, compiles them for sm_90 and links run_attention_gpu.c
// with the bundles.

// Causal GQA (8 query heads sharing 2 key/value heads), head dim 128, with
// the log-sum-exp for a later split-KV merge.
func.func @prefill(%q: tensor<1x8x257x128xbf16>, %k: tensor<1x2x257x128xbf16>, %v: tensor<1x2x257x128xbf16>)
    -> (tensor<1x8x257x128xbf16>, tensor<1x8x257xf32>) {
  %init = tensor.empty() : tensor<1x8x257x128xbf16>
  %lse_init = tensor.empty() : tensor<1x8x257xf32>
  %o, %lse = attn.attention ins(%q, %k, %v : tensor<1x8x257x128xbf16>, tensor<1x2x257x128xbf16>, tensor<1x2x257x128xbf16>)
      outs(%init, %lse_init : tensor<1x8x257x128xbf16>, tensor<1x8x257xf32>) {causal = #attn.causal<top_left>}
      -> tensor<1x8x257x128xbf16>, tensor<1x8x257xf32>
  return %o, %lse : tensor<1x8x257x128xbf16>, tensor<1x8x257xf32>
}

// Sliding-window attention (Mistral-style, 128 keys back) over a padded batch
// whose valid lengths are given per row (bottom-right aligned, FlashAttention's
// rule for a KV cache).
func.func @window(%q: tensor<2x4x64x64xf16>, %k: tensor<2x4x300x64xf16>, %v: tensor<2x4x300x64xf16>, %kv_len: tensor<2xi32>)
    -> tensor<2x4x64x64xf16> {
  %init = tensor.empty() : tensor<2x4x64x64xf16>
  %o = attn.attention ins(%q, %k, %v : tensor<2x4x64x64xf16>, tensor<2x4x300x64xf16>, tensor<2x4x300x64xf16>)
      kv_len(%kv_len : tensor<2xi32>) outs(%init : tensor<2x4x64x64xf16>)
      {causal = #attn.causal<bottom_right>, window = array<i64: 128, 0>} -> tensor<2x4x64x64xf16>
  return %o : tensor<2x4x64x64xf16>
}
