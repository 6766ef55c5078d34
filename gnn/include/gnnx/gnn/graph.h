#pragma once
// Graph: the one graph representation of gnnx. An edge index (2 x E, int64, row 0 = source,
// row 1 = target; an undirected graph stores both directions) plus node features, optional edge
// attributes and labels, validated on construction, with a CSR view grouped by target node —
// the order message passing aggregates in.

#include <gnnx/gnn/torch_fwd.h>

#include <cstdint>

namespace gnnx::gnn {

/// Compressed sparse rows of the edges grouped by target node.
/// For row i, entries rowptr[i] .. rowptr[i+1]-1 are the edges that end at i, sorted by source.
struct Csr {
  torch::Tensor rowptr;  ///< [N+1] int64
  torch::Tensor col;     ///< [E] int64: the source node of each CSR entry
  torch::Tensor perm;    ///< [E] int64: perm[k] = id (column of edge_index) of CSR entry k
};

/// Builds the CSR of `index` grouped by `rows` (values in [0, num_rows)); `cols` gives the
/// column of each entry. Stable: entries of a row are sorted by column, ties by edge id.
Csr build_csr(const torch::Tensor& rows, const torch::Tensor& cols, int64_t num_rows);

/// A graph with node features and optional edge attributes and labels.
///
/// Example:
///   Graph g(/*num_nodes=*/3, torch::tensor({{0, 1}, {1, 2}}), torch::ones({3, 4}));
///   g.csr().rowptr  // {0, 0, 1, 2}
class Graph {
 public:
  Graph() = default;

  /// Validates and builds the CSR view.
  /// num_nodes >= 0; edge_index [2,E] integer with values in [0, num_nodes);
  /// x [num_nodes, F] floating point, finite (an undefined x means F = 0);
  /// y: undefined, [num_nodes] (node labels) or [G] (graph labels), integer;
  /// edge_attr: undefined or [E, D].
  /// Throws InputError naming the problem (e.g. "edge_index[1][7] = 12 is out of range for
  /// 10 nodes").
  Graph(int64_t num_nodes, torch::Tensor edge_index, torch::Tensor x, torch::Tensor y = {},
        torch::Tensor edge_attr = {});

  int64_t num_nodes() const { return num_nodes_; }
  int64_t num_edges() const { return edge_index_.size(1); }
  int64_t num_features() const { return x_.defined() ? x_.size(1) : 0; }

  const torch::Tensor& edge_index() const { return edge_index_; }  ///< [2,E] int64
  const torch::Tensor& x() const { return x_; }                    ///< [N,F] float
  const torch::Tensor& y() const { return y_; }                    ///< labels, may be undefined
  const torch::Tensor& edge_attr() const { return edge_attr_; }    ///< [E,D], may be undefined
  const Csr& csr() const { return csr_; }                          ///< grouped by target node

  /// The same structure with other node features (validated like the constructor's x).
  Graph with_features(torch::Tensor x) const;
  /// The same structure and features with other labels.
  Graph with_labels(torch::Tensor y) const;

 private:
  int64_t num_nodes_ = 0;
  torch::Tensor edge_index_ = torch::zeros({2, 0}, torch::kLong);
  torch::Tensor x_;
  torch::Tensor y_;
  torch::Tensor edge_attr_;
  Csr csr_;
};

/// Whether every edge u -> v has its reverse v -> u (an undirected graph stored both ways).
bool is_undirected(const Graph& graph);

/// Throws InputError unless `x` is a finite floating-point [num_nodes, F] matrix.
void check_features(const torch::Tensor& x, int64_t num_nodes);

}  // namespace gnnx::gnn
