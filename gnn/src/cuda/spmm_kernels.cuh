#pragma once
// CUDA kernels of the CSR sparse-dense product and its gradients: plain CUDA C++ over raw
// pointers (no LibTorch), so that nvcc compiles them on any machine with the toolkit.
//
// Work is split into segments: a segment is a run of at most `chunk` entries of one row. A row
// with more entries (a power-law hub) has several segments whose partial sums go to a scratch
// buffer (one slot per segment) and are added in slot order by a second kernel, so results do
// not depend on scheduling: no atomics anywhere, bit-identical on every run.
//
// Each segment is handled by a sub-warp of 4..32 lanes spread across the features, with
// vectorised loads (float4 / double2) when the width allows. Column indices are int32; every
// offset into a feature matrix is computed in 64 bits (N·F may exceed 2^31).

#include <cuda_runtime_api.h>

#include <cstdint>

namespace gnnx::gnn::cuda {

/// A CSR matrix cut into segments (see above), all pointers on the device.
struct SegmentedCsr {
  const int64_t* rowptr = nullptr;          ///< [rows + 1]
  const int32_t* col = nullptr;             ///< [nnz]
  const int32_t* seg_row = nullptr;         ///< [num_segments] row of each segment
  const int64_t* seg_begin = nullptr;       ///< [num_segments] first entry of each segment
  const int32_t* seg_slot = nullptr;        ///< [num_segments] scratch slot, -1: owns its whole row
  const int32_t* split_row = nullptr;       ///< [num_split] rows that have several segments
  const int64_t* split_slot_ptr = nullptr;  ///< [num_split + 1] their slots, in order
  int64_t rows = 0;
  int64_t num_segments = 0;
  int64_t num_split = 0;
  int64_t num_slots = 0;
  int64_t chunk = 0;  ///< entries per segment at most
};

/// out[i] = diag[i] * x[i] + sum_{k in row i} values[k] * x[col[k]]   (diag may be null).
/// x [C, width], out [rows, width] row-major; scratch [num_slots, width] (null if no slots).
/// tile_features > 0: one pass of the grid covers at most that many features (more passes
/// for wider matrices, each gathering narrower rows); 0 = as many as one warp covers.
template <typename T>
cudaError_t spmm(const SegmentedCsr& a, const T* values, const T* diag, const T* x, T* out,
                 T* scratch, int64_t width, cudaStream_t stream, int64_t tile_features = 0);

/// Backward of spmm over the transpose `at` (rows = the forward product's columns), fused:
///   grad_x[j]             = diag[j] * g[j] + sum_{k in row j of at} values[perm_t[k]] *
///   g[col_t[k]] grad_values[perm_t[k]] = <g[col_t[k]], x[j]>
/// values and grad_values are in the forward CSR's order; perm_t maps entries of the transpose
/// to entries of the forward CSR. grad_x or grad_values may be null (not wanted); diag may be
/// null. scratch as for spmm, over `at`.
template <typename T>
cudaError_t spmm_transposed_with_sddmm(const SegmentedCsr& at, const int64_t* perm_t,
                                       const T* values, const T* diag, const T* g, const T* x,
                                       T* grad_x, T* grad_values, T* scratch, int64_t width,
                                       cudaStream_t stream);

/// Number of CUDA devices this process can use: 0 when there is none or no driver.
int device_count();

}  // namespace gnnx::gnn::cuda
