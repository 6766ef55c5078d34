// The gradient family's shared machinery and its base class (target selection and batching).

#include "machinery.h"

#include <ATen/CPUGeneratorImpl.h>
#include <gnnx/explainers/gradient_methods.h>
#include <gnnx/gnn/dense.h>
#include <gnnx/gnn/error.h>
#include <torch/autograd.h>

#include <algorithm>
#include <string>

namespace gnnx::explainers {
namespace detail {
namespace {

// ReLU with the guided-backprop backward: [z > 0] · max(g, 0).
struct GuidedRelu : public torch::autograd::Function<GuidedRelu> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, torch::Tensor z) {
    ctx->save_for_backward({z});
    return torch::relu(z);
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad) {
    const auto z = ctx->get_saved_variables()[0];
    return {grad[0].clamp_min(0) * (z > 0).to(grad[0].scalar_type())};
  }
};

// ReLU with the deconvnet backward: max(g, 0), whatever the input.
struct DeconvRelu : public torch::autograd::Function<DeconvRelu> {
  static torch::Tensor forward(torch::autograd::AutogradContext* /*ctx*/, torch::Tensor z) {
    return torch::relu(z);
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* /*ctx*/,
                                                 torch::autograd::variable_list grad) {
    return {grad[0].clamp_min(0)};
  }
};

torch::Tensor activate(const torch::Tensor& z, ReluRule rule) {
  switch (rule) {
    case ReluRule::kStandard:
      return torch::relu(z);
    case ReluRule::kGuided:
      return GuidedRelu::apply(z);
    case ReluRule::kDeconvolution:
      return DeconvRelu::apply(z);
  }
  TORCH_INTERNAL_ASSERT(false, "unknown ReluRule ", static_cast<int>(rule));
}

// The GCN stack of either classifier, replayed: `activated` are the embeddings, `dropped`
// what the next layer and the head read.
struct Stack {
  std::vector<torch::Tensor> activated, dropped;
};

Stack replay_convs(std::vector<gnn::GCNConv>& convs, const torch::Tensor& x,
                   const gnn::GcnAdjacency& adj, const torch::Tensor& edge_weight,
                   const ForwardHooks& hooks) {
  TORCH_CHECK(hooks.dropout_masks.empty() || hooks.dropout_masks.size() == convs.size(),
              "forward_targets: ", hooks.dropout_masks.size(), " dropout masks for ", convs.size(),
              " layers");
  Stack out;
  torch::Tensor h = x;
  for (size_t l = 0; l < convs.size(); ++l) {
    out.activated.push_back(activate(convs[l]->forward(h, adj, edge_weight), hooks.relu));
    h = hooks.dropout_masks.empty() ? out.activated.back()
                                    : out.activated.back() * hooks.dropout_masks[l];
    out.dropped.push_back(h);
  }
  return out;
}

// splitmix64: decorrelates nearby (seed, target) pairs.
uint64_t mix(uint64_t z) {
  z += 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

void require_replayable(const gnn::GnnModel& model, const std::string& method) {
  if (dynamic_cast<const gnn::NodeClassifier*>(&model) == nullptr &&
      dynamic_cast<const gnn::GraphClassifier*>(&model) == nullptr) {
    throw InputError(method +
                     ": needs a gnnx NodeClassifier or GraphClassifier (it replays their "
                     "layers), got another GnnModel");
  }
}

TargetForward forward_targets(gnn::GnnModel& model, const TargetBatch& batch,
                              const torch::Tensor& x, const torch::Tensor& edge_weight,
                              const ForwardHooks& hooks) {
  const bool node_task = batch.task == gnn::Task::kNodeClassification;
  TargetForward out;
  if (!hooks.replay()) {
    gnn::ModelOutput o =
        node_task ? model.forward(x, batch.adj, edge_weight)
                  : model.forward(x, batch.adj, edge_weight, batch.part, batch.num_parts());
    out.logits = node_task ? o.logits.index_select(0, batch.target_pos) : o.logits;
    out.embeddings = std::move(o.embeddings);
    return out;
  }
  if (auto* m = dynamic_cast<gnn::NodeClassifier*>(&model)) {
    Stack stack = replay_convs(m->convs, x, batch.adj, edge_weight, hooks);
    const torch::Tensor features =
        m->spec().concat ? torch::cat(stack.dropped, /*dim=*/1) : stack.dropped.back();
    out.logits = gnn::dense_linear(features.index_select(0, batch.target_pos), m->head->weight,
                                   m->head->bias);
    out.embeddings = std::move(stack.activated);
    return out;
  }
  if (auto* m = dynamic_cast<gnn::GraphClassifier*>(&model)) {
    Stack stack = replay_convs(m->convs, x, batch.adj, edge_weight, hooks);
    torch::Tensor h =
        gnn::readout(stack.dropped.back(), batch.part, batch.num_parts(), m->spec().readout);
    if (m->hidden_layer) {
      h = activate(gnn::dense_linear(h, m->hidden_layer->weight, m->hidden_layer->bias),
                   hooks.relu);
    }
    out.logits = gnn::dense_linear(h, m->head->weight, m->head->bias);
    out.embeddings = std::move(stack.activated);
    return out;
  }
  require_replayable(model, "forward_targets");
  TORCH_INTERNAL_ASSERT(false, "unreachable");
}

torch::Tensor class_score(const torch::Tensor& logits, const torch::Tensor& classes) {
  return logits.gather(1, classes.to(logits.device()).unsqueeze(1)).sum();
}

torch::Tensor ones_edge_mask(const TargetBatch& batch, const torch::Tensor& x) {
  return torch::ones({batch.graph.num_edges()}, x.options().requires_grad(false));
}

InputGradients input_gradients(gnn::GnnModel& model, const TargetBatch& batch,
                               const torch::Tensor& x, const torch::Tensor& edge_weight,
                               const torch::Tensor& classes, const ForwardHooks& hooks) {
  auto xv = x.detach().requires_grad_(true);
  auto wv = (edge_weight.defined() ? edge_weight : ones_edge_mask(batch, x))
                .detach()
                .requires_grad_(true);
  const TargetForward fwd = forward_targets(model, batch, xv, wv, hooks);
  const auto score = class_score(fwd.logits, classes);
  auto grads = torch::autograd::grad({score}, {xv, wv}, /*grad_outputs=*/{},
                                     /*retain_graph=*/false, /*create_graph=*/false,
                                     /*allow_unused=*/true);
  InputGradients out;
  out.x = grads[0].defined() ? grads[0] : torch::zeros_like(xv);
  out.edge = grads[1].defined() ? grads[1] : torch::zeros_like(wv);
  return out;
}

torch::Tensor row_norm(const torch::Tensor& rows) { return rows.pow(2).sum(1).sqrt(); }

torch::Tensor edge_min_of_nodes(const TargetBatch& batch, const torch::Tensor& node_scores) {
  const auto& ei = batch.graph.edge_index();
  return torch::minimum(node_scores.index_select(0, ei[0]), node_scores.index_select(0, ei[1]));
}

torch::Tensor part_sum(const TargetBatch& batch, const torch::Tensor& rows) {
  // index_add on CPU adds rows serially in index order: deterministic.
  return torch::zeros({batch.num_parts(), rows.size(1)}, rows.options())
      .index_add(0, batch.part.to(rows.device()), rows);
}

torch::Tensor part_mean(const TargetBatch& batch, const torch::Tensor& rows) {
  const auto counts = (batch.node_offset.slice(0, 1) - batch.node_offset.slice(0, 0, -1))
                          .clamp_min(1)
                          .to(rows.options());
  return part_sum(batch, rows) / counts.unsqueeze(1);
}

std::vector<int64_t> part_sizes(const torch::Tensor& offsets) {
  const auto o = offsets.to(torch::kLong).contiguous();
  const int64_t* p = o.data_ptr<int64_t>();
  std::vector<int64_t> out;
  for (int64_t t = 0; t + 1 < o.numel(); ++t) out.push_back(p[t + 1] - p[t]);
  return out;
}

PartSubset select_parts(const TargetBatch& batch, const std::vector<int64_t>& parts) {
  const auto node_offset = batch.node_offset.contiguous();
  const auto edge_offset = batch.edge_offset.contiguous();
  const int64_t* no = node_offset.data_ptr<int64_t>();
  const int64_t* eo = edge_offset.data_ptr<int64_t>();
  std::vector<torch::Tensor> nodes, edges;
  std::vector<int64_t> node_sizes, edge_sizes, targets;
  for (int64_t p : parts) {
    nodes.push_back(torch::arange(no[p], no[p + 1], torch::kLong));
    edges.push_back(torch::arange(eo[p], eo[p + 1], torch::kLong));
    node_sizes.push_back(no[p + 1] - no[p]);
    edge_sizes.push_back(eo[p + 1] - eo[p]);
    targets.push_back(batch.targets[p]);
  }
  PartSubset out;
  out.node_origin = torch::cat(nodes);
  out.edge_origin = torch::cat(edges);
  const int64_t n = out.node_origin.numel();
  auto remap = torch::full({batch.graph.num_nodes()}, -1, torch::kLong);
  remap.index_put_({out.node_origin}, torch::arange(n, torch::kLong));
  const auto edge_index =
      remap.index_select(0, batch.graph.edge_index().index_select(1, out.edge_origin).reshape({-1}))
          .reshape({2, -1});
  TargetBatch& b = out.batch;
  b.task = batch.task;
  b.graph = gnn::Graph(n, edge_index, batch.graph.x().index_select(0, out.node_origin));
  b.targets = targets;
  const auto node_counts = torch::tensor(node_sizes, torch::kLong);
  const auto edge_counts = torch::tensor(edge_sizes, torch::kLong);
  const auto ids = torch::arange(static_cast<int64_t>(parts.size()), torch::kLong);
  b.node_offset = torch::cat({torch::zeros({1}, torch::kLong), node_counts.cumsum(0)});
  b.edge_offset = torch::cat({torch::zeros({1}, torch::kLong), edge_counts.cumsum(0)});
  b.part = torch::repeat_interleave(ids, node_counts);
  b.edge_part = torch::repeat_interleave(ids, edge_counts);
  if (batch.target_pos.defined() && batch.target_pos.numel() > 0) {
    b.target_pos =
        remap.index_select(0, batch.target_pos.index_select(0, torch::tensor(parts, torch::kLong)));
  }
  b.node_id = batch.node_id.index_select(0, out.node_origin);
  b.edge_id = batch.edge_id.index_select(0, out.edge_origin);
  b.adj = gnn::GcnAdjacency(b.graph).with_normalisation(
      batch.adj.edge_norm().index_select(0, out.edge_origin),
      batch.adj.self_norm().index_select(0, out.node_origin));
  return out;
}

PartSubset select_edges(const TargetBatch& batch, const torch::Tensor& keep) {
  TORCH_CHECK(keep.dim() == 1 && keep.size(0) == batch.graph.num_edges() &&
                  keep.scalar_type() == torch::kBool,
              "select_edges: keep must be [E] bool");
  PartSubset out;
  out.node_origin = torch::arange(batch.graph.num_nodes(), torch::kLong);
  out.edge_origin = keep.nonzero().reshape({-1});
  TargetBatch b = batch;
  b.graph = gnn::Graph(batch.graph.num_nodes(),
                       batch.graph.edge_index().index_select(1, out.edge_origin), batch.graph.x());
  b.edge_part = batch.edge_part.index_select(0, out.edge_origin);
  const auto edge_counts =
      torch::bincount(b.edge_part, /*weights=*/{}, /*minlength=*/batch.num_parts());
  b.edge_offset = torch::cat({torch::zeros({1}, torch::kLong), edge_counts.cumsum(0)});
  b.edge_id = batch.edge_id.index_select(0, out.edge_origin);
  b.adj = gnn::GcnAdjacency(b.graph).with_normalisation(
      batch.adj.edge_norm().index_select(0, out.edge_origin), batch.adj.self_norm());
  out.batch = std::move(b);
  return out;
}

std::vector<at::Generator> part_generators(const TargetBatch& batch, uint64_t seed) {
  std::vector<at::Generator> out;
  out.reserve(batch.targets.size());
  for (int64_t target : batch.targets) {
    out.push_back(at::detail::createCPUGenerator(mix(mix(seed) ^ static_cast<uint64_t>(target))));
  }
  return out;
}

torch::Tensor propagate(const TargetBatch& batch, const torch::Tensor& x) {
  const auto& adj = batch.adj;
  const auto norm = adj.edge_norm().to(x.scalar_type()).unsqueeze(1);
  return (adj.self_norm().to(x.scalar_type()).unsqueeze(1) * x)
      .index_add(0, adj.dst(), x.index_select(0, adj.src()) * norm);
}

torch::Tensor propagate_transpose(const TargetBatch& batch, const torch::Tensor& y) {
  const auto& adj = batch.adj;
  const auto norm = adj.edge_norm().to(y.scalar_type()).unsqueeze(1);
  return (adj.self_norm().to(y.scalar_type()).unsqueeze(1) * y)
      .index_add(0, adj.src(), y.index_select(0, adj.dst()) * norm);
}

}  // namespace detail

// --- TargetOptions and the base class ----------------------------------------------------------

namespace {

// Restores the model's train/eval mode on scope exit.
class EvalGuard {
 public:
  explicit EvalGuard(gnn::GnnModel& model) : model_(model), was_training_(model.is_training()) {
    model_.eval();
  }
  ~EvalGuard() { model_.train(was_training_); }
  EvalGuard(const EvalGuard&) = delete;
  EvalGuard& operator=(const EvalGuard&) = delete;

