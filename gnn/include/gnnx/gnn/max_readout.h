#pragma once
// Max readout's rule for tied maxima, shared by the model's backward pass (readout() in
// models.h) and the explainers that hand a graph's score down through the readout by hand
// (excitation backprop).
//
// With constant node features (BA-2Motifs, Tree-Cycles) many nodes cannot be told apart, and
// mirror-image nodes compute the same activations up to float32 rounding: which of them come out
// bitwise equal depends on the order each node's messages are summed in, i.e. on the node
// numbering. Exact ties would then make the gradient (and every map built on it) depend on that
// numbering. So a node counts as tied with its graph's maximum when it lies within a relative
// kMaxReadoutTieTolerance of it, and the maximum's gradient is split equally among the tied nodes:
// of the subgradients of max (the convex hull of the tied nodes' unit vectors) the centre, the
// one choice that does not depend on how the nodes are numbered, and what PyTorch's amax does
// for exact ties.

#include <gnnx/gnn/models.h>
#include <torch/types.h>

namespace gnnx::gnn {

/// Relative distance below which a value ties with its graph's maximum: 1e-5, about 84 float32
/// ulps, far above the rounding of reordered sums over the degrees of the benchmark graphs and far
/// below the gaps between nodes a model tells apart.
inline constexpr double kMaxReadoutTieTolerance = 1e-5;

/// Which nodes share the gradient of a graph's maximum.
enum class MaxTies {
  /// Those within a relative kMaxReadoutTieTolerance (the rule above): readout()'s, and every
  /// pass of a model in eval mode, so every explanation's.
  kWithinTolerance,
  /// Only bitwise-equal maxima (PyTorch's amax): a model in training mode, so that training,
  /// whose gradient averages over many graphs and epochs, gives the models it gave before the
  /// rule (and the README's numbers stay theirs).
  kExact,
};

/// readout(h, batch, num_graphs, kind) with the given tie rule for max's gradient (the other
/// kinds ignore it).
torch::Tensor readout(const torch::Tensor& h, const torch::Tensor& batch, int64_t num_graphs,
                      Readout kind, MaxTies ties);

/// The share of each node in its graph's maximum, per unit: h [N, D] (any float dtype, any
/// device), batch [N] int64 in [0, num_graphs), max [num_graphs, D] the per-graph maximum of h.
/// Returns [N, D] in h's dtype: 1 / (number of tied nodes) where h[n, k] ≥ max[g, k] −
/// kMaxReadoutTieTolerance · |max[g, k]| (g the graph of n), else 0; each graph's column sums to
/// 1. Not differentiable (computed from h's values).
torch::Tensor max_readout_shares(const torch::Tensor& h, const torch::Tensor& batch,
                                 int64_t num_graphs, const torch::Tensor& max);

}  // namespace gnnx::gnn
