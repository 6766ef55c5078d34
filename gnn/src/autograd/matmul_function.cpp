// Autograd of the thread-count-independent dense product (gnnx/gnn/dense.h).
//   forward:  y = x W
//   backward: dx = g Wᵀ (row by row),  dW = xᵀ g (fixed row chunks, added in order)

#include <gnnx/gnn/dense.h>

#include "cpu/dense_kernel.h"

#include <torch/autograd.h>

namespace gnnx::gnn {
namespace {

class MatmulFunction : public torch::autograd::Function<MatmulFunction> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                               const torch::Tensor& weight) {
    ctx->save_for_backward({x, weight});
    auto out = torch::empty({x.size(0), weight.size(1)}, x.options());
    detail::matmul_rows_cpu(x, weight, out);
    return out;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const auto& x = saved[0];
    const auto& weight = saved[1];
    const auto g = grads[0].contiguous();
    torch::Tensor grad_x, grad_weight;
    if (ctx->needs_input_grad(0)) {
      grad_x = torch::empty_like(x);
      detail::matmul_rows_cpu(g, weight.t().contiguous(), grad_x);
    }
    if (ctx->needs_input_grad(1)) {
      grad_weight = torch::empty_like(weight);
      detail::matmul_tn_cpu(x, g, grad_weight);
    }
    return {grad_x, grad_weight};
  }
};

}  // namespace

torch::Tensor dense_matmul(const torch::Tensor& x, const torch::Tensor& weight) {
  TORCH_CHECK(x.dim() == 2 && weight.dim() == 2 && x.size(1) == weight.size(0),
              "gnnx::gnn::dense_matmul: shapes ", x.sizes(), " and ", weight.sizes(),
              " cannot be multiplied");
  TORCH_CHECK(x.scalar_type() == weight.scalar_type() &&
                  (x.scalar_type() == torch::kFloat || x.scalar_type() == torch::kDouble),
              "gnnx::gnn::dense_matmul: x and weight must both be float or both double, got ",
              x.scalar_type(), " and ", weight.scalar_type());
  TORCH_CHECK(x.device() == weight.device(), "gnnx::gnn::dense_matmul: x is on ", x.device(),
              " but weight on ", weight.device());
  // On a GPU cuBLAS is deterministic run to run for a given device; the thread-count problem
  // these kernels solve is a CPU one.
  if (x.is_cuda()) return x.matmul(weight);
  TORCH_CHECK(x.is_cpu(), "gnnx::gnn::dense_matmul: unsupported device ", x.device());
  return MatmulFunction::apply(x.contiguous(), weight.contiguous());
}

torch::Tensor dense_linear(const torch::Tensor& x, const torch::Tensor& weight,
                           const torch::Tensor& bias) {
  auto out = dense_matmul(x, weight.t());
  return bias.defined() ? out + bias : out;
}

}  // namespace gnnx::gnn
