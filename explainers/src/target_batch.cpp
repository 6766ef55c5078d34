#include <gnnx/explainers/target_batch.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/subgraph.h>
#include <gnnx/io/tensor_vector.h>

#include <string>

namespace gnnx::explainers {
namespace {

torch::Tensor part_vector(const torch::Tensor& offsets) {
  const int64_t parts = offsets.size(0) - 1;
  const auto counts = offsets.slice(0, 1) - offsets.slice(0, 0, parts);
  return torch::repeat_interleave(torch::arange(parts, torch::kLong), counts);
}

// The fields both kinds of batch share: the union of `parts` and the id maps back.
TargetBatch assemble(gnn::Task task, const std::vector<gnn::Graph>& parts,
                     const std::vector<torch::Tensor>& node_ids,
                     const std::vector<torch::Tensor>& edge_ids, std::vector<int64_t> targets) {
  const gnn::Batch union_graph = gnn::make_batch(parts);
  auto cat_or_empty = [](const std::vector<torch::Tensor>& ids) {
    return ids.empty() ? torch::zeros({0}, torch::kLong) : torch::cat(ids);
  };
  TargetBatch out;
  out.task = task;
  out.graph = union_graph.graph;
  out.targets = std::move(targets);
  out.node_offset = union_graph.node_offset;
  out.edge_offset = union_graph.edge_offset;
  out.part = union_graph.batch;
  out.edge_part = part_vector(union_graph.edge_offset);
  out.node_id = cat_or_empty(node_ids);
  out.edge_id = cat_or_empty(edge_ids);
  return out;
}

}  // namespace

TargetBatch make_node_batch(const gnn::Graph& graph, const gnn::GcnAdjacency& adj,
                            const std::vector<int64_t>& targets, int64_t num_hops) {
  std::vector<gnn::Graph> parts;
  std::vector<torch::Tensor> node_ids, edge_ids, positions;
  for (int64_t t : targets) {
    const auto sub = gnn::k_hop_subgraph(graph, torch::tensor({t}, torch::kLong), num_hops);
    parts.push_back(sub.graph);
    node_ids.push_back(sub.node_id);
    edge_ids.push_back(sub.edge_id);
    positions.push_back(sub.target);
  }
  TargetBatch out = assemble(gnn::Task::kNodeClassification, parts, node_ids, edge_ids, targets);
  out.target_pos = positions.empty() ? torch::zeros({0}, torch::kLong)
                                     : torch::cat(positions) + out.node_offset.slice(0, 0, -1);
  out.adj = gnn::GcnAdjacency(out.graph).with_normalisation(
      adj.edge_norm().index_select(0, out.edge_id), adj.self_norm().index_select(0, out.node_id));
  return out;
}

TargetBatch make_graph_batch(const std::vector<gnn::Graph>& graphs,
                             const std::vector<int64_t>& indices) {
  std::vector<gnn::Graph> parts;
  std::vector<torch::Tensor> node_ids, edge_ids;
  for (int64_t i : indices) {
    if (i < 0 || i >= static_cast<int64_t>(graphs.size())) {
      throw InputError("graph index " + std::to_string(i) + " is out of range [0, " +
                       std::to_string(graphs.size()) + ")");
    }
    parts.push_back(graphs[i]);
    node_ids.push_back(torch::arange(graphs[i].num_nodes(), torch::kLong));
    edge_ids.push_back(torch::arange(graphs[i].num_edges(), torch::kLong));
  }
  TargetBatch out = assemble(gnn::Task::kGraphClassification, parts, node_ids, edge_ids, indices);
  out.adj = gnn::GcnAdjacency(out.graph);
  return out;
}

gnn::ModelOutput forward_targets(gnn::GnnModel& model, const TargetBatch& batch,
                                 const torch::Tensor& x, const torch::Tensor& edge_weight,
                                 const gnn::ForwardHooks& hooks) {
  const torch::Device device = gnn::model_device(model);
  const auto there = [&](const torch::Tensor& t) { return t.defined() ? t.to(device) : t; };
  gnn::ModelInput input;
  input.x = there(x);
  input.adj = &batch.adj;
  input.edge_mask = there(edge_weight);
  if (batch.task == gnn::Task::kNodeClassification) {
    input.output_rows = there(batch.target_pos);
  } else {
    input.batch = there(batch.part);
    input.num_graphs = batch.num_parts();
  }
  if (device == x.device()) {
    gnn::ModelOutput out = model.run(input, hooks);
    out.logits = out.logits.to(x.device());
    return out;
  }
  // The hooks' tensors (BayesGrad's dropout masks, GraphMask's per-layer gates) are made with
  // x; the model reads them where it computes. The copies are differentiable.
  gnn::ForwardHooks moved = hooks;
  for (auto& mask : moved.dropout_masks) mask = there(mask);
  for (auto& layer : moved.layer_graphs) layer.edge_mask = there(layer.edge_mask);
  gnn::ModelOutput out = model.run(input, moved);
  out.logits = out.logits.to(x.device());
  return out;
}

torch::Tensor target_logits(gnn::GnnModel& model, const TargetBatch& batch, const torch::Tensor& x,
                            const torch::Tensor& edge_weight) {
  return forward_targets(model, batch, x, edge_weight).logits;
}

TargetPrediction predict_targets(gnn::GnnModel& model, const TargetBatch& batch,
                                 const std::vector<int64_t>& labels) {
  TargetPrediction out;
  {
    torch::NoGradGuard no_grad;
    out.logits = target_logits(model, batch, batch.graph.x());
  }
  out.classes = explained_classes(out.logits, labels);
  return out;
}

std::vector<int64_t> explained_classes(const torch::Tensor& logits,
                                       const std::vector<int64_t>& labels) {
  const auto predicted = io::to_vector<int64_t>(logits.detach().argmax(1));
  std::vector<int64_t> classes;
  classes.reserve(labels.size());
  for (size_t t = 0; t < labels.size(); ++t) {
    classes.push_back(labels[t] >= 0 ? labels[t] : predicted.at(t));
  }
  return classes;
}

std::vector<Explanation> split_explanations(const TargetBatch& batch, const std::string& method,
                                            const torch::Tensor& logits,
                                            const std::vector<int64_t>& explained_class,
                                            const torch::Tensor& edge_scores,
                                            const torch::Tensor& node_scores) {
  // An Explanation holds host tensors (the writers read them element by element): one copy of
  // each whole vector here, not one per target.
  const auto logits64 = logits.detach().to(torch::kCPU, torch::kDouble);
  const auto edges = edge_scores.defined() ? edge_scores.detach().to(torch::kCPU) : edge_scores;
  const auto nodes = node_scores.defined() ? node_scores.detach().to(torch::kCPU) : node_scores;
  const auto probs = torch::softmax(logits64, 1);
  const auto predicted = probs.argmax(1);
  std::vector<Explanation> out;
  for (int64_t t = 0; t < batch.num_parts(); ++t) {
    Explanation e;
    e.method = method;
    e.task = batch.task;
    e.target = batch.targets[t];
    e.predicted_class = predicted[t].item<int64_t>();
    e.explained_class = explained_class[t];
    e.probability = probs[t][e.explained_class].item<double>();
    e.logits = logits64[t].clone();
    const int64_t n0 = batch.node_offset[t].item<int64_t>();
    const int64_t n1 = batch.node_offset[t + 1].item<int64_t>();
    const int64_t e0 = batch.edge_offset[t].item<int64_t>();
    const int64_t e1 = batch.edge_offset[t + 1].item<int64_t>();
    e.node_ids = batch.node_id.slice(0, n0, n1).clone();
    e.edge_ids = batch.edge_id.slice(0, e0, e1).clone();
    if (nodes.defined()) e.node_mask = nodes.slice(0, n0, n1).to(torch::kFloat).clone();
    if (edges.defined()) e.edge_mask = edges.slice(0, e0, e1).to(torch::kFloat).clone();
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace gnnx::explainers
