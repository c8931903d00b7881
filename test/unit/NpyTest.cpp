//===- NpyTest.cpp - tests of the .npy reader and writer ------------------===//
//
// Round trips of every dtype and of scalar, vector, rank-4 and empty arrays
// through files; the exact bytes numpy.save writes; the header variants other
// writers produce; every rejection with its message; truncated and randomly
// mutated files, which must give an error and never a crash; the float16
// conversion on its edge values and against llvm::APFloat; and the writer's
// behaviour when it cannot write.
//
//===----------------------------------------------------------------------===//

#include "mixir/Runtime/Npy.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace mixir::npy;
using llvm::APFloat;
using llvm::ArrayRef;
using llvm::Expected;
using llvm::SmallString;
using llvm::StringRef;

namespace {

constexpr DType kAllDTypes[] = {DType::F32, DType::F16, DType::F64,
                                DType::I32, DType::I64, DType::Bool};

std::vector<uint8_t> toBytes(StringRef text) {
  return std::vector<uint8_t>(text.begin(), text.end());
}

/// An .npy file of the given version whose header is `header` verbatim (no
/// padding added) followed by `data`.
std::vector<uint8_t> makeNpy(unsigned major, StringRef header,
                             ArrayRef<uint8_t> data) {
  std::vector<uint8_t> out = toBytes(StringRef("\x93NUMPY", 6));
  out.push_back(static_cast<uint8_t>(major));
  out.push_back(0);
  unsigned lengthBytes = major == 1 ? 2 : 4;
  for (unsigned i = 0; i < lengthBytes; ++i)
    out.push_back(static_cast<uint8_t>((header.size() >> (8 * i)) & 0xff));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

/// A version 1.0 file with `header` and `dataBytes` zero bytes of data.
std::vector<uint8_t> makeNpy(StringRef header, size_t dataBytes) {
  return makeNpy(1, header, std::vector<uint8_t>(dataBytes, 0));
}

std::vector<uint8_t> float32Bytes(ArrayRef<float> values) {
  std::vector<uint8_t> out(values.size() * 4);
  if (!values.empty())
    std::memcpy(out.data(), values.data(), out.size());
  return out;
}

/// Parses `buffer` and returns the error message ("" if it parsed). Every
/// message must be one line starting with the name.
std::string parseError(ArrayRef<uint8_t> buffer,
                       uint64_t maxBytes = kDefaultMaxBytes) {
  Expected<Array> array = parseNpy(buffer, "in.npy", maxBytes);
  if (array) {
    EXPECT_EQ(array->bytes.size(),
              static_cast<size_t>(array->numel()) * byteWidth(array->dtype));
    return "";
  }
  std::string message = llvm::toString(array.takeError());
  EXPECT_EQ(message.rfind("in.npy: ", 0), 0u) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  return message;
}

#define EXPECT_REJECTED(buffer, text)                                          \
  do {                                                                         \
    std::string rejection = parseError(buffer);                                \
    EXPECT_NE(rejection.find(text), std::string::npos)                         \
        << "message: '" << rejection << "', expected to contain: " << text;    \
  } while (false)

/// A temporary directory, removed with everything in it at the end.
class NpyFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("mixir-npy-test", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::string path(StringRef name) const {
    SmallString<128> result(dir);
    llvm::sys::path::append(result, name);
    return std::string(result);
  }

  std::vector<uint8_t> fileBytes(StringRef file) const {
    auto buffer = llvm::MemoryBuffer::getFile(file, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    EXPECT_TRUE(bool(buffer)) << file.str();
    if (!buffer)
      return {};
    return toBytes((*buffer)->getBuffer());
  }

  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
         it.increment(ec))
      names.push_back(llvm::sys::path::filename(it->path()).str());
    EXPECT_FALSE(ec);
    return names;
  }

  /// Writes `array`, checks the layout numpy.save uses, reads it back and
  /// checks it is unchanged.
  void roundTrip(const Array &array, StringRef name) {
    std::string file = path(name);
    ASSERT_FALSE(bool(writeNpy(file, array))) << name.str();
    std::vector<uint8_t> bytes = fileBytes(file);
    ASSERT_GE(bytes.size(), array.bytes.size() + 64);
    size_t dataStart = bytes.size() - array.bytes.size();
    EXPECT_EQ(dataStart % 64, 0u) << name.str();
    EXPECT_EQ(bytes[dataStart - 1], '\n') << name.str();
    EXPECT_EQ(bytes[6], 1) << "version 1.0";
    EXPECT_EQ(bytes[7], 0) << "version 1.0";
    EXPECT_EQ(static_cast<size_t>(bytes[8] | (bytes[9] << 8)), dataStart - 10);

    Expected<Array> read = readNpy(file);
    ASSERT_TRUE(bool(read)) << llvm::toString(read.takeError());
    EXPECT_EQ(read->dtype, array.dtype) << name.str();
    EXPECT_EQ(read->shape, array.shape) << name.str();
    EXPECT_EQ(read->bytes, array.bytes) << name.str();
  }

  SmallString<128> dir;
};

//===----------------------------------------------------------------------===//
// DTypes
//===----------------------------------------------------------------------===//

TEST(NpyDTypeTest, WidthsDescrsAndNames) {
  EXPECT_EQ(byteWidth(DType::F32), 4u);
  EXPECT_EQ(byteWidth(DType::F16), 2u);
  EXPECT_EQ(byteWidth(DType::F64), 8u);
  EXPECT_EQ(byteWidth(DType::I32), 4u);
  EXPECT_EQ(byteWidth(DType::I64), 8u);
  EXPECT_EQ(byteWidth(DType::Bool), 1u);
  EXPECT_EQ(descr(DType::F32), "<f4");
  EXPECT_EQ(descr(DType::F16), "<f2");
  EXPECT_EQ(descr(DType::F64), "<f8");
  EXPECT_EQ(descr(DType::I32), "<i4");
  EXPECT_EQ(descr(DType::I64), "<i8");
  EXPECT_EQ(descr(DType::Bool), "|b1");
  EXPECT_EQ(name(DType::F32), "float32");
  EXPECT_EQ(name(DType::F16), "float16");
  EXPECT_EQ(name(DType::F64), "float64");
  EXPECT_EQ(name(DType::I32), "int32");
  EXPECT_EQ(name(DType::I64), "int64");
  EXPECT_EQ(name(DType::Bool), "bool");
}

TEST(NpyDTypeTest, ShapesAndElementCounts) {
  EXPECT_EQ(formatShape({}), "()");
  EXPECT_EQ(formatShape({3}), "(3,)");
  EXPECT_EQ(formatShape({2, 3}), "(2, 3)");
  EXPECT_EQ(formatShape({2, 0, 4, 1}), "(2, 0, 4, 1)");

  Array array;
  EXPECT_EQ(array.numel(), 1);
  array.shape = {2, 3, 4};
  EXPECT_EQ(array.numel(), 24);
  array.shape = {2, 0, 4};
  EXPECT_EQ(array.numel(), 0);
  array.shape = {2, -1};
  EXPECT_EQ(array.numel(), -1);
  array.shape = {int64_t(1) << 32, int64_t(1) << 32};
  EXPECT_EQ(array.numel(), -1);
  array.shape = {int64_t(1) << 40, int64_t(1) << 40, 0};
  EXPECT_EQ(array.numel(), 0);
}

//===----------------------------------------------------------------------===//
// Writing and round trips
//===----------------------------------------------------------------------===//

// The bytes of np.save(f, np.arange(6, dtype=np.float32).reshape(2, 3)).
TEST_F(NpyFileTest, WritesTheBytesNumpyWrites) {
  Array array = fromDoubles(DType::F32, {2, 3}, {0, 1, 2, 3, 4, 5});
  std::string file = path("arange.npy");
  ASSERT_FALSE(bool(writeNpy(file, array)));

  std::string dict =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  std::vector<uint8_t> expected = toBytes(StringRef("\x93NUMPY\x01\x00", 8));
  expected.push_back(118); // header length, little-endian: 128 - 10
  expected.push_back(0);
  expected.insert(expected.end(), dict.begin(), dict.end());
  expected.resize(127, ' ');
  expected.push_back('\n');
  std::vector<uint8_t> data = float32Bytes({0, 1, 2, 3, 4, 5});
  expected.insert(expected.end(), data.begin(), data.end());

  EXPECT_EQ(fileBytes(file), expected);
  EXPECT_EQ(entries(), std::vector<std::string>{"arange.npy"});
}

TEST_F(NpyFileTest, WritesScalarAndVectorShapesAsNumpyPrintsThem) {
  ASSERT_FALSE(bool(writeNpy(path("s.npy"), fromDoubles(DType::F64, {}, {7}))));
  ASSERT_FALSE(
      bool(writeNpy(path("v.npy"), fromDoubles(DType::I64, {3}, {1, 2, 3}))));
  auto header = [&](StringRef name) {
    std::vector<uint8_t> bytes = fileBytes(path(name));
    return std::string(bytes.begin() + 10, bytes.begin() + 128);
  };
  EXPECT_EQ(header("s.npy").rfind("{'descr': '<f8', 'fortran_order': False, "
                                  "'shape': (), }  ",
                                  0),
            0u);
  EXPECT_EQ(header("v.npy").rfind("{'descr': '<i8', 'fortran_order': False, "
                                  "'shape': (3,), }  ",
                                  0),
            0u);
  EXPECT_EQ(header("s.npy").back(), '\n');
}

TEST_F(NpyFileTest, RoundTripsEveryDType) {
  for (DType dtype : kAllDTypes) {
    Array array = randomNormal(dtype, {3, 5}, /*seed=*/42);
    roundTrip(array, (name(dtype) + ".npy").str());
  }
  roundTrip(fromDoubles(DType::I32, {4},
                        {double(INT32_MIN), double(INT32_MAX), -1, 0}),
            "i32limits.npy");
  roundTrip(fromDoubles(DType::I64, {3}, {-0x1p63, 0x1p62, -5}),
            "i64limits.npy");
  roundTrip(fromDoubles(DType::Bool, {4}, {0, 1, 1, 0}), "bools.npy");
  double inf = std::numeric_limits<double>::infinity();
  double nan = std::numeric_limits<double>::quiet_NaN();
  for (DType dtype : {DType::F16, DType::F32, DType::F64})
    roundTrip(fromDoubles(dtype, {5}, {inf, -inf, nan, -0.0, 1e-300}),
              ("special_" + name(dtype) + ".npy").str());
}

TEST_F(NpyFileTest, RoundTripsEveryRankAndEmptyShapes) {
  std::vector<std::vector<int64_t>> shapes = {
      {}, {1}, {7}, {2, 1, 3, 2}, {0}, {3, 0, 2}, {0, 0}, {1, 1, 1, 1, 1}};
  int counter = 0;
  for (DType dtype : kAllDTypes) {
    for (const std::vector<int64_t> &shape : shapes) {
      Array array = randomNormal(dtype, shape, counter);
      roundTrip(array, "a" + std::to_string(counter++) + ".npy");
    }
  }
  // A large first dimension takes the room numpy leaves for growth.
  roundTrip(fromDoubles(DType::F32, {100000, 0}, {}), "wide.npy");
}

TEST_F(NpyFileTest, ReplacesAnExistingFileAndLeavesNoTemporaryFile) {
  std::string file = path("x.npy");
  ASSERT_FALSE(bool(writeNpy(file, randomNormal(DType::F32, {100}, 1))));
  Array second = randomNormal(DType::F64, {2, 2}, 2);
  ASSERT_FALSE(bool(writeNpy(file, second)));
  Expected<Array> read = readNpy(file);
  ASSERT_TRUE(bool(read)) << llvm::toString(read.takeError());
  EXPECT_EQ(read->bytes, second.bytes);
  EXPECT_EQ(entries(), std::vector<std::string>{"x.npy"});
}

TEST_F(NpyFileTest, WriteIntoMissingDirectoryFailsAndCreatesNothing) {
  std::string missingDir = path("missing");
  SmallString<128> file(missingDir);
  llvm::sys::path::append(file, "out.npy");
  llvm::Error err = writeNpy(file, randomNormal(DType::F32, {4}, 3));
  ASSERT_TRUE(bool(err));
  std::string message = llvm::toString(std::move(err));
  EXPECT_EQ(message.rfind(std::string(file) + ": cannot write: ", 0), 0u)
      << message;
  EXPECT_NE(message.find("No such file or directory"), std::string::npos)
      << message;
  EXPECT_FALSE(llvm::sys::fs::exists(missingDir));
  EXPECT_TRUE(entries().empty());
}

TEST_F(NpyFileTest, WriteOfAnInvalidArrayFailsAndCreatesNothing) {
  Array array = fromDoubles(DType::F32, {2, 3}, {0, 1, 2, 3, 4, 5});
  array.bytes.pop_back();
  llvm::Error err = writeNpy(path("bad.npy"), array);
  ASSERT_TRUE(bool(err));
  std::string message = llvm::toString(std::move(err));
  EXPECT_NE(message.find("shape (2, 3) of float32 needs 24 bytes but the "
                         "array holds 23"),
            std::string::npos)
      << message;

  array.shape = {-2, 3};
  err = writeNpy(path("bad.npy"), array);
  ASSERT_TRUE(bool(err));
  message = llvm::toString(std::move(err));
  EXPECT_NE(message.find("negative dimension"), std::string::npos) << message;
  EXPECT_TRUE(entries().empty());
}

TEST_F(NpyFileTest, ReadErrorsNameTheFile) {
  std::string file = path("absent.npy");
  Expected<Array> read = readNpy(file);
  ASSERT_FALSE(bool(read));
  EXPECT_EQ(llvm::toString(read.takeError()),
            file + ": cannot read: No such file or directory");

  read = readNpy(dir);
  ASSERT_FALSE(bool(read));
  std::string message = llvm::toString(read.takeError());
  EXPECT_EQ(message.rfind(std::string(dir) + ": ", 0), 0u) << message;

  std::string empty = path("empty.npy");
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(empty, ec);
    ASSERT_FALSE(ec);
  }
  read = readNpy(empty);
  ASSERT_FALSE(bool(read));
  EXPECT_EQ(llvm::toString(read.takeError()),
            empty + ": truncated: 0 bytes, too short for an .npy file");
}

