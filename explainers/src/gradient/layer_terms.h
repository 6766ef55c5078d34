#pragma once
// One message-passing layer as LRP's relevance rules see it (Lrp, GnnLrp): its linear paths
// (gnn::LayerPaths) at the activations of the forward pass in float64, the "slots" that make up
// one output row (the node's own term and one message per in-edge), the linear stage z of some
// rows from their slots' inputs, and GINE's message ReLU(x_j + e Lᵀ + b_L) split between the
// source's features and the edge's. Lrp takes the slots of every node at once; GNN-LRP only
// those of the nodes its walks have reached.

#include <gnnx/gnn/model_hooks.h>

#include <vector>

#include "relevance_rules.h"

namespace gnnx::explainers::detail {

/// One message-passing layer as its terms (LayerPaths) at the activations of the forward pass.
struct LayerTerms {
  torch::Tensor a;              ///< [N, in] the layer's input
  torch::Tensor messages;       ///< [E, in] x_j, or GINE's ReLU(x_j + e Lᵀ + b_L)
  torch::Tensor edge_coef;      ///< [E, H]
  torch::Tensor self_coef;      ///< [N, H]
  torch::Tensor message_map;    ///< [H, in, Z]
  torch::Tensor self_map;       ///< [H, in, Z]
  torch::Tensor bias;           ///< [Z] or undefined
  torch::Tensor edge_features;  ///< GINE: [E, D]; else undefined
  torch::Tensor edge_weight;    ///< GINE: L [in, D]
  torch::Tensor edge_bias;      ///< GINE: b_L [in] or undefined
  std::vector<gnn::DenseLayer> mlp;
  torch::Tensor mlp_input;  ///< GIN, GINE: [N, Z] z + b, what the MLP reads
  torch::Tensor has_self;   ///< [N] double: 1 where the node's own term is nonzero
};

/// The slots of the rows `node` [P]: one own term per row, and one message per in-edge of the
/// row's node.
struct Slots {
  torch::Tensor node;    ///< [P] the rows' nodes
  torch::Tensor row;     ///< [Q] which row each message slot belongs to
  torch::Tensor edge;    ///< [Q] its edge
  torch::Tensor source;  ///< [Q] its edge's source
};

Slots slots_of(const gnn::GcnAdjacency& adj, const torch::Tensor& node);

/// z of the rows of `slots` from their slots' inputs: in[0] [P, in] each row's own input, in[1]
/// [Q, in] each message slot's message; the coefficient and the map split by sign together
/// (product_part), as Lrp's layer stage.
LinearStage slot_stage(const LayerTerms& t, const Slots& slots);

/// The terms of layer `paths` at its input `a` [N, in] (mlp_input filled for GIN and GINE).
LayerTerms layer_terms(const gnn::LayerPaths& paths, const torch::Tensor& a,
                       const gnn::GcnAdjacency& adj);

/// GINE: where the relevance of the message slots went.
struct MessageRelevance {
  torch::Tensor to_source;      ///< [Q, in] to the slot's source features x_j (weight 1)
  torch::Tensor edge_features;  ///< [Q] to the slot's edge features (summed over them)
};
/// GINE's message ReLU(x_j + e Lᵀ + b_L) of each slot, from its relevance `r` [Q, in], by
/// `rule`. Needs t.edge_features.
MessageRelevance message_relevance(const LayerTerms& t, const Slots& slots, const torch::Tensor& r,
                                   const RelevanceRule& rule);

}  // namespace gnnx::explainers::detail
