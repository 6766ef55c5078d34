# Sanitizer and fuzzer builds (scripts/sanitize.sh, scripts/fuzz.sh). Both instrument the whole
# build, so they are global flags rather than per-target ones; CUDA sources are left alone (nvcc
# does not take them, and a sanitizer build has no GPU to run them on).
#
#   GNNX_SANITIZE        AddressSanitizer + UndefinedBehaviorSanitizer, every UB report fatal
#   GNNX_BUILD_FUZZERS   libFuzzer coverage in every library and the harnesses of tests/fuzz
#                        (clang only)
#
# The runtime options and suppression files (tests/sanitizers/, each entry justified there) are
# set by scripts/sanitize.sh in the environment of the build (test discovery runs the binaries)
# and of ctest; the CLI the tests start inherits them.
option(GNNX_SANITIZE "Build with AddressSanitizer and UBSan (tests run under them)" OFF)
option(GNNX_BUILD_FUZZERS "Build the libFuzzer harnesses of tests/fuzz (clang)" OFF)

if(GNNX_SANITIZE)
  set(_gnnx_sanitizers -fsanitize=address,undefined -fno-sanitize-recover=undefined
                       -fno-omit-frame-pointer)
  add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:${_gnnx_sanitizers}>")
  add_link_options(-fsanitize=address,undefined)
endif()
if(GNNX_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "GNNX_BUILD_FUZZERS needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
  endif()
  add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:-fsanitize=fuzzer-no-link>")
endif()
