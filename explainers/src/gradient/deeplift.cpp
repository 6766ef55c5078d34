// DeepLIFT's rescale rule (Shrikumar, Greenside, Kundaje: "Learning Important Features Through
// Propagating Activation Differences", ICML 2017) from a zero reference: the input and the
// reference run as two copies of the union in one pass (stack_copies), whose ReLUs take the
// rescale backward (ReluRule::kRescale); autograd then carries the multipliers to the inputs.

#include <gnnx/explainers/attribution_methods.h>
#include <gnnx/gnn/error.h>

#include <torch/autograd.h>

#include <string>
#include <utility>

#include "machinery.h"

namespace gnnx::explainers {
namespace {

// The multipliers of one game: the input copy's features and edge mask (leaves), the reference
// copy's given, one pass over both.
struct Game {
  torch::Tensor x_multiplier;     ///< [N, F] Δy_c/ΔX of the input copy
  torch::Tensor edge_multiplier;  ///< [E] Δy_c/Δw
  torch::Tensor at_input;         ///< [T] y_c of the input copy, float64
  torch::Tensor at_reference;     ///< [T] y_c of the reference copy, float64
};

Game play(gnn::GnnModel& model, const TargetBatch& stacked, const torch::Tensor& x,
          const torch::Tensor& reference_x, const torch::Tensor& reference_w,
          const torch::Tensor& classes) {
  auto xv = x.detach().requires_grad_(true);
  auto wv = torch::ones_like(reference_w).requires_grad_(true);
  gnn::ForwardHooks hooks;
  hooks.relu = gnn::ReluRule::kRescale;
  const auto logits = forward_targets(model, stacked, torch::cat({xv, reference_x}),
                                      torch::cat({wv, reference_w}), hooks)
                          .logits;
  const int64_t parts = classes.size(0);
  const auto score = detail::class_score(logits.slice(0, 0, parts), classes);
  auto grads = torch::autograd::grad({score}, {xv, wv}, /*grad_outputs=*/{},
                                     /*retain_graph=*/false, /*create_graph=*/false,
                                     /*allow_unused=*/true);
  Game g;
  g.x_multiplier = grads[0].defined() ? grads[0] : torch::zeros_like(xv);
  g.edge_multiplier = grads[1].defined() ? grads[1] : torch::zeros_like(wv);
  const auto picked = [&](const torch::Tensor& rows) {
    return rows.detach().gather(1, classes.unsqueeze(1)).squeeze(1).to(torch::kDouble);
  };
  g.at_input = picked(logits.slice(0, 0, parts));
  g.at_reference = picked(logits.slice(0, parts));
  return g;
}

}  // namespace

DeepLift::DeepLift(TargetOptions target) : GradientExplainer(std::move(target)) {}

void DeepLift::check_model(const gnn::GnnModel& model) const {
  const gnn::ModelDescription d = model.describe();
  for (const auto& layer : d.layers) {
    if (layer.kind == "gat" || !d.relu_rules) {
      throw InputError(name() + " does not apply to " + layer.kind +
                       ": needs a model whose every nonlinearity is a ReLU with a replaceable "
                       "backward rule (ModelDescription::relu_rules); attention's softmax has "
                       "no rescale rule");
    }
    if (layer.embedding_norm != gnn::EmbeddingNorm::kNone) {
      throw InputError(name() + " does not apply to " + layer.kind +
                       " layers with embedding normalisation: the L2 scaling of each row is "
                       "neither a ReLU nor linear");
    }
  }
  const bool pooled = d.head_input == gnn::HeadInput::kReadout ||
                      d.head_input == gnn::HeadInput::kReadoutOfConcatenatedLayers;
  if (pooled && d.readout == gnn::Readout::kMax) {
    throw InputError(name() + " does not apply to " + d.layers.front().kind +
                     " models with max readout: the rescale rule covers ReLUs, and the max "
                     "over nodes is neither a ReLU nor linear");
  }
}

GradientExplainer::Attribution DeepLift::attribute(gnn::GnnModel& model, const TargetBatch& batch,
                                                   const torch::Tensor& classes,
                                                   const ChunkProgress& progress) const {
  const auto& x = batch.graph.x();
  const TargetBatch stacked = detail::stack_copies(batch, 2);
  const auto ones = detail::ones_edge_mask(batch, x);
  // Nodes: X against zero features, every edge present in both copies.
  const Game nodes = play(model, stacked, x, torch::zeros_like(x), ones, classes);
  progress(1, 2);
  // Edges: the edge mask against no edges, the features X in both copies.
  const Game edges = play(model, stacked, x, x, torch::zeros_like(ones), classes);
  progress(2, 2);

  Attribution a;
  a.node_scores = (x * nodes.x_multiplier).sum(1).detach();
  a.edge_scores = edges.edge_multiplier.detach();  // m_e · (1 − 0)
  const auto node_total =
      detail::part_sum(batch, a.node_scores.to(torch::kDouble).unsqueeze(1)).squeeze(1);
  const auto edge_total = torch::zeros({batch.num_parts()}, torch::kDouble)
                              .index_add(0, batch.edge_part, a.edge_scores.to(torch::kDouble));
  a.diagnostics = {
      {"summation_gap_nodes", node_total - (nodes.at_input - nodes.at_reference)},
      {"summation_gap_edges", edge_total - (edges.at_input - edges.at_reference)},
  };
  a.options = {{"rule", "rescale"}, {"baseline", "zeros"}};
  return a;
}

}  // namespace gnnx::explainers
