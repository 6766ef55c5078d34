// Single-backward-pass methods: saliency (and Pope et al.'s contrastive gradient), input ×
// gradient, guided backpropagation and deconvolution.

#include <gnnx/explainers/gradient_methods.h>

#include "machinery.h"

#include <utility>

namespace gnnx::explainers {
namespace {

// ‖g_n‖₂ per node and |g_e| per edge (Saliency's maps, shared by guided backprop/deconvolution).
GradientExplainer::Attribution norm_maps(const detail::InputGradients& g) {
  GradientExplainer::Attribution a;
  a.node_scores = detail::row_norm(g.x);
  a.edge_scores = g.edge.abs();
  return a;
}

GradientExplainer::Attribution saliency_maps(gnn::GnnModel& model, const TargetBatch& batch,
                                             const detail::ClassChoice& choose, bool contrastive) {
  const auto g = detail::input_gradients(model, batch, batch.graph.x(), {}, choose);
  GradientExplainer::Attribution a;
  if (contrastive) {
    a.node_scores = detail::row_norm(torch::relu(g.x));
    a.edge_scores = torch::relu(g.edge);
  } else {
    a = norm_maps(g);
  }
  a.options = {{"contrastive", contrastive ? "true" : "false"}};
  return a;
}

GradientExplainer::Attribution input_x_gradient_maps(gnn::GnnModel& model, const TargetBatch& batch,
                                                     const detail::ClassChoice& choose) {
  const auto& x = batch.graph.x();
  const auto g = detail::input_gradients(model, batch, x, {}, choose);
  GradientExplainer::Attribution a;
  a.node_scores = (x * g.x).sum(1);
  a.edge_scores = g.edge;  // w_e = 1
  return a;
}

}  // namespace

SaliencyOptions SaliencyOptions::from(const MethodOptions& options) {
  return SaliencyOptions().contrastive(options.contrastive);
}

Saliency::Saliency(SaliencyOptions options, TargetOptions target)
    : GradientExplainer(std::move(target)), options_(options) {}

GradientExplainer::Attribution Saliency::attribute(gnn::GnnModel& model, const TargetBatch& batch,
                                                   const torch::Tensor& classes,
                                                   const ChunkProgress& progress) const {
  return saliency_maps(model, batch, detail::given(classes), options_.contrastive());
}

bool Saliency::attribute_predicting(const ExplainCall& call, const TargetBatch& batch,
                                    const std::vector<int64_t>& labels,
                                    const ChunkProgress& progress, TargetPrediction& prediction,
                                    Attribution& out) const {
  // The pass's edge mask of ones multiplies each message by exactly 1: the logits are
  // predict_targets'.
  out = saliency_maps(*call.model, batch, detail::predicting(labels, prediction),
                      options_.contrastive());
  return true;
}

InputXGradient::InputXGradient(TargetOptions target) : GradientExplainer(std::move(target)) {}

GradientExplainer::Attribution InputXGradient::attribute(gnn::GnnModel& model,
                                                         const TargetBatch& batch,
                                                         const torch::Tensor& classes,
                                                         const ChunkProgress& progress) const {
  return input_x_gradient_maps(model, batch, detail::given(classes));
}

bool InputXGradient::attribute_predicting(const ExplainCall& call, const TargetBatch& batch,
                                          const std::vector<int64_t>& labels,
                                          const ChunkProgress& progress,
                                          TargetPrediction& prediction, Attribution& out) const {
  out = input_x_gradient_maps(*call.model, batch, detail::predicting(labels, prediction));
  return true;
}

GuidedBackprop::GuidedBackprop(TargetOptions target) : GradientExplainer(std::move(target)) {}

void GuidedBackprop::check_model(const gnn::GnnModel& model) const {
  detail::require_relu_rules(model, name());
}

GradientExplainer::Attribution GuidedBackprop::attribute(gnn::GnnModel& model,
                                                         const TargetBatch& batch,
                                                         const torch::Tensor& classes,
                                                         const ChunkProgress& progress) const {
  gnn::ForwardHooks hooks;
  hooks.relu = gnn::ReluRule::kGuided;
  hooks.fixed_attention = true;  // GAT: α a constant, so every nonlinearity left is a ReLU
  return norm_maps(detail::input_gradients(model, batch, batch.graph.x(), {}, classes, hooks));
}

Deconvolution::Deconvolution(TargetOptions target) : GradientExplainer(std::move(target)) {}

void Deconvolution::check_model(const gnn::GnnModel& model) const {
  detail::require_relu_rules(model, name());
}

GradientExplainer::Attribution Deconvolution::attribute(gnn::GnnModel& model,
                                                        const TargetBatch& batch,
                                                        const torch::Tensor& classes,
                                                        const ChunkProgress& progress) const {
  gnn::ForwardHooks hooks;
  hooks.relu = gnn::ReluRule::kDeconvolution;
  hooks.fixed_attention = true;  // GAT: α a constant, so every nonlinearity left is a ReLU
  return norm_maps(detail::input_gradients(model, batch, batch.graph.x(), {}, classes, hooks));
}

}  // namespace gnnx::explainers
