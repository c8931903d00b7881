//===- Npy.cpp - reading and writing NumPy .npy files ---------------------===//
//
// Implements the .npy reader, writer and element conversions declared in
// Npy.h. The reader checks every length against the buffer before using it
// and parses the header dict with a small hand-written parser of the Python
// literals numpy writes, so that no input can make it read out of bounds;
// every problem becomes one line of error text naming the file. The writer
// reproduces numpy.save's header byte for byte and writes through a temporary
// file that is renamed over the destination.
//
//===----------------------------------------------------------------------===//

#include "mixir/Runtime/Npy.h"

#include "llvm/ADT/APInt.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cassert>
#include <cmath>
#include <cstring>
#include <optional>
#include <random>

using namespace llvm;
using namespace mixir::npy;

namespace {

/// The six bytes every .npy file starts with.
constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
/// numpy aligns the data to this many bytes from the start of the file.
constexpr size_t kAlign = 64;
/// numpy leaves room for this many digits in the first dimension so that an
/// array can be grown in place (numpy.lib.format.GROWTH_AXIS_MAX_DIGITS).
constexpr size_t kGrowthAxisMaxDigits = 21;
/// The most dimensions numpy supports (NPY_MAXDIMS in numpy 2).
constexpr size_t kMaxRank = 64;

/// An error "<name>: <message>", with any line break in the message replaced
/// so that the text stays on one line.
Error fail(StringRef name, const Twine &message) {
  std::string text = (name + ": " + message).str();
  for (char &c : text)
    if (c == '\n' || c == '\r')
      c = ' ';
  return createStringError(inconvertibleErrorCode(), text);
}

/// Text taken from the file, quoted for a message: printable ASCII is kept,
/// every other byte escaped as \xNN, and long text cut short.
std::string quote(StringRef text, size_t limit = 32) {
  std::string out = "'";
  for (size_t i = 0, e = std::min(text.size(), limit); i < e; ++i) {
    unsigned char c = text[i];
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += hexdigit(c >> 4, /*LowerCase=*/true);
      out += hexdigit(c & 15, /*LowerCase=*/true);
    }
  }
  if (text.size() > limit)
    out += "...";
  out += "'";
  return out;
}

bool isPythonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

bool isIdentifierChar(char c) { return isAlnum(c) || c == '_'; }

/// The values of the three keys of a header dict.
struct Header {
  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
};

/// A parser of the header dict numpy writes, e.g.
///   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
/// It accepts the subset of Python literal syntax that such a dict uses: the
/// keys in any order, either quote character, any whitespace, an optional
/// trailing comma, and the "3L" integers of Python 2.
class HeaderParser {
public:
  explicit HeaderParser(StringRef text) : rest(text) {}

  /// Parses the whole header into `header`; on failure returns the problem,
  /// without the file name.
  Error parse(Header &header);

private:
  Error error(const Twine &message) {
    return createStringError(inconvertibleErrorCode(),
                             "malformed header: " + message);
  }

  /// What comes next, for messages: "end of header" or a quoted excerpt.
  std::string next() const {
    if (rest.empty())
      return "end of header";
    return quote(rest, 16);
  }

  void skipSpace() {
    while (!rest.empty() && isPythonSpace(rest.front()))
      rest = rest.drop_front();
  }

  bool consume(char c) {
    if (rest.empty() || rest.front() != c)
      return false;
    rest = rest.drop_front();
    return true;
  }

  /// Consumes `word` if it is next and not followed by more of an identifier.
  bool consumeWord(StringRef word) {
    if (!rest.starts_with(word))
      return false;
    if (rest.size() > word.size() && isIdentifierChar(rest[word.size()]))
      return false;
    rest = rest.drop_front(word.size());
    return true;
  }

  bool atQuote() const {
    return !rest.empty() && (rest.front() == '\'' || rest.front() == '"');
  }

  Error parseString(std::string &out);
  Error parseBool(StringRef key, bool &out);
  Error parseShape(std::vector<int64_t> &out);
  Error parseDim(int64_t &out);

