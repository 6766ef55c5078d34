#include <gnnx/gnn/error.h>
#include <gnnx/gnn/gcn_adjacency.h>

#include <utility>

#include "autograd/spmm_function.h"
#include "cuda/spmm_cuda.h"
#include "device_adjacency.h"

namespace gnnx::gnn {

GcnAdjacency::GcnAdjacency() : device_cache_(std::make_shared<detail::DeviceCache>()) {}

GcnAdjacency::GcnAdjacency(const Graph& graph)
    : num_nodes_(graph.num_nodes()), device_cache_(std::make_shared<detail::DeviceCache>()) {
  src_ = graph.edge_index()[0].contiguous();
  dst_ = graph.edge_index()[1].contiguous();
  edge_attr_ = graph.edge_attr();
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
    throw InputError("GcnAdjacency::with_normalisation: expected [" + std::to_string(num_edges()) +
                     "] and [" + std::to_string(num_nodes_) + "] coefficients");
  }
  GcnAdjacency out = *this;
  edge_norm = edge_norm.to(torch::kDouble).contiguous();
  self_norm = self_norm.to(torch::kDouble).contiguous();
  out.edge_norm_ = std::move(edge_norm);
  out.self_norm_ = std::move(self_norm);
  out.device_cache_ = std::make_shared<detail::DeviceCache>();  // the coefficients changed
  return out;
}

const detail::DeviceAdjacency& GcnAdjacency::on_device(torch::Device device) const {
  const std::lock_guard<std::mutex> lock(device_cache_->mutex);
  for (const auto& entry : device_cache_->entries) {
    if (entry->device == device) return *entry;
  }
  auto entry = std::make_shared<detail::DeviceAdjacency>();
  entry->device = device;
  entry->src = src_.to(device);
  entry->dst = dst_.to(device);
  entry->csr_perm = csr_.perm.to(device);
  if (edge_attr_.defined()) entry->edge_attr = edge_attr_.to(device);
  entry->edge_norm_csr = edge_norm_.index_select(0, csr_.perm).to(device);
  entry->self_norm = self_norm_.to(device);
  entry->edge_norm_csr_float = entry->edge_norm_csr.to(torch::kFloat);
  entry->self_norm_float = entry->self_norm.to(torch::kFloat);
  if (device.is_cuda()) entry->cuda = detail::make_cuda_pattern(*this, device);
  device_cache_->entries.push_back(entry);
  return *entry;
}

torch::Tensor csr_spmm(const GcnAdjacency& adj, const torch::Tensor& values,
                       const torch::Tensor& diag, const torch::Tensor& x) {
  TORCH_CHECK(x.dim() == 2 && x.size(0) == adj.num_nodes(), "csr_spmm: x must be [",
              adj.num_nodes(), ", F], got ", x.sizes());
  TORCH_CHECK(values.dim() == 1 && values.size(0) == adj.num_edges(), "csr_spmm: values must be [",
              adj.num_edges(), "], got ", values.sizes());
  TORCH_CHECK(!diag.defined() || (diag.dim() == 1 && diag.size(0) == adj.num_nodes()),
              "csr_spmm: diag must be [", adj.num_nodes(), "], got ", diag.sizes());
  TORCH_CHECK(x.is_floating_point() && values.scalar_type() == x.scalar_type() &&
                  (!diag.defined() || diag.scalar_type() == x.scalar_type()),
              "csr_spmm: values, diag and x must share one floating dtype, got ",
              values.scalar_type(), " and ", x.scalar_type());
  TORCH_CHECK(values.device() == x.device() && (!diag.defined() || diag.device() == x.device()),
              "csr_spmm: values, diag and x must be on one device, got ", values.device(), " and ",
              x.device());
  if (x.is_cuda())
    return detail::spmm_autograd_cuda(adj.on_device(x.device()).cuda, values, diag, x);
  TORCH_CHECK(x.is_cpu(), "csr_spmm: unsupported device ", x.device());
  const auto& csr = adj.csr();
  const auto& csr_t = adj.csr_t();
  const detail::SpmmPattern pattern{csr.rowptr, csr.col, csr_t.rowptr, csr_t.col, csr_t.perm};
  return detail::spmm_autograd(pattern, values, diag, x);
}

torch::Tensor gcn_propagate(const GcnAdjacency& adj, const torch::Tensor& x,
                            const torch::Tensor& edge_weight, EdgeWeightMode mode) {
  TORCH_CHECK(
      !edge_weight.defined() || (edge_weight.dim() == 1 && edge_weight.size(0) == adj.num_edges()),
      "gcn_propagate: edge_weight must be [", adj.num_edges(), "] (one per edge), got ",
      edge_weight.sizes());
  TORCH_CHECK(!edge_weight.defined() || edge_weight.device() == x.device(),
              "gcn_propagate: edge_weight is on ", edge_weight.device(), " but x on ", x.device());
  const auto dtype = x.scalar_type();
  const auto& on = adj.on_device(x.device());
  torch::Tensor values, diag;
  if (!edge_weight.defined() || mode == EdgeWeightMode::kMask) {
    values = on.edge_norm_as(dtype).to(dtype);  // a no-op for float and double
    if (edge_weight.defined()) values = values * edge_weight.to(dtype).index_select(0, on.csr_perm);
    diag = on.self_norm_as(dtype).to(dtype);
    return csr_spmm(adj, values, diag, x);
  }
  const auto w = edge_weight.to(dtype);
  torch::Tensor deg;
  if (x.is_cpu()) {
    // index_add on the CPU adds in edge order: deterministic.
    deg = torch::ones({adj.num_nodes()}, x.options()).index_add(0, on.dst, w);
  } else {
    // index_add on CUDA adds with atomics in no fixed order; the weighted in-degree is the
    // product of the weighted adjacency with a column of ones, which our kernel sums in order.
    const auto ones = torch::ones({adj.num_nodes(), 1}, x.options());
    deg = csr_spmm(adj, w.index_select(0, on.csr_perm), {}, ones).squeeze(1) + 1;
  }
  const auto inv_sqrt = deg.pow(-0.5);
  values = inv_sqrt.index_select(0, on.src) * w * inv_sqrt.index_select(0, on.dst);
  diag = deg.reciprocal();
  return csr_spmm(adj, values.index_select(0, on.csr_perm), diag, x);
}

}  // namespace gnnx::gnn
