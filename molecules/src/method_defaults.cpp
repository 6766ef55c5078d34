#include <gnnx/molecules/method_defaults.h>

namespace gnnx::molecules {

explainers::MethodOptions with_molecule_defaults(const std::string& method,
                                                 explainers::MethodOptions options) {
  if (method == "gnnexplainer") {
    if (!options.lr) options.lr = kMoleculeGnnExplainerLr;
    if (!options.edge_size) options.edge_size = kMoleculeGnnExplainerEdgeSize;
  }
  return options;
}

}  // namespace gnnx::molecules
