#pragma once
// Options that every subcommand honours, parsed by main before the subcommand runs.

namespace gnnx::tools {

struct GlobalOptions {
  int threads = 0;     ///< intra-op threads of LibTorch; main sets the hardware concurrency
  bool quiet = false;  ///< no progress output on stderr
};

}  // namespace gnnx::tools
