//===- AttnOpsTest.cpp - building attn ops from C++ -----------------------===//
//
// Programs that embed Mixir build attn ops with the generated C++ builders
// rather than from text. These tests build ops that way, check that the
// verifier accepts valid ones and rejects invalid ones, and that the default
// attribute values and the enum helpers are what the spec names.
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/IR/AttnOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "gtest/gtest.h"

#include <string>

using namespace mlir;
using namespace mixir::attn;

namespace {

class AttnOpsTest : public ::testing::Test {
protected:
  AttnOpsTest()
      : builder(&context), handler(&context, [this](Diagnostic &diag) {
          messages.push_back(diag.str());
          return success();
        }) {
    context.loadDialect<AttnDialect>();
    builder.setInsertionPointToEnd(&block);
  }

  ~AttnOpsTest() override {
    // Ops go before the block arguments they use.
    while (!block.empty())
      block.back().erase();
  }

  Value argument(ArrayRef<int64_t> shape, Type elementType = {}) {
    if (!elementType)
      elementType = builder.getF32Type();
    return block.addArgument(RankedTensorType::get(shape, elementType),
                             builder.getUnknownLoc());
  }

  AttentionOp buildAttention(int64_t queryHeads, int64_t kvHeads) {
    Value q = argument({2, queryHeads, 33, 16});
    Value k = argument({2, kvHeads, 47, 16});
    Value v = argument({2, kvHeads, 47, 8});
    Value init = argument({2, queryHeads, 33, 8});
    return AttentionOp::create(
        builder, builder.getUnknownLoc(), TypeRange{init.getType()}, q, k, v,
        /*bias=*/Value(), /*kv_len=*/Value(), /*q_len=*/Value(),
        ValueRange{init}, ScoreKind::softmax, CausalMode::bottom_right,
        /*window=*/nullptr, /*scale=*/nullptr, /*sigmoid_bias=*/nullptr);
  }

  MLIRContext context;
  OpBuilder builder;
  Block block;
  std::vector<std::string> messages;
  ScopedDiagnosticHandler handler;
};

TEST_F(AttnOpsTest, GroupedQueryAttentionVerifies) {
  AttentionOp op = buildAttention(/*queryHeads=*/8, /*kvHeads=*/2);
  EXPECT_TRUE(succeeded(verify(op)));
  EXPECT_TRUE(messages.empty());
  EXPECT_FALSE(op.hasLse());
  EXPECT_EQ(op.getDpsInits().size(), 1u);
  EXPECT_EQ(op.getCausal(), CausalMode::bottom_right);
}

TEST_F(AttnOpsTest, HeadsThatDoNotDivideAreRejected) {
  AttentionOp op = buildAttention(/*queryHeads=*/6, /*kvHeads=*/4);
  EXPECT_TRUE(failed(verify(op)));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("expected query heads Hq (6) to be a multiple of "
                             "key/value heads Hkv (4)"),
            std::string::npos)
      << messages[0];
}

TEST_F(AttnOpsTest, OmittedAttributesTakeTheSpecDefaults) {
  Value v = argument({1, 16, 4});
  Value gates = argument({2, 1, 16, 4});
  Value filters = argument({1, 4, 16});
  Value skip = argument({1, 4});
  Value init = argument({1, 16, 4});
  OperationState state(builder.getUnknownLoc(), HyenaOp::getOperationName());
  state.addOperands({v, gates, filters, skip, init});
  state.addTypes(init.getType());
  auto op = cast<HyenaOp>(builder.create(state));
  EXPECT_TRUE(succeeded(verify(op)));
  EXPECT_TRUE(op.getCausal());

  AttentionOp attention = buildAttention(4, 4);
  EXPECT_EQ(attention.getScore(), ScoreKind::softmax);
  EXPECT_FALSE(attention.getWindow().has_value());
  EXPECT_FALSE(attention.getScaleAttr());
}

TEST_F(AttnOpsTest, EnumKeywordsAreTheSpecSpelling) {
  EXPECT_EQ(stringifyCausalMode(CausalMode::top_left), "top_left");
  EXPECT_EQ(symbolizeCausalMode("bottom_right"), CausalMode::bottom_right);
  EXPECT_EQ(symbolizeScoreKind("sigmoid"), ScoreKind::sigmoid);
  EXPECT_EQ(symbolizeCombinerVariant("logsparse"), CombinerVariant::logsparse);
  EXPECT_FALSE(symbolizeCombinerVariant("dilated").has_value());
}

} // namespace
