#include "cuda/cuda_pattern.h"

#include "device_adjacency.h"

#include <gnnx/gnn/error.h>

#include <algorithm>
#include <limits>

namespace gnnx::gnn::detail {
namespace {

template <typename T>
const T* ptr(const torch::Tensor& t) {
  return t.numel() > 0 ? t.data_ptr<T>() : nullptr;
}

torch::Tensor with_leading_zero(const torch::Tensor& counts) {
  return torch::cat({torch::zeros({1}, counts.options()), counts.cumsum(0)});
}

}  // namespace

cuda::SegmentedCsr CudaCsr::view() const {
  cuda::SegmentedCsr v;
  v.rowptr = ptr<int64_t>(rowptr);
  v.col = ptr<int32_t>(col);
  v.seg_row = ptr<int32_t>(seg_row);
  v.seg_begin = ptr<int64_t>(seg_begin);
  v.seg_slot = ptr<int32_t>(seg_slot);
  v.split_row = ptr<int32_t>(split_row);
  v.split_slot_ptr = ptr<int64_t>(split_slot_ptr);
  v.rows = rowptr.size(0) - 1;
  v.num_segments = seg_row.size(0);
  v.num_split = split_row.size(0);
  v.num_slots = num_slots;
  v.chunk = kSegmentChunk;
  return v;
}

std::vector<torch::Tensor> CudaCsr::to_list() const {
  return {rowptr, col, seg_row, seg_begin, seg_slot, split_row, split_slot_ptr};
}

CudaCsr CudaCsr::from_list(const std::vector<torch::Tensor>& list, int64_t num_slots) {
  TORCH_INTERNAL_ASSERT(list.size() == 7, "CudaCsr::from_list: expected 7 tensors");
  return CudaCsr{list[0], list[1], list[2], list[3], list[4], list[5], list[6], num_slots};
}

CudaCsr segment_csr(const torch::Tensor& rowptr_in, const torch::Tensor& col_in, int64_t num_cols,
                    torch::Device device) {
  constexpr int64_t kMaxInt32 = std::numeric_limits<int32_t>::max();
  const auto rowptr = rowptr_in.to(torch::kCPU, torch::kLong).contiguous();
  const int64_t rows = rowptr.size(0) - 1;
  if (rows > kMaxInt32 || num_cols > kMaxInt32) {
    throw InputError("CUDA kernels index nodes with int32: " +
                     std::to_string(std::max(rows, num_cols)) + " nodes is too many");
  }
  const auto lengths = rowptr.slice(0, 1) - rowptr.slice(0, 0, rows);
  // Every row has at least one segment: an empty row still writes its output (diag term or 0).
  const auto segments_per_row =
      torch::div(lengths + (kSegmentChunk - 1), kSegmentChunk, "floor").clamp_min(1);
  const auto seg_ptr = with_leading_zero(segments_per_row);
  const int64_t num_segments = seg_ptr[rows].item<int64_t>();
  const auto seg_row = torch::repeat_interleave(torch::arange(rows, torch::kLong), segments_per_row,
                                                /*dim=*/0, /*output_size=*/num_segments);
  const auto index_in_row =
      torch::arange(num_segments, torch::kLong) - seg_ptr.index_select(0, seg_row);
  const auto seg_begin = rowptr.index_select(0, seg_row) + index_in_row * kSegmentChunk;

  const auto is_split = segments_per_row > 1;
  const auto split_row = is_split.nonzero().flatten();
  const auto split_slot_ptr = with_leading_zero(segments_per_row.index_select(0, split_row));
  auto first_slot = torch::full({rows}, -1, torch::kLong);
  first_slot.index_put_({split_row}, split_slot_ptr.slice(0, 0, split_row.size(0)));
  const auto seg_first_slot = first_slot.index_select(0, seg_row);
  const auto seg_slot = torch::where(seg_first_slot >= 0, seg_first_slot + index_in_row,
                                     torch::full_like(seg_first_slot, -1));

  const auto on = [&](const torch::Tensor& t, torch::ScalarType type) {
    return t.to(device, type).contiguous();
  };
  CudaCsr out;
  out.rowptr = on(rowptr, torch::kLong);
  out.col = on(col_in, torch::kInt);
  out.seg_row = on(seg_row, torch::kInt);
  out.seg_begin = on(seg_begin, torch::kLong);
  out.seg_slot = on(seg_slot, torch::kInt);
  out.split_row = on(split_row, torch::kInt);
  out.split_slot_ptr = on(split_slot_ptr, torch::kLong);
  out.num_slots = split_slot_ptr[split_row.size(0)].item<int64_t>();
  return out;
}

}  // namespace gnnx::gnn::detail

namespace gnnx::gnn::detail {

std::shared_ptr<const CudaPattern> make_cuda_pattern(const GcnAdjacency& adj,
                                                     torch::Device device) {
  auto pattern = std::make_shared<CudaPattern>();
  pattern->forward = segment_csr(adj.csr().rowptr, adj.csr().col, adj.num_nodes(), device);
  pattern->transposed = segment_csr(adj.csr_t().rowptr, adj.csr_t().col, adj.num_nodes(), device);
  pattern->perm_t = adj.csr_t().perm.to(device, torch::kLong).contiguous();
  return pattern;
}

}  // namespace gnnx::gnn::detail
