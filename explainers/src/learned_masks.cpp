#include "learned_masks.h"

#include <gnnx/io/id_list.h>

#include <algorithm>

namespace gnnx::explainers::detail {

FitSet fit_set(const ExplainCall& call, const std::string& fit_targets,
               const std::vector<int64_t>& targets, const std::vector<int64_t>& classes,
               const std::function<std::vector<int64_t>(const std::vector<int64_t>&)>& resolve) {
  if (fit_targets.empty()) return {targets, classes};
  const bool node_task = call.task == gnn::Task::kNodeClassification;
  const int64_t count =
      node_task ? call.graph->num_nodes() : static_cast<int64_t>(call.graphs->size());
  FitSet out;
  out.ids = io::parse_id_list(fit_targets, count, "--fit-targets");
  out.classes = resolve(out.ids);
  return out;
}

torch::Tensor max_incident_edge_mask(const gnn::Graph& graph, const torch::Tensor& edge_mask) {
  auto out = torch::zeros({graph.num_nodes()});
  const auto ei = graph.edge_index().contiguous();
  const auto mask = edge_mask.to(torch::kFloat).contiguous();
  const int64_t e = graph.num_edges();
  const int64_t* src = ei.data_ptr<int64_t>();
  const int64_t* dst = src + e;
  const float* m = mask.data_ptr<float>();
  float* o = out.data_ptr<float>();
  for (int64_t k = 0; k < e; ++k) {
    o[src[k]] = std::max(o[src[k]], m[k]);
    o[dst[k]] = std::max(o[dst[k]], m[k]);
  }
  return out;
}

}  // namespace gnnx::explainers::detail
