// convert-attn-tiles-to-gpu: what the GPU does not lower yet is a located
// error (mixir-gpu rejects most of it earlier, attn-check-gpu-support.mlir).
// RUN: mixir-opt %s -split-input-file -mixir-configure-target=target=nvptx -attn-tile -convert-attn-tiles-to-gpu -verify-diagnostics -o /dev/null

func.func @head_dim(%q: tensor<1x1x8x256xf16>, %init: tensor<1x1x8x256xf16>) -> tensor<1x1x8x256xf16> {
  // expected-error @+1 {{convert-attn-tiles-to-gpu: expected head dim D (256) to be a multiple of 16 up to 128 (the tensor-core kernel)}}
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x8x256xf16>, tensor<1x1x8x256xf16>, tensor<1x1x8x256xf16>) outs(%init : tensor<1x1x8x256xf16>) -> tensor<1x1x8x256xf16>
  return %o : tensor<1x1x8x256xf16>
}

// -----

// The topk kernel keeps a query region's affinity row (f64) in shared
// memory: 24576 regions do not fit sm_80's.
func.func @routed_too_many_regions(%q: tensor<1x1x24576x16xf16>, %init: tensor<1x1x24576x16xf16>) -> tensor<1x1x24576x16xf16> {
  // expected-error @+1 {{convert-attn-tiles-to-gpu: expected the routing's affinity row (24576 regions, 196608 bytes) to fit sm_80's}}
  %o = attn.routed_attention ins(%q, %q, %q : tensor<1x1x24576x16xf16>, tensor<1x1x24576x16xf16>, tensor<1x1x24576x16xf16>) outs(%init : tensor<1x1x24576x16xf16>)
    {topk = 1 : i64, region_size = 1 : i64} -> tensor<1x1x24576x16xf16>
  return %o : tensor<1x1x24576x16xf16>
}

// -----

// attn-tile streams PoNet with linalg ops (a contraction among them), which
// the GPU does not run yet.
func.func @pool_mix(%x: tensor<1x8x4xf16>, %seg: tensor<1x8xi32>, %init: tensor<1x8x4xf16>) -> tensor<1x8x4xf16> {
  // expected-error @+1 {{convert-attn-tiles-to-gpu: 'linalg.generic' (from the op at this location) on the host is a contraction or convolution, which the GPU target does not lower yet (a graph's matmuls, PoNet's and Hyena's stages)}}
  %y = attn.pool_mix ins(%x, %x, %x, %x, %x, %seg : tensor<1x8x4xf16>, tensor<1x8x4xf16>, tensor<1x8x4xf16>, tensor<1x8x4xf16>, tensor<1x8x4xf16>, tensor<1x8xi32>) outs(%init : tensor<1x8x4xf16>) {heads = 1 : i64} -> tensor<1x8x4xf16>
  return %y : tensor<1x8x4xf16>
}

// -----

func.func @dynamic(%q: tensor<1x1x?x16xf16>, %init: tensor<1x1x?x16xf16>) -> tensor<1x1x?x16xf16> {
  // expected-remark @+2 {{attn-tile: not tiled (dynamic shapes); it falls back to the reference decomposition}}
  // expected-error @+1 {{convert-attn-tiles-to-gpu: no GPU lowering for 'attn.attention' in this form yet (the GPU target lowers attention with static shapes)}}
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x?x16xf16>, tensor<1x1x?x16xf16>, tensor<1x1x?x16xf16>) outs(%init : tensor<1x1x?x16xf16>) -> tensor<1x1x?x16xf16>
  return %o : tensor<1x1x?x16xf16>
}

// -----

// A graph's matmul beside attention: not lowered for the GPU yet.
func.func @graph_matmul(%x: tensor<64x64xf32>, %w: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x64xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<64x64xf32>) -> tensor<64x64xf32>
  // expected-error @+1 {{convert-attn-tiles-to-gpu: 'linalg.matmul' (from the op at this location) on the host is a contraction or convolution, which the GPU target does not lower yet (a graph's matmuls, PoNet's and Hyena's stages)}}
  %y = linalg.matmul ins(%x, %w : tensor<64x64xf32>, tensor<64x64xf32>) outs(%f : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %y : tensor<64x64xf32>
}

// -----

// A pad whose value the host computes: a kernel cannot read it.
func.func @pad_with_argument(%x: tensor<4x4xf32>, %p: f32) -> tensor<6x4xf32> {
  // expected-error @+1 {{convert-attn-tiles-to-gpu: 'tensor.pad' (from the op at this location) on the host pads with a value that is not a constant, which the GPU target does not take yet}}
  %y = tensor.pad %x low[1, 0] high[1, 0] {
  ^bb0(%i: index, %j: index):
    tensor.yield %p : f32
  } : tensor<4x4xf32> to tensor<6x4xf32>
  return %y : tensor<6x4xf32>
}

// -----

// A payload that reads a value the host computes.
func.func @captured_argument(%x: tensor<4xf32>, %s: f32) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  // expected-error @+1 {{convert-attn-tiles-to-gpu: 'linalg.generic' (from the op at this location) on the host has a payload that uses a value computed on the host, which a kernel cannot read}}
  %y = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %s : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Math functions other than exp of f32 need libdevice, which the kernels do
// not link.
func.func @host_log(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  // expected-error @+1 {{convert-attn-tiles-to-gpu: 'linalg.log' (from the op at this location) on the host computes 'math.log', which the GPU target does not lower yet (math functions other than exp of f32 need libdevice)}}
  %y = linalg.log ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// exp inside a nested region of the payload is refused too (the kernels
// rewrite exp in the payload's own block only).
func.func @nested_exp(%x: tensor<4xf32>, %c: tensor<4xi1>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  // expected-error @+1 {{convert-attn-tiles-to-gpu: 'linalg.generic' (from the op at this location) on the host computes 'math.exp', which the GPU target does not lower yet (math functions other than exp of f32 need libdevice)}}
  %y = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x, %c : tensor<4xf32>, tensor<4xi1>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %p: i1, %o: f32):
    %r = scf.if %p -> (f32) {
      %ex = math.exp %a : f32
      scf.yield %ex : f32
    } else {
      scf.yield %a : f32
    }
    linalg.yield %r : f32
  } -> tensor<4xf32>
  return %y : tensor<4xf32>
}
