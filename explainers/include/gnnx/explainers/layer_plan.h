#pragma once
// LayerPlan: a node TargetBatch's forward pass computing each GCN layer only where the next one
// reads it.
//
// A node classifier with L layers reads layer L at the targets, layer L-1 within one hop of them,
// ..., layer 1 within L-1 hops; so layer l (1-based) needs only the edges whose end point is within
// L-l hops of its target. On BA-Shapes most edges of a 3-hop computation subgraph join nodes three
// hops out (the hubs' neighbourhoods) and feed nothing; dropping them from every layer, and each
// layer's rows beyond what the next layer reads, is what lets GNNExplainer's hundreds of
// forward/backward passes fit the time budget.
//
// The union's nodes are reordered by (hop distance to their own target, part, position), so the
// nodes within k hops of all targets are a prefix of rows[k] rows and every layer works on a
// prefix: layer l takes rows[L-l+1] input rows and keeps the first rows[L-l] output rows. Every
// kept output row aggregates the same messages, in the same order, as in the full pass, so the
// targets' logits are those of the full pass (a test checks them).

#include <gnnx/explainers/target_batch.h>
#include <gnnx/gnn/models.h>

#include <vector>

namespace gnnx::explainers {

class LayerPlan {
 public:
  /// Plans `model`'s layers for `batch` (a node batch built with model.spec().num_layers hops).
  /// Throws InputError for a graph batch or a model whose description does not take layer graphs
  /// (ModelDescription::layer_graphs).
  LayerPlan(gnn::GnnModel& model, const TargetBatch& batch);

  /// [T, C] logits of the targets, as target_logits(model, batch, x, edge_weight).
  /// x [N, F] and edge_weight [E] (or undefined) in the batch's union order.
  torch::Tensor target_logits(const torch::Tensor& x, const torch::Tensor& edge_weight) const;

  /// The same with the weights of the used edges only: used_weight [U] in used_edges() order.
  /// An explainer that differentiates with respect to used_weight gets the gradient of just
  /// the edges that have one, without scattering it into all E.
  torch::Tensor target_logits_of_used(const torch::Tensor& x,
                                      const torch::Tensor& used_weight) const;

  /// The same with one mask per layer (GraphMask's per-layer gates): used_weights[l] [U] in
  /// used_edges() order, of which layer l reads its own edges (a prefix). Throws c10::Error for
  /// a count other than the model's layers or a weight of the wrong shape.
  torch::Tensor target_logits_per_layer(const torch::Tensor& x,
                                        const std::vector<torch::Tensor>& used_weights) const;

  /// [U] int64 union ids of the edges some layer reads (the rest cannot change any target's
  /// logits), ordered by their target's hop distance so that each layer reads a prefix.
  const torch::Tensor& used_edges() const { return used_edges_; }
  int64_t num_used_edges() const { return used_edges_.numel(); }

 private:
  gnn::GnnModel* model_;
  int64_t num_targets_;
  torch::Tensor order_;                       ///< [N] union node of each planned row
  std::vector<gnn::GcnAdjacency> layer_adj_;  ///< per layer: its input rows, its edges
  torch::Tensor used_edges_;                  ///< [U] see used_edges()
  std::vector<int64_t> layer_edges_;          ///< per layer: its edges, a prefix of used_edges_
  std::vector<int64_t> layer_rows_;           ///< per layer: output rows kept
};

}  // namespace gnnx::explainers
