#include "cpu/dense_kernel.h"

#include "cpu/simd.h"

#include <ATen/Parallel.h>

#include <vector>

namespace gnnx::gnn::detail {
namespace {

constexpr int64_t kChunkRows = 256;  // fixed, so the reduction order never depends on threads

template <typename T>
GNNX_ALWAYS_INLINE void rows_kernel(const T* a, const T* b, T* out, int64_t k_dim, int64_t m,
                                    int64_t begin, int64_t end) {
  for (int64_t i = begin; i < end; ++i) {
    T* __restrict o = out + i * m;
    for (int64_t j = 0; j < m; ++j) o[j] = T(0);
    const T* ai = a + i * k_dim;
    for (int64_t k = 0; k < k_dim; ++k) {
      const T s = ai[k];
      const T* __restrict bk = b + k * m;
      for (int64_t j = 0; j < m; ++j) o[j] += s * bk[j];
    }
  }
}

// The same product for a narrow b (GCN widths: M <= 64), with the width padded to a
// compile-time `Padded` so each output row lives in vector registers for the whole k loop
// instead of being reloaded and stored for every k. `b_padded` is b [K, M] zero-padded to
// [K, Padded]. Same summation order per element as rows_kernel (k ascending from 0).
template <typename T, int Padded>
GNNX_ALWAYS_INLINE void narrow_rows_kernel(const T* a, const T* b_padded, T* out, int64_t k_dim,
                                           int64_t m, int64_t begin, int64_t end) {
  for (int64_t i = begin; i < end; ++i) {
    T acc[Padded] = {};
    const T* ai = a + i * k_dim;
    for (int64_t k = 0; k < k_dim; ++k) {
      const T s = ai[k];
      const T* __restrict bk = b_padded + k * Padded;
      for (int j = 0; j < Padded; ++j) acc[j] += s * bk[j];
    }
    T* __restrict o = out + i * m;
    for (int64_t j = 0; j < m; ++j) o[j] = acc[j];
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

GNNX_SIMD_CLONES void rows_f32(const float* a, const float* b, float* o, int64_t k, int64_t m,
                               int64_t begin, int64_t end) {
  rows_kernel(a, b, o, k, m, begin, end);
}
GNNX_SIMD_CLONES void rows_f64(const double* a, const double* b, double* o, int64_t k, int64_t m,
                               int64_t begin, int64_t end) {
  rows_kernel(a, b, o, k, m, begin, end);
}
// T is a type: it cannot be parenthesised in a declaration.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define GNNX_NARROW_ROWS(name, T, Padded)                                                       \
  GNNX_SIMD_CLONES void name(const T* a, const T* b, T* o, int64_t k, int64_t m, int64_t begin, \
                             int64_t end) {                                                     \
    narrow_rows_kernel<T, Padded>(a, b, o, k, m, begin, end);                                   \
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

template <typename T, typename Rows>
void matmul_rows(const torch::Tensor& a, const torch::Tensor& b, torch::Tensor& out, Rows rows) {
  const int64_t n = a.size(0), k = a.size(1), m = b.size(1);
  const int64_t grain = std::max<int64_t>(1, 65536 / std::max<int64_t>(k * m, 1));
  at::parallel_for(0, n, grain, [&](int64_t begin, int64_t end) {
    rows(a.data_ptr<T>(), b.data_ptr<T>(), out.data_ptr<T>(), k, m, begin, end);
  });
}

// a @ b with b [K, M], M <= 64, through the register-resident kernel for the padded width.
template <typename T, typename Rows>
void matmul_narrow(const torch::Tensor& a, const torch::Tensor& b, torch::Tensor& out,
                   int64_t padded, Rows rows) {
  const int64_t n = a.size(0), k = a.size(1), m = b.size(1);
  auto b_padded = torch::zeros({k, padded}, b.options());
  b_padded.slice(1, 0, m).copy_(b);
  const int64_t grain = std::max<int64_t>(1, 65536 / std::max<int64_t>(k * m, 1));
  at::parallel_for(0, n, grain, [&](int64_t begin, int64_t end) {
    rows(a.data_ptr<T>(), b_padded.data_ptr<T>(), out.data_ptr<T>(), k, m, begin, end);
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
  const int64_t m = b.size(1);
  const bool f32 = a.scalar_type() == torch::kFloat;
  if (m <= 16) {
    return f32 ? matmul_narrow<float>(a, b, out, 16, narrow16_f32)
               : matmul_narrow<double>(a, b, out, 16, narrow16_f64);
  }
  if (m <= 32) {
    return f32 ? matmul_narrow<float>(a, b, out, 32, narrow32_f32)
               : matmul_narrow<double>(a, b, out, 32, narrow32_f64);
  }
  if (m <= 64) {
    return f32 ? matmul_narrow<float>(a, b, out, 64, narrow64_f32)
               : matmul_narrow<double>(a, b, out, 64, narrow64_f64);
  }
  if (f32) {
    matmul_rows<float>(a, b, out, rows_f32);
  } else {
    matmul_rows<double>(a, b, out, rows_f64);
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