//===----------------------------------------------------------------------===//
// Header variants
//===----------------------------------------------------------------------===//

TEST(NpyParseTest, ReadsVersions2And3) {
  std::vector<uint8_t> data = float32Bytes({1.5f, -2.0f});
  for (unsigned major : {1u, 2u, 3u}) {
    std::vector<uint8_t> file = makeNpy(
        major, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n",
        data);
    Expected<Array> array = parseNpy(file, "v.npy");
    ASSERT_TRUE(bool(array)) << llvm::toString(array.takeError());
    EXPECT_EQ(array->dtype, DType::F32);
    EXPECT_EQ(array->shape, std::vector<int64_t>{2});
    EXPECT_EQ(toDoubles(*array), (std::vector<double>{1.5, -2.0}));
  }
}

TEST(NpyParseTest, AcceptsHeaderVariants) {
  struct Case {
    const char *header;
    DType dtype;
    std::vector<int64_t> shape;
  };
  const Case cases[] = {
      {"{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}",
       DType::F32,
       {2, 3}},
      {"{'fortran_order': False, 'descr': '<f8', 'shape': (2,3)}  \n",
       DType::F64,
       {2, 3}},
      {"{\"descr\": \"<i4\", \"fortran_order\": False, \"shape\": (6,)}",
       DType::I32,
       {6}},
      {"  {  'descr' :'<i8' ,'fortran_order':False,'shape':( 2 , 3 , ) , }\t"
       "\r\n",
       DType::I64,
       {2, 3}},
      {"{'descr': '|b1', 'fortran_order': False, 'shape': (), }",
       DType::Bool,
       {}},
      {"{'descr': '<b1', 'fortran_order': False, 'shape': (1,), }",
       DType::Bool,
       {1}},
      {"{'descr': '>b1', 'fortran_order': False, 'shape': (1,), }",
       DType::Bool,
       {1}},
      {"{'descr': '=f2', 'fortran_order': False, 'shape': (3L,), }",
       DType::F16,
       {3}},
      {"{'descr': '|f4', 'fortran_order': False, 'shape': (1L, 3L), }",
       DType::F32,
       {1, 3}},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (0, 5), }",
       DType::F32,
       {0, 5}},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (-0, "
       "9223372036854775807), }",
       DType::F32,
       {0, INT64_MAX}},
  };
  for (const Case &c : cases) {
    int64_t numel = 1;
    for (int64_t dim : c.shape)
      numel = dim == 0 || numel == 0 ? 0 : numel * dim;
    std::vector<uint8_t> file = makeNpy(c.header, numel * byteWidth(c.dtype));
    Expected<Array> array = parseNpy(file, "variant.npy");
    ASSERT_TRUE(bool(array))
        << c.header << ": " << llvm::toString(array.takeError());
    EXPECT_EQ(array->dtype, c.dtype) << c.header;
    EXPECT_EQ(array->shape, c.shape) << c.header;
  }
}

