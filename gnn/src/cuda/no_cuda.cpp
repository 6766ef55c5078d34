// The CUDA entry points of a build whose LibTorch has no CUDA: a clear error instead of a
// missing symbol. (The kernels themselves may still be compiled, to keep them building.)

#include "cuda/spmm_cuda.h"
#include "device_adjacency.h"

#include <gnnx/gnn/error.h>

namespace gnnx::gnn::detail {

namespace {
[[noreturn]] void no_cuda() {
  throw InputError(
      "this gnnx was built without CUDA (configure against a LibTorch with CUDA and the CUDA "
      "toolkit; see the README)");
}
}  // namespace

std::shared_ptr<const CudaPattern> make_cuda_pattern(const GcnAdjacency&, torch::Device) {
  no_cuda();
}

// By value as in the CUDA build, which moves the pattern into the autograd node.
// NOLINTNEXTLINE(performance-unnecessary-value-param)
torch::Tensor spmm_autograd_cuda(std::shared_ptr<const CudaPattern>, const torch::Tensor&,
                                 const torch::Tensor&, const torch::Tensor&) {
  no_cuda();
}

int cuda_device_count() { return 0; }

}  // namespace gnnx::gnn::detail
