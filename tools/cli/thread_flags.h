#pragma once
// The global --threads and --intra-op-threads flags (gnn/threads.h says why the two differ).

#include "cli/global_options.h"

#include <CLI/CLI.hpp>

namespace gnnx::tools {

/// Adds --threads (auto | N: gnnx's worker threads) and --intra-op-threads (N, default 1:
/// LibTorch's threads inside each operation) to `app`, filling `globals`.
void add_thread_flags(CLI::App& app, GlobalOptions& globals);

/// After parsing: sets LibTorch's intra-op threads and gnnx's worker threads (`auto`: every core
/// this process may use, gnn::usable_cores).
void apply_thread_flags(GlobalOptions& globals);

}  // namespace gnnx::tools
