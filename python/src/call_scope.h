#pragma once
// What every call from Python into gnnx's work does around it: releases the GIL (other Python
// threads run meanwhile; gnnx touches no Python object inside) and sets LibTorch's intra-op
// threads to the module's setting for the call only, restoring the caller's afterwards. The
// module shares LibTorch with `import torch` in the same process, so it must not change torch's
// thread count behind the user's back, and gnnx's small operations must not run with OpenMP
// teams that spin (README, "Threads": up to 8.5x slower than one thread).

#include <pybind11/pybind11.h>

#include <optional>

namespace gnnx::python {

/// LibTorch intra-op threads inside gnnx calls (default 1); n >= 1.
int intra_op_threads();
void set_intra_op_threads(int n);

class CallScope {
 public:
  CallScope();
  ~CallScope();
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

 private:
  std::optional<pybind11::gil_scoped_release> release_;
};

}  // namespace gnnx::python
