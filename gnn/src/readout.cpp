// The graph readout and the model's device.

#include <gnnx/gnn/models.h>

#include <torch/types.h>

#include <limits>

namespace gnnx::gnn {

torch::Tensor readout(const torch::Tensor& h, const torch::Tensor& batch, int64_t num_graphs,
                      Readout kind) {
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
    // The maximum is exact whatever order the elements arrive in, and its backward splits the
    // gradient evenly among ties with exact 0/1 counts: deterministic on every device. Starting
    // from -inf (not 0 with include_self=false) keeps the start value out of that tie count.
    const torch::Tensor start =
        torch::full({num_graphs, h.size(1)}, -std::numeric_limits<double>::infinity(), h.options());
    const torch::Tensor max = start.scatter_reduce(0, index.unsqueeze(1).expand_as(h), h, "amax");
    const torch::Tensor empty =
        torch::bincount(index, /*weights=*/{}, /*minlength=*/num_graphs).eq(0);
    return max.masked_fill(empty.unsqueeze(1), 0);
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

torch::Device model_device(const torch::nn::Module& model) {
  const auto params = model.parameters();
  return params.empty() ? torch::Device(torch::kCPU) : params.front().device();
}

}  // namespace gnnx::gnn
