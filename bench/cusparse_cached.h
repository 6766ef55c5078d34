#pragma once
// cuSPARSE's generic API with its descriptors and work buffer made once and reused: the
// baseline issue 22 asks gnnx's CUDA kernels to beat (Fomina et al. 2026 found cuSPARSE used
// this way faster than most custom kernels). Going through torch::sparse instead recreates the
// descriptors and allocates the buffer on every call, which costs the baseline time that is not
// cuSPARSE's. Plain CUDA runtime + cuSPARSE, no LibTorch: it compiles wherever the CUDA toolkit
// is, also against LibTorch builds without CUDA.

#include <cusparse.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace gnnx::bench {

/// A cuSPARSE or CUDA runtime call failed; `not_supported` when cuSPARSE refused the
/// combination (algorithm, layout) rather than failing on the device.
class CusparseError : public std::runtime_error {
 public:
  CusparseError(const std::string& what, bool not_supported)
      : std::runtime_error(what), not_supported_(not_supported) {}
  bool not_supported() const { return not_supported_; }

 private:
  bool not_supported_;
};

/// A CSR matrix in device memory, int32 indices, float values; not owned.
struct DeviceCsr {
  int64_t rows = 0, cols = 0, nnz = 0;
  const int32_t* rowptr = nullptr;  // rows + 1
  const int32_t* col = nullptr;     // nnz
  float* values = nullptr;          // nnz (SDDMM writes them)
};

/// One cuSPARSE handle on the legacy default stream (where LibTorch's default stream runs).
class CusparseHandle {
 public:
  CusparseHandle();
  ~CusparseHandle();
  CusparseHandle(const CusparseHandle&) = delete;
  CusparseHandle& operator=(const CusparseHandle&) = delete;
  cusparseHandle_t get() const { return handle_; }

 private:
  cusparseHandle_t handle_ = nullptr;
};

/// y[rows × F] = A · x[cols × F], dense matrices row-major float. The descriptors and the work
/// buffer are made in the constructor (with cusparseSpMM_preprocess), run() is cusparseSpMM
/// alone. Throws CusparseError (not_supported() for an algorithm that refuses the layout).
class CachedSpmm {
 public:
  CachedSpmm(const CusparseHandle& handle, const DeviceCsr& a, const float* x, float* y,
             int64_t width, cusparseSpMMAlg_t alg);
  ~CachedSpmm();
  CachedSpmm(const CachedSpmm&) = delete;
  CachedSpmm& operator=(const CachedSpmm&) = delete;
  void run();
  size_t buffer_bytes() const { return buffer_bytes_; }

 private:
  void destroy();
  cusparseHandle_t handle_;
  cusparseSpMatDescr_t a_ = nullptr;
  cusparseDnMatDescr_t x_ = nullptr, y_ = nullptr;
  cusparseSpMMAlg_t alg_;
  void* buffer_ = nullptr;
  size_t buffer_bytes_ = 0;
  float alpha_ = 1, beta_ = 0;
};

/// The edge-value gradient of y = A x: values[e] = g[row(e)] · x[col(e)] over the pattern's
/// entries (C = (G Xᵀ) ∘ spy(C)), g [rows × F] and x [cols × F] row-major. Descriptors and buffer
/// made once (with cusparseSDDMM_preprocess), run() is cusparseSDDMM alone. X enters as Xᵀ:
/// with opB = transpose where cuSPARSE takes it, else as the column-major [F × cols] view of the
/// same memory (layout() says which).
class CachedSddmm {
 public:
  CachedSddmm(const CusparseHandle& handle, const DeviceCsr& pattern, const float* g,
              const float* x, int64_t width);
  ~CachedSddmm();
  CachedSddmm(const CachedSddmm&) = delete;
  CachedSddmm& operator=(const CachedSddmm&) = delete;
  void run();
  size_t buffer_bytes() const { return buffer_bytes_; }
  const std::string& layout() const { return layout_; }

 private:
  /// Takes `x` (Xᵀ under `op_b`), sizes and allocates the buffer, preprocesses.
  void prepare(cusparseDnMatDescr_t x, cusparseOperation_t op_b);
  void destroy();
  cusparseHandle_t handle_;
  cusparseSpMatDescr_t c_ = nullptr;
  cusparseDnMatDescr_t g_ = nullptr, x_ = nullptr;
  cusparseOperation_t op_b_ = CUSPARSE_OPERATION_TRANSPOSE;
  void* buffer_ = nullptr;
  size_t buffer_bytes_ = 0;
  float alpha_ = 1, beta_ = 0;
  std::string layout_;
};

/// The SpMM algorithms worth trying on a row-major dense operand, with their cuSPARSE names.
struct SpmmAlgorithm {
  cusparseSpMMAlg_t alg;
  const char* name;
};
extern const SpmmAlgorithm kSpmmAlgorithms[4];

/// Device-to-device copy bandwidth in GB/s, counting bytes read and written (2 × `bytes` per
/// copy): cudaMemcpyAsync of one `bytes` buffer into another, mean of `iters` copies after two
/// warm-ups, timed by CUDA events. 0 when the buffers cannot be allocated.
double copy_bandwidth_gbs(size_t bytes, int iters);

}  // namespace gnnx::bench
