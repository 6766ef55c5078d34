// The method registry: one line per explainer.

#include <gnnx/explainers/explainer.h>
#include <gnnx/explainers/gnnexplainer.h>
#include <gnnx/gnn/error.h>

namespace gnnx::explainers {

const std::vector<MethodInfo>& methods() {
  static const std::vector<MethodInfo> all = {
      {"gnnexplainer", "GNNExplainer: learned soft edge (and feature) mask (Ying et al. 2019)",
       [](const MethodOptions& o) {
         return std::make_unique<GNNExplainer>(GNNExplainerOptions::from(o));
       }},
  };
  return all;
}

std::string method_names() {
  std::string out;
  for (const auto& m : methods()) out += (out.empty() ? "" : ", ") + m.name;
  return out;
}

std::unique_ptr<Explainer> make_explainer(const std::string& name, const MethodOptions& options) {
  for (const auto& m : methods()) {
    if (m.name == name) return m.make(options);
  }
  throw InputError("unknown method '" + name + "' (valid: " + method_names() + ")");
}

}  // namespace gnnx::explainers
