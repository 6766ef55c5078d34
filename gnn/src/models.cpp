// NodeClassifier, GraphClassifier, the readout and the spec helpers.

#include <gnnx/gnn/dense.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/models.h>

#include <torch/types.h>

#include <cmath>
#include <limits>
#include <string>

namespace gnnx::gnn {

namespace {

/// Throws InputError "ModelSpec: <field> must be <condition>, got <value>".
template <typename T>
void require(bool ok, const char* field, const char* condition, const T& value) {
  if (!ok) {
    throw InputError(c10::str("ModelSpec: ", field, " must be ", condition, ", got ", value));
  }
}

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

/// What the GCN stack yields: each layer's post-ReLU output (the embeddings Grad-CAM
/// differentiates through) and the same after dropout (what the next layer and the head read).
struct ConvStack {
  std::vector<torch::Tensor> activated;
  std::vector<torch::Tensor> dropped;
};

ConvStack run_convs(std::vector<GCNConv>& convs, torch::Tensor h, const GcnAdjacency& adj,
                    const torch::Tensor& edge_weight, double dropout, bool training) {
  ConvStack out;
  for (auto& conv : convs) {
    out.activated.push_back(torch::relu(conv->forward(h, adj, edge_weight)));
    // torch::dropout is the identity when !training, so eval passes are deterministic.
    h = dropout > 0 ? torch::dropout(out.activated.back(), dropout, training)
                    : out.activated.back();
    out.dropped.push_back(h);
  }
  return out;
}

/// GCN layer of a model: `in` inputs, spec.hidden outputs, biases starting at spec.bias_init,
/// the spec's aggregation and embedding norm.
GCNConv make_conv(const ModelSpec& spec, int64_t in) {
  return GCNConv(GCNConvOptions(in, spec.hidden)
                     .bias_init(spec.bias_init)
                     .aggregation(spec.aggregation)
                     .embedding_norm(spec.embedding_norm));
}

}  // namespace

std::string to_string(Task task) {
  switch (task) {
    case Task::kNodeClassification:
      return "node";
    case Task::kGraphClassification:
      return "graph";
  }
  TORCH_INTERNAL_ASSERT(false, "unknown Task ", static_cast<int>(task));
}

std::string to_string(Readout readout) {
  switch (readout) {
    case Readout::kMean:
      return "mean";
    case Readout::kMax:
      return "max";
    case Readout::kSum:
      return "sum";
  }
  TORCH_INTERNAL_ASSERT(false, "unknown Readout ", static_cast<int>(readout));
}

Task parse_task(const std::string& name) {
  if (name == "node") return Task::kNodeClassification;
  if (name == "graph") return Task::kGraphClassification;
  throw InputError("unknown task '" + name + "' (valid: node, graph)");
}

Readout parse_readout(const std::string& name) {
  if (name == "mean") return Readout::kMean;
  if (name == "max") return Readout::kMax;
  if (name == "sum") return Readout::kSum;
  throw InputError("unknown readout '" + name + "' (valid: mean, max, sum)");
}

void ModelSpec::validate() const {
  require(in_features >= 1, "in_features", ">= 1", in_features);
  require(num_classes >= 1, "num_classes", ">= 1", num_classes);
  require(hidden >= 1, "hidden", ">= 1", hidden);
  require(num_layers >= 1, "num_layers", ">= 1", num_layers);
  // `!(x >= 0 && x < 1)` also rejects NaN.
  require(dropout >= 0.0 && dropout < 1.0, "dropout", "in [0, 1)", dropout);
  require(mlp_hidden >= 0, "mlp_hidden", ">= 0", mlp_hidden);
  require(std::isfinite(bias_init), "bias_init", "finite", bias_init);
}

// --- NodeClassifier ------------------------------------------------------------------------

NodeClassifier::NodeClassifier(ModelSpec spec) : GnnModel(std::move(spec)) {
  spec_.validate();
  int64_t in = spec_.in_features;
  for (int64_t i = 0; i < spec_.num_layers; ++i) {
    convs.push_back(register_module("conv" + std::to_string(i), make_conv(spec_, in)));
    in = spec_.hidden;
  }
  const int64_t head_in = spec_.concat ? spec_.hidden * spec_.num_layers : spec_.hidden;
  head = register_module("head", torch::nn::Linear(head_in, spec_.num_classes));
}

ModelOutput NodeClassifier::forward(const torch::Tensor& x, const GcnAdjacency& adj,
                                    const torch::Tensor& edge_weight,
                                    const torch::Tensor& /*batch*/, int64_t /*num_graphs*/) {
  check_input("NodeClassifier::forward", spec_, x, adj);
  ConvStack stack = run_convs(convs, x, adj, edge_weight, spec_.dropout, is_training());
  const torch::Tensor features =
      spec_.concat ? torch::cat(stack.dropped, /*dim=*/1) : stack.dropped.back();
  ModelOutput out;
  out.logits = dense_linear(features, head->weight, head->bias);
  out.embeddings = std::move(stack.activated);
  return out;
}

// --- GraphClassifier -----------------------------------------------------------------------

GraphClassifier::GraphClassifier(ModelSpec spec) : GnnModel(std::move(spec)) {
  spec_.validate();
  int64_t in = spec_.in_features;
  for (int64_t i = 0; i < spec_.num_layers; ++i) {
    convs.push_back(register_module("conv" + std::to_string(i), make_conv(spec_, in)));
    in = spec_.hidden;
  }
  if (spec_.mlp_hidden > 0) {
    hidden_layer =
        register_module("hidden_layer", torch::nn::Linear(spec_.hidden, spec_.mlp_hidden));
    head = register_module("head", torch::nn::Linear(spec_.mlp_hidden, spec_.num_classes));
  } else {
    head = register_module("head", torch::nn::Linear(spec_.hidden, spec_.num_classes));
  }
}

ModelOutput GraphClassifier::forward(const torch::Tensor& x, const GcnAdjacency& adj,
                                     const torch::Tensor& edge_weight, const torch::Tensor& batch,
                                     int64_t num_graphs) {
  check_input("GraphClassifier::forward", spec_, x, adj);
  torch::Tensor graph_of_node = batch;
  if (!graph_of_node.defined()) {
    TORCH_CHECK(num_graphs == 1,
                "GraphClassifier::forward: without `batch` there is one graph, "
                "got num_graphs = ",
                num_graphs);
    graph_of_node = torch::zeros({x.size(0)}, torch::dtype(torch::kLong).device(x.device()));
  }
  ConvStack stack = run_convs(convs, x, adj, edge_weight, spec_.dropout, is_training());
  ModelOutput out;
  out.pooled = readout(stack.dropped.back(), graph_of_node, num_graphs, spec_.readout);
  torch::Tensor h = out.pooled;
  if (hidden_layer) h = torch::relu(dense_linear(h, hidden_layer->weight, hidden_layer->bias));
  out.logits = dense_linear(h, head->weight, head->bias);
  out.embeddings = std::move(stack.activated);
  return out;
}

// --- factory and readout -------------------------------------------------------------------

std::shared_ptr<GnnModel> make_model(const ModelSpec& spec) {
  spec.validate();
  switch (spec.task) {
    case Task::kNodeClassification:
      return std::make_shared<NodeClassifier>(spec);
    case Task::kGraphClassification:
      return std::make_shared<GraphClassifier>(spec);
  }
  TORCH_INTERNAL_ASSERT(false, "unknown Task ", static_cast<int>(spec.task));
}

torch::Tensor readout(const torch::Tensor& h, const torch::Tensor& batch, int64_t num_graphs,
                      Readout kind) {
  TORCH_CHECK(h.dim() == 2, "readout: h must be [N, D], got ", h.sizes());
  TORCH_CHECK(batch.dim() == 1 && batch.size(0) == h.size(0),
              "readout: batch must be [N] with N = ", h.size(0), ", got ", batch.sizes());
  TORCH_CHECK(batch.scalar_type() == torch::kLong, "readout: batch must be int64, got ",
              batch.scalar_type());
  TORCH_CHECK(num_graphs >= 1, "readout: num_graphs must be >= 1, got ", num_graphs);
  if (batch.numel() > 0) {
    const int64_t lo = batch.min().item<int64_t>();
    const int64_t hi = batch.max().item<int64_t>();
    TORCH_CHECK(lo >= 0 && hi < num_graphs, "readout: batch values must lie in [0, ", num_graphs,
                "), got [", lo, ", ", hi, "]");
  }
  const torch::Tensor index = batch.to(h.device());

  if (kind == Readout::kMax) {
    // The maximum is exact whatever order the elements arrive in, and its backward splits the
    // gradient evenly among ties with exact 0/1 counts: deterministic on every device. Starting
    // from -inf (not 0 with include_self=false) keeps the start value out of that tie count.
    const torch::Tensor start =
        torch::full({num_graphs, h.size(1)}, -std::numeric_limits<double>::infinity(), h.options());
    const torch::Tensor max = start.scatter_reduce(0, index.unsqueeze(1).expand_as(h), h, "amax");
    const torch::Tensor empty =
        torch::bincount(index, /*weights=*/{}, /*minlength=*/num_graphs).eq(0);
    return max.masked_fill(empty.unsqueeze(1), 0);
  }

  const torch::Tensor zeros = torch::zeros({num_graphs, h.size(1)}, h.options());
  torch::Tensor sum;
  if (h.device().is_cpu()) {
    // index_add on CPU adds rows serially in index order: deterministic, no atomics.
    sum = zeros.index_add(0, index, h);
  } else {
    // Accelerators add with atomics; a one-hot matrix product sums in a fixed order.
    const torch::Tensor one_hot =
        (torch::arange(num_graphs, index.options()).unsqueeze(1) == index.unsqueeze(0))
            .to(h.scalar_type());
    sum = torch::matmul(one_hot, h);
  }
  if (kind == Readout::kSum) return sum;

  const torch::Tensor count =
      torch::bincount(index, /*weights=*/{}, /*minlength=*/num_graphs).to(h.scalar_type());
  return sum / count.clamp_min(1).unsqueeze(1);
}

}  // namespace gnnx::gnn

namespace gnnx::gnn {

torch::Device model_device(const torch::nn::Module& model) {
  const auto params = model.parameters();
  return params.empty() ? torch::Device(torch::kCPU) : params.front().device();
}

}  // namespace gnnx::gnn
