// The gradient family's shared machinery.

#include "machinery.h"

#include <ATen/CPUGeneratorImpl.h>
#include <gnnx/gnn/error.h>
#include <torch/autograd.h>

#include <string>

namespace gnnx::explainers::detail {
namespace {

// splitmix64: decorrelates nearby (seed, target) pairs.
uint64_t mix(uint64_t z) {
  z += 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

void require_relu_rules(const gnn::GnnModel& model, const std::string& method) {
  const gnn::ModelDescription d = model.describe();
  if (!d.relu_rules && !d.fixed_attention) {
    throw InputError(method +
                     ": needs a gnnx NodeClassifier or GraphClassifier, or another model whose "
                     "description offers replaceable ReLU backward rules "
                     "(ModelDescription::relu_rules, or fixed_attention)");
  }
}

torch::Tensor class_score(const torch::Tensor& logits, const torch::Tensor& classes) {
  return logits.gather(1, classes.to(logits.device()).unsqueeze(1)).sum();
}

torch::Tensor ones_edge_mask(const TargetBatch& batch, const torch::Tensor& x) {
  return torch::ones({batch.graph.num_edges()}, x.options().requires_grad(false));
}

ClassChoice given(const torch::Tensor& classes) {
  return [&classes](const torch::Tensor&) { return classes; };
}

ClassChoice predicting(const std::vector<int64_t>& labels, TargetPrediction& prediction) {
  return [&labels, &prediction](const torch::Tensor& logits) {
    prediction.logits = logits.detach();
    prediction.classes = explained_classes(prediction.logits, labels);
    return torch::tensor(prediction.classes, torch::kLong);
  };
}

InputGradients input_gradients(gnn::GnnModel& model, const TargetBatch& batch,
                               const torch::Tensor& x, const torch::Tensor& edge_weight,
                               const torch::Tensor& classes, const gnn::ForwardHooks& hooks) {
  return input_gradients(model, batch, x, edge_weight, given(classes), hooks);
}

InputGradients input_gradients(gnn::GnnModel& model, const TargetBatch& batch,
                               const torch::Tensor& x, const torch::Tensor& edge_weight,
                               const ClassChoice& choose, const gnn::ForwardHooks& hooks) {
  auto xv = x.detach().requires_grad_(true);
  auto wv = (edge_weight.defined() ? edge_weight : ones_edge_mask(batch, x))
                .detach()
                .requires_grad_(true);
  const gnn::ModelOutput fwd = forward_targets(model, batch, xv, wv, hooks);
  const auto score = class_score(fwd.logits, choose(fwd.logits));
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
  const auto& attr = batch.graph.edge_attr();  // edge features (GINE, GAT) travel along
  b.graph = gnn::Graph(n, edge_index, batch.graph.x().index_select(0, out.node_origin), {},
                       attr.defined() ? attr.index_select(0, out.edge_origin) : torch::Tensor());
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
  const auto& attr = batch.graph.edge_attr();
  b.graph =
      gnn::Graph(batch.graph.num_nodes(), batch.graph.edge_index().index_select(1, out.edge_origin),
                 batch.graph.x(), {},
                 attr.defined() ? attr.index_select(0, out.edge_origin) : torch::Tensor());
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

TargetBatch stack_copies(const TargetBatch& batch, int64_t copies) {
  TORCH_CHECK(copies >= 1, "stack_copies: copies must be >= 1, got ", copies);
  const int64_t n = batch.graph.num_nodes();
  const int64_t e = batch.graph.num_edges();
  const int64_t t = batch.num_parts();
  // Copy c's ids shifted by c·count, for `ids` of one copy.
  const auto shifted = [copies](const torch::Tensor& ids, int64_t count) {
    std::vector<torch::Tensor> out;
    for (int64_t c = 0; c < copies; ++c) out.push_back(ids + c * count);
    return torch::cat(out, -1);
  };
  const auto repeated = [copies](const torch::Tensor& rows) {
    return torch::cat(std::vector<torch::Tensor>(copies, rows));
  };
  // Offsets [T+1] of every copy: the T starts of each copy, then the end.
  const auto offsets = [&](const torch::Tensor& o, int64_t count) {
    return torch::cat(
        {shifted(o.slice(0, 0, t), count), torch::full({1}, copies * count, torch::kLong)});
  };
  TargetBatch b;
  b.task = batch.task;
  const auto& attr = batch.graph.edge_attr();
  b.graph = gnn::Graph(copies * n, shifted(batch.graph.edge_index(), n), repeated(batch.graph.x()),
                       {}, attr.defined() ? repeated(attr) : torch::Tensor());
  for (int64_t c = 0; c < copies; ++c) {
    b.targets.insert(b.targets.end(), batch.targets.begin(), batch.targets.end());
  }
  b.part = shifted(batch.part, t);
  b.edge_part = shifted(batch.edge_part, t);
  b.node_offset = offsets(batch.node_offset, n);
  b.edge_offset = offsets(batch.edge_offset, e);
  if (batch.target_pos.defined()) b.target_pos = shifted(batch.target_pos, n);
  b.node_id = repeated(batch.node_id);
  b.edge_id = repeated(batch.edge_id);
  b.adj = gnn::GcnAdjacency(b.graph).with_normalisation(repeated(batch.adj.edge_norm()),
                                                        repeated(batch.adj.self_norm()));
  return b;
}

std::vector<at::Generator> part_generators(const TargetBatch& batch, uint64_t seed) {
  std::vector<at::Generator> out;
  out.reserve(batch.targets.size());
  for (int64_t target : batch.targets) {
    out.push_back(at::detail::createCPUGenerator(mix(mix(seed) ^ static_cast<uint64_t>(target))));
  }
  return out;
}

torch::Tensor to_double(const torch::Tensor& t) {
  return t.defined() ? t.detach().to(torch::kCPU, torch::kDouble) : t;
}

}  // namespace gnnx::explainers::detail
