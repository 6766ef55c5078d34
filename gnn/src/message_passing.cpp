#include "message_passing.h"

#include "device_adjacency.h"

#include <torch/types.h>

namespace gnnx::gnn::detail {

void check_node_features(const char* fn, const GcnAdjacency& adj, const torch::Tensor& x,
                         int64_t in_features) {
  TORCH_CHECK(x.defined() && x.dim() == 2 && x.size(1) == in_features, fn, ": x must be [N, ",
              in_features, "], got ", x.defined() ? x.sizes() : c10::IntArrayRef{});
  TORCH_CHECK(x.size(0) == adj.num_nodes(), fn, ": x has ", x.size(0),
              " rows but the adjacency has ", adj.num_nodes(), " nodes");
  TORCH_CHECK(x.is_floating_point(), fn, ": x must be floating point, got ", x.scalar_type());
}

void check_edge_mask(const char* fn, const GcnAdjacency& adj, const torch::Tensor& edge_mask,
                     const torch::Tensor& x) {
  if (!edge_mask.defined()) return;
  TORCH_CHECK(edge_mask.dim() == 1 && edge_mask.size(0) == adj.num_edges(), fn,
              ": edge_mask must be [", adj.num_edges(), "] (one per edge), got ",
              edge_mask.sizes());
  TORCH_CHECK(edge_mask.device() == x.device(), fn, ": edge_mask is on ", edge_mask.device(),
              " but x on ", x.device());
}

void check_edge_attr(const char* fn, const GcnAdjacency& adj, const torch::Tensor& edge_attr,
                     int64_t width, const torch::Tensor& x) {
  TORCH_CHECK(edge_attr.defined(), fn, ": needs edge_attr [", adj.num_edges(), ", ", width,
              "] (edge features), got none");
  TORCH_CHECK(
      edge_attr.dim() == 2 && edge_attr.size(0) == adj.num_edges() && edge_attr.size(1) == width,
      fn, ": edge_attr must be [", adj.num_edges(), ", ", width, "], got ", edge_attr.sizes());
  TORCH_CHECK(edge_attr.is_floating_point(), fn, ": edge_attr must be floating point, got ",
              edge_attr.scalar_type());
  TORCH_CHECK(edge_attr.device() == x.device(), fn, ": edge_attr is on ", edge_attr.device(),
              " but x on ", x.device());
}

torch::Tensor csr_values(const GcnAdjacency& adj, const torch::Tensor& per_edge,
                         const torch::Tensor& edge_mask, const torch::Tensor& x) {
  const auto dtype = x.scalar_type();
  torch::Tensor values;
  if (per_edge.defined()) values = per_edge.to(dtype);
  if (edge_mask.defined()) {
    values = values.defined() ? values * edge_mask.to(dtype) : edge_mask.to(dtype);
  }
  if (!values.defined()) return torch::ones({adj.num_edges()}, x.options());
  return values.index_select(0, adj.on_device(x.device()).csr_perm);
}

torch::Tensor in_degree(const GcnAdjacency& adj, const torch::Tensor& x) {
  const auto& rowptr = adj.csr().rowptr;
  const auto deg = rowptr.slice(0, 1) - rowptr.slice(0, 0, adj.num_nodes());
  return deg.to(x.options());
}

torch::Tensor sum_messages(const GcnAdjacency& adj, const torch::Tensor& messages) {
  const auto& dst = adj.on_device(messages.device()).dst;
  return torch::zeros({adj.num_nodes(), messages.size(1)}, messages.options())
      .index_add(0, dst, messages);
}

}  // namespace gnnx::gnn::detail
