//===- Execute.cpp - the interpreter's scalar and aggregate ops -----------===//
//
// Every op that touches neither memory nor other lanes, executed for all the
// threads at one program position (a loop over the slot-major registers).
// The arithmetic follows the LLVM LangRef; where LangRef says poison (an
// out-of-range shift or float-to-int conversion) the result is PTX's (a
// clamped shift, `cvt.rzi` saturation), and integer division by zero or an
// out-of-range element index is reported as an error instead. Float ops on
// f32 and f64 use the host's IEEE arithmetic (round to nearest even, no
// flushing, as LLVM's NVPTX backend emits them without fast-math flags);
// f16 and bf16 ops compute in double and round once.
//
//===----------------------------------------------------------------------===//

#include "Machine.h"
#include "Numerics.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>
#include <limits>

using llvm::Twine;

namespace mixir::gpu::detail {

//===----------------------------------------------------------------------===//
// Value helpers
//===----------------------------------------------------------------------===//

namespace {

double toDouble(Kind kind, uint64_t bits) {
  switch (kind) {
  case Kind::F16:
    return f16ToDouble(static_cast<uint16_t>(bits));
  case Kind::BF16:
    return bf16ToDouble(static_cast<uint16_t>(bits));
  case Kind::F32:
    return bitsToF32(bits);
  case Kind::F64:
    return bitsToF64(bits);
  default:
    return 0;
  }
}

uint64_t fromDouble(Kind kind, double value) {
  switch (kind) {
  case Kind::F16:
    return doubleToF16(value);
  case Kind::BF16:
    return doubleToBF16(value);
  case Kind::F32:
    return f32ToBits(static_cast<float>(value));
  case Kind::F64:
    return f64ToBits(value);
  default:
    return 0;
  }
}

/// Rounds an integer (negative when `negative`, of magnitude `magnitude`)
/// once to the float kind.
uint64_t integerToFloat(Kind kind, bool negative, uint64_t magnitude) {
  switch (kind) {
  case Kind::F16:
    return roundToFormat<5, 10>(negative, magnitude, 0);
  case Kind::BF16:
    return roundToFormat<8, 7>(negative, magnitude, 0);
  case Kind::F32: {
    float value = static_cast<float>(magnitude);
    return f32ToBits(negative ? -value : value);
  }
  default: {
    double value = static_cast<double>(magnitude);
    return f64ToBits(negative ? -value : value);
  }
  }
}

/// LLVM `maximum`/`minimum`: NaN if either is NaN, -0 below +0.
template <bool IsMax> double maximumOf(double x, double y) {
  if (std::isnan(x) || std::isnan(y))
    return std::numeric_limits<double>::quiet_NaN();
  if (x == y)
    return IsMax ? (std::signbit(x) ? y : x) : (std::signbit(x) ? x : y);
  return IsMax ? std::max(x, y) : std::min(x, y);
}
/// LLVM `maxnum`/`minnum` (and PTX max/min): a NaN operand is ignored;
/// +0 is taken as above -0.
template <bool IsMax> double maxnumOf(double x, double y) {
  if (std::isnan(x))
    return y;
  if (std::isnan(y))
    return x;
  return maximumOf<IsMax>(x, y);
}

bool fcmp(uint64_t predicate, double x, double y) {
  bool unordered = std::isnan(x) || std::isnan(y);
  bool eq = !unordered && x == y, lt = !unordered && x < y,
       gt = !unordered && x > y;
  switch (static_cast<mlir::LLVM::FCmpPredicate>(predicate)) {
  case mlir::LLVM::FCmpPredicate::_false:
    return false;
  case mlir::LLVM::FCmpPredicate::oeq:
    return eq;
  case mlir::LLVM::FCmpPredicate::ogt:
    return gt;
  case mlir::LLVM::FCmpPredicate::oge:
    return gt || eq;
  case mlir::LLVM::FCmpPredicate::olt:
    return lt;
  case mlir::LLVM::FCmpPredicate::ole:
    return lt || eq;
  case mlir::LLVM::FCmpPredicate::one:
    return lt || gt;
  case mlir::LLVM::FCmpPredicate::ord:
    return !unordered;
  case mlir::LLVM::FCmpPredicate::ueq:
    return unordered || eq;
  case mlir::LLVM::FCmpPredicate::ugt:
    return unordered || gt;
  case mlir::LLVM::FCmpPredicate::uge:
    return unordered || gt || eq;
  case mlir::LLVM::FCmpPredicate::ult:
    return unordered || lt;
  case mlir::LLVM::FCmpPredicate::ule:
    return unordered || lt || eq;
  case mlir::LLVM::FCmpPredicate::une:
    return unordered || lt || gt;
  case mlir::LLVM::FCmpPredicate::uno:
    return unordered;
  case mlir::LLVM::FCmpPredicate::_true:
    return true;
  }
  return false;
}

bool icmp(uint64_t predicate, uint64_t x, uint64_t y, unsigned bits) {
  int64_t sx = signExtend(x, bits), sy = signExtend(y, bits);
  switch (static_cast<mlir::LLVM::ICmpPredicate>(predicate)) {
  case mlir::LLVM::ICmpPredicate::eq:
    return x == y;
  case mlir::LLVM::ICmpPredicate::ne:
    return x != y;
  case mlir::LLVM::ICmpPredicate::slt:
    return sx < sy;
  case mlir::LLVM::ICmpPredicate::sle:
    return sx <= sy;
  case mlir::LLVM::ICmpPredicate::sgt:
    return sx > sy;
  case mlir::LLVM::ICmpPredicate::sge:
    return sx >= sy;
  case mlir::LLVM::ICmpPredicate::ult:
    return x < y;
  case mlir::LLVM::ICmpPredicate::ule:
    return x <= y;
  case mlir::LLVM::ICmpPredicate::ugt:
    return x > y;
  case mlir::LLVM::ICmpPredicate::uge:
    return x >= y;
  }
  return false;
}

double mathFunction(MathFn fn, Kind kind, double x, double y) {
  switch (fn) {
  case MathFn::Exp:
    return std::exp(x);
  case MathFn::Exp2:
    return std::exp2(x);
  case MathFn::Log:
    return std::log(x);
  case MathFn::Log2:
    return std::log2(x);
  case MathFn::Log10:
    return std::log10(x);
  case MathFn::Sqrt:
    return std::sqrt(x);
  case MathFn::Rsqrt:
    return 1.0 / std::sqrt(x);
  case MathFn::Sin:
    return std::sin(x);
  case MathFn::Cos:
    return std::cos(x);
  case MathFn::Tanh:
    return std::tanh(x);
  case MathFn::Pow:
    return std::pow(x, y);
  case MathFn::Floor:
    return std::floor(x);
  case MathFn::Ceil:
    return std::ceil(x);
  case MathFn::Trunc:
    return std::trunc(x);
  case MathFn::Round:
    return std::round(x);
  case MathFn::RoundEven:
    return std::nearbyint(x);
  case MathFn::Ex2ApproxFtz:
    // PTX ISA, ex2: `.ftz` flushes subnormal inputs and results to +-0. The
    // hardware approximation (max ~2 ulp) is not modelled: this is 2^x
    // rounded once to f32.
    return flushF32(
        static_cast<float>(std::exp2(flushF32(static_cast<float>(x)))));
  case MathFn::Ex2Approx:
    return std::exp2(x);
  case MathFn::RcpApproxFtz:
    return flushF32(static_cast<float>(1.0 / flushF32(static_cast<float>(x))));
  case MathFn::RcpApprox:
    return 1.0 / x;
  case MathFn::Lg2ApproxFtz:
    // PTX ISA, lg2: `.ftz` flushes subnormal inputs to +-0 (lg2 of 0 is
    // -inf); the hardware approximation is not modelled.
    return static_cast<float>(std::log2(flushF32(static_cast<float>(x))));
  case MathFn::Lg2Approx:
    return std::log2(x);
  case MathFn::PtxMax:
    return maxnumOf<true>(x, y);
  case MathFn::PtxMin:
    return maxnumOf<false>(x, y);
  }
  (void)kind;
  return 0;
}

} // namespace

//===----------------------------------------------------------------------===//
// Scalar ops
//===----------------------------------------------------------------------===//

bool Machine::execute(uint32_t pc, const Lanes &lanes) {
  const Inst &inst = program.insts[pc];
  const unsigned width = inst.width;
  const uint64_t mask = inst.imm;
  const unsigned bits = bitWidth(inst.kind);

  // d[k][t] = f(a[k][t], b[k][t]) & mask over the integer leaves.
  auto intBinary = [&](auto f) {
    for (unsigned k = 0; k < width; ++k) {
      uint64_t *d = slot(inst.dst + k);
      const uint64_t *x = slot(inst.a + k), *y = slot(inst.b + k);
      lanes.forEach([&](uint32_t t) { d[t] = f(x[t], y[t]) & mask; });
    }
    return true;
  };
  // Float ops: f32 and f64 natively, f16 and bf16 through double with one
  // rounding (exact for +,-,*,/ since double has more than 2p+2 bits).
  auto floatBinary = [&](auto f) {
    for (unsigned k = 0; k < width; ++k) {
      uint64_t *d = slot(inst.dst + k);
      const uint64_t *x = slot(inst.a + k), *y = slot(inst.b + k);
      switch (inst.kind) {
      case Kind::F32:
        lanes.forEach([&](uint32_t t) {
          d[t] = f32ToBits(f(bitsToF32(x[t]), bitsToF32(y[t])));
        });
        break;
      case Kind::F64:
        lanes.forEach([&](uint32_t t) {
          d[t] = f64ToBits(f(bitsToF64(x[t]), bitsToF64(y[t])));
        });
        break;
      default:
        lanes.forEach([&](uint32_t t) {
          d[t] = fromDouble(inst.kind, f(toDouble(inst.kind, x[t]),
                                         toDouble(inst.kind, y[t])));
        });
        break;
      }
    }
    return true;
  };
  auto floatDoubleBinary = [&](auto f) {
    for (unsigned k = 0; k < width; ++k) {
      uint64_t *d = slot(inst.dst + k);
      const uint64_t *x = slot(inst.a + k), *y = slot(inst.b + k);
      lanes.forEach([&](uint32_t t) {
        d[t] = fromDouble(
            inst.kind, f(toDouble(inst.kind, x[t]), toDouble(inst.kind, y[t])));
      });
    }
    return true;
  };
  // Integer ops that can fail (division): stop at the first error.
  auto intChecked = [&](auto f) {
    for (unsigned k = 0; k < width; ++k) {
      uint64_t *d = slot(inst.dst + k);
      const uint64_t *x = slot(inst.a + k), *y = slot(inst.b + k);
      for (uint32_t i = 0; i < lanes.n; ++i) {
        uint32_t t = lanes.dense ? i : lanes.ids[i];
        uint64_t result = 0;
        if (!f(t, x[t], y[t], result))
          return false;
        d[t] = result & mask;
      }
    }
    return true;
  };
  auto divisionError = [&](uint32_t t, uint64_t divisor) {
    return fail(inst, t,
                divisor == 0 ? Twine("divides by zero")
                             : Twine("overflows (the most negative value "
                                     "divided by -1)"));
  };

  switch (inst.op) {
  case Opcode::Const:
    for (unsigned k = 0; k < width; ++k) {
      uint64_t *d = slot(inst.dst + k);
      uint64_t value = program.constants[inst.aux + k];
      lanes.forEach([&](uint32_t t) { d[t] = value; });
    }
    return true;
  case Opcode::Copy:
    if (inst.dst == inst.a)
      return true;
    for (unsigned k = 0; k < width; ++k) {
      uint64_t *d = slot(inst.dst + k);
      const uint64_t *x = slot(inst.a + k);
      lanes.forEach([&](uint32_t t) { d[t] = x[t]; });
    }
    return true;
  case Opcode::InsertValue:
    if (inst.dst != inst.a)
      for (unsigned k = 0; k < width; ++k) {
        uint64_t *d = slot(inst.dst + k);
        const uint64_t *x = slot(inst.a + k);
        lanes.forEach([&](uint32_t t) { d[t] = x[t]; });
      }
    for (unsigned k = 0; k < inst.imm; ++k) {
      uint64_t *d = slot(inst.dst + inst.c + k);
      const uint64_t *x = slot(inst.b + k);
      lanes.forEach([&](uint32_t t) { d[t] = x[t]; });
    }
    return true;
  case Opcode::ExtractElement: {
    uint64_t *d = slot(inst.dst);
    const uint64_t *index = slot(inst.b);
    for (uint32_t i = 0; i < lanes.n; ++i) {
      uint32_t t = lanes.dense ? i : lanes.ids[i];
      if (index[t] >= inst.imm)
        return fail(inst, t,
                    "index " + Twine(index[t]) +
                        " is out of range for a "
                        "vector of " +
                        Twine(inst.imm) + " elements");
      d[t] = slot(inst.a + index[t])[t];
    }
    return true;
  }
  case Opcode::InsertElement: {
    if (inst.dst != inst.a)
      for (unsigned k = 0; k < width; ++k) {
        uint64_t *d = slot(inst.dst + k);
        const uint64_t *x = slot(inst.a + k);
        lanes.forEach([&](uint32_t t) { d[t] = x[t]; });
      }
    const uint64_t *index = slot(inst.c), *value = slot(inst.b);
    for (uint32_t i = 0; i < lanes.n; ++i) {
      uint32_t t = lanes.dense ? i : lanes.ids[i];
      if (index[t] >= inst.imm)
        return fail(inst, t,
                    "index " + Twine(index[t]) +
                        " is out of range for a "
                        "vector of " +
                        Twine(inst.imm) + " elements");
      slot(inst.dst + index[t])[t] = value[t];
    }
    return true;
  }
  case Opcode::Shuffle:
    for (unsigned k = 0; k < width; ++k) {
      int32_t index = program.shuffleMasks[inst.aux + k];
      uint64_t *d = slot(inst.dst + k);
      if (index < 0) {
        lanes.forEach([&](uint32_t t) { d[t] = 0; });
        continue;
      }
      const uint64_t *x = uint64_t(index) < inst.imm
                              ? slot(inst.a + index)
                              : slot(inst.b + (index - inst.imm));
      lanes.forEach([&](uint32_t t) { d[t] = x[t]; });
    }
    return true;
  case Opcode::Bitcast: {
    const uint8_t *widths = program.bitcastWidths.data() + inst.aux;
    lanes.forEach([&](uint32_t t) {
      uint64_t packed[17] = {};
      unsigned position = 0;
      for (unsigned k = 0; k < inst.c; ++k) {
        uint64_t value = slot(inst.a + k)[t];
        unsigned w = widths[k];
        packed[position / 64] |= value << (position % 64);
        if (position % 64 + w > 64)
          packed[position / 64 + 1] |= value >> (64 - position % 64);
        position += w;
      }
      position = 0;
      for (unsigned k = 0; k < inst.d; ++k) {
        unsigned w = widths[inst.c + k];
        uint64_t value = packed[position / 64] >> (position % 64);
        if (position % 64 + w > 64)
          value |= packed[position / 64 + 1] << (64 - position % 64);
        slot(inst.dst + k)[t] = value & widthMask(w);
        position += w;
      }
    });
    return true;
  }
  case Opcode::PtrToInt: {
    uint64_t *d = slot(inst.dst);
    const uint64_t *x = slot(inst.a);
    // A shared pointer converts to its offset in the CTA's shared window
    // (PTX's shared state space addresses); a generic one keeps its bits.
    uint64_t keep = inst.flags ? kOffsetMask : ~uint64_t(0);
    lanes.forEach([&](uint32_t t) { d[t] = (x[t] & keep) & mask; });
    return true;
  }
  case Opcode::IntToPtr: {
    uint64_t *d = slot(inst.dst);
    const uint64_t *x = slot(inst.a);
    uint64_t base = inst.flags ? inst.imm : 0;
    lanes.forEach([&](uint32_t t) { d[t] = base + x[t]; });
    return true;
  }
  case Opcode::Gep: {
    uint64_t *d = slot(inst.dst);
    const uint64_t *base = slot(inst.a);
    uint64_t offset = inst.imm;
    if (inst.c == 0) {
      lanes.forEach([&](uint32_t t) { d[t] = base[t] + offset; });
      return true;
    }
    if (inst.c == 1) {
      const GepTerm &term = program.gepTerms[inst.aux];
      const uint64_t *index = slot(term.slot);
      unsigned indexBits = bitWidth(term.kind);
      uint64_t scale = static_cast<uint64_t>(term.scale);
      lanes.forEach([&](uint32_t t) {
        d[t] = base[t] + offset +
               static_cast<uint64_t>(signExtend(index[t], indexBits)) * scale;
      });
      return true;
    }
    lanes.forEach([&](uint32_t t) {
      uint64_t address = base[t] + offset;
      for (uint32_t i = 0; i < inst.c; ++i) {
        const GepTerm &term = program.gepTerms[inst.aux + i];
        address += static_cast<uint64_t>(
                       signExtend(slot(term.slot)[t], bitWidth(term.kind))) *
                   static_cast<uint64_t>(term.scale);
      }
      d[t] = address;
    });
    return true;
  }
  case Opcode::Alloca: {
    uint64_t *d = slot(inst.dst);
    lanes.forEach([&](uint32_t t) {
      d[t] = makePointer(program.localRegion(t), inst.imm);
    });
    return true;
  }

  case Opcode::Add:
    return intBinary([](uint64_t x, uint64_t y) { return x + y; });
  case Opcode::Sub:
    return intBinary([](uint64_t x, uint64_t y) { return x - y; });
  case Opcode::Mul:
    return intBinary([](uint64_t x, uint64_t y) { return x * y; });
  case Opcode::And:
    return intBinary([](uint64_t x, uint64_t y) { return x & y; });
  case Opcode::Or:
    return intBinary([](uint64_t x, uint64_t y) { return x | y; });
  case Opcode::Xor:
    return intBinary([](uint64_t x, uint64_t y) { return x ^ y; });
  case Opcode::Shl:
    return intBinary(
        [bits](uint64_t x, uint64_t y) { return y >= bits ? 0 : x << y; });
  case Opcode::LShr:
    return intBinary(
        [bits](uint64_t x, uint64_t y) { return y >= bits ? 0 : x >> y; });
  case Opcode::AShr:
    return intBinary([bits](uint64_t x, uint64_t y) {
      return static_cast<uint64_t>(signExtend(x, bits) >>
                                   std::min<uint64_t>(y, 63));
    });
  case Opcode::UDiv:
    return intChecked([&](uint32_t t, uint64_t x, uint64_t y, uint64_t &r) {
      if (y == 0)
        return divisionError(t, y);
      r = x / y;
      return true;
    });
  case Opcode::URem:
    return intChecked([&](uint32_t t, uint64_t x, uint64_t y, uint64_t &r) {
      if (y == 0)
        return divisionError(t, y);
      r = x % y;
      return true;
    });
  case Opcode::SDiv:
  case Opcode::SRem:
    return intChecked([&](uint32_t t, uint64_t x, uint64_t y, uint64_t &r) {
      int64_t sx = signExtend(x, bits), sy = signExtend(y, bits);
      int64_t minValue = signExtend(uint64_t(1) << (bits - 1), bits);
      if (sy == 0 || (sy == -1 && sx == minValue))
        return divisionError(t, y);
      r = static_cast<uint64_t>(inst.op == Opcode::SDiv ? sx / sy : sx % sy);
      return true;
    });
  case Opcode::SMax:
    return intBinary([bits](uint64_t x, uint64_t y) {
      return signExtend(x, bits) >= signExtend(y, bits) ? x : y;
    });
  case Opcode::SMin:
    return intBinary([bits](uint64_t x, uint64_t y) {
      return signExtend(x, bits) <= signExtend(y, bits) ? x : y;
    });
  case Opcode::UMax:
    return intBinary([](uint64_t x, uint64_t y) { return std::max(x, y); });
  case Opcode::UMin:
    return intBinary([](uint64_t x, uint64_t y) { return std::min(x, y); });
  case Opcode::Abs:
    return intBinary([bits](uint64_t x, uint64_t) {
      // Wraps for the most negative value (LLVM: poison only with the
      // is_int_min_poison flag).
      return signExtend(x, bits) < 0 ? 0 - x : x;
    });
  case Opcode::ICmp:
    for (unsigned k = 0; k < width; ++k) {
      uint64_t *d = slot(inst.dst + k);
      const uint64_t *x = slot(inst.a + k), *y = slot(inst.b + k);
      lanes.forEach(
          [&](uint32_t t) { d[t] = icmp(inst.imm, x[t], y[t], bits) ? 1 : 0; });
    }
    return true;
  case Opcode::Select:
    for (unsigned k = 0; k < width; ++k) {
      uint64_t *d = slot(inst.dst + k);
      const uint64_t *cond = slot(inst.a + (inst.flags ? 0 : k));
      const uint64_t *x = slot(inst.b + k), *y = slot(inst.c + k);
      lanes.forEach([&](uint32_t t) { d[t] = cond[t] & 1 ? x[t] : y[t]; });
    }
    return true;
  case Opcode::Trunc:
  case Opcode::ZExt:
    for (unsigned k = 0; k < width; ++k) {
      uint64_t *d = slot(inst.dst + k);
      const uint64_t *x = slot(inst.a + k);
      lanes.forEach([&](uint32_t t) { d[t] = x[t] & mask; });
    }
    return true;
  case Opcode::SExt: {
    unsigned fromBits = bitWidth(inst.kind2);
    for (unsigned k = 0; k < width; ++k) {
      uint64_t *d = slot(inst.dst + k);
      const uint64_t *x = slot(inst.a + k);
      lanes.forEach([&](uint32_t t) {
        d[t] = static_cast<uint64_t>(signExtend(x[t], fromBits)) & mask;
      });
    }
    return true;
  }

  case Opcode::FAdd:
    return floatBinary([](auto x, auto y) { return x + y; });
  case Opcode::FSub:
    return floatBinary([](auto x, auto y) { return x - y; });
  case Opcode::FMul:
    return floatBinary([](auto x, auto y) { return x * y; });
  case Opcode::FDiv:
    return floatBinary([](auto x, auto y) { return x / y; });
  case Opcode::FRem:
    return floatBinary([](auto x, auto y) { return std::fmod(x, y); });
  case Opcode::FMaximum:
    return floatDoubleBinary(maximumOf<true>);
  case Opcode::FMinimum:
    return floatDoubleBinary(maximumOf<false>);
  case Opcode::FMaxNum:
    return floatDoubleBinary(maxnumOf<true>);
  case Opcode::FMinNum:
    return floatDoubleBinary(maxnumOf<false>);
  case Opcode::FNeg:
  case Opcode::FAbs:
  case Opcode::FCopySign: {
    uint64_t sign = uint64_t(1) << (bits - 1);
    for (unsigned k = 0; k < width; ++k) {
      uint64_t *d = slot(inst.dst + k);
      const uint64_t *x = slot(inst.a + k);
      if (inst.op == Opcode::FNeg) {
        lanes.forEach([&](uint32_t t) { d[t] = x[t] ^ sign; });
      } else if (inst.op == Opcode::FAbs) {
        lanes.forEach([&](uint32_t t) { d[t] = x[t] & ~sign; });
      } else {
        const uint64_t *y = slot(inst.b + k);
        lanes.forEach(
            [&](uint32_t t) { d[t] = (x[t] & ~sign) | (y[t] & sign); });
      }
    }
    return true;
  }
  case Opcode::FFma:
    for (unsigned k = 0; k < width; ++k) {
      uint64_t *d = slot(inst.dst + k);
      const uint64_t *x = slot(inst.a + k), *y = slot(inst.b + k),
                     *z = slot(inst.c + k);
      if (inst.kind == Kind::F32) {
        lanes.forEach([&](uint32_t t) {
          d[t] = f32ToBits(
              std::fma(bitsToF32(x[t]), bitsToF32(y[t]), bitsToF32(z[t])));
        });
      } else {
        // f64 exactly; f16/bf16 rounded from the double fma.
        lanes.forEach([&](uint32_t t) {
          d[t] = fromDouble(inst.kind, std::fma(toDouble(inst.kind, x[t]),
                                                toDouble(inst.kind, y[t]),
                                                toDouble(inst.kind, z[t])));
        });
      }
    }
    return true;
  case Opcode::FCmp:
    for (unsigned k = 0; k < width; ++k) {
      uint64_t *d = slot(inst.dst + k);
      const uint64_t *x = slot(inst.a + k), *y = slot(inst.b + k);
      lanes.forEach([&](uint32_t t) {
        d[t] =
            fcmp(inst.imm, toDouble(inst.kind, x[t]), toDouble(inst.kind, y[t]))
                ? 1
                : 0;
      });
    }
    return true;
  case Opcode::FConv:
    for (unsigned k = 0; k < width; ++k) {
      uint64_t *d = slot(inst.dst + k);
      const uint64_t *x = slot(inst.a + k);
      lanes.forEach([&](uint32_t t) {
        d[t] = fromDouble(inst.kind, toDouble(inst.kind2, x[t]));
      });
    }
    return true;
  case Opcode::SIToFP:
  case Opcode::UIToFP: {
    unsigned fromBits = bitWidth(inst.kind2);
    bool isSigned = inst.op == Opcode::SIToFP;
    for (unsigned k = 0; k < width; ++k) {
      uint64_t *d = slot(inst.dst + k);
      const uint64_t *x = slot(inst.a + k);
      lanes.forEach([&](uint32_t t) {
        int64_t value = signExtend(x[t], fromBits);
        bool negative = isSigned && value < 0;
        uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(value) : x[t];
        d[t] = integerToFloat(inst.kind, negative, magnitude);
      });
    }
    return true;
  }
  case Opcode::FPToSI:
  case Opcode::FPToUI: {
    // PTX cvt.rzi saturates and maps NaN to 0 (LLVM: poison).
    bool isSigned = inst.op == Opcode::FPToSI;
    double lo = isSigned ? -std::ldexp(1.0, bits - 1) : 0;
    double hi = isSigned ? std::ldexp(1.0, bits - 1) : std::ldexp(1.0, bits);
    for (unsigned k = 0; k < width; ++k) {
      uint64_t *d = slot(inst.dst + k);
      const uint64_t *x = slot(inst.a + k);
      lanes.forEach([&](uint32_t t) {
        double value = std::trunc(toDouble(inst.kind2, x[t]));
        uint64_t result = 0;
        if (std::isnan(value))
          result = 0;
        else if (value < lo)
          result = isSigned ? uint64_t(1) << (bits - 1) : 0;
        else if (value >= hi)
          result = isSigned ? widthMask(bits - 1) : widthMask(bits);
        else
          result = isSigned ? static_cast<uint64_t>(static_cast<int64_t>(value))
                            : static_cast<uint64_t>(value);
        d[t] = result & mask;
      });
    }
    return true;
  }
  case Opcode::FMath:
    return executeMath(inst, lanes);
  case Opcode::Reduce:
    return executeReduce(inst, lanes);

  case Opcode::SReg: {
    uint64_t *d = slot(inst.dst);
    switch (static_cast<SpecialReg>(inst.imm)) {
    case SpecialReg::TidX:
    case SpecialReg::TidY:
    case SpecialReg::TidZ: {
      const std::vector<uint32_t> &ids = tid[inst.imm];
      lanes.forEach([&](uint32_t t) { d[t] = ids[t]; });
      return true;
    }
    case SpecialReg::LaneId:
      lanes.forEach([&](uint32_t t) { d[t] = t % kWarpSize; });
      return true;
    default:
      break;
    }
    uint64_t value = 0;
    switch (static_cast<SpecialReg>(inst.imm)) {
    case SpecialReg::NTidX:
      value = block.x;
      break;
    case SpecialReg::NTidY:
      value = block.y;
      break;
    case SpecialReg::NTidZ:
      value = block.z;
      break;
    case SpecialReg::CtaIdX:
      value = ctaid[0];
      break;
    case SpecialReg::CtaIdY:
      value = ctaid[1];
      break;
    case SpecialReg::CtaIdZ:
      value = ctaid[2];
      break;
    case SpecialReg::NCtaIdX:
      value = grid.x;
      break;
    case SpecialReg::NCtaIdY:
      value = grid.y;
      break;
    case SpecialReg::NCtaIdZ:
      value = grid.z;
      break;
    default:
      value = kWarpSize;
      break;
    }
    lanes.forEach([&](uint32_t t) { d[t] = value; });
    return true;
  }

  case Opcode::Load:
    return load(inst, lanes);
  case Opcode::Store:
    return store(inst, lanes);
  case Opcode::CpAsync:
    return cpAsync(inst, lanes);
  case Opcode::KeyTileMark: {
    bool threadZero = false;
    lanes.forEach([&](uint32_t t) { threadZero |= t == 0; });
    if (threadZero)
      ++statistics.keyTiles;
    return true;
  }
  case Opcode::CpAsyncCommit:
    // PTX ISA, cp.async.commit_group: the thread's uncommitted copies (none
    // is fine) become its newest group.
    lanes.forEach([&](uint32_t t) {
      async[t].committed.push_back(std::move(async[t].open));
      async[t].open.clear();
    });
    return true;
  case Opcode::CpAsyncWait:
    return cpAsyncWait(inst, lanes);
  case Opcode::Shfl:
    return shuffle(inst, lanes);
  case Opcode::LdMatrix:
    return ldmatrix(inst, lanes);
  case Opcode::Mma:
    return mma(inst, lanes);
  case Opcode::Wgmma:
    return wgmma(inst, lanes);
  case Opcode::WgmmaFence:
    return wgmmaFence(inst, lanes);
  case Opcode::WgmmaCommit:
    return wgmmaCommit(inst, lanes);
  case Opcode::WgmmaWait:
    return wgmmaWait(inst, lanes);
  case Opcode::FenceProxyAsync:
    return fenceProxyAsync(inst, lanes);
  case Opcode::MBarrierInit:
    return mbarrierInit(inst, lanes);
  case Opcode::MBarrierExpectTx:
    return mbarrierExpectTx(inst, lanes);
  case Opcode::MBarrierTryWait:
    return mbarrierTryWait(inst, lanes);
  case Opcode::BulkTensorLoad:
    return bulkTensorLoad(inst, lanes);

  case Opcode::Br:
  case Opcode::CondBr:
  case Opcode::Switch:
  case Opcode::Return:
  case Opcode::Barrier:
    break;
  }
  return fail(inst, lanes.dense ? 0 : lanes.ids[0],
              "reached the interpreter in an unexpected state");
}

bool Machine::executeMath(const Inst &inst, const Lanes &lanes) {
  MathFn fn = static_cast<MathFn>(inst.imm);
  bool binary =
      fn == MathFn::Pow || fn == MathFn::PtxMax || fn == MathFn::PtxMin;
  for (unsigned k = 0; k < inst.width; ++k) {
    uint64_t *d = slot(inst.dst + k);
    const uint64_t *x = slot(inst.a + k);
    const uint64_t *y = binary ? slot(inst.b + k) : x;
    lanes.forEach([&](uint32_t t) {
      d[t] = fromDouble(inst.kind,
                        mathFunction(fn, inst.kind, toDouble(inst.kind, x[t]),
                                     toDouble(inst.kind, y[t])));
    });
  }
  return true;
}

bool Machine::executeReduce(const Inst &inst, const Lanes &lanes) {
  ReduceFn fn = static_cast<ReduceFn>(inst.imm);
  unsigned bits = bitWidth(inst.kind);
  uint64_t mask = widthMask(bits);
  uint64_t *d = slot(inst.dst);
  lanes.forEach([&](uint32_t t) {
    if (isFloat(inst.kind)) {
      // In element order, rounding after each step (LLVM's ordered
      // reduction, one valid order for the reassociating forms).
      double acc = inst.flags ? toDouble(inst.kind, slot(inst.a)[t])
                              : toDouble(inst.kind, slot(inst.b)[t]);
      for (unsigned k = inst.flags ? 0 : 1; k < inst.width; ++k) {
        double x = toDouble(inst.kind, slot(inst.b + k)[t]);
        switch (fn) {
        case ReduceFn::FAdd:
          acc = acc + x;
          break;
        case ReduceFn::FMul:
          acc = acc * x;
          break;
        case ReduceFn::FMax:
          acc = maxnumOf<true>(acc, x);
          break;
        case ReduceFn::FMin:
          acc = maxnumOf<false>(acc, x);
          break;
        case ReduceFn::FMaximum:
          acc = maximumOf<true>(acc, x);
          break;
        default:
          acc = maximumOf<false>(acc, x);
          break;
        }
        acc = toDouble(inst.kind, fromDouble(inst.kind, acc));
      }
      d[t] = fromDouble(inst.kind, acc);
      return;
    }
    uint64_t acc = slot(inst.b)[t];
    for (unsigned k = 1; k < inst.width; ++k) {
      uint64_t x = slot(inst.b + k)[t];
      switch (fn) {
      case ReduceFn::Add:
        acc += x;
        break;
      case ReduceFn::Mul:
        acc *= x;
        break;
      case ReduceFn::And:
        acc &= x;
        break;
      case ReduceFn::Or:
        acc |= x;
        break;
      case ReduceFn::Xor:
        acc ^= x;
        break;
      case ReduceFn::SMax:
        acc = signExtend(acc, bits) >= signExtend(x, bits) ? acc : x;
        break;
      case ReduceFn::SMin:
        acc = signExtend(acc, bits) <= signExtend(x, bits) ? acc : x;
        break;
      case ReduceFn::UMax:
        acc = std::max(acc & mask, x);
        break;
      default:
        acc = std::min(acc & mask, x);
        break;
      }
      acc &= mask;
    }
    d[t] = acc;
  });
  return true;
}

} // namespace mixir::gpu::detail
