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
      if (rowptr[mid] + mid < goal) lo = mid + 1; else hi = mid;
    }
    bounds.push_back(lo);
  }
  bounds.push_back(num_rows);
  return bounds;
}

template <typename T>
GNNX_ALWAYS_INLINE void spmm_row_range(const int64_t* rowptr, const int64_t* col,
                                       const T* values, const T* diag, const T* x, T* out,
                                       int64_t width, int64_t begin, int64_t end) {
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

// Sixteen partial sums in a fixed pattern: vectorisable (the compiler may not reorder a single
// running sum) and still the same result on every run and thread count.
template <typename T>
GNNX_ALWAYS_INLINE T dot(const T* __restrict a, const T* __restrict b, int64_t n) {
  constexpr int64_t kLanes = 16;
  T lanes[kLanes] = {};
  int64_t f = 0;
  for (; f + kLanes <= n; f += kLanes) {
    for (int64_t l = 0; l < kLanes; ++l) lanes[l] += a[f + l] * b[f + l];
  }
  T s = 0;
  for (; f < n; ++f) s += a[f] * b[f];
  for (int64_t l = 0; l < kLanes; ++l) s += lanes[l];
  return s;
}

template <typename T>
GNNX_ALWAYS_INLINE void sddmm_row_range(const int64_t* rowptr, const int64_t* col, const T* g,
                                        const T* x, T* grad_values, T* grad_diag, int64_t width,
                                        int64_t begin, int64_t end) {
  for (int64_t i = begin; i < end; ++i) {
    const T* gi = g + i * width;
    if (grad_diag) grad_diag[i] = dot(gi, x + i * width, width);
    if (grad_values) {
      for (int64_t k = rowptr[i]; k < rowptr[i + 1]; ++k) {
        grad_values[k] = dot(gi, x + col[k] * width, width);
      }
    }
  }
}

// One multi-versioned entry point per dtype: the templates above inline into every clone.
GNNX_SIMD_CLONES void spmm_range_f32(const int64_t* rp, const int64_t* c, const float* v,
                                     const float* d, const float* x, float* o, int64_t w,
                                     int64_t b, int64_t e) {
  spmm_row_range(rp, c, v, d, x, o, w, b, e);
}
GNNX_SIMD_CLONES void spmm_range_f64(const int64_t* rp, const int64_t* c, const double* v,
                                     const double* d, const double* x, double* o, int64_t w,
                                     int64_t b, int64_t e) {
  spmm_row_range(rp, c, v, d, x, o, w, b, e);
}
GNNX_SIMD_CLONES void sddmm_range_f32(const int64_t* rp, const int64_t* c, const float* g,
                                      const float* x, float* gv, float* gd, int64_t w, int64_t b,
                                      int64_t e) {
  sddmm_row_range(rp, c, g, x, gv, gd, w, b, e);
}
GNNX_SIMD_CLONES void sddmm_range_f64(const int64_t* rp, const int64_t* c, const double* g,
                                      const double* x, double* gv, double* gd, int64_t w,
                                      int64_t b, int64_t e) {
  sddmm_row_range(rp, c, g, x, gv, gd, w, b, e);
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
    for_each_row_balanced(rp, num_rows, width, [&](int64_t b, int64_t e) {
      spmm_range_f32(rp, c, values.data_ptr<float>(), optional_ptr<float>(diag),
                     x.data_ptr<float>(), out.data_ptr<float>(), width, b, e);
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
    for_each_row_balanced(rp, num_rows, width, [&](int64_t b, int64_t e) {
      sddmm_range_f32(rp, c, g.data_ptr<float>(), x.data_ptr<float>(),
                      optional_mut_ptr<float>(grad_values), optional_mut_ptr<float>(grad_diag),
                      width, b, e);
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
