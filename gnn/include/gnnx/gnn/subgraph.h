#pragma once
// Computation subgraphs and batching: the two ways explainers cut and paste graphs.

#include <gnnx/gnn/graph.h>

#include <vector>

namespace gnnx::gnn {

/// A subgraph with the way back to the graph it was cut from.
struct Subgraph {
  Graph graph;            ///< relabelled 0..n-1; x, y (node labels) and edge_attr carried over
  torch::Tensor node_id;  ///< [n] int64: original id of each subgraph node (ascending)
  torch::Tensor edge_id;  ///< [m] int64: original id of each subgraph edge (ascending)
  torch::Tensor target;   ///< [T] int64: position in the subgraph of each requested target
};

/// The k-hop computation subgraph of `targets` (the nodes a k-layer GNN reads to compute their
/// outputs): every node with a path of at most k edges *into* a target (messages flow source ->
/// target), and every edge whose two end points are both such nodes (as PyTorch Geometric's
/// k_hop_subgraph). Throws InputError for a target out of range or k < 0.
Subgraph k_hop_subgraph(const Graph& graph, const torch::Tensor& targets, int64_t num_hops);

/// The subgraph induced by `nodes` (int64, any order, duplicates ignored).
Subgraph induced_subgraph(const Graph& graph, const torch::Tensor& nodes);

/// Many graphs as one block-diagonal graph.
struct Batch {
  Graph graph;          ///< node features concatenated; y = one label per graph if all have one
  torch::Tensor batch;  ///< [N] int64: which graph each node belongs to
  torch::Tensor node_offset;  ///< [G+1] int64: first node of each graph, then N
  torch::Tensor edge_offset;  ///< [G+1] int64: first edge of each graph, then E
  int64_t num_graphs() const { return node_offset.size(0) - 1; }
};

/// Concatenates graphs (all with the same feature width) into one block-diagonal graph.
/// Labels: a graph whose y has one element contributes a graph label; node-level labels are
/// concatenated. Mixed kinds throw InputError.
Batch make_batch(const std::vector<Graph>& graphs);

}  // namespace gnnx::gnn