//===----------------------------------------------------------------------===//
// Rejections
//===----------------------------------------------------------------------===//

TEST(NpyParseTest, RejectsBadMagicAndVersions) {
  EXPECT_REJECTED(toBytes(StringRef("\x93NUMPZ\x01\x00", 8)),
                  "not an .npy file: it does not start with the magic string");
  EXPECT_REJECTED(toBytes("PK\x03\x04 this is a zip"), "not an .npy file");
  EXPECT_REJECTED(toBytes(StringRef("\x93NUM", 4)),
                  "in.npy: truncated: 4 bytes, too short for an .npy file");
  EXPECT_REJECTED(toBytes("x"), "not an .npy file");
  EXPECT_REJECTED(std::vector<uint8_t>(), "truncated: 0 bytes");
  std::vector<uint8_t> file =
      makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", 4);
  file[6] = 4;
  EXPECT_REJECTED(file, "unsupported .npy format version 4.0 (supported: "
                        "1.0, 2.0, 3.0)");
  file[6] = 1;
  file[7] = 1;
  EXPECT_REJECTED(file, "unsupported .npy format version 1.1");
  file[6] = 0;
  file[7] = 0;
  EXPECT_REJECTED(file, "unsupported .npy format version 0.0");
}

TEST(NpyParseTest, RejectsTruncatedHeaders) {
  EXPECT_REJECTED(toBytes(StringRef("\x93NUMPY\x01", 7)),
                  "truncated: the file ends inside the format version");
  EXPECT_REJECTED(toBytes(StringRef("\x93NUMPY\x01\x00\x10", 9)),
                  "truncated: the file ends inside the header length");
  EXPECT_REJECTED(toBytes(StringRef("\x93NUMPY\x02\x00\x10\x00\x00", 11)),
                  "truncated: the file ends inside the header length");
  EXPECT_REJECTED(toBytes(StringRef("\x93NUMPY\x01\x00\x76\x00{'descr'", 17)),
                  "truncated header: the header length is 118 bytes but only "
                  "7 bytes follow it");
  EXPECT_REJECTED(toBytes(StringRef("\x93NUMPY\x02\x00\xff\xff\xff\xff{}", 14)),
                  "truncated header: the header length is 4294967295 bytes");
}

