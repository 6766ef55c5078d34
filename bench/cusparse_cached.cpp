#include "cusparse_cached.h"

#include <cuda_runtime_api.h>

namespace gnnx::bench {

namespace {

void check(cusparseStatus_t status, const char* what) {
  if (status == CUSPARSE_STATUS_SUCCESS) return;
  throw CusparseError(std::string(what) + ": " + cusparseGetErrorString(status),
                      status == CUSPARSE_STATUS_NOT_SUPPORTED);
}

void check(cudaError_t status, const char* what) {
  if (status == cudaSuccess) return;
  cudaGetLastError();  // clear it, so that later calls do not report it again
  throw CusparseError(std::string(what) + ": " + cudaGetErrorString(status), false);
}

/// cuSPARSE takes non-const pointers in its descriptors even for read-only operands.
template <typename T>
void* mut(const T* p) {
  return const_cast<T*>(p);
}

cusparseSpMatDescr_t make_csr(const DeviceCsr& a) {
  cusparseSpMatDescr_t d = nullptr;
  check(cusparseCreateCsr(&d, a.rows, a.cols, a.nnz, mut(a.rowptr), mut(a.col), a.values,
                          CUSPARSE_INDEX_32I, CUSPARSE_INDEX_32I, CUSPARSE_INDEX_BASE_ZERO,
                          CUDA_R_32F),
        "cusparseCreateCsr");
  return d;
}

cusparseDnMatDescr_t make_dense(int64_t rows, int64_t cols, int64_t ld, const float* p,
                                cusparseOrder_t order) {
  cusparseDnMatDescr_t d = nullptr;
  check(cusparseCreateDnMat(&d, rows, cols, ld, mut(p), CUDA_R_32F, order), "cusparseCreateDnMat");
  return d;
}

}  // namespace

const SpmmAlgorithm kSpmmAlgorithms[4] = {{CUSPARSE_SPMM_ALG_DEFAULT, "ALG_DEFAULT"},
                                          {CUSPARSE_SPMM_CSR_ALG1, "CSR_ALG1"},
                                          {CUSPARSE_SPMM_CSR_ALG2, "CSR_ALG2"},
                                          {CUSPARSE_SPMM_CSR_ALG3, "CSR_ALG3"}};

CusparseHandle::CusparseHandle() { check(cusparseCreate(&handle_), "cusparseCreate"); }

CusparseHandle::~CusparseHandle() { cusparseDestroy(handle_); }

CachedSpmm::CachedSpmm(const CusparseHandle& handle, const DeviceCsr& a, const float* x, float* y,
                       int64_t width, cusparseSpMMAlg_t alg)
    : handle_(handle.get()), alg_(alg) {
  try {
    a_ = make_csr(a);
    x_ = make_dense(a.cols, width, width, x, CUSPARSE_ORDER_ROW);
    y_ = make_dense(a.rows, width, width, y, CUSPARSE_ORDER_ROW);
    const auto n = CUSPARSE_OPERATION_NON_TRANSPOSE;
    check(cusparseSpMM_bufferSize(handle_, n, n, &alpha_, a_, x_, &beta_, y_, CUDA_R_32F, alg_,
                                  &buffer_bytes_),
          "cusparseSpMM_bufferSize");
    if (buffer_bytes_ > 0) check(cudaMalloc(&buffer_, buffer_bytes_), "cudaMalloc (SpMM buffer)");
    check(cusparseSpMM_preprocess(handle_, n, n, &alpha_, a_, x_, &beta_, y_, CUDA_R_32F, alg_,
                                  buffer_),
          "cusparseSpMM_preprocess");
  } catch (...) {
    destroy();
    throw;
  }
}

CachedSpmm::~CachedSpmm() { destroy(); }

void CachedSpmm::destroy() {
  if (buffer_) cudaFree(buffer_);
  if (y_) cusparseDestroyDnMat(y_);
  if (x_) cusparseDestroyDnMat(x_);
  if (a_) cusparseDestroySpMat(a_);
  buffer_ = nullptr;
  y_ = x_ = nullptr;
  a_ = nullptr;
}

void CachedSpmm::run() {
  const auto n = CUSPARSE_OPERATION_NON_TRANSPOSE;
  check(cusparseSpMM(handle_, n, n, &alpha_, a_, x_, &beta_, y_, CUDA_R_32F, alg_, buffer_),
        "cusparseSpMM");
}

CachedSddmm::CachedSddmm(const CusparseHandle& handle, const DeviceCsr& pattern, const float* g,
                         const float* x, int64_t width)
    : handle_(handle.get()) {
  try {
    c_ = make_csr(pattern);
    g_ = make_dense(pattern.rows, width, width, g, CUSPARSE_ORDER_ROW);
    // Xᵀ as opB = transpose of the row-major x; where cuSPARSE refuses that, the same memory
    // read as a column-major [F × cols] matrix, which is Xᵀ with no operation.
    try {
      prepare(make_dense(pattern.cols, width, width, x, CUSPARSE_ORDER_ROW),
              CUSPARSE_OPERATION_TRANSPOSE);
      layout_ = "B = x row-major, opB = transpose";
    } catch (const CusparseError& e) {
      if (!e.not_supported()) throw;
      prepare(make_dense(width, pattern.cols, width, x, CUSPARSE_ORDER_COL),
              CUSPARSE_OPERATION_NON_TRANSPOSE);
      layout_ = "B = x read as column-major [F x cols], opB = none";
    }
  } catch (...) {
    destroy();
    throw;
  }
}

void CachedSddmm::prepare(cusparseDnMatDescr_t x, cusparseOperation_t op_b) {
  if (buffer_) cudaFree(buffer_);
  if (x_) cusparseDestroyDnMat(x_);
  buffer_ = nullptr;
  x_ = x;
  op_b_ = op_b;
  const auto n = CUSPARSE_OPERATION_NON_TRANSPOSE;
  check(cusparseSDDMM_bufferSize(handle_, n, op_b_, &alpha_, g_, x_, &beta_, c_, CUDA_R_32F,
                                 CUSPARSE_SDDMM_ALG_DEFAULT, &buffer_bytes_),
        "cusparseSDDMM_bufferSize");
  if (buffer_bytes_ > 0) check(cudaMalloc(&buffer_, buffer_bytes_), "cudaMalloc (SDDMM buffer)");
  check(cusparseSDDMM_preprocess(handle_, n, op_b_, &alpha_, g_, x_, &beta_, c_, CUDA_R_32F,
                                 CUSPARSE_SDDMM_ALG_DEFAULT, buffer_),
        "cusparseSDDMM_preprocess");
}

CachedSddmm::~CachedSddmm() { destroy(); }

void CachedSddmm::destroy() {
  if (buffer_) cudaFree(buffer_);
  if (x_) cusparseDestroyDnMat(x_);
  if (g_) cusparseDestroyDnMat(g_);
  if (c_) cusparseDestroySpMat(c_);
  buffer_ = nullptr;
  x_ = g_ = nullptr;
  c_ = nullptr;
}

void CachedSddmm::run() {
  check(cusparseSDDMM(handle_, CUSPARSE_OPERATION_NON_TRANSPOSE, op_b_, &alpha_, g_, x_, &beta_, c_,
                      CUDA_R_32F, CUSPARSE_SDDMM_ALG_DEFAULT, buffer_),
        "cusparseSDDMM");
}

double copy_bandwidth_gbs(size_t bytes, int iters) {
  void *src = nullptr, *dst = nullptr;
  if (cudaMalloc(&src, bytes) != cudaSuccess || cudaMalloc(&dst, bytes) != cudaSuccess) {
    cudaGetLastError();
    if (src) cudaFree(src);
    return 0;
  }
  cudaMemset(src, 1, bytes);
  for (int i = 0; i < 2; ++i) cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice);
  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  cudaEventRecord(start);
  for (int i = 0; i < iters; ++i) cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice);
  cudaEventRecord(stop);
  cudaEventSynchronize(stop);
  float ms = 0;
  cudaEventElapsedTime(&ms, start, stop);
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  cudaFree(src);
  cudaFree(dst);
  if (ms <= 0) return 0;
  return 2.0 * double(bytes) * iters / (ms / 1e3) / 1e9;
}

}  // namespace gnnx::bench
