// Integrated gradients (Sundararajan, Taly, Yan: "Axiomatic Attribution for Deep Networks",
// ICML 2017) over the node features and, on a separate path, over the edge mask.

#include <gnnx/explainers/gradient_methods.h>
#include <gnnx/gnn/error.h>

#include <string>
#include <utility>

#include "machinery.h"

namespace gnnx::explainers {

IntegratedGradientsOptions IntegratedGradientsOptions::from(const MethodOptions& options) {
  IntegratedGradientsOptions out;
  if (options.steps) out.steps(*options.steps);
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
  const int64_t m = options_.steps();
  auto node_sum = torch::zeros_like(x);
  auto edge_sum = torch::zeros_like(ones);
  for (int64_t k = 0; k <= m; ++k) {
    const double alpha = static_cast<double>(k) / static_cast<double>(m);
    const double weight = (k == 0 || k == m ? 0.5 : 1.0) / static_cast<double>(m);
    // Node path: X' + α (X − X') with every edge present.
    node_sum +=
        weight * detail::input_gradients(model, batch, baseline + alpha * delta, ones, classes).x;
    // Edge path: the features as they are, every edge scaled by α.
    edge_sum += weight * detail::input_gradients(model, batch, x, alpha * ones, classes).edge;
    progress(k + 1, m + 1);
  }
  Attribution a;
  a.node_scores = (delta * node_sum).sum(1);
  a.edge_scores = edge_sum;  // (1 − 0) · mean gradient
  a.options = {{"steps", std::to_string(m)},
               {"baseline", options_.baseline().defined() ? "custom" : "zeros"},
               {"rule", "trapezoid"}};
  return a;
}

}  // namespace gnnx::explainers
