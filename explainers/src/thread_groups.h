#pragma once
// Runs independent pieces of work on their own threads, each with single-threaded ATen
// operations.
//
// Why not at::parallel_for: inside its OpenMP team every ATen call is serial, as wanted, but
// libgomp's threads spin at the team's barriers, and on a machine with other work (a build, a
// second test) the spinning thread takes the core from the one still working: GNNExplainer on
// two threads took 7x longer than on one (measured on 2 cores with a build running). Plain
// threads with ATen at one thread form no team, so nothing spins.

#include <cstdint>
#include <functional>

namespace gnnx::explainers::detail {

/// Calls work(0) .. work(count - 1), work(0) on the calling thread and each other on a thread
/// of its own, with ATen's intra-op thread count set to 1 for the duration (restored after,
/// also on an exception). Rethrows the first exception any call threw, after all have ended.
void run_in_threads(int64_t count, const std::function<void(int64_t)>& work);

}  // namespace gnnx::explainers::detail
