// Occlusion on graphs (after Zeiler & Fergus, ECCV 2014): remove one node or one edge and
// measure the drop of the explained class's probability.

#include "machinery.h"

#include <gnnx/explainers/gradient_methods.h>

#include <algorithm>

namespace gnnx::explainers {
namespace {

// p_c of every part's target: [T] float64.
torch::Tensor class_probability(gnn::GnnModel& model, const TargetBatch& batch,
                                const torch::Tensor& x, const torch::Tensor& w,
                                const torch::Tensor& classes) {
  const auto logits = detail::forward_targets(model, batch, x, w).logits.to(torch::kDouble);
  return torch::softmax(logits, 1).gather(1, classes.unsqueeze(1)).squeeze(1);
}

// Union ids of the k-th element of every part that has one, and those parts.
void kth_elements(const std::vector<int64_t>& sizes, const torch::Tensor& offsets, int64_t k,
                  std::vector<int64_t>& ids, std::vector<int64_t>& parts) {
  ids.clear();
  parts.clear();
  const auto o = offsets.contiguous();
  for (size_t t = 0; t < sizes.size(); ++t) {
    if (sizes[t] > k) {
      ids.push_back(o.data_ptr<int64_t>()[t] + k);
      parts.push_back(static_cast<int64_t>(t));
    }
  }
}

}  // namespace

Occlusion::Occlusion(TargetOptions target) : GradientExplainer(target) {}

GradientExplainer::Attribution Occlusion::attribute(gnn::GnnModel& model,
                                                    const TargetBatch& batch,
                                                    const torch::Tensor& classes) {
  torch::NoGradGuard no_grad;
  const auto& x = batch.graph.x();
  const auto ones = detail::ones_edge_mask(batch, x);
  const auto& ei = batch.graph.edge_index();
  const auto p0 = class_probability(model, batch, x, ones, classes);
  auto node_scores = torch::zeros({x.size(0)}, torch::kDouble);
  auto edge_scores = torch::zeros({ones.size(0)}, torch::kDouble);
  std::vector<int64_t> ids, parts;

  // Nodes: the k-th node of every part at once (parts do not interact).
  const auto node_sizes = detail::part_sizes(batch.node_offset);
  const int64_t max_nodes =
      node_sizes.empty() ? 0 : *std::max_element(node_sizes.begin(), node_sizes.end());
  for (int64_t k = 0; k < max_nodes; ++k) {
    kth_elements(node_sizes, batch.node_offset, k, ids, parts);
    const auto nodes = torch::tensor(ids, torch::kLong);
    const auto part_ids = torch::tensor(parts, torch::kLong);
    const auto removed = torch::zeros({x.size(0)}, torch::kBool).index_fill(0, nodes, true);
    const auto incident = removed.index_select(0, ei[0]).logical_or(removed.index_select(0, ei[1]));
    const auto w = ones.masked_fill(incident, 0);
    const auto p = class_probability(model, batch, x.index_fill(0, nodes, 0), w, classes);
    node_scores.index_put_({nodes}, (p0 - p).index_select(0, part_ids));
  }

  // Edges: the k-th edge of every part at once.
  const auto edge_sizes = detail::part_sizes(batch.edge_offset);
  const int64_t max_edges =
      edge_sizes.empty() ? 0 : *std::max_element(edge_sizes.begin(), edge_sizes.end());
  for (int64_t k = 0; k < max_edges; ++k) {
    kth_elements(edge_sizes, batch.edge_offset, k, ids, parts);
    const auto edges = torch::tensor(ids, torch::kLong);
    const auto part_ids = torch::tensor(parts, torch::kLong);
    const auto p = class_probability(model, batch, x, ones.index_fill(0, edges, 0), classes);
    edge_scores.index_put_({edges}, (p0 - p).index_select(0, part_ids));
  }

  Attribution a;
  a.node_scores = node_scores;
  a.edge_scores = edge_scores;
  a.options = {{"score", "probability drop"}};
  return a;
}

}  // namespace gnnx::explainers
