#pragma once
// The benchmark programs' main(): runs the program's body and turns an exception that escapes
// it (a missing data file, a model that does not load) into a one-line message and exit code
// 2, instead of std::terminate's abort and core dump.

#include <cstdio>
#include <exception>

namespace gnnx::bench {

/// Returns body(argc, argv), or 2 after printing "<program>: <what>" for an exception.
template <class Body>
int guarded_main(const char* program, int argc, char** argv, Body body) noexcept {
  try {
    return body(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
  } catch (...) {
    std::fprintf(stderr, "%s: unknown exception\n", program);
  }
  return 2;
}

}  // namespace gnnx::bench