  StringRef rest;
};

Error HeaderParser::parseString(std::string &out) {
  assert(atQuote() && "a string starts with a quote");
  char quoteChar = rest.front();
  rest = rest.drop_front();
  out.clear();
  while (true) {
    if (rest.empty() || rest.front() == '\n')
      return error("unterminated string " + quote(out));
    char c = rest.front();
    rest = rest.drop_front();
    if (c == quoteChar)
      return Error::success();
    if (c == '\\') {
      // The escapes that can occur in a type string are all of one
      // character ('\\', '\'', '"'); keep the escaped character.
      if (rest.empty())
        return error("unterminated string " + quote(out));
      c = rest.front();
      rest = rest.drop_front();
    }
    out += c;
  }
}

Error HeaderParser::parseBool(StringRef key, bool &out) {
  if (consumeWord("True")) {
    out = true;
    return Error::success();
  }
  if (consumeWord("False")) {
    out = false;
    return Error::success();
  }
  return error("expected True or False for '" + key + "', found " + next());
}

Error HeaderParser::parseDim(int64_t &out) {
  StringRef start = rest;
  bool negative = consume('-');
  if (rest.empty() || !isDigit(rest.front()))
    return error("expected an integer dimension in 'shape', found " +
                 quote(start, 16));
  uint64_t value = 0;
  bool overflow = false;
  while (!rest.empty() && isDigit(rest.front())) {
    unsigned digit = rest.front() - '0';
    if (value > (uint64_t(INT64_MAX) - digit) / 10)
      overflow = true;
    else
      value = value * 10 + digit;
    rest = rest.drop_front();
  }
  StringRef token = start.take_front(start.size() - rest.size());
  // Python 2 numpy wrote dimensions as longs: "3L".
  if (!rest.empty() && (rest.front() == 'L' || rest.front() == 'l'))
    rest = rest.drop_front();
  if (!rest.empty() && (isIdentifierChar(rest.front()) || rest.front() == '.'))
    return error("expected an integer dimension in 'shape', found " +
                 quote(start, 16));
  if (negative && value != 0)
    return error("negative dimension " + token + " in 'shape'");
  if (overflow)
    return error("dimension " + quote(token) +
                 " in 'shape' does not fit in int64");
  out = static_cast<int64_t>(value);
  return Error::success();
}

Error HeaderParser::parseShape(std::vector<int64_t> &out) {
  out.clear();
  if (!consume('('))
    return error("expected a tuple for 'shape', found " + next());
  skipSpace();
  if (consume(')'))
    return Error::success();
  while (true) {
    if (out.size() == kMaxRank)
      return error("'shape' has more than " + Twine(kMaxRank) + " dimensions");
    int64_t dim = 0;
    if (Error err = parseDim(dim))
      return err;
    out.push_back(dim);
    skipSpace();
    if (consume(',')) {
      skipSpace();
      if (consume(')'))
        return Error::success();
      continue;
    }
    if (consume(')')) {
      if (out.size() == 1)
        return error("'shape' (" + Twine(out[0]) +
                     ") is not a tuple: a one-element tuple needs a trailing "
                     "comma");
      return Error::success();
    }
    return error("expected ',' or ')' in 'shape', found " + next());
  }
}

