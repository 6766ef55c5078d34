// BayesGrad (Akita, Nakago, Komatsu, Sugawara, Maeda, Baba, Kashima: "BayesGrad: Explaining
// Predictions of Graph Convolutional Networks", ICONIP 2018): saliency under Monte-Carlo dropout,
// with the spread over the samples as a per-node uncertainty.

#include <gnnx/explainers/gradient_methods.h>
#include <gnnx/gnn/error.h>

#include <string>
#include <utility>

#include "machinery.h"

namespace gnnx::explainers {

BayesGradOptions BayesGradOptions::from(const MethodOptions& options) {
  BayesGradOptions out;
  if (options.samples) out.samples(*options.samples);
  if (options.dropout) out.dropout(*options.dropout);
  out.gradient_x_input(options.gradient_x_input).seed(options.seed);
  return out;
}

BayesGrad::BayesGrad(BayesGradOptions options, TargetOptions target)
    : GradientExplainer(std::move(target)), options_(options) {
  if (options_.samples() < 1 || !(options_.dropout() < 1)) {
    throw InputError("bayesgrad: samples must be >= 1 and dropout < 1, got samples = " +
                     std::to_string(options_.samples()) +
                     ", dropout = " + c10::str(options_.dropout()));
  }
}

void BayesGrad::check_model(const gnn::GnnModel& model) const {
  // One draw of [nodes, layers, width] per target (the stream each target's masks come from)
  // needs the layers to be equally wide.
  const gnn::ModelDescription description = model.describe();
  if (!description.dropout_masks) {
    throw InputError(name() +
                     ": needs a gnnx NodeClassifier or GraphClassifier, or another model whose "
                     "description offers fixed dropout masks (ModelDescription::dropout_masks)");
  }
  const auto& layers = description.layers;
  for (const auto& layer : layers) {
    if (layer.out_features != layers.front().out_features) {
      throw InputError(name() + ": needs message-passing layers of one width, got " +
                       std::to_string(layers.front().out_features) + " and " +
                       std::to_string(layer.out_features));
    }
  }
}

GradientExplainer::Attribution BayesGrad::attribute(gnn::GnnModel& model, const TargetBatch& batch,
                                                    const torch::Tensor& classes,
                                                    const ChunkProgress& progress) const {
  const gnn::ModelDescription description = model.describe();
  double p = options_.dropout();
  if (p < 0) p = description.dropout > 0 ? description.dropout : BayesGradOptions::kDefaultDropout;
  const auto& x = batch.graph.x();
  const auto sizes = detail::part_sizes(batch.node_offset);
  const int64_t parts = batch.num_parts();
  const int64_t layers = description.num_layers();
  const int64_t hidden = description.layers.front().out_features;
  auto gens = detail::part_generators(batch, options_.seed());
  const auto ones = detail::ones_edge_mask(batch, x);
  std::vector<torch::Tensor> node_samples;
  auto edge_sum = torch::zeros_like(ones);
  for (int64_t s = 0; s < options_.samples(); ++s) {
    gnn::ForwardHooks hooks;
    if (p > 0) {
      // Inverted dropout as torch::dropout: keep with probability 1 − p, scale by 1 / (1 − p).
      std::vector<torch::Tensor> draws;
      for (int64_t t = 0; t < parts; ++t) {
        draws.push_back(at::rand({sizes[t], layers, hidden}, gens[t], x.options()));
      }
      const auto keep = (torch::cat(draws) >= p).to(x.scalar_type()) / (1.0 - p);
      for (int64_t l = 0; l < layers; ++l) hooks.dropout_masks.push_back(keep.select(1, l));
    }
    const auto g = detail::input_gradients(model, batch, x, ones, classes, hooks);
    const auto s_n = options_.gradient_x_input() ? g.x * x : g.x;
    node_samples.push_back(s_n.pow(2).sum(1));
    edge_sum += g.edge.pow(2);
    progress(s + 1, options_.samples());
  }
  const auto stacked = torch::stack(node_samples);  // [T, N]
  Attribution a;
  a.node_scores = stacked.mean(0);
  // Population standard deviation (numpy's default, as the original's `transform`).
  a.node_uncertainty = (stacked - a.node_scores).pow(2).mean(0).sqrt();
  a.edge_scores = edge_sum / static_cast<double>(options_.samples());
  a.options = {{"samples", std::to_string(options_.samples())},
               {"dropout", c10::str(p)},
               {"gradient_x_input", options_.gradient_x_input() ? "true" : "false"},
               {"seed", std::to_string(options_.seed())}};
  return a;
}

}  // namespace gnnx::explainers