TEST(NpyParseTest, RejectsUnsupportedDTypes) {
  auto withDescr = [](StringRef descrText) {
    return makeNpy(("{'descr': " + descrText +
                    ", 'fortran_order': False, 'shape': (1,), }")
                       .str(),
                   16);
  };
  EXPECT_REJECTED(withDescr("'>f4'"),
                  "in.npy: unsupported dtype '>f4': big-endian data is not "
                  "supported (save it as '<f4')");
  EXPECT_REJECTED(withDescr("'>i8'"), "unsupported dtype '>i8': big-endian");
  EXPECT_REJECTED(withDescr("'<c8'"),
                  "unsupported dtype '<c8' (supported: '<f4', '<f2', '<f8', "
                  "'<i4', '<i8', '|b1')");
  EXPECT_REJECTED(withDescr("'<U3'"), "unsupported dtype '<U3'");
  EXPECT_REJECTED(withDescr("'|O'"), "unsupported dtype '|O'");
  EXPECT_REJECTED(withDescr("'|u1'"), "unsupported dtype '|u1'");
  EXPECT_REJECTED(withDescr("'<f4 '"), "unsupported dtype '<f4 '");
  EXPECT_REJECTED(withDescr("''"), "unsupported dtype ''");
  EXPECT_REJECTED(withDescr("'\xc3\xa9\n'"), "unterminated string");
  EXPECT_REJECTED(withDescr("'\xc3\xa9'"), "unsupported dtype '\\xc3\\xa9'");
  EXPECT_REJECTED(withDescr("'<f\\'4'"), "unsupported dtype '<f'4'");
  EXPECT_REJECTED(withDescr("[('x', '<f4'), ('y', '<i4')]"),
                  "structured arrays (a list 'descr') are not supported");
  EXPECT_REJECTED(withDescr("4"), "expected a string for 'descr', found '4");
  EXPECT_REJECTED(withDescr("'" + std::string(100, 'x') + "'"),
                  "unsupported dtype '" + std::string(32, 'x') + "...'");
}

