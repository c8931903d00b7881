//===- CNames.cpp - checks on names that go into generated C --------------===//
//
// Identifier and keyword checks shared by the kernel bundles and the host
// code (see CNames.h).
//
//===----------------------------------------------------------------------===//

#include "CNames.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mixir::gpu;

bool detail::isCIdentifier(llvm::StringRef name) {
  static const char *const keywords[] = {
      "auto",       "break",     "case",           "char",
      "const",      "continue",  "default",        "do",
      "double",     "else",      "enum",           "extern",
      "float",      "for",       "goto",           "if",
      "inline",     "int",       "long",           "register",
      "restrict",   "return",    "short",          "signed",
      "sizeof",     "static",    "struct",         "switch",
      "typedef",    "union",     "unsigned",       "void",
      "volatile",   "while",     "_Alignas",       "_Alignof",
      "_Atomic",    "_Bool",     "_Complex",       "_Generic",
      "_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local"};
  if (name.empty() || llvm::isDigit(name.front()))
    return false;
  if (!llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; }))
    return false;
  return !llvm::is_contained(keywords, name);
}

std::string detail::macroName(llvm::StringRef name) {
  std::string macro;
  for (char c : name)
    macro += llvm::isAlnum(c) ? llvm::toUpper(c) : '_';
  if (macro.empty() || llvm::isDigit(macro.front()))
    macro = "MIXIR_" + macro;
  return macro;
}
