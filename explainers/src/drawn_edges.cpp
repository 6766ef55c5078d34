#include "drawn_edges.h"

#include <algorithm>
#include <map>
#include <utility>

namespace gnnx::explainers::detail {

std::vector<DrawnEdge> drawn_edges(const Explanation& e, const gnn::Graph& graph, int64_t max_edges,
                                   const torch::Tensor& truth_edges) {
  TORCH_CHECK(!truth_edges.defined() || truth_edges.numel() == graph.num_edges(),
              "drawn_edges: the ground-truth edge mask has ", truth_edges.numel(),
              " entries for a graph of ", graph.num_edges(), " edges");
  const auto ei = graph.edge_index().to(torch::kCPU).contiguous();
  const auto* src = ei[0].data_ptr<int64_t>();
  const auto* dst = ei[1].data_ptr<int64_t>();
  const auto ids = e.edge_ids.to(torch::kCPU, torch::kLong).contiguous();
  const auto* id = ids.data_ptr<int64_t>();
  const bool has_mask = e.edge_mask.defined();
  const auto mask =
      has_mask ? e.edge_mask.to(torch::kCPU, torch::kDouble).contiguous() : torch::Tensor();
  const auto truth = truth_edges.defined() ? truth_edges.to(torch::kCPU, torch::kBool).contiguous()
                                           : torch::Tensor();

  std::map<std::pair<int64_t, int64_t>, DrawnEdge> pairs;
  for (int64_t pos = 0; pos < ids.numel(); ++pos) {
    const int64_t u = std::min(src[id[pos]], dst[id[pos]]);
    const int64_t v = std::max(src[id[pos]], dst[id[pos]]);
    const double w = has_mask ? mask.data_ptr<double>()[pos] : 0.0;
    const bool in_truth = truth.defined() && truth.data_ptr<bool>()[id[pos]];
    auto [it, inserted] = pairs.emplace(std::make_pair(u, v), DrawnEdge{u, v, w, in_truth});
    if (!inserted) {
      it->second.importance = std::max(it->second.importance, w);
      it->second.truth = it->second.truth || in_truth;
    }
  }
  std::vector<DrawnEdge> all;
  all.reserve(pairs.size());
  for (const auto& kv : pairs) all.push_back(kv.second);
  if (max_edges <= 0 || static_cast<int64_t>(all.size()) <= max_edges) return all;

  std::vector<DrawnEdge> ranked = all;
  std::stable_sort(ranked.begin(), ranked.end(), [](const DrawnEdge& a, const DrawnEdge& b) {
    return a.importance > b.importance;
  });
  std::vector<DrawnEdge> kept(ranked.begin(), ranked.begin() + max_edges);
  // A hub's subgraph holds hundreds of motif edges: at most max_edges more keep the drawing
  // readable and neato's spline routing quick.
  int64_t truth_added = 0;
  for (auto it = ranked.begin() + max_edges; it != ranked.end() && truth_added < max_edges; ++it) {
    if (it->truth) {
      kept.push_back(*it);
      ++truth_added;
    }
  }
  std::sort(kept.begin(), kept.end(), [](const DrawnEdge& a, const DrawnEdge& b) {
    return std::make_pair(a.u, a.v) < std::make_pair(b.u, b.v);
  });
  return kept;
}

}  // namespace gnnx::explainers::detail
