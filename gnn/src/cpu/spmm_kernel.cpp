#include "cpu/spmm_kernel.h"

#include "cpu/simd.h"
#include "optional_ptr.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <vector>

namespace gnnx::gnn::detail {
namespace {

std::vector<int64_t> balanced_row_chunks(const int64_t* rowptr, int64_t num_rows,
                                         int64_t num_chunks) {
  const int64_t total = rowptr[num_rows] + num_rows;
  std::vector<int64_t> bounds{0};
  for (int64_t c = 1; c < num_chunks; ++c) {
    const int64_t goal = total * c / num_chunks;
    int64_t lo = bounds.back(), hi = num_rows;  // first row r with rowptr[r] + r >= goal
    while (lo < hi) {
      const int64_t mid = (lo + hi) / 2;
      if (rowptr[mid] + mid < goal)
        lo = mid + 1;
      else
        hi = mid;
    }
    bounds.push_back(lo);
  }
  bounds.push_back(num_rows);
  return bounds;
}

// kWidth > 0: the row width known at compile time, so a row's sums stay in registers across its
// entries (GCN widths 16/20/32/64 are most calls); 0: the runtime `width`. Both add in the same
// order (self term first, then the entries in CSR order), so their results are identical.
template <typename T, int kWidth>
GNNX_ALWAYS_INLINE void spmm_row_range(const int64_t* rowptr, const int64_t* col, const T* values,
                                       const T* diag, const T* x, T* out, int64_t width,
                                       int64_t begin, int64_t end) {
  if constexpr (kWidth > 0) {
    for (int64_t i = begin; i < end; ++i) {
      T acc[kWidth];
      const T d = diag ? diag[i] : T(0);
      const T* __restrict xi = x + i * kWidth;
      for (int f = 0; f < kWidth; ++f) acc[f] = diag ? d * xi[f] : T(0);
      for (int64_t k = rowptr[i]; k < rowptr[i + 1]; ++k) {
        const T v = values[k];
        const T* __restrict xr = x + col[k] * kWidth;
        for (int f = 0; f < kWidth; ++f) acc[f] += v * xr[f];
      }
      T* __restrict o = out + i * kWidth;
      for (int f = 0; f < kWidth; ++f) o[f] = acc[f];
    }
  } else {
    for (int64_t i = begin; i < end; ++i) {
      T* __restrict o = out + i * width;
      if (diag) {
        const T d = diag[i];
        const T* __restrict xi = x + i * width;
        for (int64_t f = 0; f < width; ++f) o[f] = d * xi[f];
      } else {
        for (int64_t f = 0; f < width; ++f) o[f] = T(0);
      }
      for (int64_t k = rowptr[i]; k < rowptr[i + 1]; ++k) {
        const T v = values[k];
        const T* __restrict xr = x + col[k] * width;
        for (int64_t f = 0; f < width; ++f) o[f] += v * xr[f];
      }
    }
  }
}

// Sixteen partial sums in a fixed pattern, then added pairwise (8 + 8, 4 + 4, ...) and the
// tail: vectorisable (the compiler may not reorder a single running sum), short dependency
// chains, and still the same result on every run and thread count. kWidth as above.
template <typename T, int kWidth>
GNNX_ALWAYS_INLINE T dot(const T* __restrict a, const T* __restrict b, int64_t width) {
  constexpr int64_t kLanes = 16;
  const int64_t n = kWidth > 0 ? kWidth : width;
  T lanes[kLanes] = {};
  int64_t f = 0;
  for (; f + kLanes <= n; f += kLanes) {
    for (int64_t l = 0; l < kLanes; ++l) lanes[l] += a[f + l] * b[f + l];
  }
  T tail = 0;
  for (; f < n; ++f) tail += a[f] * b[f];
  for (int64_t half = kLanes / 2; half >= 1; half /= 2) {
    for (int64_t l = 0; l < half; ++l) lanes[l] += lanes[l + half];
  }
  return lanes[0] + tail;
}

template <typename T, int kWidth>
GNNX_ALWAYS_INLINE void sddmm_row_range(const int64_t* rowptr, const int64_t* col, const T* g,
                                        const T* x, T* grad_values, T* grad_diag, int64_t width,
                                        int64_t begin, int64_t end) {
  const int64_t w = kWidth > 0 ? kWidth : width;
  for (int64_t i = begin; i < end; ++i) {
    const T* gi = g + i * w;
    if (grad_diag) grad_diag[i] = dot<T, kWidth>(gi, x + i * w, w);
    if (grad_values) {
      for (int64_t k = rowptr[i]; k < rowptr[i + 1]; ++k) {
        grad_values[k] = dot<T, kWidth>(gi, x + col[k] * w, w);
      }
    }
  }
}

// One multi-versioned entry point per dtype and width: the templates above inline into every
// clone. T is a type: it cannot be parenthesised in a declaration.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define GNNX_SPMM_ENTRY(name, T, W)                                                       \
  GNNX_SIMD_CLONES void name(const int64_t* rp, const int64_t* c, const T* v, const T* d, \
                             const T* x, T* o, int64_t w, int64_t b, int64_t e) {         \
    spmm_row_range<T, W>(rp, c, v, d, x, o, w, b, e);                                     \
  }
#define GNNX_SDDMM_ENTRY(name, T, W)                                                             \
  GNNX_SIMD_CLONES void name(const int64_t* rp, const int64_t* c, const T* g, const T* x, T* gv, \
                             T* gd, int64_t w, int64_t b, int64_t e) {                           \
    sddmm_row_range<T, W>(rp, c, g, x, gv, gd, w, b, e);                                         \
  }
// NOLINTEND(bugprone-macro-parentheses)
GNNX_SPMM_ENTRY(spmm_range_f32, float, 0)
GNNX_SPMM_ENTRY(spmm_range_f32_w16, float, 16)
GNNX_SPMM_ENTRY(spmm_range_f32_w20, float, 20)
GNNX_SPMM_ENTRY(spmm_range_f32_w32, float, 32)
GNNX_SPMM_ENTRY(spmm_range_f32_w64, float, 64)
GNNX_SPMM_ENTRY(spmm_range_f64, double, 0)
GNNX_SDDMM_ENTRY(sddmm_range_f32, float, 0)
GNNX_SDDMM_ENTRY(sddmm_range_f32_w16, float, 16)
GNNX_SDDMM_ENTRY(sddmm_range_f32_w20, float, 20)
GNNX_SDDMM_ENTRY(sddmm_range_f32_w32, float, 32)
GNNX_SDDMM_ENTRY(sddmm_range_f32_w64, float, 64)
GNNX_SDDMM_ENTRY(sddmm_range_f64, double, 0)
#undef GNNX_SPMM_ENTRY
#undef GNNX_SDDMM_ENTRY

using SpmmF32 = void (*)(const int64_t*, const int64_t*, const float*, const float*, const float*,
                         float*, int64_t, int64_t, int64_t);
using SddmmF32 = void (*)(const int64_t*, const int64_t*, const float*, const float*, float*,
                          float*, int64_t, int64_t, int64_t);

SpmmF32 spmm_f32_for(int64_t width) {
  switch (width) {
    case 16:
      return spmm_range_f32_w16;
    case 20:
      return spmm_range_f32_w20;
    case 32:
      return spmm_range_f32_w32;
    case 64:
      return spmm_range_f32_w64;
    default:
      return spmm_range_f32;
  }
}

SddmmF32 sddmm_f32_for(int64_t width) {
  switch (width) {
    case 16:
      return sddmm_range_f32_w16;
    case 20:
      return sddmm_range_f32_w20;
    case 32:
      return sddmm_range_f32_w32;
    case 64:
      return sddmm_range_f32_w64;
    default:
      return sddmm_range_f32;
  }
}

}  // namespace

void for_each_row_balanced(const int64_t* rowptr, int64_t num_rows, int64_t width,
                           const std::function<void(int64_t, int64_t)>& rows_body) {
  const int64_t work = (rowptr[num_rows] + num_rows) * std::max<int64_t>(width, 1);
  const int64_t num_chunks = work < 32768 ? 1 : at::get_num_threads() * 4;
  const auto bounds = balanced_row_chunks(rowptr, num_rows, num_chunks);
  at::parallel_for(0, num_chunks, 1, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) rows_body(bounds[c], bounds[c + 1]);
  });
}

