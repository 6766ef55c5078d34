// The target loop every explainer shares (Explainer in explainer.h).

#include <gnnx/explainers/explainer.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/subgraph.h>
#include <gnnx/gnn/threads.h>
#include <gnnx/io/tensor_vector.h>

#include <torch/types.h>

#include <algorithm>
#include <string>

namespace gnnx::explainers {
namespace {

constexpr int64_t kProgressScale = 1000;  // progress units per chunk

void require_task(const gnn::GnnModel& model, gnn::Task task, const std::string& method,
                  const char* what) {
  if (model.spec().task != task) {
    throw InputError(method + ": " + what + " needs a " + gnn::to_string(task) +
                     "-classification model, got a " + gnn::to_string(model.spec().task) +
                     "-classification model");
  }
}

void require_class_in_range(int64_t explained_class, const gnn::GnnModel& model,
                            const std::string& method) {
  if (explained_class >= model.spec().num_classes) {
    throw InputError(method + ": explained class " + std::to_string(explained_class) +
                     " is out of range for a model with " +
                     std::to_string(model.spec().num_classes) + " classes");
  }
}

}  // namespace

TargetOptions TargetOptions::from(const MethodOptions& options) {
  TargetOptions out;
  out.mode(options.mode).explained_class(options.explained_class);
  out.batch_size(options.batch_size).progress(options.progress);
  return out;
}

TargetBatch ExplainCall::make_batch(const std::vector<int64_t>& targets) const {
  if (task == gnn::Task::kNodeClassification) {
    return make_node_batch(*graph, *adj, targets, model->spec().num_layers);
  }
  return make_graph_batch(*graphs, targets);
}

Explainer::Explainer(TargetOptions target) : target_(std::move(target)) {}

std::vector<Explanation> Explainer::explain_nodes(gnn::GnnModel& model, const gnn::Graph& graph,
                                                  const torch::Tensor& nodes) const {
  return explain_nodes(model, graph, io::to_vector<int64_t>(nodes));
}

std::vector<Explanation> Explainer::explain_nodes(gnn::GnnModel& model, const gnn::Graph& graph,
                                                  const std::vector<int64_t>& nodes) const {
  const std::string method = name();
  require_task(model, gnn::Task::kNodeClassification, method, "explaining nodes");
  check_model(model);
  gnn::check_ids(nodes, graph.num_nodes(), method + ": node");
  require_class_in_range(target_.explained_class(), model, method);
  ScopedEvalMode eval(model);
  const gnn::GcnAdjacency adj(graph);
  ExplainCall call;
  call.model = &model;
  call.task = gnn::Task::kNodeClassification;
  call.graph = &graph;
  call.adj = &adj;
  const std::vector<int64_t> classes = resolve_classes(call, nodes);
  if (needs_node_predictions()) {
    torch::NoGradGuard no_grad;
    // The model computes where its weights are; the predictions come back to the host.
    call.node_predictions =
        model.logits(graph.x().to(gnn::model_device(model)), adj).argmax(1).cpu();
  }
  return explain_targets(call, nodes, classes);
}

std::vector<Explanation> Explainer::explain_graphs(gnn::GnnModel& model,
                                                   const std::vector<gnn::Graph>& graphs) const {
  std::vector<int64_t> indices(graphs.size());
  for (size_t i = 0; i < graphs.size(); ++i) indices[i] = static_cast<int64_t>(i);
  return explain_graphs(model, graphs, indices);
}

std::vector<Explanation> Explainer::explain_graphs(gnn::GnnModel& model,
                                                   const std::vector<gnn::Graph>& graphs,
                                                   const std::vector<int64_t>& indices) const {
  const std::string method = name();
  require_task(model, gnn::Task::kGraphClassification, method, "explaining graphs");
  check_model(model);
  require_class_in_range(target_.explained_class(), model, method);
  ScopedEvalMode eval(model);
  ExplainCall call;
  call.model = &model;
  call.task = gnn::Task::kGraphClassification;
  call.graphs = &graphs;
  return explain_targets(call, indices, resolve_classes(call, indices));
}

std::vector<int64_t> Explainer::resolve_classes(const ExplainCall& call,
                                                const std::vector<int64_t>& targets) const {
  const std::string method = name();
  const bool node_task = call.task == gnn::Task::kNodeClassification;
  const int64_t count =
      node_task ? call.graph->num_nodes() : static_cast<int64_t>(call.graphs->size());
  gnn::check_ids(targets, count, method + (node_task ? ": node" : ": graph"));
  std::vector<int64_t> classes(targets.size(), target_.explained_class());
  if (target_.explained_class() >= 0 || target_.mode() != ExplainMode::kPhenomenon) return classes;
  if (node_task) {
    const auto& y = call.graph->y();
    if (!y.defined() || y.numel() != call.graph->num_nodes()) {
      throw InputError(method + ": phenomenon mode needs node labels");
    }
    const auto labels = y.to(torch::kLong).contiguous();
    for (size_t i = 0; i < targets.size(); ++i) classes[i] = labels.data_ptr<int64_t>()[targets[i]];
    return classes;
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    const auto& y = (*call.graphs)[targets[i]].y();
    if (!y.defined() || y.numel() != 1) {
      throw InputError(method + ": phenomenon mode needs a label on graph " +
                       std::to_string(targets[i]));
    }
    classes[i] = y.to(torch::kLong).item<int64_t>();
  }
  return classes;
}

std::vector<Explanation> Explainer::explain_targets(ExplainCall call,
                                                    const std::vector<int64_t>& targets,
                                                    const std::vector<int64_t>& classes) const {
  if (target_.batch_size() < 0) {
    throw InputError(name() + ": batch size must be >= 0, got " +
                     std::to_string(target_.batch_size()));
  }
  call.fitted = fit(call, targets, classes);
  const size_t chunk = target_.batch_size() > 0 ? static_cast<size_t>(target_.batch_size())
                                                : std::max<size_t>(targets.size(), 1);
  const int64_t chunks = static_cast<int64_t>((targets.size() + chunk - 1) / chunk);
  std::vector<Explanation> out;
  int64_t index = 0;
  for (size_t begin = 0; begin < targets.size(); begin += chunk, ++index) {
    const size_t end = std::min(targets.size(), begin + chunk);
    // Progress in fixed units per chunk, so the total is known before any work.
    const ChunkProgress progress = [&, index](int64_t done, int64_t total) {
      if (!target_.progress() || total <= 0) return;
      const int64_t within = std::min<int64_t>(done, total) * kProgressScale / total;
      target_.progress()(index * kProgressScale + within, chunks * kProgressScale);
    };
    auto explanations = explain_chunk(
        call, std::vector<int64_t>(targets.begin() + begin, targets.begin() + end),
        std::vector<int64_t>(classes.begin() + begin, classes.begin() + end), progress);
    progress(1, 1);
    for (auto& e : explanations) out.push_back(std::move(e));
  }
  return out;
}

std::vector<Explanation> Explainer::explain_chunk(const ExplainCall& call,
                                                  const std::vector<int64_t>& targets,
                                                  const std::vector<int64_t>& classes,
                                                  const ChunkProgress& progress) const {
  return explain_batch(call, call.make_batch(targets), classes, progress);
}

ScopedEvalMode::ScopedEvalMode(gnn::GnnModel& model)
    : model_(model), was_training_(model.is_training()) {
  model_.eval();
}

ScopedEvalMode::~ScopedEvalMode() { model_.train(was_training_); }

std::vector<Explanation> Explainer::explain_in_thread_groups(const ExplainCall& call,
                                                             const std::vector<int64_t>& targets,
                                                             const std::vector<int64_t>& classes,
                                                             const ChunkProgress& progress) const {
  const int64_t count = static_cast<int64_t>(targets.size());
  const int64_t threads = gnn::model_device(*call.model).is_cpu() ? gnn::worker_threads() : 1;
  const int64_t groups = std::max<int64_t>(1, std::min<int64_t>(threads, count));
  const ChunkProgress silent = [](int64_t, int64_t) {};
  std::vector<std::vector<Explanation>> results(groups);
  gnn::run_in_threads(groups, [&](int64_t g) {
    std::vector<int64_t> part, part_classes;
    for (int64_t i = g; i < count; i += groups) {
      part.push_back(targets[i]);
      part_classes.push_back(classes[i]);
    }
    results[g] =
        explain_batch(call, call.make_batch(part), part_classes, g == 0 ? progress : silent);
  });
  std::vector<Explanation> out;
  for (int64_t i = 0; i < count; ++i) out.push_back(std::move(results[i % groups][i / groups]));
  return out;
}

}  // namespace gnnx::explainers
