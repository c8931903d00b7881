// The logsparse Combiner's tiles are powers of two whatever the tile
// configuration asks (the floordiv lookups and its level blocks, 2^l keys at
// multiples of 2^(l+1), need it): 48 x 48 tiles become 32 x 32.
// RUN: mixir-opt %s -mixir-configure-target="query-tile=48 key-tile=48" -attn-tile | FileCheck %s
// The level summaries' key loops step by at most 32, the final row tiles
// are 5 tiles of 32 rows (160 = 130 rounded up).
// CHECK-LABEL: func.func @logsparse
// CHECK-NOT:     step %c48
// CHECK:         scf.forall ({{.+}}) in (1, 1, 5) shared_outs({{.+}}) -> (tensor<1x1x160x16xf32>)
// CHECK-NOT:     step %c48
func.func @logsparse(%q: tensor<1x1x130x16xf32>, %init: tensor<1x1x130x16xf32>) -> tensor<1x1x130x16xf32> {
  %o = attn.combiner ins(%q, %q, %q : tensor<1x1x130x16xf32>, tensor<1x1x130x16xf32>, tensor<1x1x130x16xf32>) outs(%init : tensor<1x1x130x16xf32>)
    {variant = #attn.variant<logsparse>, causal = true} -> tensor<1x1x130x16xf32>
  return %o : tensor<1x1x130x16xf32>
}
