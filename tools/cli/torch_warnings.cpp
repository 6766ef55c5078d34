#include "cli/torch_warnings.h"

#include <c10/util/Exception.h>

#include <iostream>
#include <string>

namespace gnnx::tools {
namespace {

class ConciseWarningHandler : public c10::WarningHandler {
 public:
  void process(const c10::SourceLocation& /*source_location*/, const std::string& msg,
               const bool /*verbatim*/) override {
    if (msg.find("is in beta") != std::string::npos) return;
    std::cerr << "gnnx: warning: " << msg.substr(0, msg.find('\n')) << "\n";
  }
};

}  // namespace

void install_torch_warning_handler() {
  static ConciseWarningHandler handler;  // must outlive every warning
  c10::Warning::set_warning_handler(&handler);
}

}  // namespace gnnx::tools