void spmm_cpu(const torch::Tensor& rowptr, const torch::Tensor& col, const torch::Tensor& values,
              const torch::Tensor& diag, const torch::Tensor& x, torch::Tensor& out) {
  const int64_t num_rows = rowptr.size(0) - 1;
  const int64_t width = x.size(1);
  const int64_t* rp = rowptr.data_ptr<int64_t>();
  const int64_t* c = col.data_ptr<int64_t>();
  if (x.scalar_type() == torch::kFloat) {
    const SpmmF32 kernel = spmm_f32_for(width);
    for_each_row_balanced(rp, num_rows, width, [&](int64_t b, int64_t e) {
      kernel(rp, c, values.data_ptr<float>(), optional_ptr<float>(diag), x.data_ptr<float>(),
             out.data_ptr<float>(), width, b, e);
    });
  } else {
    TORCH_CHECK(x.scalar_type() == torch::kDouble, "spmm: unsupported dtype ", x.scalar_type());
    for_each_row_balanced(rp, num_rows, width, [&](int64_t b, int64_t e) {
      spmm_range_f64(rp, c, values.data_ptr<double>(), optional_ptr<double>(diag),
                     x.data_ptr<double>(), out.data_ptr<double>(), width, b, e);
    });
  }
}

void sddmm_cpu(const torch::Tensor& rowptr, const torch::Tensor& col, const torch::Tensor& g,
               const torch::Tensor& x, torch::Tensor& grad_values, torch::Tensor& grad_diag) {
  const int64_t num_rows = rowptr.size(0) - 1;
  const int64_t width = x.size(1);
  const int64_t* rp = rowptr.data_ptr<int64_t>();
  const int64_t* c = col.data_ptr<int64_t>();
  if (x.scalar_type() == torch::kFloat) {
    const SddmmF32 kernel = sddmm_f32_for(width);
    for_each_row_balanced(rp, num_rows, width, [&](int64_t b, int64_t e) {
      kernel(rp, c, g.data_ptr<float>(), x.data_ptr<float>(), optional_mut_ptr<float>(grad_values),
             optional_mut_ptr<float>(grad_diag), width, b, e);
    });
  } else {
    TORCH_CHECK(x.scalar_type() == torch::kDouble, "sddmm: unsupported dtype ", x.scalar_type());
    for_each_row_balanced(rp, num_rows, width, [&](int64_t b, int64_t e) {
      sddmm_range_f64(rp, c, g.data_ptr<double>(), x.data_ptr<double>(),
                      optional_mut_ptr<double>(grad_values), optional_mut_ptr<double>(grad_diag),
                      width, b, e);
    });
  }
}

}  // namespace gnnx::gnn::detail
