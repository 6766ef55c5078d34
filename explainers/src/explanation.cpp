#include <gnnx/explainers/explanation.h>

namespace gnnx::explainers {
namespace {

torch::Tensor scatter(int64_t size, const torch::Tensor& ids, const torch::Tensor& values) {
  auto out = torch::zeros({size});
  if (values.defined() && values.numel() > 0) out.index_put_({ids}, values.to(torch::kFloat));
  return out;
}

}  // namespace

torch::Tensor Explanation::dense_edge_mask(int64_t num_edges) const {
  return scatter(num_edges, edge_ids, edge_mask);
}

torch::Tensor Explanation::dense_node_mask(int64_t num_nodes) const {
  return scatter(num_nodes, node_ids, node_mask);
}

}  // namespace gnnx::explainers