Error HeaderParser::parse(Header &header) {
  bool seenDescr = false, seenFortranOrder = false, seenShape = false;
  skipSpace();
  if (!consume('{'))
    return error("expected '{' at the start of the header, found " + next());
  while (true) {
    skipSpace();
    if (consume('}'))
      break;
    if (!atQuote())
      return error("expected a quoted key or '}', found " + next());
    std::string key;
    if (Error err = parseString(key))
      return err;
    skipSpace();
    if (!consume(':'))
      return error("expected ':' after key " + quote(key) + ", found " +
                   next());
    skipSpace();
    bool *seen = key == "descr"           ? &seenDescr
                 : key == "fortran_order" ? &seenFortranOrder
                 : key == "shape"         ? &seenShape
                                          : nullptr;
    if (!seen)
      return error("unexpected key " + quote(key) +
                   " (expected 'descr', 'fortran_order' and 'shape')");
    if (*seen)
      return error("duplicate key " + quote(key));
    *seen = true;
    if (key == "descr") {
      if (!rest.empty() && rest.front() == '[')
        return error("unsupported dtype: structured arrays (a list 'descr') "
                     "are not supported");
      if (!atQuote())
        return error("expected a string for 'descr', found " + next());
      if (Error err = parseString(header.descr))
        return err;
    } else if (key == "fortran_order") {
      if (Error err = parseBool(key, header.fortranOrder))
        return err;
    } else {
      if (Error err = parseShape(header.shape))
        return err;
    }
    skipSpace();
    if (consume(','))
      continue;
    if (consume('}'))
      break;
    return error("expected ',' or '}' after the value of " + quote(key) +
                 ", found " + next());
  }
  skipSpace();
  if (!rest.empty())
    return error("unexpected text after the header dict: " + next());
  if (!seenDescr)
    return error("no 'descr' key");
  if (!seenFortranOrder)
    return error("no 'fortran_order' key");
  if (!seenShape)
    return error("no 'shape' key");
  return Error::success();
}

/// The dtype a header's 'descr' names. Byte order '<' (little-endian), '|'
/// (not applicable) and '=' (native, which is little-endian on every host
/// Mixir supports) are accepted, and any byte order for the one-byte bool.
std::optional<DType> parseDescr(StringRef text) {
  if (text.size() < 2)
    return std::nullopt;
  char order = text.front();
  StringRef code = text.drop_front();
  if (code == "b1" &&
      (order == '<' || order == '>' || order == '|' || order == '='))
    return DType::Bool;
  if (order != '<' && order != '|' && order != '=')
    return std::nullopt;
  for (DType dtype : {DType::F32, DType::F16, DType::F64, DType::I32,
                      DType::I64, DType::Bool})
    if (descr(dtype).drop_front() == code)
      return dtype;
  return std::nullopt;
}

/// A message for an unsupported 'descr'.
std::string unsupportedDescr(StringRef text) {
  std::string message = "unsupported dtype " + quote(text);
  if (text.size() >= 2 && text.front() == '>' &&
      parseDescr(("<" + text.drop_front()).str()))
    return message + ": big-endian data is not supported (save it as '<" +
           text.drop_front().str() + "')";
  return message + " (supported: '<f4', '<f2', '<f8', '<i4', '<i8', '|b1')";
}

/// `count * width` written out exactly, for messages about sizes that may not
/// fit in 64 bits.
std::string productString(uint64_t count, uint64_t width) {
  APInt product = APInt(128, count) * APInt(128, width);
  SmallString<48> text;
  product.toString(text, /*Radix=*/10, /*Signed=*/false);
  return std::string(text);
}

/// The number of elements of `shape`, or std::nullopt when it overflows
/// int64. `shape` holds no negative dimension.
std::optional<int64_t> elementCount(ArrayRef<int64_t> shape) {
  for (int64_t dim : shape)
    if (dim == 0)
      return 0;
  int64_t count = 1;
  for (int64_t dim : shape)
    if (MulOverflow(count, dim, count))
      return std::nullopt;
  return count;
}

/// numpy's header dict for an array, with the room it leaves for growing the
/// first dimension.
std::string headerDict(DType dtype, ArrayRef<int64_t> shape) {
  std::string dict =
      "{'descr': '" + descr(dtype).str() +
      "', 'fortran_order': False, 'shape': " + formatShape(shape) + ", }";
  if (!shape.empty()) {
    size_t digits = std::to_string(shape.front()).size();
    if (digits < kGrowthAxisMaxDigits)
      dict.append(kGrowthAxisMaxDigits - digits, ' ');
  }
  return dict;
}

