// Occlusion on graphs (after Zeiler & Fergus, ECCV 2014): remove one node or one edge and
// measure the drop of the explained class's probability.

#include <gnnx/explainers/gradient_methods.h>
#include <gnnx/explainers/layer_plan.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <utility>

#include "machinery.h"

namespace gnnx::explainers {
namespace {

enum class Element { kNode, kEdge };

// p_c of every part's target in `batch`: [T'] float64.
torch::Tensor class_probability(gnn::GnnModel& model, const TargetBatch& batch,
                                const torch::Tensor& x, const torch::Tensor& w,
                                const torch::Tensor& classes) {
  const auto logits = forward_targets(model, batch, x, w).logits.to(torch::kDouble);
  return torch::softmax(logits, 1).gather(1, classes.unsqueeze(1)).squeeze(1);
}

// p0[t] − p_c(part t without its k-th node / edge) for every element of every part, written
// into `scores` (indexed like the union of `batch`). Pass k removes the k-th element of every
// part that has one (parts do not interact); when half of the parts are done, the remaining
// ones are cut into a smaller union, so a batch costs about Σ_t size_t² element-forwards
// rather than max_t size_t · Σ_t size_t.
void occlude(gnn::GnnModel& model, const TargetBatch& batch, const torch::Tensor& classes,
             const torch::Tensor& p0, Element kind, torch::Tensor& scores,
             const std::function<void()>& on_pass) {
  const auto sizes =
      detail::part_sizes(kind == Element::kNode ? batch.node_offset : batch.edge_offset);
  std::vector<int64_t> active;  // parts with an element k, ascending
  for (int64_t t = 0; t < static_cast<int64_t>(sizes.size()); ++t) {
    if (sizes[t] > 0) active.push_back(t);
  }
  std::unique_ptr<detail::PartSubset> subset;  // null: the whole batch
  const TargetBatch* cur = &batch;
  std::vector<int64_t> cur_parts(sizes.size());
  for (size_t t = 0; t < sizes.size(); ++t) cur_parts[t] = static_cast<int64_t>(t);
  std::vector<int64_t> local(sizes.size(), -1);  // part -> its index in `cur`
  auto relocate = [&] {
    std::fill(local.begin(), local.end(), -1);
    for (size_t j = 0; j < cur_parts.size(); ++j) local[cur_parts[j]] = static_cast<int64_t>(j);
  };
  relocate();
  torch::Tensor cur_classes = classes;
  for (int64_t k = 0; !active.empty(); ++k) {
    const auto& offsets = kind == Element::kNode ? cur->node_offset : cur->edge_offset;
    const auto off = offsets.contiguous();
    std::vector<int64_t> ids, parts, locals;
    for (int64_t t : active) {
      ids.push_back(off.data_ptr<int64_t>()[local[t]] + k);
      parts.push_back(t);
      locals.push_back(local[t]);
    }
    const auto id_t = torch::tensor(ids, torch::kLong);
    const auto& x = cur->graph.x();
    const auto ones = detail::ones_edge_mask(*cur, x);
    torch::Tensor p;
    if (kind == Element::kNode) {
      const auto& ei = cur->graph.edge_index();
      const auto removed = torch::zeros({x.size(0)}, torch::kBool).index_fill(0, id_t, true);
      const auto incident =
          removed.index_select(0, ei[0]).logical_or(removed.index_select(0, ei[1]));
      p = class_probability(model, *cur, x.index_fill(0, id_t, 0), ones.masked_fill(incident, 0),
                            cur_classes);
    } else {
      p = class_probability(model, *cur, x, ones.index_fill(0, id_t, 0), cur_classes);
    }
    const auto drop = p0.index_select(0, torch::tensor(parts, torch::kLong)) -
                      p.index_select(0, torch::tensor(locals, torch::kLong));
    const auto origin = subset
                            ? (kind == Element::kNode ? subset->node_origin : subset->edge_origin)
                                  .index_select(0, id_t)
                            : id_t;
    scores.index_put_({origin}, drop);
    on_pass();
    active.erase(
        std::remove_if(active.begin(), active.end(), [&](int64_t t) { return sizes[t] <= k + 1; }),
        active.end());
    if (!active.empty() && active.size() * 2 <= cur_parts.size()) {
      subset = std::make_unique<detail::PartSubset>(detail::select_parts(batch, active));
      cur = &subset->batch;
      cur_parts = active;
      cur_classes = classes.index_select(0, torch::tensor(cur_parts, torch::kLong));
      relocate();
      // Offsets in the subset are relative to it; element ids from here on are mapped back
      // through subset->*_origin.
    }
  }
}

}  // namespace

Occlusion::Occlusion(TargetOptions target) : GradientExplainer(std::move(target)) {}

GradientExplainer::Attribution Occlusion::attribute(gnn::GnnModel& model, const TargetBatch& batch,
                                                    const torch::Tensor& classes,
                                                    const ChunkProgress& progress) const {
  torch::NoGradGuard no_grad;
  const auto& x = batch.graph.x();
  const auto p0 = class_probability(model, batch, x, detail::ones_edge_mask(batch, x), classes);
  auto node_scores = torch::zeros({x.size(0)}, torch::kDouble);
  auto edge_scores = torch::zeros({batch.graph.num_edges()}, torch::kDouble);
  const auto node_sizes = detail::part_sizes(batch.node_offset);
  // Removing an edge no layer reads changes nothing (its drop is exactly 0): for a node
  // classifier the edges are cut to those a LayerPlan uses, a fifth of a BA-Shapes union, and
  // each pass runs on that smaller union.
  std::unique_ptr<detail::PartSubset> used;
  if (batch.task == gnn::Task::kNodeClassification && model.describe().layer_graphs) {
    const auto keep = torch::zeros({batch.graph.num_edges()}, torch::kBool)
                          .index_fill(0, LayerPlan(model, batch).used_edges(), true);
    used = std::make_unique<detail::PartSubset>(detail::select_edges(batch, keep));
  }
  const TargetBatch& occluded = used ? used->batch : batch;
  const auto occluded_edges = detail::part_sizes(occluded.edge_offset);
  const int64_t passes =
      (node_sizes.empty() ? 0 : *std::max_element(node_sizes.begin(), node_sizes.end())) +
      (occluded_edges.empty() ? 0
                              : *std::max_element(occluded_edges.begin(), occluded_edges.end()));
  int64_t done = 0;
  const std::function<void()> on_pass = [&] { progress(++done, passes); };
  occlude(model, occluded, classes, p0, Element::kNode, node_scores, on_pass);
  auto used_scores = torch::zeros({occluded.graph.num_edges()}, torch::kDouble);
  occlude(model, occluded, classes, p0, Element::kEdge, used_scores, on_pass);
  if (used) {
    edge_scores.index_put_({used->edge_origin}, used_scores);
  } else {
    edge_scores = used_scores;
  }
  Attribution a;
  a.node_scores = node_scores;
  a.edge_scores = edge_scores;
  a.options = {{"score", "probability drop"}};
  return a;
}

}  // namespace gnnx::explainers
