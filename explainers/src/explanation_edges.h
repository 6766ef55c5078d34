#pragma once
// The edges of an explanation as the explanation files list them (explanation_json.cpp,
// explanation_csv.cpp): one row per undirected edge where nothing is lost by it, else one row per
// directed edge; and their ranking by importance.

#include <gnnx/explainers/explanation.h>
#include <gnnx/gnn/graph.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace gnnx::explainers::detail {

/// One explanation's edge rows, as columns of equal length.
struct EdgeRows {
  /// Each row stands for both u -> v and v -> u (source <= target), which share its importance.
  /// False: each row is one directed edge, and a pair's two directions are two rows.
  bool undirected = false;
  std::vector<int64_t> id;      ///< original edge id (of the source -> target direction)
  std::vector<int64_t> source;  ///< original node ids
  std::vector<int64_t> target;
  std::vector<double> importance;  ///< empty when the explanation has no edge mask

  int64_t size() const { return static_cast<int64_t>(id.size()); }
};

/// Row positions by importance, best first; ties keep the rows' order (as metrics' top_edges).
/// Empty when the rows have no importances.
std::vector<int64_t> ranked(const EdgeRows& rows);

/// Lists explanations' edges over the graphs their ids refer to (the node task's one graph, or the
/// graph task's graphs indexed by target), checking each graph's direction once.
class EdgeLister {
 public:
  explicit EdgeLister(const std::vector<gnn::Graph>& graphs);

  /// e's edges in e.edge_ids' order: one row per undirected edge when e's graph is undirected
  /// (gnn::is_undirected) and e lists both directions of each of its edges, once each, with equal
  /// scores (the methods that tie a pair's mask, e.g. GNNExplainer); one row per edge id
  /// otherwise (gradients differ by direction). Throws InputError when e's graph is missing.
  EdgeRows rows(const Explanation& e);

 private:
  /// Which of graphs_ e's ids refer to; throws InputError when there is no such graph.
  size_t graph_index(const Explanation& e) const;
  bool undirected(size_t graph);

  const std::vector<gnn::Graph>& graphs_;
  std::vector<std::optional<bool>> undirected_;  ///< per graph, once asked
};

}  // namespace gnnx::explainers::detail
