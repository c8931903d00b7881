//===- AttnAttrs.td - attn enum attributes -----------------*- tablegen -*-===//
//
// The enum attributes of the attn dialect: the score function of the
// attention ops, the causal alignment and the Combiner variant. They print as
// `#attn.score<softmax>`, `#attn.causal<top_left>`, `#attn.variant<fixed>`.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_DIALECT_ATTN_IR_ATTNATTRS_TD
#define MIXIR_DIALECT_ATTN_IR_ATTNATTRS_TD

include "mlir/IR/EnumAttr.td"
include "mixir/Dialect/Attn/IR/AttnBase.td"

def Attn_ScoreKind : I32EnumAttr<"ScoreKind", "attention score function", [
    I32EnumAttrCase<"softmax", 0>,
    I32EnumAttrCase<"sigmoid", 1>
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mixir::attn";
}

def Attn_ScoreAttr : EnumAttr<Attn_Dialect, Attn_ScoreKind, "score"> {
  let summary = "score function: softmax (row-normalised) or sigmoid";
  let assemblyFormat = "`<` $value `>`";
}

def Attn_CausalMode : I32EnumAttr<"CausalMode", "causal mask alignment", [
    I32EnumAttrCase<"none", 0>,
    I32EnumAttrCase<"top_left", 1>,
    I32EnumAttrCase<"bottom_right", 2>
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mixir::attn";
}

def Attn_CausalAttr : EnumAttr<Attn_Dialect, Attn_CausalMode, "causal"> {
  let summary = "causal mask: none, top-left (SDPA) or bottom-right (FA2) "
                "aligned";
  let assemblyFormat = "`<` $value `>`";
}

def Attn_CombinerVariant : I32EnumAttr<"CombinerVariant",
    "Combiner factorization", [
    I32EnumAttrCase<"fixed", 0>,
    I32EnumAttrCase<"axial", 1>,
    I32EnumAttrCase<"logsparse", 2>
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mixir::attn";
}

def Attn_CombinerVariantAttr
    : EnumAttr<Attn_Dialect, Attn_CombinerVariant, "variant"> {
  let summary = "Combiner factorization: fixed, axial or logsparse";
  let assemblyFormat = "`<` $value `>`";
}

#endif // MIXIR_DIALECT_ATTN_IR_ATTNATTRS_TD
