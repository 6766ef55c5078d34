#pragma once
// Which edges of an explanation a drawing shows (render_graphviz.cpp): each undirected edge of
// the computation subgraph once, the most important first up to a limit, and the ground-truth
// edges beside them, so that a motif the explainer missed is still seen.

#include <gnnx/explainers/explanation.h>
#include <gnnx/gnn/graph.h>

#include <cstdint>
#include <vector>

namespace gnnx::explainers::detail {

/// One undirected edge of a drawing.
struct DrawnEdge {
  int64_t u = 0;  ///< original node ids, u < v
  int64_t v = 0;
  double importance = 0.0;  ///< the larger of its two directions' scores; 0 without an edge mask
  bool truth = false;       ///< either direction is in the ground truth given
};

/// The undirected edges of e's subgraph, sorted by (u, v): the `max_edges` most important (0 =
/// all; ties keep the (u, v) order), and the ground-truth edges not among them, the most
/// important first, up to `max_edges` more. `truth_edges`: [E] bool over graph's edges, or
/// undefined for none; throws c10::Error when its size is not E.
std::vector<DrawnEdge> drawn_edges(const Explanation& e, const gnn::Graph& graph, int64_t max_edges,
                                   const torch::Tensor& truth_edges);

}  // namespace gnnx::explainers::detail