/// The magic string, version, header length and header of a file holding
/// `dtype` and `shape`, as numpy.save writes them: version 1.0 unless the
/// header needs more than 65535 bytes, then 2.0; the header padded with
/// spaces and ended by '\n' so that the data starts at a multiple of 64.
std::string fileHeader(DType dtype, ArrayRef<int64_t> shape) {
  std::string dict = headerDict(dtype, shape);
  size_t withNewline = dict.size() + 1;
  bool version1 = true;
  size_t prefix = kMagicSize + 2 + 2;
  size_t padding = kAlign - (prefix + withNewline) % kAlign;
  if (withNewline + padding > 0xffff) {
    version1 = false;
    prefix = kMagicSize + 2 + 4;
    padding = kAlign - (prefix + withNewline) % kAlign;
  }
  uint64_t headerLength = withNewline + padding;

  std::string out(kMagic, kMagicSize);
  out += static_cast<char>(version1 ? 1 : 2);
  out += static_cast<char>(0);
  for (unsigned i = 0, e = version1 ? 2 : 4; i < e; ++i)
    out += static_cast<char>((headerLength >> (8 * i)) & 0xff);
  out += dict;
  out.append(padding, ' ');
  out += '\n';
  return out;
}

template <typename T> T loadRaw(const Array &array, int64_t index) {
  T value;
  std::memcpy(&value, array.bytes.data() + index * sizeof(T), sizeof(T));
  return value;
}

template <typename T> void storeRaw(Array &array, int64_t index, T value) {
  std::memcpy(array.bytes.data() + index * sizeof(T), &value, sizeof(T));
}

/// `value` rounded to the nearest integer, ties to even, whatever the
/// floating-point rounding mode.
double roundHalfEven(double value) {
  double rounded = std::round(value);
  if (std::fabs(rounded - value) == 0.5)
    rounded = 2.0 * std::round(value / 2.0);
  return rounded;
}

/// The number of elements that can be accessed safely: numel(), bounded by
/// the bytes present.
int64_t accessibleElements(const Array &array) {
  int64_t count = array.numel();
  if (count < 0)
    return 0;
  return std::min<uint64_t>(count, array.bytes.size() / byteWidth(array.dtype));
}

/// A zero-filled array of `dtype` and `shape`.
Array zeros(DType dtype, std::vector<int64_t> shape) {
  Array array;
  array.dtype = dtype;
  array.shape = std::move(shape);
  int64_t count = array.numel();
  assert(count >= 0 && "invalid shape");
  if (count > 0)
    array.bytes.assign(static_cast<size_t>(count) * byteWidth(dtype), 0);
  return array;
}

} // namespace

size_t mixir::npy::byteWidth(DType dtype) {
  switch (dtype) {
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::F16:
    return 2;
  case DType::F64:
  case DType::I64:
    return 8;
  case DType::Bool:
    return 1;
  }
  llvm_unreachable("unknown dtype");
}

StringRef mixir::npy::descr(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "<f4";
  case DType::F16:
    return "<f2";
  case DType::F64:
    return "<f8";
  case DType::I32:
    return "<i4";
  case DType::I64:
    return "<i8";
  case DType::Bool:
    return "|b1";
  }
  llvm_unreachable("unknown dtype");
}

StringRef mixir::npy::name(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "float32";
  case DType::F16:
    return "float16";
  case DType::F64:
    return "float64";
  case DType::I32:
    return "int32";
  case DType::I64:
    return "int64";
  case DType::Bool:
    return "bool";
  }
  llvm_unreachable("unknown dtype");
}

int64_t Array::numel() const {
  for (int64_t dim : shape)
    if (dim < 0)
      return -1;
  return elementCount(shape).value_or(-1);
}

std::string mixir::npy::formatShape(ArrayRef<int64_t> shape) {
  std::string out = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      out += ", ";
    out += std::to_string(shape[i]);
  }
  if (shape.size() == 1)
    out += ",";
  out += ")";
  return out;
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

