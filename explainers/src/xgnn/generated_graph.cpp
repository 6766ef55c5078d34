// GeneratedGraph, the built-in rule and featurizer, and the XGNN options check.

#include <gnnx/explainers/xgnn.h>
#include <gnnx/gnn/error.h>

#include <torch/types.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace gnnx::explainers {

bool GeneratedGraph::has_edge(int64_t u, int64_t v) const {
  const std::array<int64_t, 2> key{std::min(u, v), std::max(u, v)};
  return std::find(edges.begin(), edges.end(), key) != edges.end();
}

int64_t GeneratedGraph::degree(int64_t node) const {
  return std::count_if(edges.begin(), edges.end(),
                       [node](const auto& e) { return e[0] == node || e[1] == node; });
}

std::string GeneratedGraph::structure_key() const {
  std::vector<std::array<int64_t, 2>> sorted = edges;
  std::sort(sorted.begin(), sorted.end());
  std::ostringstream key;
  for (int64_t t : types) key << t << ',';
  key << '|';
  for (const auto& e : sorted) key << e[0] << '-' << e[1] << ',';
  return key.str();
}

torch::Tensor GeneratedGraph::edge_index() const {
  torch::Tensor index = torch::empty({2, 2 * num_edges()}, torch::kLong);
  auto acc = index.accessor<int64_t, 2>();
  for (int64_t k = 0; k < num_edges(); ++k) {
    acc[0][2 * k] = edges[k][0];
    acc[1][2 * k] = edges[k][1];
    acc[0][2 * k + 1] = edges[k][1];
    acc[1][2 * k + 1] = edges[k][0];
  }
  return index;
}

GraphRule degree_limit_rule(std::vector<int64_t> max_degree) {
  return [max_degree = std::move(max_degree)](const GeneratedGraph& g) {
    std::vector<int64_t> degree(g.types.size(), 0);
    for (const auto& e : g.edges) {
      ++degree[e[0]];
      ++degree[e[1]];
    }
    for (size_t i = 0; i < degree.size(); ++i) {
      const auto type = static_cast<size_t>(g.types[i]);
      if (type >= max_degree.size() || degree[i] > max_degree[type]) return false;
    }
    return true;
  };
}

GraphFeaturizer type_row_featurizer(const torch::Tensor& type_features) {
  if (!type_features.defined() || type_features.dim() != 2 || !type_features.is_floating_point()) {
    throw InputError("xgnn: type features must be a floating-point [types, features] matrix");
  }
  return [rows = type_features.contiguous()](const GeneratedGraph& g) {
    const torch::Tensor types = torch::tensor(g.types, torch::kLong);
    return gnn::Graph(g.num_nodes(), g.edge_index(), rows.index_select(0, types));
  };
}

void XgnnOptions::validate(int64_t num_types) const {
  auto fail = [](const std::string& what) { throw InputError("xgnn: " + what); };
  if (num_types < 1) fail("needs at least one node type");
  if (max_nodes < 2) fail("max_nodes must be >= 2, got " + std::to_string(max_nodes));
  if (max_steps < 1) fail("max_steps must be >= 1, got " + std::to_string(max_steps));
  if (iterations < 0) fail("iterations must be >= 0, got " + std::to_string(iterations));
  if (rollouts < 0) fail("rollouts must be >= 0, got " + std::to_string(rollouts));
  if (generation_episodes < 0) fail("generation_episodes must be >= 0");
  if (num_results < 1) fail("num_results must be >= 1, got " + std::to_string(num_results));
  if (min_nodes < 0 || min_nodes > max_nodes) {
    fail("min_nodes must be in [0, max_nodes], got " + std::to_string(min_nodes));
  }
  if (start_type < 0 || start_type >= num_types) {
    fail("start_type " + std::to_string(start_type) + " is out of range for " +
         std::to_string(num_types) + " node types");
  }
  for (double v :
       {rollout_weight, rollout_penalty, step_reward, invalid_reward, momentum, weight_decay}) {
    if (!std::isfinite(v)) fail("reward and optimiser settings must be finite");
  }
  if (!(lr > 0) || !std::isfinite(lr)) fail("lr must be > 0");
  if (!(grad_clip > 0)) fail("grad_clip must be > 0");
}

}  // namespace gnnx::explainers
