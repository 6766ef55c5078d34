#pragma once
// Excitation backprop's step through one message-passing layer (excitation_backprop.cpp runs
// the head and the readout, then these layer by layer, top-down). Every step hands the mass
// P_out of the layer's outputs to its inputs in proportion to their non-negative
// contributions a_i w⁺_ij (Zhang et al. 2016), in float64; the rule of each layer type is
// written out on ExcitationBackprop (gradient_methods.h).

#include <gnnx/explainers/target_batch.h>
#include <gnnx/gnn/model_hooks.h>

namespace gnnx::explainers::detail {

/// num / den where den > 0, else 0 (mass reaching a unit with no positive input is dropped).
torch::Tensor safe_ratio(const torch::Tensor& num, const torch::Tensor& den);

/// One EB step through a per-row linear map out[t, j] = Σ_i a[t, i] W[j, i] (W ≥ 0 given, [out,
/// in]): P_in[t, i] = a[t, i] Σ_j W[j, i] P_out[t, j] / Σ_i' a[t, i'] W[j, i'].
torch::Tensor linear_step(const torch::Tensor& a, const torch::Tensor& w_pos,
                          const torch::Tensor& p_out);

/// Where one layer's mass went: to its inputs, along each edge, and (GINE) into each edge's
/// features, where it ends.
struct LayerMass {
  torch::Tensor input;          ///< [N, in] mass of each input activation
  torch::Tensor edge;           ///< [E] mass through each edge's message
  torch::Tensor edge_features;  ///< [E] the part of `edge` that ended in the edge's features
};

/// A GCN layer F = ReLU(Â a W + b) as Pope et al. write it: one linear map with weights
/// Â_{n,n'} W_{k',k}, Â the layer's own propagation: the batch's symmetric normalisation, or
/// the raw neighbour sum of the original GNNExplainer layer (Aggregation::kSum; kSumSelf adds
/// the node itself with coefficient 1). a [N, K] ≥ 0, w [K, H] (GnnModel::layer_weight),
/// p_out [N, H]; all float64.
LayerMass gcn_layer_mass(const TargetBatch& batch, gnn::Aggregation aggregation,
                         const torch::Tensor& a, const torch::Tensor& w,
                         const torch::Tensor& p_out);

/// Any layer given as linear paths (LayerPaths, converted to float64): through its MLP as a
/// stack of linear layers, then over the node's own term and each edge's message (GINE's split
/// between the source's features and the edge's). a [N, in] ≥ 0, p_out [N, out].
LayerMass paths_layer_mass(const TargetBatch& batch, const gnn::LayerPaths& paths,
                           const torch::Tensor& a, const torch::Tensor& p_out);

}  // namespace gnnx::explainers::detail
