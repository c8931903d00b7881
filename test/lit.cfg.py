# lit configuration of Mixir's test suite: FileCheck tests of the tools,
# integration tests through mixir-run, the AOT objects and the GPU bundles.
# The unit tests run separately (ctest).
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "Mixir"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "unit", "lib", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.mixir_obj_root, "test")

llvm_config.use_default_substitutions()
config.substitutions.append(("%mixir_src_root", config.mixir_src_root))
config.substitutions.append(("%mixir_obj_root", config.mixir_obj_root))
# In the sanitizer build (-DMIXIR_SANITIZE) the test programs link our
# instrumented libraries, so they take the same sanitizer flags; any report
# stops the program with a non-zero exit, which fails the test.
sanitize = " " + config.mixir_sanitize_flags if config.mixir_sanitize_flags else ""
config.substitutions.append(("%cc", config.host_cc + sanitize))
config.substitutions.append(("%cxx", config.host_cxx + sanitize))
if sanitize:
    config.available_features.add("sanitizer")
    config.environment["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=0:strict_string_checks=1"
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
# What a C shim and an object from mixir-compile link with to become the
# generic AOT test driver (test/lib/AotDriver); after the objects.
config.substitutions.append(
    (
        "%aot_driver_libs",
        "-L%s -lMixirAotDriver -lMixirNpy -L%s -lLLVM -lomp -Wl,-rpath,%s -lm"
        % (config.mixir_lib_dir, config.llvm_lib_dir, config.llvm_lib_dir),
    )
)

# What a C or C++ program links an object from mixir-compile with; after the
# objects.
config.substitutions.append(
    (
        "%mixir_object_libs",
        "-L%s -lomp -Wl,-rpath,%s -lm" % (config.llvm_lib_dir, config.llvm_lib_dir),
    )
)

# The GPU tests' CUDA pieces (found at configure time; no GPU is needed):
# ptxas assembles the kernels (%ptxas), cuda.h and the stub libcuda.so
# compile and link the launchers (%cuda_cflags, %cuda_libs).
if config.ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", config.ptxas))
if config.cuda_include_dir and config.cuda_stub_dir:
    config.available_features.add("cuda")
    config.substitutions.append(("%cuda_cflags", "-I" + config.cuda_include_dir))
    config.substitutions.append(("%cuda_libs", "-L%s -lcuda" % config.cuda_stub_dir))
config.substitutions.append(("%host_cc", config.host_cc))

# Our tools first, then FileCheck, not and count from the LLVM packages.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.mixir_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    ["mixir-compile", "mixir-opt", "mixir-run", "mixir-tt-link"],
    [config.mixir_tools_dir]
)