Expected<Array> mixir::npy::parseNpy(ArrayRef<uint8_t> buffer,
                                     StringRef nameForErrors,
                                     uint64_t maxBytes) {
  StringRef name = nameForErrors;
  uint64_t size = buffer.size();
  StringRef magic(kMagic, kMagicSize);
  StringRef start(reinterpret_cast<const char *>(buffer.data()),
                  std::min<uint64_t>(size, kMagicSize));
  if (size < kMagicSize && magic.starts_with(start))
    return fail(name, "truncated: " + Twine(size) +
                          " bytes, too short for an .npy file");
  if (start != magic)
    return fail(name, "not an .npy file: it does not start with the magic "
                      "string \\x93NUMPY");
  if (size < kMagicSize + 2)
    return fail(name, "truncated: the file ends inside the format version");
  unsigned major = buffer[kMagicSize], minor = buffer[kMagicSize + 1];
  if ((major != 1 && major != 2 && major != 3) || minor != 0)
    return fail(name, "unsupported .npy format version " + Twine(major) + "." +
                          Twine(minor) + " (supported: 1.0, 2.0, 3.0)");
  unsigned lengthBytes = major == 1 ? 2 : 4;
  uint64_t headerStart = kMagicSize + 2 + lengthBytes;
  if (size < headerStart)
    return fail(name, "truncated: the file ends inside the header length");
  uint64_t headerLength = 0;
  for (unsigned i = 0; i < lengthBytes; ++i)
    headerLength |= uint64_t(buffer[kMagicSize + 2 + i]) << (8 * i);
  if (headerLength > size - headerStart)
    return fail(name, "truncated header: the header length is " +
                          Twine(headerLength) + " bytes but only " +
                          Twine(size - headerStart) + " bytes follow it");
  uint64_t dataStart = headerStart + headerLength;

  StringRef headerText(reinterpret_cast<const char *>(buffer.data()) +
                           headerStart,
                       headerLength);
  Header header;
  if (Error err = HeaderParser(headerText).parse(header))
    return fail(name, toString(std::move(err)));

  std::optional<DType> dtype = parseDescr(header.descr);
  if (!dtype)
    return fail(name, unsupportedDescr(header.descr));
  if (header.fortranOrder)
    return fail(name, "fortran_order is True: only C-order arrays are "
                      "supported (save np.ascontiguousarray(a))");

  std::string shapeText = formatShape(header.shape);
  std::optional<int64_t> count = elementCount(header.shape);
  if (!count)
    return fail(name,
                "shape " + shapeText + " has more elements than fit in int64");
  uint64_t width = byteWidth(*dtype);
  uint64_t numel = static_cast<uint64_t>(*count);
  if (numel > maxBytes / width)
    return fail(name, "shape " + shapeText + " of " + npy::name(*dtype) +
                          " needs " + productString(numel, width) +
                          " bytes, more than the limit of " + Twine(maxBytes) +
                          " bytes");
  uint64_t needed = numel * width;
  uint64_t found = size - dataStart;
  if (found < needed)
    return fail(name, "truncated data: shape " + shapeText + " of " +
                          npy::name(*dtype) + " needs " + Twine(needed) +
                          " bytes, found " + Twine(found));
  if (found > needed)
    return fail(name, Twine(found - needed) +
                          " unexpected bytes after the data: shape " +
                          shapeText + " of " + npy::name(*dtype) + " needs " +
                          Twine(needed) + " bytes, found " + Twine(found));

  Array array;
  array.dtype = *dtype;
  array.shape = std::move(header.shape);
  array.bytes.assign(buffer.begin() + dataStart, buffer.end());
  return array;
}

Expected<Array> mixir::npy::readNpy(StringRef path, uint64_t maxBytes) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> file =
      MemoryBuffer::getFile(path, /*IsText=*/false,
                            /*RequiresNullTerminator=*/false);
  if (!file)
    return fail(path, "cannot read: " + file.getError().message());
  StringRef contents = (*file)->getBuffer();
  return parseNpy(
      ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(contents.data()),
                        contents.size()),
      path, maxBytes);
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

