// attn.attention through mixir-cpu's tiled path (64 x 64 tiles) against the
// float64 reference on shapes around the tile size and one long sequence:
//   0: [B,Hq,Hkv,S,T,D] = [1,2,1,63,65,16], bottom-right causal
//   1: [1,1,1,64,64,32], exactly one tile, lse
//   2: [2,2,2,65,129,16], a window across tiles, kv_len
//   3: [1,4,2,127,1,16], one key
//   4: [1,1,1,4096,4096,32], top-left causal (half the key tiles skipped)
// RUN: mixir-run %s --entry tile_boundary_0 --pipeline mixir-cpu --random-inputs --seed 1 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry tile_boundary_1 --pipeline mixir-cpu --random-inputs --seed 2 --check | FileCheck %s --check-prefix=TWO
// RUN: mixir-run %s --entry tile_boundary_2 --pipeline mixir-cpu --random-inputs --seed 3 --random-lengths --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry tile_boundary_3 --pipeline mixir-cpu --random-inputs --seed 4 --check | FileCheck %s --check-prefix=ONE
// RUN: mixir-run %s --entry tile_boundary_4 --pipeline mixir-cpu --random-inputs --seed 5 --check | FileCheck %s --check-prefix=ONE

// ONE: result #0: {{.*}} ok
// ONE-NOT: result #1
// TWO: result #0: {{.*}} ok
// TWO-NEXT: result #1: {{.*}} ok

func.func @tile_boundary_0(%q: tensor<1x2x63x16xf32>, %k: tensor<1x1x65x16xf32>, %v: tensor<1x1x65x16xf32>) -> (tensor<1x2x63x16xf32>) {
  %init = tensor.empty() : tensor<1x2x63x16xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x63x16xf32>, tensor<1x1x65x16xf32>, tensor<1x1x65x16xf32>)
         outs(%init : tensor<1x2x63x16xf32>) {causal = #attn.causal<bottom_right>}
         -> tensor<1x2x63x16xf32>
  return %o : tensor<1x2x63x16xf32>
}

func.func @tile_boundary_1(%q: tensor<1x1x64x32xf32>, %k: tensor<1x1x64x32xf32>, %v: tensor<1x1x64x32xf32>) -> (tensor<1x1x64x32xf32>, tensor<1x1x64xf32>) {
  %init = tensor.empty() : tensor<1x1x64x32xf32>
  %linit = tensor.empty() : tensor<1x1x64xf32>
  %o, %lse = attn.attention ins(%q, %k, %v : tensor<1x1x64x32xf32>, tensor<1x1x64x32xf32>, tensor<1x1x64x32xf32>)
         outs(%init, %linit : tensor<1x1x64x32xf32>, tensor<1x1x64xf32>)
         -> tensor<1x1x64x32xf32>, tensor<1x1x64xf32>
  return %o, %lse : tensor<1x1x64x32xf32>, tensor<1x1x64xf32>
}

func.func @tile_boundary_2(%q: tensor<2x2x65x16xf32>, %k: tensor<2x2x129x16xf32>, %v: tensor<2x2x129x16xf32>, %kl: tensor<2xi32>) -> (tensor<2x2x65x16xf32>) {
  %init = tensor.empty() : tensor<2x2x65x16xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<2x2x65x16xf32>, tensor<2x2x129x16xf32>, tensor<2x2x129x16xf32>) kv_len(%kl : tensor<2xi32>)
         outs(%init : tensor<2x2x65x16xf32>) {window = array<i64: 70, 3>}
         -> tensor<2x2x65x16xf32>
  return %o : tensor<2x2x65x16xf32>
}

func.func @tile_boundary_3(%q: tensor<1x4x127x16xf32>, %k: tensor<1x2x1x16xf32>, %v: tensor<1x2x1x16xf32>) -> (tensor<1x4x127x16xf32>) {
  %init = tensor.empty() : tensor<1x4x127x16xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x4x127x16xf32>, tensor<1x2x1x16xf32>, tensor<1x2x1x16xf32>)
         outs(%init : tensor<1x4x127x16xf32>)
         -> tensor<1x4x127x16xf32>
  return %o : tensor<1x4x127x16xf32>
}

func.func @tile_boundary_4(%q: tensor<1x1x4096x32xf32>, %k: tensor<1x1x4096x32xf32>, %v: tensor<1x1x4096x32xf32>) -> (tensor<1x1x4096x32xf32>) {
  %init = tensor.empty() : tensor<1x1x4096x32xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x4096x32xf32>, tensor<1x1x4096x32xf32>, tensor<1x1x4096x32xf32>)
         outs(%init : tensor<1x1x4096x32xf32>) {causal = #attn.causal<top_left>}
         -> tensor<1x1x4096x32xf32>
  return %o : tensor<1x1x4096x32xf32>
}