TEST(NpyParseTest, RejectsFortranOrder) {
  EXPECT_REJECTED(
      makeNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 24),
      "in.npy: fortran_order is True: only C-order arrays are supported");
  EXPECT_REJECTED(
      makeNpy("{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3), }", 24),
      "expected True or False for 'fortran_order', found '0");
  EXPECT_REJECTED(
      makeNpy("{'descr': '<f4', 'fortran_order': Falsey, 'shape': (2,), }", 8),
      "expected True or False for 'fortran_order', found 'Falsey");
}

TEST(NpyParseTest, RequiresTheExactDataSize) {
  const char *header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  EXPECT_EQ(parseError(makeNpy(header, 24)), "");
  EXPECT_REJECTED(makeNpy(header, 20),
                  "in.npy: truncated data: shape (2, 3) of float32 needs 24 "
                  "bytes, found 20");
  EXPECT_REJECTED(makeNpy(header, 0), "needs 24 bytes, found 0");
  EXPECT_REJECTED(makeNpy(header, 28),
                  "in.npy: 4 unexpected bytes after the data: shape (2, 3) "
                  "of float32 needs 24 bytes, found 28");
  EXPECT_REJECTED(
      makeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }", 1),
      "1 unexpected bytes after the data: shape (0,) of float64 needs 0 "
      "bytes, found 1");
  EXPECT_REJECTED(
      makeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", 4),
      "truncated data: shape () of float64 needs 8 bytes, found 4");
}

TEST(NpyParseTest, RejectsAbsurdShapes) {
  EXPECT_REJECTED(makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': "
                          "(1099511627776, 1099511627776), }",
                          0),
                  "shape (1099511627776, 1099511627776) has more elements "
                  "than fit in int64");
  // 2^62 elements fit in int64, their 2^65 bytes do not fit in uint64.
  EXPECT_REJECTED(makeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': "
                          "(4611686018427387904,), }",
                          0),
                  "shape (4611686018427387904,) of float64 needs "
                  "36893488147419103232 bytes, more than the limit of "
                  "1099511627776 bytes");
  EXPECT_REJECTED(makeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': "
                          "(65536, 65536, 65536), }",
                          0),
                  "needs 2251799813685248 bytes, more than the limit");
  EXPECT_REJECTED(makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': "
                          "(99999999999999999999, 2), }",
                          0),
                  "dimension '99999999999999999999' in 'shape' does not fit "
                  "in int64");
  EXPECT_REJECTED(makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': "
                          "(9223372036854775808,), }",
                          0),
                  "does not fit in int64");
  EXPECT_REJECTED(
      makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }",
              0),
      "negative dimension -3 in 'shape'");

  // The limit is configurable.
  std::vector<uint8_t> file = makeNpy(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1000,), }", 4000);
  EXPECT_EQ(parseError(file, 4000), "");
  std::string message = parseError(file, 100);
  EXPECT_NE(message.find("shape (1000,) of float32 needs 4000 bytes, more "
                         "than the limit of 100 bytes"),
            std::string::npos)
      << message;

  std::string rank65 = "(";
  for (int i = 0; i < 65; ++i)
    rank65 += "1, ";
  rank65 += ")";
  EXPECT_REJECTED(makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': " +
                              rank65 + ", }",
                          4),
                  "'shape' has more than 64 dimensions");
}

