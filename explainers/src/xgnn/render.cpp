// Plain generated graphs drawn with the explainers' Graphviz renderer: the graphs become one
// disjoint union, "explained" by a node mask that carries each graph's probability.

#include <gnnx/explainers/render_graphviz.h>
#include <gnnx/explainers/xgnn.h>
#include <gnnx/gnn/error.h>

#include <torch/types.h>

#include <algorithm>

namespace gnnx::explainers {

void render_generated_graphs(const std::vector<ScoredGraph>& graphs, int64_t target_class,
                             const std::string& path) {
  if (graphs.empty()) throw InputError("xgnn: no graph to draw");
  std::vector<int64_t> src, dst;
  std::vector<float> node_probability;
  double best = 0;
  int64_t offset = 0;
  for (const auto& scored : graphs) {
    for (const auto& e : scored.graph.edges) {
      src.insert(src.end(), {offset + e[0], offset + e[1]});
      dst.insert(dst.end(), {offset + e[1], offset + e[0]});
    }
    node_probability.insert(node_probability.end(), scored.graph.types.size(),
                            static_cast<float>(scored.probability));
    best = std::max(best, scored.probability);
    offset += scored.graph.num_nodes();
  }
  const auto num_edges = static_cast<int64_t>(src.size());
  const gnn::Graph union_graph(
      offset, torch::stack({torch::tensor(src, torch::kLong), torch::tensor(dst, torch::kLong)}),
      torch::ones({offset, 1}));
  Explanation e;
  e.method = "xgnn (" + std::to_string(graphs.size()) + " graphs, shade = probability)";
  e.task = gnn::Task::kGraphClassification;
  e.target = 0;
  e.explained_class = target_class;
  e.probability = best;
  e.node_ids = torch::arange(offset, torch::kLong);
  e.node_mask = torch::tensor(node_probability, torch::kFloat);
  e.edge_ids = torch::arange(num_edges, torch::kLong);
  e.edge_mask = torch::ones({num_edges}, torch::kFloat);
  GraphvizOptions options;
  options.max_edges = 0;  // every edge of every graph
  options.node_labels = false;
  render_explanation(e, union_graph, path, options);
}

}  // namespace gnnx::explainers
