#pragma once
// LibTorch warnings (TORCH_WARN) on the command line: one concise "gnnx: warning: ..." line on
// stderr instead of a glog record with a C++ source location.

namespace gnnx::tools {

/// Installs the handler for the rest of the process. Drops LibTorch's "… is in beta" API
/// notices, which address library developers, not users of the command line.
void install_torch_warning_handler();

}  // namespace gnnx::tools