TEST(NpyParseTest, RejectsMalformedHeaders) {
  struct Case {
    std::string header;
    const char *message;
  };
  std::string prefix = "{'descr': '<f4', 'fortran_order': False, 'shape': ";
  const Case cases[] = {
      {"", "malformed header: expected '{' at the start of the header, found "
           "end of header"},
      {"   \n", "expected '{' at the start of the header, found end"},
      {"['descr', '<f4']", "expected '{' at the start of the header, found "
                           "'['descr', '<f4']'"},
      {"{", "expected a quoted key or '}', found end of header"},
      {"{'descr': '<f4'", "expected ',' or '}' after the value of 'descr', "
                          "found end of header"},
      {"{'descr' '<f4'}", "expected ':' after key 'descr', found ''<f4'}'"},
      {"{'descr: '<f4'}", "expected ':' after key 'descr: ', found '<f4'}'"},
      {"{'descr': '<f4}", "unterminated string '<f4}'"},
      {"{'descr': '<f4\\", "unterminated string '<f4'"},
      {"{,}", "expected a quoted key or '}', found ',}'"},
      {"{descr: '<f4'}", "expected a quoted key or '}', found 'descr: '<f4'}'"},
      {"{'descr': '<f4',, 'fortran_order': False, 'shape': (1,)}",
       "expected a quoted key or '}', found ', 'fortran_order"},
      {"{'descr': '<f4', 'fortran_order': False}", "no 'shape' key"},
      {"{'descr': '<f4', 'shape': (1,)}", "no 'fortran_order' key"},
      {"{}", "no 'descr' key"},
      {prefix + "(1,), 'extra': 1}",
       "unexpected key 'extra' (expected 'descr', 'fortran_order' and "
       "'shape')"},
      {prefix + "(1,), 'shape': (1,)}", "duplicate key 'shape'"},
      {prefix + "(1,)} trailing", "unexpected text after the header dict: "
                                  "'trailing'"},
      {prefix + "(1,)}}", "unexpected text after the header dict: '}'"},
      {prefix + "2, 3}", "expected a tuple for 'shape', found '2, 3}'"},
      {prefix + "[2, 3]}", "expected a tuple for 'shape', found '[2, 3]}'"},
      {prefix + "(2, 3}", "expected ',' or ')' in 'shape', found '}'"},
      {prefix + "(2 3)}", "expected ',' or ')' in 'shape', found '3)}'"},
      {prefix + "(2, 3", "expected ',' or ')' in 'shape', found end of "
                         "header"},
      {prefix + "(2,", "expected an integer dimension in 'shape', found ''"},
      {prefix + "(3)}",
       "'shape' (3) is not a tuple: a one-element tuple needs a trailing "
       "comma"},
      {prefix + "(,)}", "expected an integer dimension in 'shape', found "
                        "',)}'"},
      {prefix + "(2.0,)}", "expected an integer dimension in 'shape', found "
                           "'2.0,)}'"},
      {prefix + "(0x10,)}", "expected an integer dimension in 'shape', found "
                            "'0x10,)}'"},
      {prefix + "(1e3,)}", "expected an integer dimension in 'shape', found"},
      {prefix + "(--1,)}", "expected an integer dimension in 'shape', found "
                           "'--1,)}'"},
      {prefix + "(-,)}", "expected an integer dimension in 'shape', found"},
      {prefix + "(+2,)}", "expected an integer dimension in 'shape', found "
                          "'+2,)}'"},
      {prefix + "(\xff,)}", "found '\\xff,)}'"},
      {prefix + std::string("(1,)}\0", 6),
       "unexpected text after the header dict: "
       "'\\x00'"},
  };
  for (const Case &c : cases) {
    std::vector<uint8_t> file = makeNpy(1, c.header, {});
    std::string message = parseError(file);
    EXPECT_NE(message.find(c.message), std::string::npos)
        << "header: " << c.header << "\nmessage: " << message
        << "\nexpected: " << c.message;
  }
}

//===----------------------------------------------------------------------===//
// Robustness
//===----------------------------------------------------------------------===//

TEST_F(NpyFileTest, EveryPrefixOfAValidFileIsAnError) {
  for (DType dtype : {DType::F32, DType::Bool}) {
    std::string file = path("full.npy");
    ASSERT_FALSE(bool(writeNpy(file, randomNormal(dtype, {2, 3}, 5))));
    std::vector<uint8_t> bytes = fileBytes(file);
    ASSERT_FALSE(bytes.empty());
    EXPECT_EQ(parseError(bytes), "");
    for (size_t size = 0; size < bytes.size(); ++size) {
      // A copy of exactly `size` bytes, so that a read past its end is
      // caught by sanitizers.
      std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + size);
      std::string message = parseError(prefix);
      EXPECT_NE(message, "") << "prefix of " << size << " bytes parsed";
    }
  }
  // The same for a version 2.0 file.
  std::vector<uint8_t> bytes =
      makeNpy(2, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }\n",
              std::vector<uint8_t>(12, 7));
  EXPECT_EQ(parseError(bytes), "");
  for (size_t size = 0; size < bytes.size(); ++size)
    EXPECT_NE(
        parseError(std::vector<uint8_t>(bytes.begin(), bytes.begin() + size)),
        "")
        << size;
}

TEST_F(NpyFileTest, RandomMutationsParseOrFail) {
  std::string file = path("seed.npy");
  ASSERT_FALSE(bool(writeNpy(file, randomNormal(DType::F32, {2, 3}, 9))));
  std::vector<uint8_t> original = fileBytes(file);
  ASSERT_EQ(original.size(), 128u + 24u);

  // Bytes a mutation puts in, biased to the header's own alphabet.
  const std::string interesting = "{}()[],:'\" -0123456789LTrueFalse<>|=fib\n"
                                  "\x00\x7f\x80\xff\x93";
  std::mt19937_64 random(20240601);
  int parsed = 0, failed = 0;
  for (int iteration = 0; iteration < 2000; ++iteration) {
    std::vector<uint8_t> bytes = original;
    int mutations = 1 + random() % 4;
    for (int m = 0; m < mutations; ++m) {
      // Mostly the header (magic, version, length and dict); sometimes
      // anywhere.
      size_t limit = random() % 8 ? 128 : bytes.size();
      if (bytes.empty())
        break;
      size_t at = random() % std::min(limit, bytes.size());
      uint8_t value =
          random() % 2
              ? static_cast<uint8_t>(interesting[random() % interesting.size()])
              : static_cast<uint8_t>(random());
      switch (random() % 4) {
      case 0:
      case 1:
        bytes[at] = value;
        break;
      case 2:
        bytes.insert(bytes.begin() + at, value);
        break;
      case 3:
        bytes.erase(bytes.begin() + at);
        break;
      }
    }
    Expected<Array> array = parseNpy(bytes, "mutant.npy");
    if (array) {
      ++parsed;
      ASSERT_GE(array->numel(), 0);
      EXPECT_EQ(array->bytes.size(),
                static_cast<size_t>(array->numel()) * byteWidth(array->dtype));
      (void)toDoubles(*array);
    } else {
      ++failed;
      std::string message = llvm::toString(array.takeError());
      EXPECT_EQ(message.rfind("mutant.npy: ", 0), 0u) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
      EXPECT_LT(message.size(), 400u) << message;
    }
  }
  // Both outcomes occur: data-only mutations parse, most others fail.
  EXPECT_GT(parsed, 0);
  EXPECT_GT(failed, 0);
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

uint16_t apfloatHalfBits(double value) {
  APFloat half(value);
  bool losesInfo = false;
  half.convert(APFloat::IEEEhalf(), APFloat::rmNearestTiesToEven, &losesInfo);
  return static_cast<uint16_t>(half.bitcastToAPInt().getZExtValue());
}

double apfloatHalfToDouble(uint16_t bits) {
  APFloat value(APFloat::IEEEhalf(), llvm::APInt(16, bits));
  bool losesInfo = false;
  value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                &losesInfo);
  return value.convertToDouble();
}

