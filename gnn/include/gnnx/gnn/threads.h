#pragma once
// How gnnx uses a machine's cores.
//
// LibTorch's own intra-op parallelism (OpenMP teams inside each operation) is left at one thread
// by the command line: gnnx's operations are small (a computation subgraph, a batch of
// molecules), and libgomp's teams meet at a barrier after every one of them. On the 2-core
// development machine two intra-op threads made training BA-Shapes up to 8.5x slower than one
// thread on an idle machine and 3.9x with other work running (README, "Threads"). gnnx instead
// parallelises over independent pieces of work — GNNExplainer's target groups, explain-mol's
// molecule batches — each on a plain thread of its own whose operations run single-threaded:
// no team, no barrier, nothing spins. The pieces are fixed before they are handed out and each
// is computed alone, so results do not depend on the thread count.

#include <cstdint>
#include <functional>

namespace gnnx::gnn {

/// Threads that gnnx's own parallel loops (run_in_threads, parallel_for_each) use. Until
/// set_worker_threads is called: LibTorch's intra-op thread count (at::get_num_threads()), as
/// before there was a setting of its own. 1 inside a piece of run_in_threads' work: a nested
/// loop stays on its thread.
int worker_threads();
/// n >= 1; throws InputError otherwise.
void set_worker_threads(int n);

/// The cores this process may run on (sched_getaffinity: a container's or `taskset`'s limit),
/// at least 1. gnnx's default worker count: plain threads that never wait at a barrier lose
/// nothing to other work on the machine, and get a larger share of the cores beside it (measured
/// in the README's Threads table: faster than one thread on an idle and on a loaded machine).
int usable_cores();

/// Calls work(0) .. work(count - 1), work(0) on the calling thread and each other on a thread
/// of its own, with ATen's intra-op thread count set to 1 for the duration (restored after,
/// also on an exception; with several callers at once, by the last one out). Rethrows the
/// first exception (lowest index) after all have ended.
void run_in_threads(int64_t count, const std::function<void(int64_t)>& work);

/// Calls work(i) for every i in [0, count) on min(threads, count) threads (run_in_threads),
/// each taking the next undone i: items of unequal cost still share the threads evenly. Every
/// item runs exactly once, whatever the thread count; work must write only its own results.
/// After an exception the items not yet started are skipped; the lowest-index one is rethrown.
void parallel_for_each(int64_t count, int threads, const std::function<void(int64_t)>& work);

}  // namespace gnnx::gnn
