#pragma once
// Edge-list building blocks of the synthetic benchmarks: an undirected simple graph under
// construction that remembers which motif instance each node belongs to, the base graphs
// (Barabási–Albert, balanced tree), the motifs (house, cycle, grid) and the random edges the
// reference code adds. The data set generators compose these; the ground truth falls out of
// the motif membership.

#include <torch/types.h>

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "random.h"

namespace gnnx::datasets::detail {

/// A small graph to attach to a base graph, in local node ids 0 .. num_nodes-1.
struct Motif {
  int64_t num_nodes = 0;
  std::vector<std::pair<int64_t, int64_t>> edges;
  std::vector<int64_t> roles;  ///< per node: role label, counted from 0 within the motif
};

/// The GNNExplainer house: a square 0-1-2-3 with a roof node 4 joined to 0 and 1 (6 edges).
/// Roles: 0 = nodes 0, 1 (middle: the square's upper corners, under the roof), 1 = nodes 2, 3
/// (bottom), 2 = node 4 (top).
Motif house_motif();
/// A cycle 0-1-...-(length-1)-0; every node has role 0.
Motif cycle_motif(int64_t length);
/// A side x side grid, node r*side + c at row r, column c (node 0 is a corner); role 0.
Motif grid_motif(int64_t side);

/// Half-open range of node ids [first, last).
struct NodeRange {
  int64_t first = 0;
  int64_t last = 0;
  int64_t size() const { return last - first; }
};

/// An undirected graph without self-loops or parallel edges, built by appending.
class GraphBuilder {
 public:
  static constexpr int64_t kNoMotif = -1;

  /// Appends `count` nodes belonging to `motif` (kNoMotif for base nodes); returns their range.
  NodeRange add_nodes(int64_t count, int64_t motif = kNoMotif);
  /// Adds the edge u-v; adds nothing and returns false for a self-loop or an existing edge.
  bool add_edge(int64_t u, int64_t v);
  bool has_edge(int64_t u, int64_t v) const;
  /// A fresh motif instance id, for add_nodes.
  int64_t new_motif() { return next_motif_++; }

  int64_t num_nodes() const { return static_cast<int64_t>(motif_.size()); }
  /// Undirected edges (edge_index() holds twice as many columns).
  int64_t num_edges() const { return static_cast<int64_t>(edges_.size()); }
  /// Motif instance of a node, kNoMotif for base nodes.
  int64_t motif_of(int64_t node) const { return motif_[node]; }

  /// [2, 2 * num_edges()] int64: both directions of every edge, sorted by (source, target).
  torch::Tensor edge_index() const;
  /// [N] bool: node lies in a motif.
  torch::Tensor node_mask() const;
  /// [N] int64: the motif instance of every node, kNoMotif (-1) for base nodes.
  torch::Tensor motif_ids() const;
  /// [E] bool for the columns of `edge_index`: both end points lie in the same motif instance.
  torch::Tensor edge_mask(const torch::Tensor& edge_index) const;

 private:
  std::vector<int64_t> motif_;                   // per node
  std::set<std::pair<int64_t, int64_t>> edges_;  // (min, max) of each undirected edge
  int64_t next_motif_ = 0;
};

/// Appends a Barabási–Albert graph of n nodes: the first m nodes start without edges, every
/// later node joins m distinct earlier nodes drawn with probability proportional to degree
/// (networkx 2.x barabasi_albert_graph, which the reference code calls). Requires 1 <= m < n.
NodeRange add_barabasi_albert(GraphBuilder& graph, Random& random, int64_t n, int64_t m);

/// Appends a balanced tree (networkx balanced_tree): local node i has children
/// branching*i + 1 .. branching*i + branching; (branching^(height+1) - 1) / (branching - 1)
/// nodes for branching >= 2.
NodeRange add_balanced_tree(GraphBuilder& graph, int64_t branching, int64_t height);

/// Appends one instance of `motif` as a new motif and joins its node `motif_node` to `anchor`
/// by one edge (the joining edge is not part of the motif). Returns the new nodes.
NodeRange attach_motif(GraphBuilder& graph, const Motif& motif, int64_t anchor, int64_t motif_node);

/// The anchors synthetic_structsim.build_graph uses when it does not draw them at random:
/// base.first + k * floor(base.size() / count) for k = 0 .. count-1.
std::vector<int64_t> spaced_anchors(NodeRange base, int64_t count);

/// floor(num_edges * ratio): how many edges gengraph.perturb adds.
int64_t perturbation_count(int64_t num_edges, double ratio);

/// Adds `count` new edges u-v, u uniform in `from` and v uniform in `to`, redrawing a pair that
/// is a self-loop, an existing edge or inside one motif instance (so the motifs stay exactly
/// the shapes they are, and the ground truth stays their edges).
void add_random_edges(GraphBuilder& graph, Random& random, int64_t count, NodeRange from,
                      NodeRange to);

}  // namespace gnnx::datasets::detail
