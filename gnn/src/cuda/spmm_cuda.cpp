// LibTorch glue of the CUDA kernels: checks, stream and device, dtype dispatch, autograd.
// Same contract as the CPU autograd (autograd/spmm_function.h).

#include "cuda/spmm_cuda.h"
#include "cuda/spmm_cuda_ops.h"
#include "optional_ptr.h"

#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <torch/autograd.h>

namespace gnnx::gnn::detail {
namespace {

void check(cudaError_t status, const char* what) {
  TORCH_CHECK(status == cudaSuccess, "gnnx CUDA ", what, " failed: ", cudaGetErrorString(status));
}

torch::Tensor scratch_for(const CudaCsr& csr, const torch::Tensor& like) {
  return csr.num_slots > 0 ? torch::empty({csr.num_slots, like.size(1)}, like.options())
                           : torch::Tensor();
}

template <typename Body>
void with_dtype(torch::ScalarType type, Body&& body) {
  if (type == torch::kFloat) return body(float{});
  TORCH_CHECK(type == torch::kDouble, "gnnx CUDA spmm: unsupported dtype ", type);
  body(double{});
}

class CudaSpmmFunction : public torch::autograd::Function<CudaSpmmFunction> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, torch::Tensor values,
                               torch::Tensor diag, torch::Tensor x,
                               std::shared_ptr<const CudaPattern> pattern) {
    auto out = spmm_cuda(pattern->forward, values, diag, x);
    ctx->save_for_backward({values, diag, x});
    ctx->saved_data["transposed"] = pattern->transposed.to_list();
    ctx->saved_data["transposed_slots"] = pattern->transposed.num_slots;
    ctx->saved_data["perm_t"] = pattern->perm_t;
    return out;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const auto& values = saved[0];
    const auto& diag = saved[1];
    const auto& x = saved[2];
    const auto transposed = CudaCsr::from_list(ctx->saved_data["transposed"].toTensorVector(),
                                               ctx->saved_data["transposed_slots"].toInt());
    const auto grads_out = spmm_cuda_backward(transposed, ctx->saved_data["perm_t"].toTensor(),
                                              values, diag, x, grads[0].contiguous(),
                                              ctx->needs_input_grad(2), ctx->needs_input_grad(0));
    torch::Tensor grad_diag;
    if (diag.numel() > 0 && ctx->needs_input_grad(1)) grad_diag = (grads[0] * x).sum(1);
    return {grads_out.values, grad_diag, grads_out.x, torch::Tensor()};
  }
};

}  // namespace

torch::Tensor spmm_cuda(const CudaCsr& csr, const torch::Tensor& values, const torch::Tensor& diag,
                        const torch::Tensor& x, int64_t tile_features) {
  const c10::cuda::CUDAGuard guard(x.device());
  auto out = torch::empty({csr.rowptr.size(0) - 1, x.size(1)}, x.options());
  auto scratch = scratch_for(csr, x);
  const auto stream = c10::cuda::getCurrentCUDAStream().stream();
  with_dtype(x.scalar_type(), [&](auto zero) {
    using T = decltype(zero);
    check(cuda::spmm<T>(csr.view(), values.data_ptr<T>(), optional_ptr<T>(diag), x.data_ptr<T>(),
                        out.data_ptr<T>(), optional_mut_ptr<T>(scratch), x.size(1), stream,
                        tile_features),
          "spmm");
  });
  return out;
}

SpmmGradients spmm_cuda_backward(const CudaCsr& transposed, const torch::Tensor& perm_t,
                                 const torch::Tensor& values, const torch::Tensor& diag,
                                 const torch::Tensor& x, const torch::Tensor& g, bool want_x,
                                 bool want_values) {
  const c10::cuda::CUDAGuard guard(x.device());
  SpmmGradients out;
  if (want_x) out.x = torch::empty_like(x);
  if (want_values) out.values = torch::empty_like(values);
  if (!want_x && !want_values) return out;
  auto scratch = want_x ? scratch_for(transposed, x) : torch::Tensor();
  const auto stream = c10::cuda::getCurrentCUDAStream().stream();
  with_dtype(x.scalar_type(), [&](auto zero) {
    using T = decltype(zero);
    check(cuda::spmm_transposed_with_sddmm<T>(
              transposed.view(), perm_t.data_ptr<int64_t>(), values.data_ptr<T>(),
              optional_ptr<T>(diag), g.data_ptr<T>(), x.data_ptr<T>(), optional_mut_ptr<T>(out.x),
              optional_mut_ptr<T>(out.values), optional_mut_ptr<T>(scratch), x.size(1), stream),
          "spmm backward");
  });
  return out;
}

torch::Tensor spmm_autograd_cuda(std::shared_ptr<const CudaPattern> pattern,
                                 const torch::Tensor& values, const torch::Tensor& diag,
                                 const torch::Tensor& x) {
  const auto diag_or_empty = diag.defined() ? diag.contiguous() : torch::empty({0}, x.options());
  return CudaSpmmFunction::apply(values.contiguous(), diag_or_empty, x.contiguous(),
                                 std::move(pattern));
}

int cuda_device_count() { return cuda::device_count(); }

}  // namespace gnnx::gnn::detail
