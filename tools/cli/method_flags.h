#pragma once
// The explainer flags shared by `gnnx explain` and `gnnx evaluate`, turned into the
// registry's MethodOptions.

#include <gnnx/explainers/explainer.h>

#include <string>

namespace CLI {
class App;
}

namespace gnnx::tools {

struct MethodFlags {
  std::string mode = "model";
  int64_t explained_class = -1;
  uint64_t seed = 0;
  int64_t epochs = 0;
  double lr = 0;
  bool feature_mask = false;
  bool asymmetric = false;
  double edge_size = -1;
  double edge_ent = -1;
  double edge_lap = -1;
  int64_t samples = 0;
  double dropout = -1;
  int64_t steps = 0;
  int64_t layer = -1;
  bool contrastive = false;
  bool gradient_x_input = false;
  int64_t batch_size = 0;
};

/// Adds --mode, --class, --explainer-seed, --epochs, --lr, --feature-mask, --asymmetric,
/// --edge-size, --edge-entropy, --samples, --dropout, --steps, --layer, --contrastive,
/// --gradient-x-input, --batch-size.
void add_method_flags(CLI::App& cmd, MethodFlags& flags);

/// The options for a graph; edge masks are symmetric on an undirected graph unless --asymmetric.
explainers::MethodOptions method_options(const MethodFlags& flags, bool undirected_graph);

}  // namespace gnnx::tools