TEST(NpyConversionTest, HalfEdgeValues) {
  double inf = std::numeric_limits<double>::infinity();
  struct Case {
    double value;
    uint16_t bits;
    double back;
  };
  const Case cases[] = {
      {0.0, 0x0000, 0.0},
      {-0.0, 0x8000, -0.0},
      {1.0, 0x3c00, 1.0},
      {-2.0, 0xc000, -2.0},
      {65504.0, 0x7bff, 65504.0},         // largest finite
      {65519.99, 0x7bff, 65504.0},        // just below the rounding boundary
      {65520.0, 0x7c00, inf},             // the tie rounds to even: infinity
      {70000.0, 0x7c00, inf},             // overflow
      {-70000.0, 0xfc00, -inf},           // overflow, negative
      {1e300, 0x7c00, inf},               // far overflow
      {inf, 0x7c00, inf},                 // infinity
      {-inf, 0xfc00, -inf},               // infinity, negative
      {0x1p-14, 0x0400, 0x1p-14},         // smallest normal
      {0x1p-24, 0x0001, 0x1p-24},         // smallest subnormal
      {1e-7, 0x0002, 0x1p-23},            // subnormal, rounded up
      {-1e-7, 0x8002, -0x1p-23},          // subnormal, negative
      {0x1p-25, 0x0000, 0.0},             // tie between 0 and 2^-24: even
      {0x1.8p-25, 0x0001, 0x1p-24},       // above the tie
      {0x1.8p-24, 0x0002, 0x1p-23},       // tie between 1 and 2 units: even
      {0x1p-26, 0x0000, 0.0},             // underflow
      {-0x1p-26, 0x8000, -0.0},           // underflow keeps the sign
      {4.9e-324, 0x0000, 0.0},            // double subnormal
      {0x1.ff8p-15, 0x03ff, 0x1.ff8p-15}, // largest subnormal
      {0x1.ffcp-15, 0x0400, 0x1p-14},     // tie: up to the smallest normal
      {1.0 + 0x1p-11, 0x3c00, 1.0},       // tie: down to even
      {1.0 + 0x1.8p-10, 0x3c02, 1.0 + 0x1p-9},          // tie: up to even
      {1.0 + 0x1p-11 + 0x1p-52, 0x3c01, 1.0 + 0x1p-10}, // above tie
      {0.1, 0x2e66, 0x1.998p-4},
  };
  for (const Case &c : cases) {
    EXPECT_EQ(doubleToHalfBits(c.value), c.bits) << c.value;
    EXPECT_EQ(apfloatHalfBits(c.value), c.bits) << c.value;
    double back = halfBitsToDouble(c.bits);
    EXPECT_EQ(back, c.back) << c.value;
    EXPECT_EQ(std::signbit(back), std::signbit(c.back)) << c.value;

    // The same through an Array.
    Array array = fromDoubles(DType::F16, {1}, {c.value});
    uint16_t stored = array.bytes[0] | (array.bytes[1] << 8);
    EXPECT_EQ(stored, c.bits) << c.value;
    EXPECT_EQ(loadAsDouble(array, 0), c.back) << c.value;
  }

  double nan = std::numeric_limits<double>::quiet_NaN();
  for (double value : {nan, -nan}) {
    uint16_t bits = doubleToHalfBits(value);
    EXPECT_EQ(bits & 0x7c00, 0x7c00);
    EXPECT_NE(bits & 0x03ff, 0);
    EXPECT_EQ(bool(bits & 0x8000), std::signbit(value));
    EXPECT_TRUE(std::isnan(halfBitsToDouble(bits)));
  }
  // A signalling NaN whose payload is only in the low bits stays a NaN.
  double lowPayload = llvm::bit_cast<double>(uint64_t(0x7ff0000000000001));
  ASSERT_TRUE(std::isnan(lowPayload));
  EXPECT_TRUE(std::isnan(halfBitsToDouble(doubleToHalfBits(lowPayload))));
  EXPECT_TRUE(std::isnan(halfBitsToDouble(0x7e00)));
  EXPECT_TRUE(std::isnan(halfBitsToDouble(0xfc01)));
}

