//===- Npy.h - reading and writing NumPy .npy files -------------*- C++ -*-===//
//
// A small library for the NumPy .npy format, used by mixir-run and the AOT
// test drivers to exchange tensors with Python. It reads format versions 1.0,
// 2.0 and 3.0 of C-ordered little-endian arrays of the six element types the
// compiler works with, writes version 1.0 exactly as numpy.save does, and
// converts elements to and from double (float16 included). The reader treats
// its input as untrusted: any malformed, truncated or oversized file is
// answered with an llvm::Error of one line naming the file and the problem,
// never with a crash or a read out of bounds.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_RUNTIME_NPY_H
#define MIXIR_RUNTIME_NPY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mixir::npy {

/// The element types an .npy file may hold.
enum class DType { F32, F16, F64, I32, I64, Bool };

/// The size of one element in bytes (4, 2, 8, 4, 8, 1).
size_t byteWidth(DType dtype);

/// The numpy type string written in headers: "<f4", "<f2", "<f8", "<i4",
/// "<i8", "|b1".
llvm::StringRef descr(DType dtype);

/// The numpy name of the type: "float32", "float16", "float64", "int32",
/// "int64", "bool".
llvm::StringRef name(DType dtype);

/// A dense array: elements in row-major (C) order, each stored little-endian
/// in `byteWidth(dtype)` bytes. A valid array has non-negative dimensions and
/// exactly `numel() * byteWidth(dtype)` bytes; an empty shape is a scalar.
struct Array {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;

  /// The number of elements: the product of the dimensions (1 for a scalar),
  /// or -1 when a dimension is negative or the product overflows int64.
  int64_t numel() const;
};

/// The default limit on the data size of an array read from a file (1 TiB).
constexpr uint64_t kDefaultMaxBytes = uint64_t(1) << 40;

/// Reads the .npy file at `path`. Fails, with a message naming the file, when
/// it cannot be read, is malformed, holds an unsupported dtype or Fortran
/// order, or holds more than `maxBytes` bytes of data.
llvm::Expected<Array> readNpy(llvm::StringRef path,
                              uint64_t maxBytes = kDefaultMaxBytes);

/// Parses the contents of an .npy file. `nameForErrors` starts every error
/// message. The buffer must hold exactly the header and the data.
llvm::Expected<Array> parseNpy(llvm::ArrayRef<uint8_t> buffer,
                               llvm::StringRef nameForErrors,
                               uint64_t maxBytes = kDefaultMaxBytes);

/// Writes `array` to `path` as numpy.save would: format version 1.0 (2.0 only
/// if the header does not fit in 1.0), the header padded with spaces and a
/// final '\n' to a multiple of 64 bytes. The file is written under a temporary
/// name in the same directory and renamed over `path`, so a failure never
/// leaves a partial file behind. Fails if the array is not valid.
llvm::Error writeNpy(llvm::StringRef path, const Array &array);

/// The shape as numpy prints it: "()", "(3,)", "(2, 3)".
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// Element `index` (row-major, 0 <= index < numel()) converted to double.
/// Booleans load as 0 or 1 (any non-zero byte is true); int64 values beyond
/// 2^53 are rounded to the nearest double.
double loadAsDouble(const Array &array, int64_t index);

/// Stores `value` into element `index`, rounded to the dtype: floats round to
/// nearest, ties to even (overflowing to infinity, NaN staying NaN); integers
/// round to nearest, ties to even, saturate at the type's limits and store 0
/// for NaN; a boolean is true when `value` is non-zero (NaN included).
void storeFromDouble(Array &array, int64_t index, double value);

/// All elements converted to double, in row-major order.
std::vector<double> toDoubles(const Array &array);

/// An array of `shape` whose elements are `values` rounded to `dtype` as
/// storeFromDouble does. `values` must hold exactly the number of elements.
Array fromDoubles(DType dtype, std::vector<int64_t> shape,
                  llvm::ArrayRef<double> values);

/// An array of `shape` filled with standard-normal samples drawn with
/// std::mt19937_64 seeded by `seed` and std::normal_distribution<double>, then
/// rounded to `dtype`. The same seed gives the same array (with the same C++
/// standard library).
Array randomNormal(DType dtype, std::vector<int64_t> shape, uint64_t seed);

/// Conversions between double and the bits of an IEEE 754 binary16 value,
/// rounding to nearest, ties to even; subnormals, infinities and NaN
/// (quieted, sign and top payload bits kept) are handled.
uint16_t doubleToHalfBits(double value);
double halfBitsToDouble(uint16_t bits);

} // namespace mixir::npy

#endif // MIXIR_RUNTIME_NPY_H
