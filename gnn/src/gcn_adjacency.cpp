#include <gnnx/gnn/error.h>
#include <gnnx/gnn/gcn_adjacency.h>

#include "autograd/spmm_function.h"

namespace gnnx::gnn {

GcnAdjacency::GcnAdjacency(const Graph& graph) : num_nodes_(graph.num_nodes()) {
  src_ = graph.edge_index()[0].contiguous();
  dst_ = graph.edge_index()[1].contiguous();
  csr_ = graph.csr();
  // The transpose groups edges by source; its perm must point into CSR entries, not edge ids.
  const Csr by_source = build_csr(src_, dst_, num_nodes_);
  auto csr_position = torch::empty_like(csr_.perm);
  csr_position.index_put_({csr_.perm}, torch::arange(csr_.perm.size(0), torch::kLong));
  csr_t_ = Csr{by_source.rowptr, by_source.col, csr_position.index_select(0, by_source.perm)};

  const auto deg = torch::ones({num_nodes_}, torch::kDouble)
                       .index_add(0, dst_, torch::ones({num_edges()}, torch::kDouble));
  const auto inv_sqrt = deg.pow(-0.5);
  edge_norm_ = inv_sqrt.index_select(0, src_) * inv_sqrt.index_select(0, dst_);
  self_norm_ = deg.reciprocal();
}

GcnAdjacency GcnAdjacency::with_normalisation(torch::Tensor edge_norm,
                                              torch::Tensor self_norm) const {
  if (edge_norm.dim() != 1 || edge_norm.size(0) != num_edges() || self_norm.dim() != 1 ||
      self_norm.size(0) != num_nodes_) {
    throw InputError("GcnAdjacency::with_normalisation: expected [" +
                     std::to_string(num_edges()) + "] and [" + std::to_string(num_nodes_) +
                     "] coefficients");
  }
  GcnAdjacency out = *this;
  out.edge_norm_ = edge_norm.to(torch::kDouble).contiguous();
  out.self_norm_ = self_norm.to(torch::kDouble).contiguous();
  return out;
}

torch::Tensor csr_spmm(const GcnAdjacency& adj, const torch::Tensor& values,
                       const torch::Tensor& diag, const torch::Tensor& x) {
  TORCH_CHECK(x.dim() == 2 && x.size(0) == adj.num_nodes(), "csr_spmm: x must be [",
              adj.num_nodes(), ", F], got ", x.sizes());
  TORCH_CHECK(values.dim() == 1 && values.size(0) == adj.num_edges(),
              "csr_spmm: values must be [", adj.num_edges(), "], got ", values.sizes());
  TORCH_CHECK(!diag.defined() || (diag.dim() == 1 && diag.size(0) == adj.num_nodes()),
              "csr_spmm: diag must be [", adj.num_nodes(), "], got ", diag.sizes());
  TORCH_CHECK(x.is_floating_point() && values.scalar_type() == x.scalar_type() &&
                  (!diag.defined() || diag.scalar_type() == x.scalar_type()),
              "csr_spmm: values, diag and x must share one floating dtype, got ",
              values.scalar_type(), " and ", x.scalar_type());
  TORCH_CHECK(x.device().is_cpu() && values.device().is_cpu(),
              "csr_spmm: tensors must be on the CPU (this build has no CUDA kernels)");
  const auto& csr = adj.csr();
  const auto& csr_t = adj.csr_t();
  const detail::SpmmPattern pattern{csr.rowptr, csr.col, csr_t.rowptr, csr_t.col, csr_t.perm};
  return detail::spmm_autograd(pattern, values, diag, x);
}

torch::Tensor gcn_propagate(const GcnAdjacency& adj, const torch::Tensor& x,
                            const torch::Tensor& edge_weight, EdgeWeightMode mode) {
  TORCH_CHECK(!edge_weight.defined() ||
                  (edge_weight.dim() == 1 && edge_weight.size(0) == adj.num_edges()),
              "gcn_propagate: edge_weight must be [", adj.num_edges(), "] (one per edge), got ",
              edge_weight.sizes());
  const auto dtype = x.scalar_type();
  const auto& perm = adj.csr().perm;
  torch::Tensor values, diag;
  if (!edge_weight.defined() || mode == EdgeWeightMode::kMask) {
    values = adj.edge_norm().to(dtype);
    if (edge_weight.defined()) values = values * edge_weight.to(dtype);
    diag = adj.self_norm().to(dtype);
  } else {
    const auto w = edge_weight.to(dtype);
    const auto deg = torch::ones({adj.num_nodes()}, x.options()).index_add(0, adj.dst(), w);
    const auto inv_sqrt = deg.pow(-0.5);
    values = inv_sqrt.index_select(0, adj.src()) * w * inv_sqrt.index_select(0, adj.dst());
    diag = deg.reciprocal();
  }
  return csr_spmm(adj, values.index_select(0, perm), diag, x);
}

}  // namespace gnnx::gnn
