#include "cli/torch_warnings.h"

#include <c10/util/Exception.h>
#include <torch/version.h>

#include <iostream>
#include <string>

namespace gnnx::tools {
namespace {

void report(const std::string& msg) {
  if (msg.find("is in beta") != std::string::npos) return;
  std::cerr << "gnnx: warning: " << msg.substr(0, msg.find('\n')) << "\n";
}

// LibTorch 2 passes a c10::Warning object and moved the setter to c10::WarningUtils.
class ConciseWarningHandler : public c10::WarningHandler {
 public:
#if TORCH_VERSION_MAJOR >= 2
  void process(const c10::Warning& warning) override { report(warning.msg()); }
#else
  void process(const c10::SourceLocation& /*source_location*/, const std::string& msg,
               const bool /*verbatim*/) override {
    report(msg);
  }
#endif
};

}  // namespace

void install_torch_warning_handler() {
  static ConciseWarningHandler handler;  // must outlive every warning
#if TORCH_VERSION_MAJOR >= 2
  c10::WarningUtils::set_warning_handler(&handler);
#else
  c10::Warning::set_warning_handler(&handler);
#endif
}

}  // namespace gnnx::tools
