/*===- NoLLVMAllocatorPoisoning.h - ASan build compatibility -----*- C -*-===//
 *
 * Force-included into every Mixir source of the AddressSanitizer build
 * (cmake/MixirSanitizers.cmake). Compiled with ASan, LLVM's headers poison
 * the unused tail of BumpPtrAllocator slabs (and recycled blocks) and
 * unpoison each allocation in inline code. Debian's libLLVM and libMLIR are
 * not built with ASan: an allocator they share with our code (the context's
 * attribute and type storage) gets slabs poisoned by our inline copy that
 * their copy never unpoisons, and their ASan-intercepted memcpy into them is
 * reported as use-after-poison. Declaring the interface first, then defining
 * the two calls away, makes our inline copies match the libraries'.
 *
 *===----------------------------------------------------------------------===*/

#ifndef MIXIR_NO_LLVM_ALLOCATOR_POISONING_H
#define MIXIR_NO_LLVM_ALLOCATOR_POISONING_H

#include <sanitizer/asan_interface.h>

#define __asan_poison_memory_region(addr, size) ((void)(addr), (void)(size))
#define __asan_unpoison_memory_region(addr, size) ((void)(addr), (void)(size))

#endif