TEST(NpyConversionTest, HalfMatchesAPFloatOnEveryHalfAndTie) {
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    uint16_t half = static_cast<uint16_t>(bits);
    double value = halfBitsToDouble(half);
    double reference = apfloatHalfToDouble(half);
    bool isNaN = (half & 0x7c00) == 0x7c00 && (half & 0x3ff);
    if (isNaN) {
      ASSERT_TRUE(std::isnan(value)) << bits;
      continue;
    }
    ASSERT_EQ(llvm::bit_cast<uint64_t>(value),
              llvm::bit_cast<uint64_t>(reference))
        << bits;
    ASSERT_EQ(doubleToHalfBits(value), half) << bits;
    // The midpoint to the next half up (away from zero) and values just
    // around it; finite halves below the largest only.
    if ((half & 0x7fff) >= 0x7bff)
      continue;
    double next = halfBitsToDouble(static_cast<uint16_t>(half + 1));
    double mid = value + (next - value) / 2;
    for (double probe :
         {mid, std::nextafter(mid, 0.0), std::nextafter(mid, mid * 2)})
      ASSERT_EQ(doubleToHalfBits(probe), apfloatHalfBits(probe))
          << bits << " " << probe;
  }
}

TEST(NpyConversionTest, HalfMatchesAPFloatOnRandomDoubles) {
  std::mt19937_64 random(7);
  for (int i = 0; i < 200000; ++i) {
    // Random sign and fraction, exponent around the half range.
    uint64_t bits = random();
    int exponent = static_cast<int>(random() % 60) - 40;
    bits = (bits & 0x800fffffffffffffULL) | (uint64_t(exponent + 1023) << 52);
    double value = llvm::bit_cast<double>(bits);
    ASSERT_EQ(doubleToHalfBits(value), apfloatHalfBits(value)) << value;
  }
}

TEST(NpyConversionTest, IntegersAndBools) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  double inf = std::numeric_limits<double>::infinity();
  Array i32 = fromDoubles(
      DType::I32, {10},
      {2.5, 3.5, -2.5, 2.4999, -7.6, 3e9, -3e9, nan, inf, -2147483648.0});
  EXPECT_EQ(toDoubles(i32),
            (std::vector<double>{2, 4, -2, 2, -8, 2147483647, -2147483648, 0,
                                 2147483647, -2147483648}));
  Array i64 = fromDoubles(DType::I64, {6},
                          {0x1p63, -0x1p63, 1e30, -inf, nan, 0x1p53 + 2});
  int64_t expected[] = {INT64_MAX, INT64_MIN, INT64_MAX,
                        INT64_MIN, 0,         (int64_t(1) << 53) + 2};
  for (int i = 0; i < 6; ++i) {
    int64_t stored;
    std::memcpy(&stored, i64.bytes.data() + 8 * i, 8);
    EXPECT_EQ(stored, expected[i]) << i;
  }
  Array bools = fromDoubles(DType::Bool, {5}, {0, -0.0, 0.5, -3, nan});
  EXPECT_EQ(bools.bytes, (std::vector<uint8_t>{0, 0, 1, 1, 1}));
  bools.bytes[0] = 7; // Any non-zero byte reads as true.
  EXPECT_EQ(loadAsDouble(bools, 0), 1.0);

  Array f32 = fromDoubles(DType::F32, {3}, {0.1, 1e40, -1e-50});
  EXPECT_EQ(loadAsDouble(f32, 0), static_cast<double>(0.1f));
  EXPECT_EQ(loadAsDouble(f32, 1), inf);
  EXPECT_EQ(loadAsDouble(f32, 2), 0.0);
  EXPECT_TRUE(std::signbit(loadAsDouble(f32, 2)));

  Array f64 = fromDoubles(DType::F64, {2, 2}, {1, 2, 3, 4});
  storeFromDouble(f64, 3, 0.1);
  EXPECT_EQ(toDoubles(f64), (std::vector<double>{1, 2, 3, 0.1}));
}

TEST(NpyConversionTest, RandomNormalIsDeterministicAndStandard) {
  Array a = randomNormal(DType::F64, {100, 100}, 123);
  Array b = randomNormal(DType::F64, {100, 100}, 123);
  Array c = randomNormal(DType::F64, {100, 100}, 124);
  EXPECT_EQ(a.shape, (std::vector<int64_t>{100, 100}));
  EXPECT_EQ(a.bytes, b.bytes);
  EXPECT_NE(a.bytes, c.bytes);

  std::vector<double> values = toDoubles(a);
  double sum = 0, squares = 0;
  for (double v : values) {
    sum += v;
    squares += v * v;
  }
  double mean = sum / values.size();
  double variance = squares / values.size() - mean * mean;
  EXPECT_NEAR(mean, 0.0, 0.05);
  EXPECT_NEAR(variance, 1.0, 0.05);

  // Other dtypes hold the same samples, rounded.
  std::vector<double> f16 =
      toDoubles(randomNormal(DType::F16, {100, 100}, 123));
  std::vector<double> f32 =
      toDoubles(randomNormal(DType::F32, {100, 100}, 123));
  std::vector<double> i32 =
      toDoubles(randomNormal(DType::I32, {100, 100}, 123));
  std::vector<double> b1 =
      toDoubles(randomNormal(DType::Bool, {100, 100}, 123));
  for (size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(f16[i], halfBitsToDouble(doubleToHalfBits(values[i])));
    ASSERT_EQ(f32[i], static_cast<double>(static_cast<float>(values[i])));
    ASSERT_EQ(i32[i], std::nearbyint(values[i]));
    ASSERT_EQ(b1[i], values[i] != 0 ? 1.0 : 0.0);
  }
  EXPECT_TRUE(randomNormal(DType::F32, {0, 3}, 1).bytes.empty());
  EXPECT_EQ(randomNormal(DType::F32, {}, 1).bytes.size(), 4u);
}

} // namespace
