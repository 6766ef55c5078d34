// The graph readout and the model's device.

#include <gnnx/gnn/max_readout.h>
#include <gnnx/gnn/models.h>

#include <c10/core/GradMode.h>
#include <torch/types.h>

#include <limits>

namespace gnnx::gnn {

torch::Tensor readout(const torch::Tensor& h, const torch::Tensor& batch, int64_t num_graphs,
                      Readout kind) {
  return readout(h, batch, num_graphs, kind, MaxTies::kWithinTolerance);
}

torch::Tensor readout(const torch::Tensor& h, const torch::Tensor& batch, int64_t num_graphs,
                      Readout kind, MaxTies ties) {
  TORCH_CHECK(h.dim() == 2, "readout: h must be [N, D], got ", h.sizes());
  TORCH_CHECK(batch.dim() == 1 && batch.size(0) == h.size(0),
              "readout: batch must be [N] with N = ", h.size(0), ", got ", batch.sizes());
  TORCH_CHECK(batch.scalar_type() == torch::kLong, "readout: batch must be int64, got ",
              batch.scalar_type());
  TORCH_CHECK(num_graphs >= 1, "readout: num_graphs must be >= 1, got ", num_graphs);
  if (batch.numel() > 0) {
    const int64_t lo = batch.min().item<int64_t>();
    const int64_t hi = batch.max().item<int64_t>();
    TORCH_CHECK(lo >= 0 && hi < num_graphs, "readout: batch values must lie in [0, ", num_graphs,
                "), got [", lo, ", ", hi, "]");
  }
  const torch::Tensor index = batch.to(h.device());

  if (kind == Readout::kMax) {
    // The maximum is exact whatever order the elements arrive in. Starting from -inf (not 0 with
    // include_self=false) keeps the start value out of the shares.
    const torch::Tensor start =
        torch::full({num_graphs, h.size(1)}, -std::numeric_limits<double>::infinity(), h.options());
    const torch::Tensor max =
        start.scatter_reduce(0, index.unsqueeze(1).expand_as(h), h.detach(), "amax");
    const torch::Tensor empty =
        torch::bincount(index, /*weights=*/{}, /*minlength=*/num_graphs).eq(0);
    torch::Tensor out = max;
    if (ties == MaxTies::kExact) {
      // amax's own backward: the gradient split evenly among bitwise-equal maxima.
      out = start.scatter_reduce(0, index.unsqueeze(1).expand_as(h), h, "amax");
    } else if (h.requires_grad() && c10::GradMode::is_enabled()) {
      // The value stays the exact maximum (h − h.detach() is exactly 0); the gradient is the tie
      // rule's shares (max_readout.h), with exact 0/1 counts: deterministic on every device.
      const torch::Tensor shares = max_readout_shares(h, index, num_graphs, max);
      out = max + torch::zeros_like(max).index_add(0, index, shares * (h - h.detach()));
    }
    return out.masked_fill(empty.unsqueeze(1), 0);
  }

  const torch::Tensor zeros = torch::zeros({num_graphs, h.size(1)}, h.options());
  torch::Tensor sum;
  if (h.device().is_cpu()) {
    // index_add on CPU adds rows serially in index order: deterministic, no atomics.
    sum = zeros.index_add(0, index, h);
  } else {
    // Accelerators add with atomics; a one-hot matrix product sums in a fixed order.
    const torch::Tensor one_hot =
        (torch::arange(num_graphs, index.options()).unsqueeze(1) == index.unsqueeze(0))
            .to(h.scalar_type());
    sum = torch::matmul(one_hot, h);
  }
  if (kind == Readout::kSum) return sum;

  const torch::Tensor count =
      torch::bincount(index, /*weights=*/{}, /*minlength=*/num_graphs).to(h.scalar_type());
  return sum / count.clamp_min(1).unsqueeze(1);
}

torch::Tensor max_readout_shares(const torch::Tensor& h, const torch::Tensor& batch,
                                 int64_t num_graphs, const torch::Tensor& max) {
  TORCH_CHECK(max.dim() == 2 && max.size(0) == num_graphs && max.size(1) == h.size(1),
              "max_readout_shares: max must be [", num_graphs, ", ", h.size(1), "], got ",
              max.sizes());
  const torch::Tensor index = batch.to(h.device());
  const torch::Tensor top = max.detach().to(h.dtype()).index_select(0, index);  // [N, D]
  const torch::Tensor tied =
      (h.detach() >= top - kMaxReadoutTieTolerance * top.abs()).to(h.scalar_type());
  const torch::Tensor count = torch::zeros_like(max, h.options()).index_add(0, index, tied);
  return tied / count.index_select(0, index).clamp_min(1);
}

torch::Device model_device(const torch::nn::Module& model) {
  const auto params = model.parameters();
  return params.empty() ? torch::Device(torch::kCPU) : params.front().device();
}

}  // namespace gnnx::gnn
