// SmoothGrad (Smilkov, Thorat, Kim, Viégas, Wattenberg: "SmoothGrad: removing noise by adding
// noise", 2017): saliency averaged over Gaussian perturbations of the node features.

#include <gnnx/explainers/gradient_methods.h>
#include <gnnx/gnn/error.h>

#include <cmath>
#include <string>
#include <utility>

#include "machinery.h"

namespace gnnx::explainers {

SmoothGradOptions SmoothGradOptions::from(const MethodOptions& options) {
  SmoothGradOptions out;
  if (options.samples) out.samples(*options.samples);
  out.seed(options.seed);
  return out;
}

SmoothGrad::SmoothGrad(SmoothGradOptions options, TargetOptions target)
    : GradientExplainer(std::move(target)), options_(options) {
  if (options_.samples() < 1 || !(options_.noise_level() >= 0)) {
    throw InputError("smoothgrad: samples must be >= 1 and noise_level >= 0, got samples = " +
                     std::to_string(options_.samples()) +
                     ", noise_level = " + c10::str(options_.noise_level()));
  }
}

GradientExplainer::Attribution SmoothGrad::attribute(gnn::GnnModel& model, const TargetBatch& batch,
                                                     const torch::Tensor& classes,
                                                     const ChunkProgress& progress) const {
  const auto& x = batch.graph.x();
  const auto sizes = detail::part_sizes(batch.node_offset);
  const int64_t parts = batch.num_parts();
  // σ per part: noise_level · (max − min) of the part's features (see SmoothGradOptions).
  std::vector<double> sigma(parts, 0.0);
  int64_t begin = 0;
  for (int64_t t = 0; t < parts; ++t) {
    const auto xs = x.slice(0, begin, begin + sizes[t]);
    begin += sizes[t];
    if (xs.numel() == 0) continue;
    double range = (xs.max() - xs.min()).item<double>();
    if (range == 0) range = xs.abs().max().item<double>();
    if (range == 0) range = 1.0;
    sigma[t] = options_.noise_level() * range;
  }
  auto gens = detail::part_generators(batch, options_.seed());
  const auto ones = detail::ones_edge_mask(batch, x);
  auto node_sum = torch::zeros({x.size(0)}, x.options());
  auto edge_sum = torch::zeros_like(ones);
  for (int64_t s = 0; s < options_.samples(); ++s) {
    std::vector<torch::Tensor> noise;
    for (int64_t t = 0; t < parts; ++t) {
      noise.push_back(at::randn({sizes[t], x.size(1)}, gens[t], x.options()) * sigma[t]);
    }
    const auto g = detail::input_gradients(model, batch, x + torch::cat(noise), ones, classes);
    node_sum += detail::row_norm(g.x);
    edge_sum += g.edge.abs();
    progress(s + 1, options_.samples());
  }
  const double inv = 1.0 / static_cast<double>(options_.samples());
  Attribution a;
  a.node_scores = node_sum * inv;
  a.edge_scores = edge_sum * inv;
  a.options = {{"samples", std::to_string(options_.samples())},
               {"noise_level", c10::str(options_.noise_level())},
               {"seed", std::to_string(options_.seed())}};
  return a;
}

}  // namespace gnnx::explainers
