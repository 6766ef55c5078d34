#include "method_kwargs.h"

#include <gnnx/explainers/explainer.h>
#include <gnnx/gnn/error.h>

#include <c10/util/StringUtil.h>

#include <utility>

namespace gnnx::python {

explainers::MethodOptions method_options(const std::string& method,
                                         const std::map<std::string, std::string>& values,
                                         explainers::MethodOptions base) {
  const explainers::MethodInfo& info = explainers::find_method(method);
  explainers::MethodOptions options = std::move(base);
  for (const auto& [name, value] : values) {
    if (!info.reads(name)) {
      throw InputError("method '" + method + "' has no option '" + name + "' (it reads: " +
                       c10::Join(", ", info.option_names()) + "; write dashes as underscores)");
    }
    explainers::set_option(options, name, value);
  }
  return options;
}

}  // namespace gnnx::python
