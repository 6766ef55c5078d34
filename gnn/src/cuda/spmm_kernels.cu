// CUDA kernels of the CSR sparse-dense product (see spmm_kernels.cuh for the contract).

#include "cuda/spmm_kernels.cuh"

#include <cstdint>
#include <type_traits>

namespace gnnx::gnn::cuda {
namespace {

constexpr int kBlockThreads = 256;

// --- feature fragments: VEC consecutive features of one lane, loaded in one instruction -------

template <typename T, int VEC>
struct Frag {
  T v[VEC];
};

template <typename T, int VEC>
__device__ __forceinline__ Frag<T, VEC> zero_frag() {
  Frag<T, VEC> r;
#pragma unroll
  for (int i = 0; i < VEC; ++i) r.v[i] = T(0);
  return r;
}

template <typename T, int VEC>
__device__ __forceinline__ Frag<T, VEC> load(const T* p) {
  Frag<T, VEC> r;
  if constexpr (std::is_same_v<T, float> && VEC == 4) {
    const float4 q = __ldg(reinterpret_cast<const float4*>(p));
    r.v[0] = q.x, r.v[1] = q.y, r.v[2] = q.z, r.v[3] = q.w;
  } else if constexpr (std::is_same_v<T, double> && VEC == 2) {
    const double2 q = __ldg(reinterpret_cast<const double2*>(p));
    r.v[0] = q.x, r.v[1] = q.y;
  } else {
#pragma unroll
    for (int i = 0; i < VEC; ++i) r.v[i] = __ldg(p + i);
  }
  return r;
}

template <typename T, int VEC>
__device__ __forceinline__ void store(T* p, const Frag<T, VEC>& r) {
  if constexpr (std::is_same_v<T, float> && VEC == 4) {
    *reinterpret_cast<float4*>(p) = make_float4(r.v[0], r.v[1], r.v[2], r.v[3]);
  } else if constexpr (std::is_same_v<T, double> && VEC == 2) {
    *reinterpret_cast<double2*>(p) = make_double2(r.v[0], r.v[1]);
  } else {
#pragma unroll
    for (int i = 0; i < VEC; ++i) p[i] = r.v[i];
  }
}

template <typename T, int VEC>
__device__ __forceinline__ void add_scaled(Frag<T, VEC>& acc, T s, const Frag<T, VEC>& x) {
#pragma unroll
  for (int i = 0; i < VEC; ++i) acc.v[i] = fma(s, x.v[i], acc.v[i]);
}

template <typename T, int VEC>
__device__ __forceinline__ T dot(const Frag<T, VEC>& a, const Frag<T, VEC>& b) {
  T s = T(0);
#pragma unroll
  for (int i = 0; i < VEC; ++i) s = fma(a.v[i], b.v[i], s);
  return s;
}

// --- sub-warps ---------------------------------------------------------------------------------

/// The lanes of the calling thread's sub-warp of LANES threads, as a shuffle mask.
template <int LANES>
__device__ __forceinline__ unsigned sub_warp_mask() {
  if constexpr (LANES == 32) {
    return 0xffffffffu;
  } else {
    const unsigned first = (threadIdx.x % 32) / LANES * LANES;
    return ((1u << LANES) - 1u) << first;
  }
}

/// Sum over the sub-warp by a butterfly: every lane gets the same, fixed-order result.
template <int LANES, typename T>
__device__ __forceinline__ T sub_warp_sum(unsigned mask, T v) {
#pragma unroll
  for (int offset = LANES / 2; offset > 0; offset /= 2)
    v += __shfl_xor_sync(mask, v, offset, LANES);
  return v;
}

struct Segment {
  int32_t row;
  int64_t begin, end;
  int32_t slot;
};

__device__ __forceinline__ Segment segment_of(const SegmentedCsr& a, int64_t s) {
  Segment seg;
  seg.row = a.seg_row[s];
  seg.begin = a.seg_begin[s];
  const int64_t row_end = a.rowptr[seg.row + 1];
  seg.end = seg.begin + a.chunk < row_end ? seg.begin + a.chunk : row_end;
  seg.slot = a.seg_slot[s];
  return seg;
}

/// Writes a segment's sum: straight to the row (adding diag[row] * self[row]) when the segment
/// owns the row, else to its scratch slot for reduce_split_rows.
template <typename T, int VEC>
__device__ __forceinline__ void finish_segment(const Segment& seg, Frag<T, VEC> acc, const T* diag,
                                               const T* self, T* out, T* scratch, int64_t width,
                                               int64_t f) {
  if (seg.slot >= 0) {
    store(scratch + int64_t(seg.slot) * width + f, acc);
    return;
  }
  if (diag) add_scaled(acc, diag[seg.row], load<T, VEC>(self + int64_t(seg.row) * width + f));
  store(out + int64_t(seg.row) * width + f, acc);
}

// --- kernels -----------------------------------------------------------------------------------

/// out = diag ⊙ self + A x over segments. Lanes share the segment's column indices and values
/// by shuffles after one coalesced load per LANES entries; value_index (may be null) maps
/// entries to positions in `values` (the transpose reads the forward order). blockIdx.y picks a
/// tile of LANES * VEC features: blocks run in order of blockIdx.x first, so the blocks resident at
/// one time all gather the same tile, and the rows they gather stay in L2 longer.
template <typename T, int VEC, int LANES>
__global__ void __launch_bounds__(kBlockThreads)
    spmm_kernel(SegmentedCsr a, const T* values, const int64_t* value_index, const T* diag,
                const T* x, T* out, T* scratch, int64_t width) {
  const int64_t s = (int64_t(blockIdx.x) * blockDim.x + threadIdx.x) / LANES;
  if (s >= a.num_segments) return;
  const int lane = threadIdx.x % LANES;
  const unsigned mask = sub_warp_mask<LANES>();
  const Segment seg = segment_of(a, s);
  const int64_t f = int64_t(blockIdx.y) * LANES * VEC + lane * VEC;
  const bool active = f < width;
  Frag<T, VEC> acc = zero_frag<T, VEC>();
  for (int64_t base = seg.begin; base < seg.end; base += LANES) {
    const int64_t k = base + lane;
    const int32_t c = k < seg.end ? a.col[k] : 0;
    const T v = k < seg.end ? values[value_index ? value_index[k] : k] : T(0);
    const int n = seg.end - base < LANES ? int(seg.end - base) : LANES;
#pragma unroll 4
    for (int j = 0; j < n; ++j) {
      const int32_t cj = __shfl_sync(mask, c, j, LANES);
      const T vj = __shfl_sync(mask, v, j, LANES);
      if (active) add_scaled(acc, vj, load<T, VEC>(x + int64_t(cj) * width + f));
    }
  }
  if (active) finish_segment(seg, acc, diag, x, out, scratch, width, f);
}

/// Rows cut into several segments: out[row] = sum of the slots in order (+ diag ⊙ self).
template <typename T, int VEC, int LANES>
__global__ void __launch_bounds__(kBlockThreads)
    reduce_split_rows(SegmentedCsr a, const T* diag, const T* self, const T* scratch, T* out,
                      int64_t width) {
  const int64_t r = (int64_t(blockIdx.x) * blockDim.x + threadIdx.x) / LANES;
  if (r >= a.num_split) return;
  const int lane = threadIdx.x % LANES;
  const int64_t row = a.split_row[r];
  const int64_t first = a.split_slot_ptr[r], last = a.split_slot_ptr[r + 1];
  for (int64_t f = int64_t(lane) * VEC; f < width; f += LANES * VEC) {
    Frag<T, VEC> acc = zero_frag<T, VEC>();
    for (int64_t slot = first; slot < last; ++slot) {
      add_scaled(acc, T(1), load<T, VEC>(scratch + slot * width + f));
    }
    if (diag) add_scaled(acc, diag[row], load<T, VEC>(self + row * width + f));
    store(out + row * width + f, acc);
  }
}

/// Reduces LANES partial sums per lane (d[j]: this lane's share of entry j) so that lane j ends
/// with the whole sum of entry j: each halving step keeps one half of the entries and trades the
/// other with the partner lane, LANES - 1 shuffles for LANES entries (a butterfly per entry
/// would take LANES * log2(LANES)). Fixed order: deterministic.
/// Backward over the transpose in one pass (width <= LANES * VEC): each entry (j -> i) reads
/// g[i] once for both grad_x[j] += v * g[i] and grad_values = <g[i], x[j]>. The entry's value
/// and its gradient's slot are both at perm_t (forward CSR order): no permuted copy of values.
template <typename T, int VEC, int LANES>
__global__ void __launch_bounds__(kBlockThreads)
    spmm_t_sddmm_kernel(SegmentedCsr at, const int64_t* perm_t, const T* values, const T* diag,
                        const T* g, const T* x, T* grad_x, T* grad_values, T* scratch,
                        int64_t width) {
  const int64_t s = (int64_t(blockIdx.x) * blockDim.x + threadIdx.x) / LANES;
  if (s >= at.num_segments) return;
  const int lane = threadIdx.x % LANES;
  const unsigned mask = sub_warp_mask<LANES>();
  const Segment seg = segment_of(at, s);
  const int64_t f = int64_t(lane) * VEC;
  const bool active = f < width;
  const Frag<T, VEC> xj =
      active && grad_values ? load<T, VEC>(x + int64_t(seg.row) * width + f) : zero_frag<T, VEC>();
  Frag<T, VEC> acc = zero_frag<T, VEC>();
  for (int64_t base = seg.begin; base < seg.end; base += LANES) {
    const int64_t k = base + lane;
    const bool in = k < seg.end;
    const int32_t c = in ? at.col[k] : 0;
    const int64_t p = in ? perm_t[k] : 0;
    const T v = in && grad_x ? values[p] : T(0);
    const int n = seg.end - base < LANES ? int(seg.end - base) : LANES;
#pragma unroll 2
    for (int j = 0; j < n; ++j) {
      const int32_t cj = __shfl_sync(mask, c, j, LANES);
      const Frag<T, VEC> gi =
          active ? load<T, VEC>(g + int64_t(cj) * width + f) : zero_frag<T, VEC>();
      if (grad_x) add_scaled(acc, __shfl_sync(mask, v, j, LANES), gi);
      if (grad_values) {
        // A butterfly per entry; a transposing reduction (LANES - 1 shuffles per LANES
        // entries) measured slower on the H100: its register use halved the occupancy.
        const T d = sub_warp_sum<LANES>(mask, dot(gi, xj));
        const int64_t pj = __shfl_sync(mask, p, j, LANES);
        if (lane == 0) grad_values[pj] = d;
      }
    }
  }
  if (grad_x && active) finish_segment(seg, acc, diag, g, grad_x, scratch, width, f);
}

/// grad_values over the transpose for any width: the dot product loops over feature tiles.
template <typename T, int VEC, int LANES>
__global__ void __launch_bounds__(kBlockThreads)
    sddmm_t_kernel(SegmentedCsr at, const int64_t* perm_t, const T* g, const T* x, T* grad_values,
                   int64_t width) {
  const int64_t s = (int64_t(blockIdx.x) * blockDim.x + threadIdx.x) / LANES;
  if (s >= at.num_segments) return;
  const int lane = threadIdx.x % LANES;
  const unsigned mask = sub_warp_mask<LANES>();
  const Segment seg = segment_of(at, s);
  const T* xj = x + int64_t(seg.row) * width;
  for (int64_t k = seg.begin; k < seg.end; ++k) {
    const T* gi = g + int64_t(at.col[k]) * width;
    T d = T(0);
    for (int64_t f = int64_t(lane) * VEC; f < width; f += LANES * VEC) {
      d += dot(load<T, VEC>(gi + f), load<T, VEC>(xj + f));
    }
    d = sub_warp_sum<LANES>(mask, d);
    if (lane == 0) grad_values[perm_t[k]] = d;
  }
}

// --- the one launch helper -------------------------------------------------------------------

template <typename T, int VEC, int LANES>
struct Shape {
  using type = T;
  static constexpr int vec = VEC;
  static constexpr int lanes = LANES;
};

/// Feature fragments are as wide as a 16-byte load when every matrix is aligned for it and the
/// width is a multiple; lanes per row: the fewest power of two (4..32) covering the width.
template <typename T, int VEC, typename Body>
cudaError_t with_lanes(int64_t width, Body&& body) {
  const int64_t needed = (width + VEC - 1) / VEC;
  if (needed <= 4) return body(Shape<T, VEC, 4>{});
  if (needed <= 8) return body(Shape<T, VEC, 8>{});
  if (needed <= 16) return body(Shape<T, VEC, 16>{});
  return body(Shape<T, VEC, 32>{});
}

template <typename T>
bool aligned_for_vectors(std::initializer_list<const void*> pointers, int64_t width, int vec) {
  if (width % vec != 0) return false;
  for (const void* p : pointers) {
    if (p && reinterpret_cast<std::uintptr_t>(p) % (sizeof(T) * vec) != 0) return false;
  }
  return true;
}

/// tile_features > 0 caps the features one sub-warp covers (the rest go to more tiles).
template <typename T, typename Body>
cudaError_t with_shape(int64_t width, int64_t tile_features,
                       std::initializer_list<const void*> matrices, Body&& body) {
  constexpr int kVec = 16 / sizeof(T);
  const int64_t covered = tile_features > 0 && tile_features < width ? tile_features : width;
  if (aligned_for_vectors<T>(matrices, width, kVec)) return with_lanes<T, kVec>(covered, body);
  return with_lanes<T, 1>(covered, body);
}

/// Launches `kernel` with one sub-warp of `lanes` threads per item (grid x) and `tiles` feature
/// tiles (grid y), then reports launch errors.
template <typename Kernel, typename... Args>
cudaError_t launch_tiled(int64_t items, int lanes, int64_t tiles, cudaStream_t stream,
                         Kernel kernel, Args... args) {
  if (items <= 0 || tiles <= 0) return cudaSuccess;
  if (tiles > 65535) return cudaErrorInvalidConfiguration;
  const int64_t threads = items * lanes;
  const dim3 blocks(static_cast<unsigned>((threads + kBlockThreads - 1) / kBlockThreads),
                    static_cast<unsigned>(tiles));
  kernel<<<blocks, kBlockThreads, 0, stream>>>(args...);
  return cudaGetLastError();
}

template <typename Kernel, typename... Args>
cudaError_t launch(int64_t items, int lanes, cudaStream_t stream, Kernel kernel, Args... args) {
  return launch_tiled(items, lanes, 1, stream, kernel, args...);
}

int64_t tiles_of(int64_t width, int64_t tile) { return (width + tile - 1) / tile; }

}  // namespace

template <typename T>
cudaError_t spmm(const SegmentedCsr& a, const T* values, const T* diag, const T* x, T* out,
                 T* scratch, int64_t width, cudaStream_t stream, int64_t tile_features) {
  if (width <= 0 || a.rows == 0) return cudaSuccess;
  return with_shape<T>(width, tile_features, {x, out, scratch}, [&](auto shape) {
    using S = decltype(shape);
    cudaError_t e =
        launch_tiled(a.num_segments, S::lanes, tiles_of(width, S::lanes * S::vec), stream,
                     spmm_kernel<T, S::vec, S::lanes>, a, values,
                     static_cast<const int64_t*>(nullptr), diag, x, out, scratch, width);
    if (e != cudaSuccess) return e;
    return launch(a.num_split, S::lanes, stream, reduce_split_rows<T, S::vec, S::lanes>, a, diag, x,
                  static_cast<const T*>(scratch), out, width);
  });
}

template <typename T>
cudaError_t spmm_transposed_with_sddmm(const SegmentedCsr& at, const int64_t* perm_t,
                                       const T* values, const T* diag, const T* g, const T* x,
                                       T* grad_x, T* grad_values, T* scratch, int64_t width,
                                       cudaStream_t stream) {
  if (width <= 0 || at.rows == 0 || (!grad_x && !grad_values)) return cudaSuccess;
  return with_shape<T>(width, 0, {g, x, grad_x, scratch}, [&](auto shape) {
    using S = decltype(shape);
    cudaError_t e = cudaSuccess;
    if (width <= S::lanes * S::vec) {
      e = launch(at.num_segments, S::lanes, stream, spmm_t_sddmm_kernel<T, S::vec, S::lanes>, at,
                 perm_t, values, diag, g, x, grad_x, grad_values, scratch, width);
    } else {
      if (grad_x) {
        e = launch_tiled(at.num_segments, S::lanes, tiles_of(width, S::lanes * S::vec), stream,
                         spmm_kernel<T, S::vec, S::lanes>, at, values, perm_t, diag, g, grad_x,
                         scratch, width);
      }
      if (e == cudaSuccess && grad_values) {
        e = launch(at.num_segments, S::lanes, stream, sddmm_t_kernel<T, S::vec, S::lanes>, at,
                   perm_t, g, x, grad_values, width);
      }
    }
    if (e != cudaSuccess || !grad_x) return e;
    return launch(at.num_split, S::lanes, stream, reduce_split_rows<T, S::vec, S::lanes>, at, diag,
                  g, static_cast<const T*>(scratch), grad_x, width);
  });
}

int device_count() {
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    cudaGetLastError();  // clear the sticky "no driver" error
    return 0;
  }
  return n;
}

template cudaError_t spmm<float>(const SegmentedCsr&, const float*, const float*, const float*,
                                 float*, float*, int64_t, cudaStream_t, int64_t);
template cudaError_t spmm<double>(const SegmentedCsr&, const double*, const double*, const double*,
                                  double*, double*, int64_t, cudaStream_t, int64_t);
template cudaError_t spmm_transposed_with_sddmm<float>(const SegmentedCsr&, const int64_t*,
                                                       const float*, const float*, const float*,
                                                       const float*, float*, float*, float*,
                                                       int64_t, cudaStream_t);
template cudaError_t spmm_transposed_with_sddmm<double>(const SegmentedCsr&, const int64_t*,
                                                        const double*, const double*, const double*,
                                                        const double*, double*, double*, double*,
                                                        int64_t, cudaStream_t);

}  // namespace gnnx::gnn::cuda
