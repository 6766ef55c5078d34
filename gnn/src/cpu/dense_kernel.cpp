#include "cpu/dense_kernel.h"

#include "cpu/simd.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <type_traits>
#include <vector>

namespace gnnx::gnn::detail {
namespace {

constexpr int64_t kChunkRows = 256;  // fixed, so the reduction order never depends on threads

// out = a @ b for a narrow b (GCN widths: M <= 64; wider ones a panel of 64 columns at a time),
// with the width padded to a compile-time `Padded` so each output row lives in vector registers
// for the whole k loop instead of being reloaded and stored for every k. `b` holds `width` <=
// Padded columns (and zeros up to Padded when width < Padded) in rows of `ldb`; the first `width`
// columns of each output row (rows of `ldo`) are written. Each element: out[i][j] = Σ_k a[i][k]
// b[k][j], summed k ascending from 0.
template <typename T, int Padded>
GNNX_ALWAYS_INLINE void narrow_rows_kernel(const T* a, const T* b, int64_t ldb, T* out, int64_t ldo,
                                           int64_t k_dim, int64_t width, int64_t begin,
                                           int64_t end) {
  for (int64_t i = begin; i < end; ++i) {
    T acc[Padded] = {};
    const T* ai = a + i * k_dim;
    for (int64_t k = 0; k < k_dim; ++k) {
      const T s = ai[k];
      const T* __restrict bk = b + k * ldb;
      for (int j = 0; j < Padded; ++j) acc[j] += s * bk[j];
    }
    T* __restrict o = out + i * ldo;
    for (int64_t j = 0; j < width; ++j) o[j] = acc[j];
  }
}

template <typename T>
GNNX_ALWAYS_INLINE void tn_kernel(const T* a, const T* g, T* out, int64_t k_dim, int64_t m,
                                  int64_t begin, int64_t end) {
  for (int64_t j = 0; j < k_dim * m; ++j) out[j] = T(0);
  for (int64_t i = begin; i < end; ++i) {
    const T* ai = a + i * k_dim;
    const T* __restrict gi = g + i * m;
    for (int64_t k = 0; k < k_dim; ++k) {
      const T s = ai[k];
      T* __restrict o = out + k * m;
      for (int64_t j = 0; j < m; ++j) o[j] += s * gi[j];
    }
  }
}

// T is a type: it cannot be parenthesised in a declaration.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define GNNX_NARROW_ROWS(name, T, Padded)                                                       \
  GNNX_SIMD_CLONES void name(const T* a, const T* b, int64_t ldb, T* o, int64_t ldo, int64_t k, \
                             int64_t width, int64_t begin, int64_t end) {                       \
    narrow_rows_kernel<T, Padded>(a, b, ldb, o, ldo, k, width, begin, end);                     \
  }
// NOLINTEND(bugprone-macro-parentheses)
GNNX_NARROW_ROWS(narrow16_f32, float, 16)
GNNX_NARROW_ROWS(narrow32_f32, float, 32)
GNNX_NARROW_ROWS(narrow64_f32, float, 64)
GNNX_NARROW_ROWS(narrow16_f64, double, 16)
GNNX_NARROW_ROWS(narrow32_f64, double, 32)
GNNX_NARROW_ROWS(narrow64_f64, double, 64)
#undef GNNX_NARROW_ROWS

GNNX_SIMD_CLONES void tn_f32(const float* a, const float* g, float* o, int64_t k, int64_t m,
                             int64_t begin, int64_t end) {
  tn_kernel(a, g, o, k, m, begin, end);
}
GNNX_SIMD_CLONES void tn_f64(const double* a, const double* g, double* o, int64_t k, int64_t m,
                             int64_t begin, int64_t end) {
  tn_kernel(a, g, o, k, m, begin, end);
}

// Columns [j0, j0 + width) of a @ b, width <= 64, through the register-resident kernel: b's
// own rows when the panel is a full 64 wide, else a copy zero-padded to the next kernel width.
template <typename T>
void matmul_panel(const torch::Tensor& a, const torch::Tensor& b, torch::Tensor& out, int64_t j0,
                  int64_t width) {
  using Kernel =
      void (*)(const T*, const T*, int64_t, T*, int64_t, int64_t, int64_t, int64_t, int64_t);
  constexpr bool f32 = std::is_same_v<T, float>;
  const int64_t padded = width <= 16 ? 16 : width <= 32 ? 32 : 64;
  const Kernel kernel = padded == 16   ? (f32 ? Kernel(narrow16_f32) : Kernel(narrow16_f64))
                        : padded == 32 ? (f32 ? Kernel(narrow32_f32) : Kernel(narrow32_f64))
                                       : (f32 ? Kernel(narrow64_f32) : Kernel(narrow64_f64));
  const int64_t n = a.size(0), k = a.size(1), m = b.size(1);
  torch::Tensor panel = b;
  int64_t ldb = m, offset = j0;
  if (width != padded) {
    panel = torch::zeros({k, padded}, b.options());
    panel.slice(1, 0, width).copy_(b.slice(1, j0, j0 + width));
    ldb = padded;
    offset = 0;
  }
  const int64_t grain = std::max<int64_t>(1, 65536 / std::max<int64_t>(k * width, 1));
  at::parallel_for(0, n, grain, [&](int64_t begin, int64_t end) {
    kernel(a.data_ptr<T>(), panel.data_ptr<T>() + offset, ldb, out.data_ptr<T>() + j0, m, k, width,
           begin, end);
  });
}

template <typename T, typename Tn>
void matmul_tn(const torch::Tensor& a, const torch::Tensor& g, torch::Tensor& out, Tn tn) {
  const int64_t n = a.size(0), k = a.size(1), m = g.size(1);
  const int64_t chunks = std::max<int64_t>(1, (n + kChunkRows - 1) / kChunkRows);
  auto partial = torch::empty({chunks, k, m}, a.options());
  T* p = partial.data_ptr<T>();
  at::parallel_for(0, chunks, 1, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      tn(a.data_ptr<T>(), g.data_ptr<T>(), p + c * k * m, k, m, c * kChunkRows,
         std::min(n, (c + 1) * kChunkRows));
    }
  });
  T* o = out.data_ptr<T>();
  for (int64_t j = 0; j < k * m; ++j) o[j] = T(0);
  for (int64_t c = 0; c < chunks; ++c) {
    for (int64_t j = 0; j < k * m; ++j) o[j] += p[c * k * m + j];
  }
}

}  // namespace

void matmul_rows_cpu(const torch::Tensor& a, const torch::Tensor& b, torch::Tensor& out) {
  // Panels of 64 columns (wider products too: a row of 128 floats reloaded and stored for every
  // k made the product bound by that traffic; a 64-wide panel stays in registers).
  const int64_t m = b.size(1);
  for (int64_t j0 = 0; j0 < m; j0 += 64) {
    const int64_t width = std::min<int64_t>(64, m - j0);
    if (a.scalar_type() == torch::kFloat) {
      matmul_panel<float>(a, b, out, j0, width);
    } else {
      matmul_panel<double>(a, b, out, j0, width);
    }
  }
}

void matmul_tn_cpu(const torch::Tensor& a, const torch::Tensor& g, torch::Tensor& out) {
  if (a.scalar_type() == torch::kFloat) {
    matmul_tn<float>(a, g, out, tn_f32);
  } else {
    matmul_tn<double>(a, g, out, tn_f64);
  }
}

}  // namespace gnnx::gnn::detail
