// Functions the mixir-run and mixir-compile error tests feed wrong inputs.
func.func @f32fn(%q: tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32> {
  %init = tensor.empty() : tensor<1x1x4x8xf32>
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>)
         outs(%init : tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32>
  return %o : tensor<1x1x4x8xf32>
}

func.func @f16fn(%q: tensor<1x1x4x8xf16>) -> tensor<1x1x4x8xf16> {
  %init = tensor.empty() : tensor<1x1x4x8xf16>
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x4x8xf16>, tensor<1x1x4x8xf16>, tensor<1x1x4x8xf16>)
         outs(%init : tensor<1x1x4x8xf16>) -> tensor<1x1x4x8xf16>
  return %o : tensor<1x1x4x8xf16>
}

func.func @other_shape(%q: tensor<1x1x5x8xf32>) -> tensor<1x1x5x8xf32> {
  %init = tensor.empty() : tensor<1x1x5x8xf32>
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x5x8xf32>, tensor<1x1x5x8xf32>, tensor<1x1x5x8xf32>)
         outs(%init : tensor<1x1x5x8xf32>) -> tensor<1x1x5x8xf32>
  return %o : tensor<1x1x5x8xf32>
}

// Static at the boundary, dynamic inside: the reference decomposition
// rejects it.
func.func @dynamic_inside(%q: tensor<1x1x4x8xf32>, %n: tensor<1xi32>) -> tensor<1x1x4x8xf32> {
  %c0 = arith.constant 0 : index
  %len = tensor.extract %n[%c0] : tensor<1xi32>
  %l = arith.index_cast %len : i32 to index
  %d = tensor.extract_slice %q[0, 0, 0, 0] [1, 1, %l, 8] [1, 1, 1, 1] : tensor<1x1x4x8xf32> to tensor<1x1x?x8xf32>
  %init = tensor.empty() : tensor<1x1x4x8xf32>
  %o = attn.attention ins(%q, %d, %d : tensor<1x1x4x8xf32>, tensor<1x1x?x8xf32>, tensor<1x1x?x8xf32>)
         outs(%init : tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32>
  return %o : tensor<1x1x4x8xf32>
}

func.func @dynamic_signature(%q: tensor<1x1x?x8xf32>) -> tensor<1x1x?x8xf32> {
  return %q : tensor<1x1x?x8xf32>
}

// 32 GB per operand: refused before anything is allocated.
func.func @huge(%q: tensor<1x1x1000000000x8xf32>) -> tensor<1x1x1000000000x8xf32> {
  %init = tensor.empty() : tensor<1x1x1000000000x8xf32>
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x1000000000x8xf32>, tensor<1x1x1000000000x8xf32>, tensor<1x1x1000000000x8xf32>)
         outs(%init : tensor<1x1x1000000000x8xf32>) -> tensor<1x1x1000000000x8xf32>
  return %o : tensor<1x1x1000000000x8xf32>
}

func.func @two_ops(%q: tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32> {
  %init = tensor.empty() : tensor<1x1x4x8xf32>
  %o = attn.attention ins(%q, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>)
         outs(%init : tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32>
  %p = attn.attention ins(%o, %q, %q : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>)
         outs(%init : tensor<1x1x4x8xf32>) -> tensor<1x1x4x8xf32>
  return %p : tensor<1x1x4x8xf32>
}
