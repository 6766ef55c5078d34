// bench/cusparse_cached: the cached cuSPARSE SpMM and SDDMM that gcn_cuda_bench times against
// gnnx's kernels, on a 3 × 4 matrix solved by hand (every SpMM algorithm that takes a row-major
// operand, repeated calls on the same buffer), and the copy bandwidth. Skips without a GPU.

#include "cusparse_cached.h"

#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace {

using gnnx::bench::CachedSddmm;
using gnnx::bench::CachedSpmm;
using gnnx::bench::CusparseError;
using gnnx::bench::CusparseHandle;
using gnnx::bench::DeviceCsr;

bool gpu() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();
    return false;
  }
  return count > 0;
}

/// A device copy of a host vector, freed at scope end.
template <typename T>
class DeviceVector {
 public:
  explicit DeviceVector(const std::vector<T>& host) : size_(host.size()) {
    EXPECT_EQ(cudaMalloc(reinterpret_cast<void**>(&data_), size_ * sizeof(T)), cudaSuccess);
    EXPECT_EQ(cudaMemcpy(data_, host.data(), size_ * sizeof(T), cudaMemcpyHostToDevice),
              cudaSuccess);
  }
  ~DeviceVector() { cudaFree(data_); }
  T* get() { return data_; }
  std::vector<T> host() const {
    std::vector<T> out(size_);
    EXPECT_EQ(cudaMemcpy(out.data(), data_, size_ * sizeof(T), cudaMemcpyDeviceToHost),
              cudaSuccess);
    return out;
  }

 private:
  T* data_ = nullptr;
  size_t size_;
};

// A = [[0, 2, 0, -1], [0, 0, 0, 0], [0.5, 0, 3, 0]] (row 1 empty), x = [[1, 2], [3, 4], [5, 6],
// [7, 8]], g = [[1, -2], [2, 2], [0.5, 1]].
//   A x = [[2·3 - 7, 2·4 - 8], [0, 0], [0.5·1 + 3·5, 0.5·2 + 3·6]] = [[-1, 0], [0, 0], [15.5, 19]]
//   (g xᵀ) at A's entries: (0,1) 1·3 - 2·4 = -5; (0,3) 7 - 16 = -9; (2,0) 0.5 + 2 = 2.5;
//   (2,2) 2.5 + 6 = 8.5.
/// The hand-solved case in device memory.
struct HandCase {
  DeviceVector<int32_t> rowptr{{0, 2, 2, 4}};
  DeviceVector<int32_t> col{{1, 3, 0, 2}};
  DeviceVector<float> values{{2, -1, 0.5f, 3}};
  DeviceVector<float> x{{1, 2, 3, 4, 5, 6, 7, 8}};
  DeviceVector<float> g{{1, -2, 2, 2, 0.5f, 1}};
  DeviceCsr csr() { return {3, 4, 4, rowptr.get(), col.get(), values.get()}; }
};

#define SKIP_WITHOUT_GPU() \
  if (!gpu()) GTEST_SKIP() << "no CUDA device present"

TEST(CusparseCachedTest, SpmmEveryRowMajorAlgorithmMatchesTheHandResult) {
  SKIP_WITHOUT_GPU();
  HandCase c;
  const CusparseHandle handle;
  int ran = 0;
  for (const auto& alg : gnnx::bench::kSpmmAlgorithms) {
    DeviceVector<float> y(std::vector<float>(6, 7.0f));  // overwritten: beta = 0
    try {
      CachedSpmm spmm(handle, c.csr(), c.x.get(), y.get(), 2, alg.alg);
      for (int repeat = 0; repeat < 2; ++repeat) {
        spmm.run();
        ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess) << alg.name;
        EXPECT_EQ(y.host(), (std::vector<float>{-1, 0, 0, 0, 15.5f, 19})) << alg.name;
      }
      ++ran;
    } catch (const CusparseError& e) {
      if (!e.not_supported()) throw;  // only a refused layout may be skipped
    }
  }
  EXPECT_GE(ran, 1) << "no SpMM algorithm took a row-major operand";
}

TEST(CusparseCachedTest, SddmmGivesTheEdgeValueGradient) {
  SKIP_WITHOUT_GPU();
  HandCase c;
  const CusparseHandle handle;
  DeviceVector<float> out(std::vector<float>(4, 7.0f));
  DeviceCsr pattern = c.csr();
  pattern.values = out.get();
  CachedSddmm sddmm(handle, pattern, c.g.get(), c.x.get(), 2);
  for (int repeat = 0; repeat < 2; ++repeat) {
    sddmm.run();
    ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess) << sddmm.layout();
    EXPECT_EQ(out.host(), (std::vector<float>{-5, -9, 2.5f, 8.5f})) << sddmm.layout();
  }
}

TEST(CusparseCachedTest, CopyBandwidthIsMeasured) {
  SKIP_WITHOUT_GPU();
  EXPECT_GT(gnnx::bench::copy_bandwidth_gbs(size_t(64) << 20, 3), 0.0);
}

}  // namespace