Error mixir::npy::writeNpy(StringRef path, const Array &array) {
  std::string shapeText = formatShape(array.shape);
  if (array.shape.size() > kMaxRank)
    return fail(path, "cannot write: shape " + shapeText + " has more than " +
                          Twine(kMaxRank) + " dimensions");
  int64_t count = array.numel();
  if (count < 0)
    return fail(path, "cannot write: shape " + shapeText +
                          " has a negative dimension or more elements than "
                          "fit in int64");
  uint64_t width = byteWidth(array.dtype);
  if (static_cast<uint64_t>(count) > array.bytes.size() / width ||
      static_cast<uint64_t>(count) * width != array.bytes.size())
    return fail(
        path, "cannot write: shape " + shapeText + " of " + name(array.dtype) +
                  " needs " + productString(count, width) +
                  " bytes but the array holds " + Twine(array.bytes.size()));

  // Write to a temporary file next to `path`, then rename it over `path`:
  // a reader never sees a partial file, and a failure leaves none behind.
  Expected<sys::fs::TempFile> temp = sys::fs::TempFile::create(
      path + ".tmp-%%%%%%%%", sys::fs::all_read | sys::fs::all_write);
  if (!temp)
    return fail(path, "cannot write: " + toString(temp.takeError()));
  std::error_code writeError;
  {
    raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    os << fileHeader(array.dtype, array.shape);
    os.write(reinterpret_cast<const char *>(array.bytes.data()),
             array.bytes.size());
    os.flush();
    // Take the error out of the stream: one destroyed with an error pending
    // aborts the process.
    writeError = os.error();
    os.clear_error();
  }
  if (writeError) {
    consumeError(temp->discard());
    return fail(path, "cannot write: " + writeError.message());
  }
  if (Error err = temp->keep(path))
    return fail(path, "cannot write: " + toString(std::move(err)));
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

uint16_t mixir::npy::doubleToHalfBits(double value) {
  uint64_t bits = llvm::bit_cast<uint64_t>(value);
  uint16_t sign = static_cast<uint16_t>((bits >> 48) & 0x8000);
  uint64_t magnitude = bits & ~(uint64_t(1) << 63);
  constexpr uint64_t kInfinity = uint64_t(0x7ff) << 52;
  if (magnitude == kInfinity)
    return sign | 0x7c00;
  if (magnitude > kInfinity) // NaN: quiet it, keep the top payload bits.
    return sign | 0x7e00 | static_cast<uint16_t>((magnitude >> 42) & 0x3ff);

  int exponent = static_cast<int>(magnitude >> 52) - 1023;
  uint64_t fraction = magnitude & ((uint64_t(1) << 52) - 1);
  // 65520 = (2 - 2^-11) * 2^15 and above rounds to infinity; everything
  // from 2^16 up certainly does.
  if (exponent > 15)
    return sign | 0x7c00;
  // Below 2^-25 (the half of the smallest subnormal) everything rounds to
  // zero; double subnormals are far below.
  if (exponent < -25)
    return sign;

  uint64_t significand = fraction | (uint64_t(1) << 52);
  uint64_t base;
  unsigned shift;
  if (exponent >= -14) {
    // A normal half: 10 fraction bits, biased exponent 1..30. Rounding may
    // carry into the exponent, up to infinity (0x7c00), which is correct.
    base = (uint64_t(exponent + 15) << 10);
    shift = 42;
    significand = fraction;
  } else {
    // A subnormal half counts units of 2^-24: value = significand *
    // 2^(exponent - 52), so units = significand >> (28 - exponent), with
    // 43 <= shift <= 53. A carry to 0x400 gives the smallest normal.
    base = 0;
    shift = static_cast<unsigned>(28 - exponent);
  }
  uint64_t result = base + (significand >> shift);
  uint64_t remainder = significand & ((uint64_t(1) << shift) - 1);
  uint64_t halfway = uint64_t(1) << (shift - 1);
  if (remainder > halfway || (remainder == halfway && (result & 1)))
    ++result;
  return sign | static_cast<uint16_t>(result);
}

double mixir::npy::halfBitsToDouble(uint16_t bits) {
  uint64_t sign = uint64_t(bits & 0x8000) << 48;
  unsigned exponent = (bits >> 10) & 0x1f;
  uint64_t fraction = bits & 0x3ff;
  uint64_t result;
  if (exponent == 0x1f) {
    // Infinity or NaN, with the payload kept.
    result = sign | (uint64_t(0x7ff) << 52) | (fraction << 42);
  } else if (exponent != 0) {
    result = sign | (uint64_t(exponent - 15 + 1023) << 52) | (fraction << 42);
  } else {
    // Zero or subnormal: fraction * 2^-24, exact in a double.
    double magnitude = std::ldexp(static_cast<double>(fraction), -24);
    return sign ? -magnitude : magnitude;
  }
  return llvm::bit_cast<double>(result);
}

double mixir::npy::loadAsDouble(const Array &array, int64_t index) {
  assert(index >= 0 && index < accessibleElements(array) &&
         "element index out of range");
  switch (array.dtype) {
  case DType::F32:
    return loadRaw<float>(array, index);
  case DType::F16:
    return halfBitsToDouble(loadRaw<uint16_t>(array, index));
  case DType::F64:
    return loadRaw<double>(array, index);
  case DType::I32:
    return loadRaw<int32_t>(array, index);
  case DType::I64:
    return static_cast<double>(loadRaw<int64_t>(array, index));
  case DType::Bool:
    return loadRaw<uint8_t>(array, index) != 0 ? 1.0 : 0.0;
  }
  llvm_unreachable("unknown dtype");
}

void mixir::npy::storeFromDouble(Array &array, int64_t index, double value) {
  assert(index >= 0 && index < accessibleElements(array) &&
         "element index out of range");
  switch (array.dtype) {
  case DType::F32:
    return storeRaw<float>(array, index, static_cast<float>(value));
  case DType::F16:
    return storeRaw<uint16_t>(array, index, doubleToHalfBits(value));
  case DType::F64:
    return storeRaw<double>(array, index, value);
  case DType::I32: {
    int32_t stored = 0;
    if (!std::isnan(value)) {
      double rounded = roundHalfEven(value);
      stored = rounded >= 2147483647.0    ? INT32_MAX
               : rounded <= -2147483648.0 ? INT32_MIN
                                          : static_cast<int32_t>(rounded);
    }
    return storeRaw<int32_t>(array, index, stored);
  }
  case DType::I64: {
    int64_t stored = 0;
    if (!std::isnan(value)) {
      // 2^63 is the first double above INT64_MAX; -2^63 is INT64_MIN.
      double rounded = roundHalfEven(value);
      stored = rounded >= 0x1p63    ? INT64_MAX
               : rounded <= -0x1p63 ? INT64_MIN
                                    : static_cast<int64_t>(rounded);
    }
    return storeRaw<int64_t>(array, index, stored);
  }
  case DType::Bool:
    return storeRaw<uint8_t>(array, index, value != 0.0 ? 1 : 0);
  }
  llvm_unreachable("unknown dtype");
}

std::vector<double> mixir::npy::toDoubles(const Array &array) {
  int64_t count = accessibleElements(array);
  std::vector<double> values;
  values.reserve(count);
  for (int64_t i = 0; i < count; ++i)
    values.push_back(loadAsDouble(array, i));
  return values;
}

Array mixir::npy::fromDoubles(DType dtype, std::vector<int64_t> shape,
                              ArrayRef<double> values) {
  Array array = zeros(dtype, std::move(shape));
  int64_t count = accessibleElements(array);
  assert(static_cast<uint64_t>(count) == values.size() &&
         "one value per element needed");
  for (int64_t i = 0, e = std::min<uint64_t>(count, values.size()); i < e; ++i)
    storeFromDouble(array, i, values[i]);
  return array;
}

Array mixir::npy::randomNormal(DType dtype, std::vector<int64_t> shape,
                               uint64_t seed) {
  Array array = zeros(dtype, std::move(shape));
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (int64_t i = 0, e = accessibleElements(array); i < e; ++i)
    storeFromDouble(array, i, normal(engine));
  return array;
}
