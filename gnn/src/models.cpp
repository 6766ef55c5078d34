// NodeClassifier and GraphClassifier: the message-passing stack written once (run_stack), each
// model's head, and what they tell explainers about themselves.

#include <gnnx/gnn/dense.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/max_readout.h>
#include <gnnx/gnn/models.h>

#include "conv_stack.h"
#include "device_adjacency.h"

#include <torch/types.h>

#include <string>

namespace gnnx::gnn {
namespace {

/// Checks what every model's forward needs of x against the spec and the adjacency.
void check_input(const char* fn, const ModelSpec& spec, const torch::Tensor& x,
                 const GcnAdjacency& adj) {
  TORCH_CHECK(x.defined() && x.dim() == 2, fn, ": x must be a 2-d [N, F] tensor, got ",
              x.defined() ? x.sizes() : c10::IntArrayRef{});
  TORCH_CHECK(x.size(1) == spec.in_features, fn, ": x has ", x.size(1),
              " features but the model expects ", spec.in_features);
  TORCH_CHECK(x.size(0) == adj.num_nodes(), fn, ": x has ", x.size(0),
              " rows but the adjacency has ", adj.num_nodes(), " nodes");
}

/// The edge features a layer reads: the input's, else its adjacency's (on x's device).
torch::Tensor edge_features(const ModelSpec& spec, const ModelInput& input, const GcnAdjacency& adj,
                            bool planned) {
  if (spec.edge_dim == 0) return {};
  if (!planned && input.edge_attr.defined()) return input.edge_attr;
  if (!adj.edge_attr().defined()) return {};  // the layer says what it needs
  return adj.on_device(input.x.device()).edge_attr;
}

/// What the layer stack yields: each layer's post-ReLU output (the embeddings Grad-CAM
/// differentiates through) and the same after dropout (what the next layer and the head read).
struct ConvStack {
  std::vector<torch::Tensor> activated;
  std::vector<torch::Tensor> dropped;
};

/// The one forward pass of the message-passing layers, with the hooks applied.
ConvStack run_stack(const char* fn, detail::ConvLayers& convs, const ModelSpec& spec,
                    const ModelInput& input, const ForwardHooks& hooks, bool training) {
  const size_t layers = convs.layers.size();
  TORCH_CHECK(hooks.dropout_masks.empty() || hooks.dropout_masks.size() == layers, fn, ": ",
              hooks.dropout_masks.size(), " dropout masks for ", layers, " layers");
  TORCH_CHECK(hooks.layer_graphs.empty() || hooks.layer_graphs.size() == layers, fn, ": ",
              hooks.layer_graphs.size(), " layer graphs for ", layers, " layers");
  const bool planned = !hooks.layer_graphs.empty();
  TORCH_CHECK(planned || input.adj != nullptr, fn, ": no adjacency");
  check_input(fn, spec, input.x, planned ? *hooks.layer_graphs.front().adj : *input.adj);
  ConvStack out;
  torch::Tensor h = input.x;
  for (size_t l = 0; l < layers; ++l) {
    const GcnAdjacency& adj = planned ? *hooks.layer_graphs[l].adj : *input.adj;
    const torch::Tensor& mask = planned ? hooks.layer_graphs[l].edge_mask : input.edge_mask;
    const torch::Tensor attr = edge_features(spec, input, adj, planned);
    const Attention attention =
        hooks.fixed_attention ? Attention::kFixed : Attention::kDifferentiable;
    torch::Tensor a = relu_with_rule(
        convs.layers[l].forward(h, adj, mask, attr, hooks.relu, attention), hooks.relu);
    if (planned && hooks.layer_graphs[l].rows >= 0) a = a.slice(0, 0, hooks.layer_graphs[l].rows);
    out.activated.push_back(a);
    if (!hooks.dropout_masks.empty()) {
      h = a * hooks.dropout_masks[l];
    } else {
      // torch::dropout is the identity when !training, so eval passes are deterministic.
      h = spec.dropout > 0 ? torch::dropout(a, spec.dropout, training) : a;
    }
    out.dropped.push_back(h);
  }
  return out;
}

std::shared_ptr<detail::ConvLayers> make_convs(torch::nn::Module& model, const ModelSpec& spec) {
  auto convs = std::make_shared<detail::ConvLayers>();
  convs->layers = detail::make_conv_layers(model, spec);
  return convs;
}

ModelDescription describe_stack(const ModelSpec& spec, const detail::ConvLayers& convs) {
  ModelDescription d;
  d.task = spec.task;
  d.num_classes = spec.num_classes;
  d.dropout = spec.dropout;
  for (const auto& conv : convs.layers) {
    d.layers.push_back(conv.describe());
    // GAT's attention has a LeakyReLU and a softmax, whose backward no ReluRule replaces; with
    // the coefficients held fixed they leave the backward path.
    if (d.layers.back().kind == "gat") {
      d.relu_rules = false;
      d.fixed_attention = true;
    }
  }
  return d;
}

torch::Tensor conv_weight(const detail::ConvLayers& convs, int64_t layer) {
  TORCH_CHECK(layer >= 0 && layer < static_cast<int64_t>(convs.layers.size()),
              "layer_weight: layer ", layer, " is out of range for ", convs.layers.size(),
              " layers");
  return convs.layers[layer].message_weight();
}

LayerPaths conv_paths(detail::ConvLayers& convs, const ModelSpec& spec, int64_t layer,
                      const torch::Tensor& h, const GcnAdjacency& adj,
                      const torch::Tensor& edge_attr) {
  TORCH_CHECK(layer >= 0 && layer < static_cast<int64_t>(convs.layers.size()),
              "layer_paths: layer ", layer, " is out of range for ", convs.layers.size(),
              " layers");
  ModelInput input;
  input.x = h;
  input.edge_attr = edge_attr;
  return convs.layers[layer].paths(h, adj, edge_features(spec, input, adj, /*planned=*/false));
}

DenseLayer dense_layer(const torch::nn::Linear& linear) { return {linear->weight, linear->bias}; }

}  // namespace

ModelOutput GnnModel::forward(const torch::Tensor& x, const GcnAdjacency& adj,
                              const torch::Tensor& edge_weight, const torch::Tensor& batch,
                              int64_t num_graphs) {
  ModelInput input;
  input.x = x;
  input.adj = &adj;
  input.edge_mask = edge_weight;
  input.batch = batch;
  input.num_graphs = num_graphs;
  return run(input);
}

LayerPaths GnnModel::layer_paths(int64_t layer, const torch::Tensor& /*h*/,
                                 const GcnAdjacency& /*adj*/, const torch::Tensor& /*edge_attr*/) {
  TORCH_CHECK(false, "layer_paths: this model does not describe its layer ", layer,
              " as linear paths (LayerDescription::linear_paths is false)");
  return {};  // not reached
}

// --- NodeClassifier ------------------------------------------------------------------------

NodeClassifierImpl::NodeClassifierImpl(ModelSpec spec) : GnnModel(spec) {
  spec_.validate();
  convs_ = make_convs(*this, spec_);
  const int64_t head_in = spec_.concat ? spec_.hidden * spec_.num_layers : spec_.hidden;
  head_ = register_module("head", torch::nn::Linear(head_in, spec_.num_classes));
}

ModelDescription NodeClassifierImpl::describe() const {
  ModelDescription d = describe_stack(spec_, *convs_);
  d.head_input = spec_.concat ? HeadInput::kConcatenatedLayers : HeadInput::kLastLayer;
  d.head_layers = 1;
  return d;
}

ModelOutput NodeClassifierImpl::run(const ModelInput& input, const ForwardHooks& hooks) {
  ConvStack stack =
      run_stack("NodeClassifier::forward", *convs_, spec_, input, hooks, is_training());
  // The head reads each wanted row; dense_linear sums every output element in one fixed order,
  // so a row's logits do not depend on which other rows are computed with it.
  std::vector<torch::Tensor> rows;
  for (size_t l = spec_.concat ? 0 : stack.dropped.size() - 1; l < stack.dropped.size(); ++l) {
    const auto& h = stack.dropped[l];
    rows.push_back(input.output_rows.defined() ? h.index_select(0, input.output_rows) : h);
  }
  const torch::Tensor features = rows.size() == 1 ? rows.front() : torch::cat(rows, /*dim=*/1);
  ModelOutput out;
  out.logits = dense_linear(features, head_->weight, head_->bias);
  out.embeddings = std::move(stack.activated);
  return out;
}

torch::Tensor NodeClassifierImpl::layer_weight(int64_t layer) const {
  return conv_weight(*convs_, layer);
}

LayerPaths NodeClassifierImpl::layer_paths(int64_t layer, const torch::Tensor& h,
                                           const GcnAdjacency& adj,
                                           const torch::Tensor& edge_attr) {
  return conv_paths(*convs_, spec_, layer, h, adj, edge_attr);
}

std::vector<DenseLayer> NodeClassifierImpl::head_layers() const { return {dense_layer(head_)}; }

// --- GraphClassifier -----------------------------------------------------------------------

GraphClassifierImpl::GraphClassifierImpl(ModelSpec spec) : GnnModel(spec) {
  spec_.validate();
  convs_ = make_convs(*this, spec_);
  const int64_t pooled = spec_.readout_concat ? spec_.hidden * spec_.num_layers : spec_.hidden;
  if (spec_.mlp_hidden > 0) {
    hidden_layer_ = register_module("hidden_layer", torch::nn::Linear(pooled, spec_.mlp_hidden));
    head_ = register_module("head", torch::nn::Linear(spec_.mlp_hidden, spec_.num_classes));
  } else {
    head_ = register_module("head", torch::nn::Linear(pooled, spec_.num_classes));
  }
}

ModelDescription GraphClassifierImpl::describe() const {
  ModelDescription d = describe_stack(spec_, *convs_);
  d.head_input =
      spec_.readout_concat ? HeadInput::kReadoutOfConcatenatedLayers : HeadInput::kReadout;
  d.readout = spec_.readout;
  d.head_layers = hidden_layer_ ? 2 : 1;
  d.layer_graphs = false;
  return d;
}

ModelOutput GraphClassifierImpl::run(const ModelInput& input, const ForwardHooks& hooks) {
  constexpr const char* kFn = "GraphClassifier::forward";
  // Per-layer masks over the whole graph (GraphMask) keep every row: the readout pools them
  // all. Planned passes that drop rows are for node models only.
  for (const auto& layer : hooks.layer_graphs) {
    TORCH_CHECK(layer.rows < 0 && layer.adj != nullptr &&
                    layer.adj->num_nodes() == hooks.layer_graphs.front().adj->num_nodes(),
                kFn,
                ": a graph model's layer graphs must keep every row (rows = -1) of one "
                "node set");
  }
  torch::Tensor graph_of_node = input.batch;
  if (!graph_of_node.defined()) {
    TORCH_CHECK(input.num_graphs == 1, kFn, ": without `batch` there is one graph, got ",
                "num_graphs = ", input.num_graphs);
    graph_of_node =
        torch::zeros({input.x.size(0)}, torch::dtype(torch::kLong).device(input.x.device()));
  }
  ConvStack stack = run_stack(kFn, *convs_, spec_, input, hooks, is_training());
  ModelOutput out;
  const torch::Tensor nodes =
      spec_.readout_concat ? torch::cat(stack.dropped, /*dim=*/1) : stack.dropped.back();
  // Max readout's tie rule (max_readout.h): the tolerant one wherever the model explains.
  out.pooled = readout(nodes, graph_of_node, input.num_graphs, spec_.readout,
                       is_training() ? MaxTies::kExact : MaxTies::kWithinTolerance);
  torch::Tensor h = out.pooled;
  if (hidden_layer_) {
    h = relu_with_rule(dense_linear(h, hidden_layer_->weight, hidden_layer_->bias), hooks.relu);
  }
  out.logits = dense_linear(h, head_->weight, head_->bias);
  out.embeddings = std::move(stack.activated);
  return out;
}

torch::Tensor GraphClassifierImpl::layer_weight(int64_t layer) const {
  return conv_weight(*convs_, layer);
}

LayerPaths GraphClassifierImpl::layer_paths(int64_t layer, const torch::Tensor& h,
                                            const GcnAdjacency& adj,
                                            const torch::Tensor& edge_attr) {
  return conv_paths(*convs_, spec_, layer, h, adj, edge_attr);
}

std::vector<DenseLayer> GraphClassifierImpl::head_layers() const {
  if (hidden_layer_) return {dense_layer(hidden_layer_), dense_layer(head_)};
  return {dense_layer(head_)};
}

// --- factory -------------------------------------------------------------------------------

std::shared_ptr<GnnModel> make_model(const ModelSpec& spec) {
  spec.validate();
  switch (spec.task) {
    case Task::kNodeClassification:
      return std::make_shared<NodeClassifierImpl>(spec);
    case Task::kGraphClassification:
      return std::make_shared<GraphClassifierImpl>(spec);
  }
  TORCH_INTERNAL_ASSERT(false, "unknown Task ", static_cast<int>(spec.task));
}

}  // namespace gnnx::gnn
