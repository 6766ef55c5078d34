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
// `activations` [N, H] per layer: the F^l the maps read (empty: the batch's own).
// `choose` picks the classes from the pass's logits.
std::vector<torch::Tensor> grad_cam_maps(gnn::GnnModel& model, const TargetBatch& batch,
                                         const detail::ClassChoice& choose,
                                         const std::vector<int64_t>& layers,
                                         const std::vector<torch::Tensor>& activations = {}) {
  // x requires grad so that the embeddings are in the autograd graph even when the model's
  // parameters are frozen.
  const auto x = batch.graph.x().detach().requires_grad_(true);
  const auto fwd = forward_targets(model, batch, x);
  std::vector<torch::Tensor> wanted;
  wanted.reserve(layers.size());
  for (int64_t l : layers) wanted.push_back(fwd.embeddings[l]);
  const auto grads =
      torch::autograd::grad({detail::class_score(fwd.logits, choose(fwd.logits))}, wanted,
                            /*grad_outputs=*/{}, /*retain_graph=*/false,
                            /*create_graph=*/false, /*allow_unused=*/true);
  // The embeddings and their gradients are where the model computed them; the maps are made
  // on x's device (the host), with the batch's index vectors: one copy of each.
  std::vector<torch::Tensor> maps;
  for (size_t i = 0; i < layers.size(); ++i) {
    const auto f = (activations.empty() ? wanted[i].detach() : activations[i]).to(x.device());
    const auto g = grads[i].defined() ? grads[i].to(x.device()) : torch::zeros_like(f);
    const auto alpha = detail::part_mean(batch, g).index_select(0, batch.part);  // [N, H]
    maps.push_back(torch::relu((alpha * f).sum(1)));
  }
  return maps;
}

// F^l of `layers` for every node of a node-target batch, from one pass over the full graph: on
// a target's L-hop computation subgraph, nodes more than L − l − 1 hops from the target lack
// part of their own neighbourhood, and their F^l would be activations the model never computes.
// (The gradients need no such care: ∂y_c/∂F^l is zero on exactly those nodes, and exact on the
// others.) Graph targets: empty, each part is a whole graph already.
std::vector<torch::Tensor> full_graph_activations(const ExplainCall& call, const TargetBatch& batch,
                                                  const std::vector<int64_t>& layers) {
  if (call.task != gnn::Task::kNodeClassification) return {};
  torch::NoGradGuard no_grad;
  gnn::GnnModel& model = *call.model;
  const torch::Device device = gnn::model_device(model);
  gnn::ModelInput input;
  input.x = call.graph->x().to(device);
  input.adj = call.adj;
  input.output_rows = torch::tensor(batch.targets, torch::kLong).to(device);
  const gnn::ModelOutput full = model.run(input, {});
  const auto rows = batch.node_id.to(device);
  std::vector<torch::Tensor> out;
  for (int64_t l : layers) out.push_back(full.embeddings[l].index_select(0, rows).cpu());
  return out;
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
  // The model's last embeddings and head weights, copied once to the host (where the batch is).
  const auto f = fwd.embeddings.back().cpu();  // [N, H]
  const torch::Tensor head = model.head_layers().front().weight.cpu();
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
  auto a = node_map_attribution(
      batch, grad_cam_maps(model, batch, detail::given(classes), {layer}).front());
  a.options = {{"layer", std::to_string(layer)}};
  return a;
}

GradientExplainer::Attribution GradCam::attribute_with_graph(const ExplainCall& call,
                                                             const TargetBatch& batch,
                                                             const torch::Tensor& classes,
                                                             const ChunkProgress& progress) const {
  gnn::GnnModel& model = *call.model;
  const int64_t layer = resolved_layer(options_.layer(), model.spec().num_layers);
  const auto f = full_graph_activations(call, batch, {layer});
  auto a = node_map_attribution(
      batch, grad_cam_maps(model, batch, detail::given(classes), {layer}, f).front());
  a.options = {{"layer", std::to_string(layer)}};
  return a;
}

bool GradCam::attribute_predicting(const ExplainCall& call, const TargetBatch& batch,
                                   const std::vector<int64_t>& labels,
                                   const ChunkProgress& progress, TargetPrediction& prediction,
                                   Attribution& out) const {
  // attribute_with_graph with the classes from its own pass (the batch's features, no mask).
  gnn::GnnModel& model = *call.model;
  const int64_t layer = resolved_layer(options_.layer(), model.spec().num_layers);
  const auto f = full_graph_activations(call, batch, {layer});
  const auto choose = detail::predicting(labels, prediction);
  out = node_map_attribution(batch, grad_cam_maps(model, batch, choose, {layer}, f).front());
  out.options = {{"layer", std::to_string(layer)}};
  return true;
}

GradCamAvg::GradCamAvg(TargetOptions target) : GradientExplainer(std::move(target)) {}

namespace {

std::vector<int64_t> every_layer(const gnn::GnnModel& model) {
  std::vector<int64_t> layers;
  for (int64_t l = 0; l < model.spec().num_layers; ++l) layers.push_back(l);
  return layers;
}

GradientExplainer::Attribution averaged_maps(const TargetBatch& batch,
                                             const std::vector<torch::Tensor>& maps) {
  auto a = node_map_attribution(batch, torch::stack(maps).mean(0));
  a.options = {{"layers", std::to_string(maps.size())}};
  return a;
}

}  // namespace

GradientExplainer::Attribution GradCamAvg::attribute(gnn::GnnModel& model, const TargetBatch& batch,
                                                     const torch::Tensor& classes,
                                                     const ChunkProgress& progress) const {
  return averaged_maps(batch,
                       grad_cam_maps(model, batch, detail::given(classes), every_layer(model)));
}

GradientExplainer::Attribution GradCamAvg::attribute_with_graph(
    const ExplainCall& call, const TargetBatch& batch, const torch::Tensor& classes,
    const ChunkProgress& progress) const {
  const std::vector<int64_t> layers = every_layer(*call.model);
  const auto f = full_graph_activations(call, batch, layers);
  return averaged_maps(batch, grad_cam_maps(*call.model, batch, detail::given(classes), layers, f));
}

bool GradCamAvg::attribute_predicting(const ExplainCall& call, const TargetBatch& batch,
                                      const std::vector<int64_t>& labels,
                                      const ChunkProgress& progress, TargetPrediction& prediction,
                                      Attribution& out) const {
  const std::vector<int64_t> layers = every_layer(*call.model);
  const auto f = full_graph_activations(call, batch, layers);
  const auto choose = detail::predicting(labels, prediction);
  out = averaged_maps(batch, grad_cam_maps(*call.model, batch, choose, layers, f));
  return true;
}

}  // namespace gnnx::explainers
