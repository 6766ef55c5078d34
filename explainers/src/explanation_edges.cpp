#include "explanation_edges.h"

#include <gnnx/gnn/error.h>
#include <gnnx/io/tensor_vector.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <unordered_map>

namespace gnnx::explainers::detail {
namespace {

/// Whether every edge u -> v of `rows` has exactly one reverse v -> u among them with the same
/// score (a self-loop is its own reverse), so that one row per pair loses nothing.
bool pairs_share_scores(const EdgeRows& rows, int64_t num_nodes) {
  std::unordered_map<int64_t, int64_t> position;  // u * num_nodes + v -> row
  position.reserve(rows.id.size());
  for (int64_t p = 0; p < rows.size(); ++p) {
    const bool first = position.emplace(rows.source[p] * num_nodes + rows.target[p], p).second;
    if (!first) return false;  // a multi-edge: which reverse is whose is ambiguous
  }
  for (int64_t p = 0; p < rows.size(); ++p) {
    const auto reverse = position.find(rows.target[p] * num_nodes + rows.source[p]);
    if (reverse == position.end()) return false;
    // Exact equality: a tied mask gives both directions the same value, bit for bit.
    if (!rows.importance.empty() && rows.importance[p] != rows.importance[reverse->second]) {
      return false;
    }
  }
  return true;
}

/// The rows of `rows` with source <= target: one per pair, given pairs_share_scores.
EdgeRows one_row_per_pair(const EdgeRows& rows) {
  EdgeRows out;
  out.undirected = true;
  for (int64_t p = 0; p < rows.size(); ++p) {
    if (rows.source[p] > rows.target[p]) continue;
    out.id.push_back(rows.id[p]);
    out.source.push_back(rows.source[p]);
    out.target.push_back(rows.target[p]);
    if (!rows.importance.empty()) out.importance.push_back(rows.importance[p]);
  }
  return out;
}

}  // namespace

std::vector<int64_t> ranked(const EdgeRows& rows) {
  std::vector<int64_t> order(rows.importance.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return rows.importance[a] > rows.importance[b]; });
  return order;
}

EdgeLister::EdgeLister(const std::vector<gnn::Graph>& graphs)
    : graphs_(graphs), undirected_(graphs.size()) {}

size_t EdgeLister::graph_index(const Explanation& e) const {
  const int64_t g = e.task == gnn::Task::kNodeClassification ? 0 : e.target;
  if (g < 0 || g >= static_cast<int64_t>(graphs_.size())) {
    throw InputError("explanation files: no graph " + std::to_string(g) + " for target " +
                     std::to_string(e.target) + " (" + std::to_string(graphs_.size()) +
                     " graphs given)");
  }
  return static_cast<size_t>(g);
}

bool EdgeLister::undirected(size_t graph) {
  if (!undirected_[graph]) undirected_[graph] = gnn::is_undirected(graphs_[graph]);
  return *undirected_[graph];
}

EdgeRows EdgeLister::rows(const Explanation& e) {
  const size_t g = graph_index(e);
  const gnn::Graph& graph = graphs_[g];
  EdgeRows rows;
  if (e.edge_ids.defined()) {
    const torch::Tensor ids = e.edge_ids.to(torch::kCPU, torch::kLong);
    const torch::Tensor ei = graph.edge_index().cpu();
    rows.id = io::to_vector<int64_t>(ids);
    rows.source = io::to_vector<int64_t>(ei[0].index_select(0, ids));
    rows.target = io::to_vector<int64_t>(ei[1].index_select(0, ids));
    rows.importance = io::to_vector<double>(e.edge_mask);
  }
  if (undirected(g) && pairs_share_scores(rows, graph.num_nodes())) return one_row_per_pair(rows);
  return rows;
}

}  // namespace gnnx::explainers::detail
