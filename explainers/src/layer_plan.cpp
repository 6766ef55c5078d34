#include <gnnx/explainers/layer_plan.h>
#include <gnnx/gnn/error.h>

#include <torch/types.h>

#include <deque>
#include <vector>

namespace gnnx::explainers {
namespace {

// Hops from every union node to its own part's target along message direction (src -> dst):
// a breadth-first search backwards over in-edges from all targets at once (the parts are
// disjoint, so each node is reached from its own target only). -1 for a node no path joins.
std::vector<int64_t> hops_to_target(const TargetBatch& batch) {
  const auto& csr = batch.adj.csr();  // by target: row = dst, col = src
  const int64_t* rowptr = csr.rowptr.data_ptr<int64_t>();
  const int64_t* col = csr.col.data_ptr<int64_t>();
  std::vector<int64_t> hops(batch.graph.num_nodes(), -1);
  std::deque<int64_t> queue;
  const auto targets = batch.target_pos.contiguous();
  for (int64_t t = 0; t < targets.numel(); ++t) {
    const int64_t v = targets.data_ptr<int64_t>()[t];
    hops[v] = 0;
    queue.push_back(v);
  }
  while (!queue.empty()) {
    const int64_t v = queue.front();
    queue.pop_front();
    for (int64_t k = rowptr[v]; k < rowptr[v + 1]; ++k) {
      if (hops[col[k]] < 0) {
        hops[col[k]] = hops[v] + 1;
        queue.push_back(col[k]);
      }
    }
  }
  return hops;
}

}  // namespace

LayerPlan::LayerPlan(gnn::GnnModel& model, const TargetBatch& batch)
    : model_(&model), num_targets_(batch.num_parts()) {
  const gnn::ModelDescription description = model.describe();
  if (batch.task != gnn::Task::kNodeClassification ||
      description.task != gnn::Task::kNodeClassification || !description.layer_graphs) {
    throw InputError("LayerPlan: needs a node batch and a node classifier that takes layer graphs");
  }
  const int64_t layers = description.num_layers();
  const std::vector<int64_t> hops = hops_to_target(batch);
  const int64_t n = static_cast<int64_t>(hops.size());
  // Rows sorted by hop count (nodes no path joins, and any beyond `layers` hops, last), stably,
  // so the order within one hop count is (part, position) and the targets are rows 0..T-1.
  auto rank_of = [&](int64_t v) { return hops[v] < 0 || hops[v] > layers ? layers + 1 : hops[v]; };
  std::vector<int64_t> within(layers + 2, 0);  // within[k]: rows with rank <= k
  for (int64_t v = 0; v < n; ++v) ++within[rank_of(v)];
  for (int64_t k = 1; k < layers + 2; ++k) within[k] += within[k - 1];
  std::vector<int64_t> order(n), row_of(n), next(layers + 2, 0);
  for (int64_t k = 1; k < layers + 2; ++k) next[k] = within[k - 1];
  for (int64_t v = 0; v < n; ++v) {
    row_of[v] = next[rank_of(v)]++;
    order[row_of[v]] = v;
  }
  order_ = torch::tensor(order, torch::kLong);

  const auto& src = batch.adj.src();
  const auto& dst = batch.adj.dst();
  const int64_t* s = src.data_ptr<int64_t>();
  const int64_t* d = dst.data_ptr<int64_t>();
  // Layer l+1 of L reads the edges into rows within L-l-1 hops: the used edges sorted stably by
  // the hop rank of their end point make every layer's edges a prefix, and keep the edges of one
  // end point in union order, so each CSR row sums in the same order as the full pass.
  std::vector<int64_t> used;
  for (int64_t rank = 0; rank < layers; ++rank) {
    for (int64_t e = 0; e < src.numel(); ++e) {
      if (rank_of(d[e]) == rank) used.push_back(e);
    }
  }
  used_edges_ = torch::tensor(used, torch::kLong);
  std::vector<int64_t> used_src(used.size()), used_dst(used.size());
  for (size_t k = 0; k < used.size(); ++k) {
    used_src[k] = row_of[s[used[k]]];
    used_dst[k] = row_of[d[used[k]]];
  }
  const auto edge_norm = batch.adj.edge_norm().index_select(0, used_edges_);
  const auto self_norm = batch.adj.self_norm().index_select(0, order_);
  for (int64_t l = 0; l < layers; ++l) {
    const int64_t out_hops = layers - l - 1;
    const int64_t in_rows = within[out_hops + 1];
    int64_t count = 0;
    while (count < static_cast<int64_t>(used.size()) && rank_of(d[used[count]]) <= out_hops)
      ++count;
    const auto edge_index = torch::stack(
        {torch::tensor(std::vector<int64_t>(used_src.begin(), used_src.begin() + count),
                       torch::kLong),
         torch::tensor(std::vector<int64_t>(used_dst.begin(), used_dst.begin() + count),
                       torch::kLong)});
    // Edge features (GINE, GAT with edge_dim) travel with their edges.
    const auto& attr = batch.adj.edge_attr();
    const gnn::Graph layer_graph(
        in_rows, edge_index, torch::Tensor(), torch::Tensor(),
        attr.defined() ? attr.index_select(0, used_edges_.slice(0, 0, count)) : torch::Tensor());
    layer_adj_.push_back(
        gnn::GcnAdjacency(layer_graph)
            .with_normalisation(edge_norm.slice(0, 0, count), self_norm.slice(0, 0, in_rows)));
    layer_edges_.push_back(count);
    layer_rows_.push_back(within[out_hops]);
  }
}

torch::Tensor LayerPlan::target_logits(const torch::Tensor& x,
                                       const torch::Tensor& edge_weight) const {
  return target_logits_of_used(
      x, edge_weight.defined() ? edge_weight.index_select(0, used_edges_) : torch::Tensor());
}

torch::Tensor LayerPlan::target_logits_of_used(const torch::Tensor& x,
                                               const torch::Tensor& used_weight) const {
  return target_logits_per_layer(x, std::vector<torch::Tensor>(layer_adj_.size(), used_weight));
}

torch::Tensor LayerPlan::target_logits_per_layer(
    const torch::Tensor& x, const std::vector<torch::Tensor>& used_weights) const {
  // Dropout would make the rows depend on the pass; explainers run the model in eval mode.
  TORCH_CHECK(!model_->is_training() || model_->spec().dropout == 0,
              "LayerPlan: the model must be in eval mode");
  TORCH_CHECK(used_weights.size() == layer_adj_.size(), "LayerPlan: ", used_weights.size(),
              " layer weights for ", layer_adj_.size(), " layers");
  // A model on a GPU computes there; the copies are differentiable, so the mask (with x's
  // device) gets its gradient, and the logits come back to x's device.
  const torch::Device device = gnn::model_device(*model_);
  gnn::ForwardHooks hooks;
  for (size_t l = 0; l < layer_adj_.size(); ++l) {
    const torch::Tensor& weight = used_weights[l];
    TORCH_CHECK(!weight.defined() || (weight.dim() == 1 && weight.size(0) == used_edges_.size(0)),
                "LayerPlan: the used edges' weights must be [", used_edges_.size(0), "]");
    gnn::LayerGraph layer;
    layer.adj = &layer_adj_[l];
    layer.edge_mask =
        weight.defined() ? weight.to(device).slice(0, 0, layer_edges_[l]) : torch::Tensor();
    layer.rows = layer_rows_[l];
    hooks.layer_graphs.push_back(std::move(layer));
  }
  gnn::ModelInput input;
  input.x = x.index_select(0, order_.slice(0, 0, layer_adj_.front().num_nodes())).to(device);
  input.output_rows = torch::arange(num_targets_, torch::dtype(torch::kLong).device(device));
  return model_->run(input, hooks).logits.to(x.device());
}

}  // namespace gnnx::explainers
