#pragma once
// The per-device tensors of a GcnAdjacency (see GcnAdjacency::on_device).

#include <gnnx/gnn/gcn_adjacency.h>

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace gnnx::gnn::detail {

struct CudaPattern;

struct DeviceAdjacency {
  torch::Device device{torch::kCPU};
  torch::Tensor src, dst;       ///< [E] int64, edge order
  torch::Tensor csr_perm;       ///< [E] int64: CSR entry -> edge id
  torch::Tensor edge_attr;      ///< [E, D] the graph's edge features, or undefined
  torch::Tensor edge_norm_csr;  ///< [E] float64, CSR order
  torch::Tensor self_norm;      ///< [N] float64
  /// The same two in float32, so that a float layer call launches no conversion.
  torch::Tensor edge_norm_csr_float, self_norm_float;

  const torch::Tensor& edge_norm_as(torch::ScalarType type) const {
    return type == torch::kFloat ? edge_norm_csr_float : edge_norm_csr;
  }
  const torch::Tensor& self_norm_as(torch::ScalarType type) const {
    return type == torch::kFloat ? self_norm_float : self_norm;
  }
  std::shared_ptr<const CudaPattern> cuda;  ///< null on the CPU
};

struct DeviceCache {
  std::mutex mutex;
  std::vector<std::shared_ptr<const DeviceAdjacency>> entries;
};

/// Builds the CUDA pattern of `adj` on `device` (cuda/cuda_pattern.cpp; throws InputError in a
/// build without CUDA).
std::shared_ptr<const CudaPattern> make_cuda_pattern(const GcnAdjacency& adj, torch::Device device);

}  // namespace gnnx::gnn::detail
