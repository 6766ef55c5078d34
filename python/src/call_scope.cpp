#include "call_scope.h"

#include <ATen/Parallel.h>
#include <gnnx/gnn/error.h>

#include <atomic>
#include <string>

namespace gnnx::python {
namespace {
std::atomic<int> g_intra_op_threads{1};
// Calls in progress and the caller's count before the first; only touched with the GIL held.
int g_active_calls = 0;
int g_saved_threads = 1;
}  // namespace

int intra_op_threads() { return g_intra_op_threads.load(); }

void set_intra_op_threads(int n) {
  if (n < 1) throw InputError("intra_op must be >= 1, got " + std::to_string(n));
  g_intra_op_threads = n;
}

// The first of overlapping calls (Python threads) saves the caller's count and the last
// restores it; both happen with the GIL held, so they never interleave.
CallScope::CallScope() {
  if (g_active_calls++ == 0) g_saved_threads = at::get_num_threads();
  at::set_num_threads(g_intra_op_threads.load());
  release_.emplace();
}

CallScope::~CallScope() {
  release_.reset();
  if (--g_active_calls == 0) {
    try {
      at::set_num_threads(g_saved_threads);
    } catch (...) {
      // A destructor must not throw; the count was valid when it was read, so this never runs.
    }
  }
}

}  // namespace gnnx::python
