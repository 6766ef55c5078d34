// Class activation maps on graphs (Pope, Kolouri, Rostami, Martin, Hoffmann: "Explainability
// Methods for Graph Convolutional Neural Networks", CVPR 2019): CAM (Zhou et al. 2016),
// Grad-CAM (Selvaraju et al. 2017) at one layer and averaged over layers.

#include <gnnx/explainers/gradient_methods.h>
#include <gnnx/gnn/error.h>
#include <torch/autograd.h>

#include <string>
#include <utility>

#include "machinery.h"

namespace gnnx::explainers {
namespace {

// Grad-CAM map of every requested layer: ReLU(Σ_k α_k F^l_{n,k}), α = per-part mean gradient.
std::vector<torch::Tensor> grad_cam_maps(gnn::GnnModel& model, const TargetBatch& batch,
                                         const torch::Tensor& classes,
                                         const std::vector<int64_t>& layers) {
  // x requires grad so that the embeddings are in the autograd graph even when the model's
  // parameters are frozen.
  const auto x = batch.graph.x().detach().requires_grad_(true);
  const auto fwd = forward_targets(model, batch, x);
  std::vector<torch::Tensor> wanted;
  wanted.reserve(layers.size());
  for (int64_t l : layers) wanted.push_back(fwd.embeddings[l]);
  const auto grads = torch::autograd::grad({detail::class_score(fwd.logits, classes)}, wanted,
                                           /*grad_outputs=*/{}, /*retain_graph=*/false,
                                           /*create_graph=*/false, /*allow_unused=*/true);
  std::vector<torch::Tensor> maps;
  for (size_t i = 0; i < layers.size(); ++i) {
    const auto& f = wanted[i];
    const auto g = grads[i].defined() ? grads[i] : torch::zeros_like(f);
    const auto alpha = detail::part_mean(batch, g).index_select(0, batch.part);  // [N, H]
    maps.push_back(torch::relu((alpha * f.detach()).sum(1)));
  }
  return maps;
}

GradientExplainer::Attribution node_map_attribution(const TargetBatch& batch,
                                                    torch::Tensor node_scores) {
  GradientExplainer::Attribution a;
  a.edge_scores = detail::edge_min_of_nodes(batch, node_scores);
  a.node_scores = std::move(node_scores);
  return a;
}

}  // namespace

// --- CAM ---------------------------------------------------------------------------------------

Cam::Cam(TargetOptions target) : GradientExplainer(std::move(target)) {}

void Cam::check_model(const gnn::GnnModel& model) const {
  const gnn::ModelDescription d = model.describe();
  if (d.head_input == gnn::HeadInput::kReadoutOfConcatenatedLayers) {
    throw InputError(
        "cam: needs the readout of the last layer alone; the model pools every layer's output "
        "concatenated (readout_concat), use grad-cam instead");
  }
  if (d.head_input != gnn::HeadInput::kReadout) {
    throw InputError(
        "cam: needs a graph classifier whose mean (or sum) readout feeds a single linear layer; "
        "a node classifier has no pooling (each node's logit reads only its own embedding), "
        "use grad-cam instead");
  }
  if (d.readout == gnn::Readout::kMax) {
    throw InputError(
        "cam: needs a mean (or sum) readout before the linear head, the model uses "
        "max readout (use grad-cam instead)");
  }
  if (d.head_layers != 1) {
    throw InputError(
        "cam: needs the readout to feed a single linear layer (mlp_hidden = 0), the "
        "model's head has a hidden layer of " +
        std::to_string(model.head_layers().front().weight.size(0)) +
        " units (use grad-cam instead)");
  }
}

GradientExplainer::Attribution Cam::attribute(gnn::GnnModel& model, const TargetBatch& batch,
                                              const torch::Tensor& classes,
                                              const ChunkProgress& /*progress*/) const {
  torch::NoGradGuard no_grad;
  const auto fwd = forward_targets(model, batch, batch.graph.x());
  const auto& f = fwd.embeddings.back();  // [N, H]
  const torch::Tensor head = model.head_layers().front().weight;
  const auto w = head.index_select(0, classes).index_select(0, batch.part);  // [N, H]
  auto a = node_map_attribution(batch, torch::relu((w.to(f.dtype()) * f).sum(1)));
  a.options = {{"readout", gnn::to_string(model.describe().readout)}};
  return a;
}

// --- Grad-CAM ----------------------------------------------------------------------------------

GradCamOptions GradCamOptions::from(const MethodOptions& options) {
  GradCamOptions out;
  out.layer(options.layer);
  return out;
}

GradCam::GradCam(GradCamOptions options, TargetOptions target)
    : GradientExplainer(std::move(target)), options_(options) {}

namespace {

int64_t resolved_layer(int64_t layer, int64_t layers) { return layer < 0 ? layers + layer : layer; }

}  // namespace

void GradCam::check_model(const gnn::GnnModel& model) const {
  const int64_t layers = model.spec().num_layers;
  const int64_t layer = resolved_layer(options_.layer(), layers);
  if (layer < 0 || layer >= layers) {
    throw InputError("grad-cam: layer " + std::to_string(options_.layer()) +
                     " is out of range for a model with " + std::to_string(layers) +
                     " GCN layers (valid: 0.." + std::to_string(layers - 1) + ", or -1.." +
                     std::to_string(-layers) + " from the end)");
  }
}

GradientExplainer::Attribution GradCam::attribute(gnn::GnnModel& model, const TargetBatch& batch,
                                                  const torch::Tensor& classes,
                                                  const ChunkProgress& progress) const {
  const int64_t layer = resolved_layer(options_.layer(), model.spec().num_layers);
  auto a = node_map_attribution(batch, grad_cam_maps(model, batch, classes, {layer}).front());
  a.options = {{"layer", std::to_string(layer)}};
  return a;
}

GradCamAvg::GradCamAvg(TargetOptions target) : GradientExplainer(std::move(target)) {}

GradientExplainer::Attribution GradCamAvg::attribute(gnn::GnnModel& model, const TargetBatch& batch,
                                                     const torch::Tensor& classes,
                                                     const ChunkProgress& progress) const {
  std::vector<int64_t> layers;
  for (int64_t l = 0; l < model.spec().num_layers; ++l) layers.push_back(l);
  const auto maps = grad_cam_maps(model, batch, classes, layers);
  auto a = node_map_attribution(batch, torch::stack(maps).mean(0));
  a.options = {{"layers", std::to_string(layers.size())}};
  return a;
}

}  // namespace gnnx::explainers
