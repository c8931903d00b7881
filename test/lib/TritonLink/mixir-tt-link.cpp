//===- mixir-tt-link.cpp - check and link kernel headers like link.py -----===//
//
// The CI stand-in for Triton's link.py (see TritonLink.h):
//
//   mixir-tt-link HEADER... [-o OUT]
//
// prints what it parsed from each kernel header, exits with 1 and a message
// naming the header when link.py would reject it (or would write C that does
// not compile), and with -o writes OUT.h and OUT.c, the dispatcher link.py
// would write (OUT's extension is replaced, as link.py does).
//
//===----------------------------------------------------------------------===//

#include "TritonLink.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace mixir::tritonlink;

static cl::list<std::string> headers(cl::Positional, cl::OneOrMore,
                                     cl::desc("<kernel headers>"));
static cl::opt<std::string>
    output("o", cl::desc("Write the dispatcher to OUT.h and OUT.c"),
           cl::value_desc("OUT"));

static int fail(const Twine &message) {
  WithColor::error(errs(), "mixir-tt-link") << message << "\n";
  return 1;
}

static Error write(StringRef path, StringRef contents) {
  return writeToOutput(path, [&](raw_ostream &os) {
    os << contents;
    return Error::success();
  });
}

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  cl::ParseCommandLineOptions(argc, argv,
                              "Checks kernel headers the way Triton's link.py "
                              "reads them and writes its dispatcher\n");
  std::vector<LinkedKernel> kernels;
  for (const std::string &header : headers) {
    ErrorOr<std::unique_ptr<MemoryBuffer>> buffer =
        MemoryBuffer::getFile(header, /*IsText=*/true);
    if (!buffer)
      return fail("cannot read '" + header +
                  "': " + buffer.getError().message());
    Expected<std::vector<LinkedKernel>> parsed =
        parseKernelHeader((*buffer)->getBuffer(), header);
    if (!parsed)
      return fail(toString(parsed.takeError()));
    llvm::append_range(kernels, *parsed);
  }
  outs() << describeKernels(kernels);

  // link.py checks the families while it reads the headers, so the
  // dispatcher is made (and its checks run) with or without -o.
  SmallString<256> headerPath(StringRef(
      output.empty() ? std::string("dispatcher") : output.getValue()));
  SmallString<256> sourcePath(headerPath);
  sys::path::replace_extension(headerPath, "h");
  sys::path::replace_extension(sourcePath, "c");
  Expected<Dispatcher> dispatcher =
      linkKernels(kernels, sys::path::filename(headerPath));
  if (!dispatcher)
    return fail(toString(dispatcher.takeError()));
  if (output.empty())
    return 0;
  if (Error error = write(headerPath, dispatcher->header))
    return fail("cannot write '" + headerPath +
                "': " + toString(std::move(error)));
  if (Error error = write(sourcePath, dispatcher->source))
    return fail("cannot write '" + sourcePath +
                "': " + toString(std::move(error)));
  outs() << "wrote " << headerPath << " and " << sourcePath << "\n";
  return 0;
}
