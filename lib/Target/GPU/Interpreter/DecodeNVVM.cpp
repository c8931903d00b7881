//===- DecodeNVVM.cpp - decoding NVVM ops, calls and intrinsics -----------===//
//
// The part of the decoder for the NVVM dialect (special registers, barriers,
// shfl.sync, ldmatrix, mma.sync, cp.async) and for calls: the libdevice
// functions convert-gpu-to-nvvm turns math ops into (`__nv_expf`, ...) and
// the NVVM intrinsics called through `llvm.call_intrinsic`
// (`llvm.nvvm.ex2.approx.ftz.f`, ...). An mma's operand registers are
// resolved here into one slot and bit position per 16-bit element.
//
//===----------------------------------------------------------------------===//

#include "Decoder.h"

#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using llvm::Error;
using llvm::Twine;

namespace mixir::gpu::detail {

Error Decoder::decodeMma(NVVM::MmaOp mma, Inst &inst) {
  MmaDesc desc;
  auto shape = mma.getShape();
  desc.m = shape.getM();
  desc.n = shape.getN();
  desc.k = shape.getK();
  if (desc.m != 16 || desc.n != 8 || (desc.k != 16 && desc.k != 8))
    return fail(mma, "has a shape the interpreter does not model (only "
                     "m16n8k16 and m16n8k8)");
  if (mma.getLayoutA() != NVVM::MMALayout::row ||
      mma.getLayoutB() != NVVM::MMALayout::col)
    return fail(mma, "has layouts other than row.col");
  auto typeOf = [&](std::optional<NVVM::MMATypes> attr,
                    ValueRange operands) -> std::optional<Kind> {
    if (attr) {
      if (*attr == NVVM::MMATypes::f16)
        return Kind::F16;
      if (*attr == NVVM::MMATypes::bf16)
        return Kind::BF16;
      return std::nullopt;
    }
    if (operands.empty())
      return std::nullopt;
    auto kind = elementKind(operands.front().getType());
    if (kind == Kind::F16 || kind == Kind::BF16)
      return kind;
    return std::nullopt;
  };
  auto aKind = typeOf(mma.getMultiplicandAPtxType(), mma.getOperandA());
  auto bKind = typeOf(mma.getMultiplicandBPtxType(), mma.getOperandB());
  if (!aKind || !bKind || *aKind != *bKind)
    return fail(mma, "has multiplicand types the interpreter does not model "
                     "(only f16 and bf16)");
  desc.abKind = *aKind;
  // Each operand register holds two 16-bit elements: a vector<2x16b> (two
  // leaves) or a packed i32 (one leaf, low half first).
  auto halves = [&](ValueRange operands, std::vector<HalfRef> &out) -> bool {
    for (Value operand : operands) {
      SmallVector<Kind> leaves;
      flatten(operand.getType(), leaves);
      if (leaves.size() == 2 && bitWidth(leaves[0]) == 16) {
        out.push_back({slot(operand), 0});
        out.push_back({slot(operand) + 1, 0});
      } else if (leaves.size() == 1 && leaves[0] == Kind::I32) {
        out.push_back({slot(operand), 0});
        out.push_back({slot(operand), 16});
      } else {
        return false;
      }
    }
    return true;
  };
  if (!halves(mma.getOperandA(), desc.a) || !halves(mma.getOperandB(), desc.b))
    return fail(mma, "has multiplicand operands of an unexpected type");
  if (desc.a.size() != desc.k / 2 || desc.b.size() != desc.k / 4)
    return fail(mma, "has the wrong number of multiplicand registers");
  SmallVector<Kind> cLeaves;
  for (Value operand : mma.getOperandC()) {
    unsigned first = cLeaves.size();
    flatten(operand.getType(), cLeaves);
    for (unsigned i = first; i < cLeaves.size(); ++i)
      desc.c.push_back(slot(operand) + (i - first));
  }
  SmallVector<Kind> dLeaves;
  flatten(mma.getResult().getType(), dLeaves);
  auto accumulatorKind = [](ArrayRef<Kind> leaves) -> std::optional<Kind> {
    if (leaves.size() != 4 || !llvm::all_equal(leaves) ||
        (leaves[0] != Kind::F32 && leaves[0] != Kind::F16))
      return std::nullopt;
    return leaves[0];
  };
  auto cKind = accumulatorKind(cLeaves), dKind = accumulatorKind(dLeaves);
  if (!cKind || !dKind)
    return fail(mma, "has accumulators the interpreter does not model (only "
                     "four f32 or two f16x2)");
  desc.cKind = *cKind;
  desc.dKind = *dKind;
  inst.op = Opcode::Mma;
  inst.dst = slot(mma.getResult());
  inst.aux = program.mmas.size();
  program.mmas.push_back(std::move(desc));
  return Error::success();
}

Error Decoder::decodeWgmma(NVVM::WgmmaMmaAsyncOp wgmma, Inst &inst) {
  WgmmaDesc desc;
  NVVM::MMAShapeAttr shape = wgmma.getShape();
  desc.n = shape.getN();
  if (shape.getM() != 64 || shape.getK() != 16 || desc.n % 8 != 0 ||
      desc.n < 8 || desc.n > 256)
    return fail(wgmma, "has a shape the interpreter does not model (only "
                       "m64nNk16, N a multiple of 8 up to 256)");
  NVVM::WGMMATypes typeA = wgmma.getTypeA(), typeB = wgmma.getTypeB();
  if (typeA != typeB ||
      (typeA != NVVM::WGMMATypes::f16 && typeA != NVVM::WGMMATypes::bf16) ||
      wgmma.getTypeD() != NVVM::WGMMATypes::f32)
    return fail(wgmma, "has types the interpreter does not model (only f16 "
                       "or bf16 multiplicands with f32 accumulators)");
  desc.abKind = typeA == NVVM::WGMMATypes::bf16 ? Kind::BF16 : Kind::F16;
  // PTX: imm-trans-a = 1 is an M-major A; NVVM spells K-major as row for A
  // and col for B.
  if (wgmma.getLayoutA() != NVVM::MMALayout::row)
    return fail(wgmma, "has an M-major A, which the interpreter does not "
                       "model");
  desc.transposeB = wgmma.getLayoutB() == NVVM::MMALayout::row;
  desc.accumulate = wgmma.getScaleD() == NVVM::WGMMAScaleOut::one;
  desc.negateA = wgmma.getScaleA() == NVVM::WGMMAScaleIn::neg;
  desc.negateB = wgmma.getScaleB() == NVVM::WGMMAScaleIn::neg;
  // (Upstream's lowering spells out the default, wrapped.)
  if (auto overflow = wgmma.getSatfiniteAttr();
      overflow && overflow.getValue() != NVVM::MMAIntOverflow::wrapped)
    return fail(wgmma, "has satfinite, which the interpreter does not model");
  SmallVector<Kind> cLeaves, dLeaves;
  flatten(wgmma.getInouts().getType(), cLeaves);
  flatten(wgmma.getResult().getType(), dLeaves);
  auto allF32 = [&](ArrayRef<Kind> leaves) {
    return leaves.size() == desc.n / 2 &&
           llvm::all_of(leaves, [](Kind kind) { return kind == Kind::F32; });
  };
  if (!allF32(cLeaves) || !allF32(dLeaves))
    return fail(wgmma, "has accumulators that are not N / 2 f32 values");
  desc.descriptorA = slot(wgmma.getDescriptorA());
  desc.descriptorB = slot(wgmma.getDescriptorB());
  desc.c = slot(wgmma.getInouts());
  inst.op = Opcode::Wgmma;
  inst.dst = slot(wgmma.getResult());
  inst.aux = program.wgmmas.size();
  program.wgmmas.push_back(desc);
  program.usesAsyncProxy = true;
  return Error::success();
}

Error Decoder::decodeNVVM(Operation *op, Inst &inst, bool &handled) {
  handled = true;
  StringRef name = op->getName().getStringRef();
  if (name.consume_front("nvvm.read.ptx.sreg.")) {
    auto reg = llvm::StringSwitch<std::optional<SpecialReg>>(name)
                   .Case("tid.x", SpecialReg::TidX)
                   .Case("tid.y", SpecialReg::TidY)
                   .Case("tid.z", SpecialReg::TidZ)
                   .Case("ntid.x", SpecialReg::NTidX)
                   .Case("ntid.y", SpecialReg::NTidY)
                   .Case("ntid.z", SpecialReg::NTidZ)
                   .Case("ctaid.x", SpecialReg::CtaIdX)
                   .Case("ctaid.y", SpecialReg::CtaIdY)
                   .Case("ctaid.z", SpecialReg::CtaIdZ)
                   .Case("nctaid.x", SpecialReg::NCtaIdX)
                   .Case("nctaid.y", SpecialReg::NCtaIdY)
                   .Case("nctaid.z", SpecialReg::NCtaIdZ)
                   .Case("laneid", SpecialReg::LaneId)
                   .Case("warpsize", SpecialReg::WarpSize)
                   .Default(std::nullopt);
    if (!reg)
      return fail(op, "unsupported operation");
    inst.op = Opcode::SReg;
    inst.kind = Kind::I32;
    inst.dst = slot(op->getResult(0));
    inst.imm = static_cast<uint64_t>(*reg);
    return Error::success();
  }
  if (isa<NVVM::Barrier0Op>(op) ||
      (isa<NVVM::BarrierOp>(op) && op->getNumOperands() == 0 &&
       op->getNumResults() == 0)) {
    inst.op = Opcode::Barrier;
    return Error::success();
  }
  if (auto shfl = dyn_cast<NVVM::ShflOp>(op)) {
    auto kind = scalarKind(shfl.getVal().getType());
    if (kind != Kind::I32 && kind != Kind::F32)
      return unsupportedType(op, shfl.getVal().getType());
    inst.op = Opcode::Shfl;
    inst.kind = *kind;
    inst.dst = slot(shfl.getResult());
    inst.a = slot(shfl.getThreadMask());
    inst.b = slot(shfl.getVal());
    inst.c = slot(shfl.getOffset());
    inst.d = slot(shfl.getMaskAndClamp());
    inst.imm = static_cast<uint64_t>(shfl.getKind());
    inst.flags = shfl.getReturnValueAndIsValid() ? 1 : 0;
    return Error::success();
  }
  if (auto ldmatrix = dyn_cast<NVVM::LdMatrixOp>(op)) {
    auto shape = ldmatrix.getShape();
    SmallVector<Kind> leaves;
    flatten(ldmatrix.getResult().getType(), leaves);
    unsigned num = ldmatrix.getNum();
    if (shape.getM() != 8 || shape.getN() != 8 ||
        ldmatrix.getEltType() != NVVM::LdStMatrixEltType::B16)
      return fail(op, "has a shape or element type the interpreter does not "
                      "model (only m8n8 b16)");
    if ((num != 1 && num != 2 && num != 4) || leaves.size() != num ||
        !llvm::all_of(leaves, [](Kind k) { return k == Kind::I32; }))
      return fail(op, "has an unexpected result type");
    inst.op = Opcode::LdMatrix;
    inst.dst = slot(ldmatrix.getResult());
    inst.a = slot(ldmatrix.getPtr());
    inst.imm = num;
    inst.flags = ldmatrix.getLayout() == NVVM::MMALayout::col ? 1 : 0;
    return Error::success();
  }
  if (auto mma = dyn_cast<NVVM::MmaOp>(op))
    return decodeMma(mma, inst);
  if (auto copy = dyn_cast<NVVM::CpAsyncOp>(op)) {
    unsigned size = copy.getSize();
    if (size != 4 && size != 8 && size != 16)
      return fail(op, "copies " + Twine(size) +
                          " bytes (cp.async copies 4, 8 or 16)");
    inst.op = Opcode::CpAsync;
    inst.a = slot(copy.getDst());
    inst.b = slot(copy.getSrc());
    inst.c = copy.getCpSize() ? slot(copy.getCpSize()) : ~0u;
    inst.imm = size;
    return Error::success();
  }
  if (isa<NVVM::CpAsyncCommitGroupOp>(op)) {
    inst.op = Opcode::CpAsyncCommit;
    return Error::success();
  }
  if (auto wait = dyn_cast<NVVM::CpAsyncWaitGroupOp>(op)) {
    inst.op = Opcode::CpAsyncWait;
    inst.imm = wait.getN();
    return Error::success();
  }
  if (auto wgmma = dyn_cast<NVVM::WgmmaMmaAsyncOp>(op))
    return decodeWgmma(wgmma, inst);
  if (isa<NVVM::WgmmaFenceAlignedOp>(op)) {
    inst.op = Opcode::WgmmaFence;
    return Error::success();
  }
  if (isa<NVVM::WgmmaGroupSyncAlignedOp>(op)) {
    inst.op = Opcode::WgmmaCommit;
    return Error::success();
  }
  if (auto wait = dyn_cast<NVVM::WgmmaWaitGroupSyncOp>(op)) {
    inst.op = Opcode::WgmmaWait;
    inst.imm = wait.getGroup();
    return Error::success();
  }
  auto predicateOf = [&](Value predicate) {
    return predicate ? slot(predicate) : ~0u;
  };
  if (auto init = dyn_cast<NVVM::MBarrierInitOp>(op)) {
    inst.op = Opcode::MBarrierInit;
    inst.a = slot(init.getAddr());
    inst.b = slot(init.getCount());
    inst.d = predicateOf(init.getPredicate());
    return Error::success();
  }
  if (auto arrive = dyn_cast<NVVM::MBarrierArriveExpectTxOp>(op)) {
    inst.op = Opcode::MBarrierExpectTx;
    inst.a = slot(arrive.getAddr());
    inst.b = slot(arrive.getTxcount());
    inst.d = predicateOf(arrive.getPredicate());
    inst.flags = arrive.getRes() ? 1 : 0;
    if (arrive.getRes())
      inst.dst = slot(arrive.getRes());
    return Error::success();
  }
  if (auto wait = dyn_cast<NVVM::MBarrierTryWaitParityOp>(op)) {
    inst.op = Opcode::MBarrierTryWait;
    inst.a = slot(wait.getAddr());
    inst.b = slot(wait.getPhase());
    inst.d = ~0u; // (no predicate)
    return Error::success();
  }
  if (auto load =
          dyn_cast<NVVM::CpAsyncBulkTensorGlobalToSharedClusterOp>(op)) {
    if (load.getMode() != NVVM::TMALoadMode::TILE || load.getMulticastMask() ||
        load.getL2CacheHint() || !load.getIm2colOffsets().empty() ||
        load.getCoordinates().empty() || load.getCoordinates().size() > 5)
      return fail(op, "is a bulk tensor copy the interpreter does not model "
                      "(only tiled mode, 1-5 coordinates, no multicast, "
                      "no cache hint)");
    inst.op = Opcode::BulkTensorLoad;
    inst.a = slot(load.getDstMem());
    inst.b = slot(load.getTmaDescriptor());
    inst.c = slot(load.getMbar());
    inst.d = predicateOf(load.getPredicate());
    inst.aux = program.bulkCoordinates.size();
    std::vector<uint32_t> coordinates;
    for (Value coordinate : load.getCoordinates())
      coordinates.push_back(slot(coordinate));
    program.bulkCoordinates.push_back(std::move(coordinates));
    return Error::success();
  }
  if (auto fence = dyn_cast<NVVM::FenceProxyOp>(op)) {
    // fence.proxy.async orders this thread's generic-proxy accesses before
    // later async-proxy ones (wgmma's reads of shared memory).
    bool sharedCTA = fence.getKind() == NVVM::ProxyKind::async_shared &&
                     (!fence.getSpace() ||
                      *fence.getSpace() == NVVM::SharedSpace::shared_cta);
    if (fence.getKind() != NVVM::ProxyKind::async && !sharedCTA)
      return fail(op, "is a proxy fence the interpreter does not model (only "
                      "fence.proxy.async and fence.proxy.async.shared::cta)");
    inst.op = Opcode::FenceProxyAsync;
    program.usesAsyncProxy = true;
    return Error::success();
  }
  handled = false;
  return Error::success();
}

std::optional<MathFn> mathFunction(StringRef name) {
  return llvm::StringSwitch<std::optional<MathFn>>(name)
      .Case("exp", MathFn::Exp)
      .Case("exp2", MathFn::Exp2)
      .Case("log", MathFn::Log)
      .Case("log2", MathFn::Log2)
      .Case("log10", MathFn::Log10)
      .Case("sqrt", MathFn::Sqrt)
      .Case("rsqrt", MathFn::Rsqrt)
      .Case("sin", MathFn::Sin)
      .Case("cos", MathFn::Cos)
      .Case("tanh", MathFn::Tanh)
      .Case("pow", MathFn::Pow)
      .Case("floor", MathFn::Floor)
      .Case("ceil", MathFn::Ceil)
      .Case("trunc", MathFn::Trunc)
      .Case("round", MathFn::Round)
      .Case("roundeven", MathFn::RoundEven)
      .Case("rint", MathFn::RoundEven)
      .Default(std::nullopt);
}

Error Decoder::decodeCall(Operation *op, Inst &inst, bool &handled) {
  handled = true;
  auto setMath = [&](MathFn fn) -> Error {
    if (op->getNumResults() != 1 || op->getNumOperands() < 1)
      return fail(op, "has an unexpected signature");
    auto kind = elementKind(op->getResult(0).getType());
    if (!kind || !isFloat(*kind))
      return unsupportedType(op, op->getResult(0).getType());
    inst.op = Opcode::FMath;
    inst.kind = *kind;
    inst.width = leafCount(op->getResult(0));
    inst.dst = slot(op->getResult(0));
    inst.a = slot(op->getOperand(0));
    if (op->getNumOperands() > 1)
      inst.b = slot(op->getOperand(1));
    inst.imm = static_cast<uint64_t>(fn);
    return Error::success();
  };
  if (auto call = dyn_cast<LLVM::CallIntrinsicOp>(op)) {
    // The attention kernels mark each key tile they compute with
    // llvm.sideeffect (which emits nothing), so that the interpreter can
    // count the tiles a launch computed.
    if (call.getIntrin() == "llvm.sideeffect" && op->getNumOperands() == 0 &&
        op->getNumResults() == 0) {
      inst.op = Opcode::KeyTileMark;
      return Error::success();
    }
    auto fn = llvm::StringSwitch<std::optional<MathFn>>(call.getIntrin())
                  .Case("llvm.nvvm.ex2.approx.ftz.f", MathFn::Ex2ApproxFtz)
                  .Case("llvm.nvvm.ex2.approx.f", MathFn::Ex2Approx)
                  .Case("llvm.nvvm.rcp.approx.ftz.f", MathFn::RcpApproxFtz)
                  .Case("llvm.nvvm.rcp.approx.f", MathFn::RcpApprox)
                  .Case("llvm.nvvm.lg2.approx.ftz.f", MathFn::Lg2ApproxFtz)
                  .Case("llvm.nvvm.lg2.approx.f", MathFn::Lg2Approx)
                  .Case("llvm.nvvm.fmax.f", MathFn::PtxMax)
                  .Case("llvm.nvvm.fmin.f", MathFn::PtxMin)
                  .Default(std::nullopt);
    if (!fn)
      return fail(op, "calls the intrinsic '" + call.getIntrin() +
                          "', which the interpreter does not model");
    return setMath(*fn);
  }
  auto call = dyn_cast<LLVM::CallOp>(op);
  if (!call) {
    handled = false;
    return Error::success();
  }
  std::optional<StringRef> callee = call.getCallee();
  // libdevice functions (convert-gpu-to-nvvm turns math ops into them): the
  // f32 form ends in 'f'.
  StringRef base = callee ? *callee : StringRef();
  if (!base.consume_front("__nv_") || op->getNumResults() != 1)
    return fail(op, "calls '" + (callee ? *callee : StringRef("?")) +
                        "', which the interpreter does not model");
  auto kind = scalarKind(op->getResult(0).getType());
  if (kind == Kind::F32)
    base.consume_back("f");
  if (kind != Kind::F32 && kind != Kind::F64)
    return unsupportedType(op, op->getResult(0).getType());
  auto simple = llvm::StringSwitch<std::optional<Opcode>>(base)
                    .Case("fmax", Opcode::FMaxNum)
                    .Case("fmin", Opcode::FMinNum)
                    .Case("fma", Opcode::FFma)
                    .Case("fabs", Opcode::FAbs)
                    .Case("copysign", Opcode::FCopySign)
                    .Default(std::nullopt);
  if (simple)
    return elementwise(op, inst, *simple, /*wantFloat=*/true);
  if (auto fn = mathFunction(base))
    return setMath(*fn);
  return fail(op,
              "calls '" + *callee + "', which the interpreter does not model");
}

} // namespace mixir::gpu::detail
