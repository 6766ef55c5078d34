#pragma once
// Options that every subcommand honours, parsed by main before the subcommand runs.

#include <string>

namespace gnnx::tools {

struct GlobalOptions {
  std::string threads_flag = "auto";  ///< --threads as given: "auto" or N
  int threads = 1;                    ///< worker threads, resolved (cli/thread_flags.h)
  int intra_op_threads = 1;           ///< --intra-op-threads: LibTorch's OpenMP threads
  bool quiet = false;                 ///< no progress output on stderr
  /// "cpu", "cuda" or "cuda:N" (checked by main with gnn::resolve_device): where training and
  /// GNNExplainer's mask optimisation run.
  std::string device = "cpu";
};

}  // namespace gnnx::tools
