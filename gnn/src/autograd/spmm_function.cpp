#include "autograd/spmm_function.h"

#include "cpu/spmm_kernel.h"

#include <torch/autograd.h>

namespace gnnx::gnn::detail {
namespace {

// Non-tensor state travels as tensors in saved_data so that backward never dangles, whatever
// happens to the GcnAdjacency the forward pass read.
class SpmmFunction : public torch::autograd::Function<SpmmFunction> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& values,
                               const torch::Tensor& diag, const torch::Tensor& x,
                               const SpmmPattern& pattern) {
    auto out = torch::empty({pattern.rowptr.size(0) - 1, x.size(1)}, x.options());
    spmm_cpu(pattern.rowptr, pattern.col, values, diag, x, out);
    ctx->save_for_backward({values, diag, x});
    ctx->saved_data["rowptr"] = pattern.rowptr;
    ctx->saved_data["col"] = pattern.col;
    ctx->saved_data["rowptr_t"] = pattern.rowptr_t;
    ctx->saved_data["col_t"] = pattern.col_t;
    ctx->saved_data["perm_t"] = pattern.perm_t;
    return out;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const auto& values = saved[0];
    const auto& diag = saved[1];
    const auto& x = saved[2];
    const auto g = grads[0].contiguous();
    torch::Tensor grad_values, grad_diag, grad_x;
    if (ctx->needs_input_grad(2)) {
      const auto values_t = values.index_select(0, ctx->saved_data["perm_t"].toTensor());
      grad_x = torch::empty_like(x);
      spmm_cpu(ctx->saved_data["rowptr_t"].toTensor(), ctx->saved_data["col_t"].toTensor(),
               values_t, diag, g, grad_x);
    }
    if (ctx->needs_input_grad(0)) grad_values = torch::empty_like(values);
    if (diag.numel() > 0 && ctx->needs_input_grad(1)) grad_diag = torch::empty_like(diag);
    if (grad_values.defined() || grad_diag.defined()) {
      sddmm_cpu(ctx->saved_data["rowptr"].toTensor(), ctx->saved_data["col"].toTensor(), g, x,
                grad_values, grad_diag);
    }
    return {grad_values, grad_diag, grad_x, torch::Tensor()};
  }
};

}  // namespace

torch::Tensor spmm_autograd(const SpmmPattern& pattern, const torch::Tensor& values,
                            const torch::Tensor& diag, const torch::Tensor& x) {
  // Custom autograd functions cannot take undefined tensors: "no self term" is an empty diag.
  const auto diag_or_empty = diag.defined() ? diag.contiguous() : torch::empty({0}, x.options());
  return SpmmFunction::apply(values.contiguous(), diag_or_empty, x.contiguous(), pattern);
}

}  // namespace gnnx::gnn::detail
