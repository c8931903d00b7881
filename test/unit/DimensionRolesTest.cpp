//===- DimensionRolesTest.cpp - tests of DimensionBinder ------------------===//
//
// DimensionBinder is the shape logic behind every attn verifier and, later,
// the tiling and lowering code that reads sizes by role. These tests drive it
// directly, including the open (dynamic) roles that no verifier test can
// observe from IR.
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/IR/DimensionRoles.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "gtest/gtest.h"

#include <string>

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::roles;

namespace {

class DimensionBinderTest : public ::testing::Test {
protected:
  DimensionBinderTest()
      : builder(&context), module(ModuleOp::create(builder.getUnknownLoc())),
        handler(&context, [this](Diagnostic &diag) {
          messages.push_back(diag.str());
          return success();
        }) {}

  ~DimensionBinderTest() override { module->erase(); }

  RankedTensorType tensor(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getF32Type());
  }

  MLIRContext context;
  OpBuilder builder;
  ModuleOp module;
  std::vector<std::string> messages;
  ScopedDiagnosticHandler handler;
};

TEST_F(DimensionBinderTest, AgreeingOperandsBindEachRole) {
  DimensionBinder dims(module);
  ASSERT_TRUE(succeeded(dims.bind("query", tensor({2, 8, 100, 64}),
                                  {kBatch, kQueryHeads, kQueryLen, kHeadDim})));
  ASSERT_TRUE(succeeded(dims.bind("key", tensor({2, 2, 130, 64}),
                                  {kBatch, kKvHeads, kKeyLen, kHeadDim})));
  EXPECT_EQ(dims.get(kBatch), 2);
  EXPECT_EQ(dims.get(kQueryHeads), 8);
  EXPECT_EQ(dims.get(kKvHeads), 2);
  EXPECT_EQ(dims.get(kKeyLen), 130);
  EXPECT_EQ(dims.get(kHeadDim), 64);
  EXPECT_FALSE(dims.isStatic(kValueDim));
  EXPECT_TRUE(messages.empty());
}

TEST_F(DimensionBinderTest, DynamicSizesLeaveTheRoleOpenForLaterOperands) {
  DimensionBinder dims(module);
  int64_t dyn = ShapedType::kDynamic;
  ASSERT_TRUE(succeeded(dims.bind("query", tensor({dyn, 4, dyn, 16}),
                                  {kBatch, kQueryHeads, kQueryLen, kHeadDim})));
  EXPECT_FALSE(dims.isStatic(kBatch));
  ASSERT_TRUE(succeeded(dims.bind("key", tensor({3, 4, 7, dyn}),
                                  {kBatch, kKvHeads, kKeyLen, kHeadDim})));
  EXPECT_EQ(dims.get(kBatch), 3);
  EXPECT_EQ(dims.get(kHeadDim), 16);
  // The batch size is now fixed by `key`: a third operand must agree with it.
  EXPECT_TRUE(failed(dims.bind("value", tensor({5, 4, 7, 16}),
                               {kBatch, kKvHeads, kKeyLen, kValueDim})));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("expected value dim 0 (5) to equal the batch "
                             "size B (3) given by key"),
            std::string::npos)
      << messages[0];
}

TEST_F(DimensionBinderTest, MismatchNamesOperandDimRoleAndSource) {
  DimensionBinder dims(module);
  ASSERT_TRUE(succeeded(dims.bind("query", tensor({2, 8, 100, 8}),
                                  {kBatch, kQueryHeads, kQueryLen, kHeadDim})));
  EXPECT_TRUE(failed(dims.bind("key", tensor({2, 2, 130, 12}),
                               {kBatch, kKvHeads, kKeyLen, kHeadDim})));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("expected key dim 3 (12) to equal the head dim D "
                             "(8) given by query"),
            std::string::npos)
      << messages[0];
}

TEST_F(DimensionBinderTest, RankMismatchListsTheExpectedRoles) {
  DimensionBinder dims(module);
  EXPECT_TRUE(failed(dims.bind("key", tensor({2, 130, 12}),
                               {kBatch, kKvHeads, kKeyLen, kHeadDim})));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("expected key to have rank 4 ([B, Hkv, T, D]), "
                             "got rank 3"),
            std::string::npos)
      << messages[0];
}

TEST_F(DimensionBinderTest, UnrankedTypesAreRejected) {
  DimensionBinder dims(module);
  Type unranked = UnrankedTensorType::get(builder.getF32Type());
  EXPECT_TRUE(failed(dims.bind("v", unranked, {kBatch, kSeqLen, kChannels})));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("expected v to be a ranked tensor"),
            std::string::npos)
      << messages[0];
}

TEST_F(DimensionBinderTest, DerivedSizesBindLikeOperandDims) {
  DimensionBinder dims(module);
  // Hyena: the filters' leading dim must be N - 1 where gates fix N.
  ASSERT_TRUE(succeeded(dims.bind("gates", tensor({3, 2, 64, 8}),
                                  {kOrder, kBatch, kSeqLen, kChannels})));
  ASSERT_TRUE(
      succeeded(dims.bindDim("gates", 0, dims.get(kOrder) - 1, kFilterCount)));
  EXPECT_TRUE(failed(dims.bind("filters", tensor({3, 8, 64}),
                               {kFilterCount, kChannels, kFilterLen})));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("expected filters dim 0 (3) to equal the number "
                             "of filters N-1 (2) given by gates"),
            std::string::npos)
      << messages[0];
}

} // namespace
