#pragma once
// The CSR pattern of a GcnAdjacency in the form the CUDA kernels read (int32 columns, rows cut
// into segments of at most kSegmentChunk entries), in both orientations, on one device.
// Built once per graph and device and cached by GcnAdjacency::on_device.

#include "cuda/spmm_kernels.cuh"

#include <torch/types.h>

namespace gnnx::gnn::detail {

/// Entries per segment: rows longer than this (power-law hubs) are split so that one sub-warp
/// never walks 100k entries alone; shorter rows are one segment each.
constexpr int64_t kSegmentChunk = 256;

/// One orientation, tensors on the device (see cuda::SegmentedCsr for the fields).
struct CudaCsr {
  torch::Tensor rowptr, col, seg_row, seg_begin, seg_slot, split_row, split_slot_ptr;
  int64_t num_slots = 0;

  cuda::SegmentedCsr view() const;
  std::vector<torch::Tensor> to_list() const;  ///< for an autograd context's saved data
  static CudaCsr from_list(const std::vector<torch::Tensor>& list, int64_t num_slots);
};

/// rowptr [R+1] and col [nnz] int64 (any device) -> the segmented form on `device`.
/// Throws InputError when a column index does not fit int32.
CudaCsr segment_csr(const torch::Tensor& rowptr, const torch::Tensor& col, int64_t num_cols,
                    torch::Device device);

struct CudaPattern {
  CudaCsr forward;       ///< rows = outputs (CSR by target)
  CudaCsr transposed;    ///< rows = inputs (CSR by source)
  torch::Tensor perm_t;  ///< [nnz] int64: transposed entry -> forward entry
};

}  // namespace gnnx::gnn::detail
