#pragma once
// What LRP (lrp.cpp) and GNN-LRP (gnn_lrp.cpp) share: the model's pass redone in float64, and the
// relevance that the head and the readout hand to the output of each message-passing layer, by
// the rules of relevance_rules.h. Below that, LRP hands it down layer by layer over the whole
// union; GNN-LRP hands it down walk by walk.

#include <gnnx/explainers/attribution_methods.h>
#include <gnnx/explainers/target_batch.h>
#include <gnnx/gnn/models.h>

#include <map>
#include <string>
#include <vector>

#include "relevance_rules.h"

namespace gnnx::explainers::detail {

/// Throws InputError "<method> does not apply to ...: why" unless every layer of the model
/// describes itself as linear paths (GnnModel::layer_paths) and every nonlinearity is a ReLU
/// or attention that can be held fixed.
void require_linear_paths(const gnn::GnnModel& model, const std::string& method);

/// The rule and its parameter as LrpOptions hold them.
RelevanceRule relevance_rule(const LrpOptions& options);

/// Relevance through a stack of dense layers with a ReLU between each two (a head, GIN's MLP),
/// row by row: the layers' inputs from `input` [R, in] forward, then the rule from the last
/// layer's output relevance [R, out] down; returns [R, in].
torch::Tensor through_dense_layers(const std::vector<gnn::DenseLayer>& layers,
                                   const torch::Tensor& input, torch::Tensor relevance,
                                   const RelevanceRule& rule);

/// The forward pass and the relevance that reaches each layer's output from above.
struct HeadRelevance {
  gnn::ModelOutput forward;            ///< the model's own pass (its embeddings feed layer_paths)
  torch::Tensor x;                     ///< [N, F] the input features, float64
  std::vector<torch::Tensor> outputs;  ///< [N, H_l] each layer's output after its ReLU, float64
  /// [N, H_l] the relevance the head (through the readout) hands to layer l's output directly:
  /// the last layer's only, unless the head reads every layer's output (concatenated heads).
  std::vector<torch::Tensor> from_head;
  torch::Tensor logit;  ///< [T] the explained logit, recomputed in float64
};

/// The explained logit y_{classes[t]} of each part as relevance, handed through the head's dense
/// layers and the readout (sum, mean: by the rule; max: to the arg-max nodes, ties shared as
/// the model's backward shares them) to the layers' output rows.
HeadRelevance relevance_from_head(gnn::GnnModel& model, const TargetBatch& batch,
                                  const torch::Tensor& classes, const RelevanceRule& rule);

/// The options every relevance method records (Explanation::options): the rule and its
/// parameter.
std::map<std::string, std::string> rule_options(const LrpOptions& options);

}  // namespace gnnx::explainers::detail
