#include "method_kwargs.h"

#include <gnnx/explainers/explainer.h>
#include <gnnx/gnn/error.h>

#include <utility>

namespace gnnx::python {

explainers::MethodOptions method_options(const std::string& method,
                                         const std::map<std::string, std::string>& values,
                                         explainers::MethodOptions base) {
  const explainers::MethodInfo& info = explainers::find_method(method);
  explainers::MethodOptions options = std::move(base);
  for (const auto& [name, value] : values) {
    if (!info.reads(name)) {
      std::string read;
      for (const auto& o : explainers::common_method_options()) read += ", " + o.name;
      for (const auto& o : info.options) read += ", " + o.name;
      throw InputError("method '" + method + "' has no option '" + name +
                       "' (it reads: " + read.substr(2) + "; write dashes as underscores)");
    }
    explainers::set_option(options, name, value);
  }
  return options;
}

}  // namespace gnnx::python