 private:
  gnn::GnnModel& model_;
  bool was_training_;
};

void require_task(const gnn::GnnModel& model, gnn::Task task, const std::string& method,
                  const char* what) {
  if (model.spec().task != task) {
    throw InputError(method + ": " + what + " needs a " + gnn::to_string(task) +
                     "-classification model, got a " + gnn::to_string(model.spec().task) +
                     "-classification model");
  }
}

}  // namespace

TargetOptions TargetOptions::from(const MethodOptions& options) {
  TargetOptions out;
  out.mode(options.mode).explained_class(options.explained_class);
  out.batch_size(options.batch_size).progress(options.progress);
  return out;
}

namespace {
constexpr int64_t kProgressScale = 1000;  // progress units per batch
}  // namespace

void GradientExplainer::report_progress(int64_t done, int64_t total) {
  if (!target_.progress() || total <= 0) return;
  const int64_t within = std::min<int64_t>(done, total) * kProgressScale / total;
  target_.progress()(batch_index_ * kProgressScale + within, batch_count_ * kProgressScale);
}

std::vector<Explanation> GradientExplainer::explain_nodes(gnn::GnnModel& model,
                                                          const gnn::Graph& graph,
                                                          const torch::Tensor& nodes) {
  const std::string method = name();
  require_task(model, gnn::Task::kNodeClassification, method, "explaining nodes");
  check_model(model);
  const auto targets = checked_ids(nodes, graph.num_nodes(), (method + ": node").c_str());
  std::vector<int64_t> labels(targets.size(), target_.explained_class());
  if (target_.explained_class() >= model.spec().num_classes) {
    throw InputError(method + ": explained class " + std::to_string(target_.explained_class()) +
                     " is out of range for a model with " +
                     std::to_string(model.spec().num_classes) + " classes");
  }
  if (target_.explained_class() < 0 && target_.mode() == ExplainMode::kPhenomenon) {
    if (!graph.y().defined() || graph.y().numel() != graph.num_nodes()) {
      throw InputError(method + ": phenomenon mode needs node labels");
    }
    const auto y = graph.y().to(torch::kLong).contiguous();
    for (size_t i = 0; i < targets.size(); ++i) labels[i] = y.data_ptr<int64_t>()[targets[i]];
  }
  if (target_.batch_size() < 0) {
    throw InputError(method + ": batch size must be >= 0, got " +
                     std::to_string(target_.batch_size()));
  }
  const gnn::GcnAdjacency adj(graph);
  const size_t chunk = target_.batch_size() > 0 ? static_cast<size_t>(target_.batch_size())
                                                : std::max<size_t>(targets.size(), 1);
  batch_index_ = 0;
  batch_count_ = static_cast<int64_t>((targets.size() + chunk - 1) / chunk);
  std::vector<Explanation> out;
  for (size_t begin = 0; begin < targets.size(); begin += chunk, ++batch_index_) {
    const size_t end = std::min(targets.size(), begin + chunk);
    const std::vector<int64_t> part(targets.begin() + begin, targets.begin() + end);
    const TargetBatch batch = make_node_batch(graph, adj, part, model.spec().num_layers);
    auto explanations = explain_batch(
        model, batch, std::vector<int64_t>(labels.begin() + begin, labels.begin() + end));
    for (auto& e : explanations) out.push_back(std::move(e));
  }
  return out;
}

std::vector<Explanation> GradientExplainer::explain_graphs(gnn::GnnModel& model,
                                                           const std::vector<gnn::Graph>& graphs) {
  const std::string method = name();
  require_task(model, gnn::Task::kGraphClassification, method, "explaining graphs");
  check_model(model);
  if (target_.explained_class() >= model.spec().num_classes) {
    throw InputError(method + ": explained class " + std::to_string(target_.explained_class()) +
                     " is out of range for a model with " +
                     std::to_string(model.spec().num_classes) + " classes");
  }
  std::vector<int64_t> labels(graphs.size(), target_.explained_class());
  if (target_.explained_class() < 0 && target_.mode() == ExplainMode::kPhenomenon) {
    for (size_t i = 0; i < graphs.size(); ++i) {
      if (!graphs[i].y().defined() || graphs[i].y().numel() != 1) {
        throw InputError(method + ": phenomenon mode needs a label on graph " + std::to_string(i));
      }
      labels[i] = graphs[i].y().to(torch::kLong).item<int64_t>();
    }
  }
  if (target_.batch_size() < 0) {
    throw InputError(method + ": batch size must be >= 0, got " +
                     std::to_string(target_.batch_size()));
  }
  const size_t chunk = target_.batch_size() > 0 ? static_cast<size_t>(target_.batch_size())
                                                : std::max<size_t>(graphs.size(), 1);
  batch_index_ = 0;
  batch_count_ = static_cast<int64_t>((graphs.size() + chunk - 1) / chunk);
  std::vector<Explanation> out;
  for (size_t begin = 0; begin < graphs.size(); begin += chunk, ++batch_index_) {
    const size_t end = std::min(graphs.size(), begin + chunk);
    std::vector<int64_t> indices;
    for (size_t i = begin; i < end; ++i) indices.push_back(static_cast<int64_t>(i));
    const TargetBatch batch = make_graph_batch(graphs, indices);
    auto explanations = explain_batch(
        model, batch, std::vector<int64_t>(labels.begin() + begin, labels.begin() + end));
    for (auto& e : explanations) out.push_back(std::move(e));
  }
  return out;
}

std::vector<Explanation> GradientExplainer::explain_batch(gnn::GnnModel& model,
                                                          const TargetBatch& batch,
                                                          const std::vector<int64_t>& labels) {
  EvalGuard eval(model);
  const int64_t parts = batch.num_parts();
  if (parts == 0) return {};
  torch::Tensor logits0;
  {
    torch::NoGradGuard no_grad;
    logits0 = detail::forward_targets(model, batch, batch.graph.x(), {}).logits;
  }
  std::vector<int64_t> explained(parts);
  const auto predicted = logits0.argmax(1).to(torch::kLong).contiguous();
  for (int64_t t = 0; t < parts; ++t) {
    explained[t] = labels[t] >= 0 ? labels[t] : predicted.data_ptr<int64_t>()[t];
  }
  const auto classes = torch::tensor(explained, torch::kLong);
  Attribution a = attribute(model, batch, classes);
  report_progress(1, 1);
  auto explanations =
      split_explanations(batch, name(), logits0, explained, a.edge_scores, a.node_scores);
  a.options["mode"] = target_.mode() == ExplainMode::kModel ? "model" : "phenomenon";
  a.options["explained_class"] = std::to_string(target_.explained_class());
  a.options["batch_size"] = std::to_string(target_.batch_size());
  for (int64_t t = 0; t < parts; ++t) {
    auto& e = explanations[t];
    if (a.node_uncertainty.defined()) {
      const int64_t n0 = batch.node_offset[t].item<int64_t>();
      const int64_t n1 = batch.node_offset[t + 1].item<int64_t>();
      e.node_uncertainty = a.node_uncertainty.detach().slice(0, n0, n1).to(torch::kFloat).clone();
    }
    e.options = a.options;
  }
  return explanations;
}

}  // namespace gnnx::explainers
