//===- Numerics.h - bit-exact float formats for the interpreter -*- C++ -*-===//
//
// Conversions between the interpreter's register bits and host numbers: f16
// (IEEE binary16), bf16 and f32/f64, rounding to nearest, ties to even, with
// overflow to infinity (LLVM LangRef `fptrunc`; PTX ISA `cvt` with `.rn`).
// Every narrowing rounds once from the exact value (a double, or an integer
// magnitude), so no double rounding is introduced by the host's formats.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_LIB_TARGET_GPU_INTERPRETER_NUMERICS_H
#define MIXIR_LIB_TARGET_GPU_INTERPRETER_NUMERICS_H

#include "llvm/ADT/bit.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace mixir::gpu::detail {

inline float bitsToF32(uint64_t bits) {
  return llvm::bit_cast<float>(static_cast<uint32_t>(bits));
}
inline uint64_t f32ToBits(float value) {
  return llvm::bit_cast<uint32_t>(value);
}
inline double bitsToF64(uint64_t bits) { return llvm::bit_cast<double>(bits); }
inline uint64_t f64ToBits(double value) {
  return llvm::bit_cast<uint64_t>(value);
}

/// Rounds `sign * mantissa * 2^exponent` (an exact value; `mantissa` may use
/// all 64 bits) to the binary format with `ExpBits` exponent bits and
/// `MantBits` stored mantissa bits, to nearest with ties to even. Returns the
/// format's bits; values beyond the largest finite number become infinity.
template <int ExpBits, int MantBits>
uint64_t roundToFormat(bool negative, uint64_t mantissa, int exponent) {
  const uint64_t signBit = negative ? (uint64_t(1) << (ExpBits + MantBits)) : 0;
  if (mantissa == 0)
    return signBit;
  const int bias = (1 << (ExpBits - 1)) - 1;
  const uint64_t infBits = ((uint64_t(1) << ExpBits) - 1) << MantBits;
  // Normalize so that the leading one is bit 63.
  int lead = 63 - llvm::countl_zero(mantissa);
  mantissa <<= (63 - lead);
  exponent -= (63 - lead);
  // Value = mantissa * 2^exponent with the leading bit at 2^(exponent + 63).
  int unbiased = exponent + 63;
  // Bits to drop so that MantBits fraction bits remain; more below the
  // normal range (the result is subnormal).
  int shift = 63 - MantBits;
  if (unbiased < 1 - bias)
    shift += (1 - bias) - unbiased;
  if (unbiased > bias)
    return signBit | infBits;
  uint64_t q, rest;
  bool halfway, above;
  if (shift >= 64) {
    // Everything is dropped: at most half of the smallest subnormal.
    q = 0;
    halfway = shift == 64 && mantissa == (uint64_t(1) << 63);
    above = shift == 64 && mantissa > (uint64_t(1) << 63);
  } else {
    q = mantissa >> shift;
    rest = mantissa & ((uint64_t(1) << shift) - 1);
    uint64_t half = uint64_t(1) << (shift - 1);
    halfway = rest == half;
    above = rest > half;
  }
  if (above || (halfway && (q & 1)))
    ++q;
  uint64_t bits;
  if (unbiased < 1 - bias) {
    // Subnormal: the exponent field is 0; a carry into bit MantBits gives the
    // smallest normal number, as it should.
    bits = q;
  } else {
    // Normal: q has its leading one at bit MantBits (or MantBits + 1 after a
    // carry, which the addition turns into the next exponent).
    bits = (uint64_t(unbiased + bias) << MantBits) +
           (q - (uint64_t(1) << MantBits));
  }
  if (bits >= infBits)
    return signBit | infBits;
  return signBit | bits;
}

/// Rounds a double to the format, handling NaN and infinity.
template <int ExpBits, int MantBits> uint64_t roundDouble(double value) {
  const uint64_t signBit = uint64_t(std::signbit(value))
                           << (ExpBits + MantBits);
  const uint64_t infBits = ((uint64_t(1) << ExpBits) - 1) << MantBits;
  if (std::isnan(value)) {
    // A quiet NaN keeping the top payload bits (LLVM leaves the payload
    // unspecified; hardware returns the canonical NaN for most ops).
    uint64_t payload =
        (f64ToBits(value) >> (52 - MantBits)) & ((uint64_t(1) << MantBits) - 1);
    return signBit | infBits | (uint64_t(1) << (MantBits - 1)) | payload;
  }
  if (std::isinf(value))
    return signBit | infBits;
  int exponent;
  double fraction = std::frexp(std::fabs(value), &exponent);
  // fraction in [0.5, 1): scale to a 53-bit integer.
  uint64_t mantissa = static_cast<uint64_t>(std::ldexp(fraction, 53));
  return roundToFormat<ExpBits, MantBits>(std::signbit(value), mantissa,
                                          exponent - 53);
}

inline uint16_t doubleToF16(double value) {
  return static_cast<uint16_t>(roundDouble<5, 10>(value));
}
inline uint16_t doubleToBF16(double value) {
  return static_cast<uint16_t>(roundDouble<8, 7>(value));
}

/// Exact: every f16 is an f32 (its subnormals are f32 normals).
inline float f16ToF32(uint16_t bits) {
  uint32_t sign = uint32_t(bits & 0x8000) << 16;
  uint32_t exponent = (bits >> 10) & 0x1f;
  uint32_t fraction = bits & 0x3ff;
  if (exponent == 0x1f) // inf / NaN (payload kept in the top bits)
    return bitsToF32(sign | 0x7f800000 | (fraction << 13));
  if (exponent == 0) {
    if (fraction == 0)
      return bitsToF32(sign);
    // Subnormal: fraction * 2^-24, normalized.
    int shift = llvm::countl_zero(fraction) - 21;
    fraction = (fraction << shift) & 0x3ff;
    exponent = 1 - shift;
  }
  return bitsToF32(sign | ((exponent + 112) << 23) | (fraction << 13));
}

inline double f16ToDouble(uint16_t bits) { return f16ToF32(bits); }

inline double bf16ToDouble(uint16_t bits) {
  return bitsToF32(uint32_t(bits) << 16);
}

/// Flushes f32 subnormals to zero of the same sign (PTX `.ftz`).
inline float flushF32(float value) {
  if (value != 0 && std::fabs(value) < 0x1p-126f)
    return std::copysign(0.0f, value);
  return value;
}

} // namespace mixir::gpu::detail

#endif // MIXIR_LIB_TARGET_GPU_INTERPRETER_NUMERICS_H
