#pragma once
// GcnAdjacency: what GCN message passing needs of a graph, computed once per graph and reused by
// every layer call (and every epoch of an explainer's mask optimisation): the CSR by target, its
// transpose (CSR by source, for the feature gradient without atomics) and the symmetric
// normalisation of A + I (Kipf & Welling 2017) on the unmasked graph.

#include <gnnx/gnn/graph.h>

#include <memory>

namespace gnnx::gnn {

namespace detail {
struct DeviceAdjacency;
struct DeviceCache;
}  // namespace detail

/// How a per-edge weight enters a GCN layer.
enum class EdgeWeightMode {
  /// The weight multiplies the edge's already-normalised message; normalisation is computed on
  /// the unweighted graph and self-loops are never weighted. This is the explainers' mask: a
  /// mask of 0 removes the message but leaves every other message unchanged.
  kMask,
  /// The weight is an entry of the weighted adjacency and enters the degree
  /// (PyTorch Geometric's GCNConv `edge_weight`): weight 0 is the same as removing the edge.
  kAdjacency,
};

class GcnAdjacency {
 public:
  GcnAdjacency();
  explicit GcnAdjacency(const Graph& graph);

  int64_t num_nodes() const { return num_nodes_; }
  int64_t num_edges() const { return src_.size(0); }

  const torch::Tensor& src() const { return src_; }  ///< [E] int64, edge order
  const torch::Tensor& dst() const { return dst_; }  ///< [E] int64, edge order
  /// The graph's edge features [E, D] (Graph::edge_attr, edge order), or undefined: what the
  /// layers that read edge features (GINEConv, GATConv with edge_dim) get in a model's pass
  /// unless ModelInput::edge_attr says otherwise.
  const torch::Tensor& edge_attr() const { return edge_attr_; }

  /// CSR by target: rowptr [N+1], col [E] (source), perm [E] (CSR entry -> edge id).
  const Csr& csr() const { return csr_; }
  /// CSR by source (the transpose): rowptr [N+1], col [E] (target), perm [E] (entry -> CSR entry
  /// of `csr()` holding the same edge).
  const Csr& csr_t() const { return csr_t_; }

  /// [E] float64: deg^-1/2[src] * deg^-1/2[dst] with deg = 1 + in-degree (edge order).
  const torch::Tensor& edge_norm() const { return edge_norm_; }
  /// [N] float64: 1 / deg, the self-loop coefficient.
  const torch::Tensor& self_norm() const { return self_norm_; }

  /// The same structure with another normalisation ([E] and [N], float64). A computation
  /// subgraph keeps its parent graph's coefficients (parent.edge_norm()[edge_id],
  /// parent.self_norm()[node_id]) so that its targets' outputs equal those on the full graph:
  /// renormalising would shrink the degrees of the boundary nodes. Throws InputError on shape.
  GcnAdjacency with_normalisation(torch::Tensor edge_norm, torch::Tensor self_norm) const;

  /// What a layer call on `device` reads: the edge list, the normalisation in CSR order and,
  /// for CUDA, the kernels' form of both CSR orientations. Built on the first call per device
  /// and cached (thread-safe; copies of this adjacency share the cache), so a training loop or
  /// an explainer's optimisation pays for the copy once. Throws InputError for a CUDA device
  /// when this gnnx was built without CUDA.
  const detail::DeviceAdjacency& on_device(torch::Device device) const;

 private:
  int64_t num_nodes_ = 0;
  torch::Tensor src_, dst_;
  torch::Tensor edge_attr_;
  Csr csr_, csr_t_;
  torch::Tensor edge_norm_, self_norm_;
  std::shared_ptr<detail::DeviceCache> device_cache_;
};

/// out[i] = diag[i] * x[i] + sum over CSR entries k of row i: values[k] * x[col[k]].
/// values [E] in CSR order of `adj.csr()`, diag [N] or undefined (no self term), x [N,F];
/// all the same floating dtype. Differentiable in values, diag and x (custom autograd: the
/// feature gradient runs over the cached transpose, the value gradient is an SDDMM; both are
/// deterministic and independent of the thread count). Throws c10::Error on shape mismatch.
torch::Tensor csr_spmm(const GcnAdjacency& adj, const torch::Tensor& values,
                       const torch::Tensor& diag, const torch::Tensor& x);

/// GCN propagation  out = D^-1/2 (A + I) D^-1/2 x  with optional per-edge weights (edge order,
/// [E], same dtype as x) applied as `mode` says. Differentiable in x and edge_weight.
torch::Tensor gcn_propagate(const GcnAdjacency& adj, const torch::Tensor& x,
                            const torch::Tensor& edge_weight = {},
                            EdgeWeightMode mode = EdgeWeightMode::kMask);

}  // namespace gnnx::gnn
