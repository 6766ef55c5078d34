// Integrated gradients (Sundararajan, Taly, Yan: "Axiomatic Attribution for Deep Networks",
// ICML 2017) over the node features and, on a separate path, over the edge mask, with the
// trapezoid rule or Gauss–Legendre (quadrature.h), and each target's completeness gap.

#include <gnnx/explainers/gradient_methods.h>
#include <gnnx/gnn/error.h>

#include <string>
#include <utility>

#include "machinery.h"
#include "quadrature.h"

namespace gnnx::explainers {
namespace {

// y_c of every target [T] (float64) with features x and edge mask w.
torch::Tensor target_scores(gnn::GnnModel& model, const TargetBatch& batch, const torch::Tensor& x,
                            const torch::Tensor& w, const torch::Tensor& classes) {
  torch::NoGradGuard no_grad;
  const auto logits = target_logits(model, batch, x, w);
  return logits.gather(1, classes.to(logits.device()).unsqueeze(1)).squeeze(1).to(torch::kDouble);
}

}  // namespace

IntegratedGradientsOptions IntegratedGradientsOptions::from(const MethodOptions& options) {
  IntegratedGradientsOptions out;
  if (options.steps) out.steps(*options.steps);
  if (options.ig_rule) out.rule(*options.ig_rule);
  return out;
}

IntegratedGradients::IntegratedGradients(IntegratedGradientsOptions options, TargetOptions target)
    : GradientExplainer(std::move(target)), options_(std::move(options)) {
  if (options_.steps() < 1) {
    throw InputError("integrated-gradients: steps must be >= 1, got " +
                     std::to_string(options_.steps()));
  }
}

GradientExplainer::Attribution IntegratedGradients::attribute(gnn::GnnModel& model,
                                                              const TargetBatch& batch,
                                                              const torch::Tensor& classes,
                                                              const ChunkProgress& progress) const {
  const auto& x = batch.graph.x();
  torch::Tensor baseline = torch::zeros_like(x);
  if (options_.baseline().defined()) {
    const auto& b = options_.baseline();
    if (!(b.dim() == 0 || (b.dim() == 1 && b.size(0) == x.size(1)))) {
      throw InputError(
          "integrated-gradients: the baseline must be a scalar or have one value "
          "per feature (" +
          std::to_string(x.size(1)) + "), got " + c10::str(b.sizes()));
    }
    baseline = baseline + b.to(x.options());
  }
  const auto delta = x - baseline;
  const auto ones = detail::ones_edge_mask(batch, x);
  const detail::QuadratureRule rule = options_.rule() == IntegrationRule::kTrapezoid
                                          ? detail::trapezoid_rule(options_.steps())
                                          : detail::gauss_legendre_rule(options_.steps());
  const int64_t evaluations = static_cast<int64_t>(rule.points.size());
  auto node_sum = torch::zeros_like(x);
  auto edge_sum = torch::zeros_like(ones);
  for (int64_t i = 0; i < evaluations; ++i) {
    const double alpha = rule.points[i];
    const double weight = rule.weights[i];
    // Node path: X' + α (X − X') with every edge present.
    node_sum +=
        weight * detail::input_gradients(model, batch, baseline + alpha * delta, ones, classes).x;
    // Edge path: the features as they are, every edge scaled by α.
    edge_sum += weight * detail::input_gradients(model, batch, x, alpha * ones, classes).edge;
    progress(i + 1, evaluations);
  }
  Attribution a;
  a.node_scores = (delta * node_sum).sum(1);
  a.edge_scores = edge_sum;  // (1 − 0) · mean gradient

  // Completeness gaps per target: Σ attributions − (y_c at the input − y_c at the baseline).
  const auto at_input = target_scores(model, batch, x, ones, classes);
  const auto node_total =
      detail::part_sum(batch, a.node_scores.detach().to(torch::kDouble).unsqueeze(1)).squeeze(1);
  const auto edge_total =
      torch::zeros({batch.num_parts()}, torch::kDouble)
          .index_add(0, batch.edge_part, a.edge_scores.detach().to(torch::kDouble));
  a.diagnostics = {
      {"completeness_gap_nodes",
       node_total - (at_input - target_scores(model, batch, baseline, ones, classes))},
      {"completeness_gap_edges",
       edge_total - (at_input - target_scores(model, batch, x, torch::zeros_like(ones), classes))},
  };
  a.options = {{"steps", std::to_string(options_.steps())},
               {"baseline", options_.baseline().defined() ? "custom" : "zeros"},
               {"rule", to_string(options_.rule())}};
  return a;
}

}  // namespace gnnx::explainers
