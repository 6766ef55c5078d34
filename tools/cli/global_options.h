#pragma once
// Options that every subcommand honours, parsed by main before the subcommand runs.

#include <string>

namespace gnnx::tools {

struct GlobalOptions {
  int threads = 0;     ///< intra-op threads of LibTorch; main sets the hardware concurrency
  bool quiet = false;  ///< no progress output on stderr
  /// "cpu", "cuda" or "cuda:N" (checked by main with gnn::resolve_device): where training and
  /// GNNExplainer's mask optimisation run.
  std::string device = "cpu";
};

}  // namespace gnnx::tools
