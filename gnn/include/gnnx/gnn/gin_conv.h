#pragma once
// GINConv (Xu et al., "How Powerful are Graph Neural Networks?", ICLR 2019), with the semantics
// and parameter names of PyTorch Geometric's GINConv:
//
//   out_i = h_Θ( (1 + ε) x_i + Σ_{e = (j -> i)} m_e x_j )
//
// h_Θ an MLP (Linear, ReLU, Linear, ...: parameters nn.0.weight, nn.0.bias, nn.2.weight, ...),
// ε a buffer `eps` (fixed) or a parameter `eps` (learned, train_eps). m_e is the edge mask
// (1 without one): it multiplies the message x_j before the sum; the self term is never masked.
// The neighbour sum is a weighted-sum SpMM (csr_spmm: CPU and CUDA kernels).

#include <gnnx/gnn/gcn_adjacency.h>
#include <gnnx/gnn/relu_rule.h>

#include <torch/arg.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

namespace gnnx::gnn {

/// Options for GINConv. Changing them after construction has no effect until reset().
///
/// Example:
///   GINConv conv(GINConvOptions(16, 32).train_eps(true));  // nn: 16 -> 32 -> ReLU -> 32
struct GINConvOptions {
  GINConvOptions(int64_t in_features, int64_t out_features)
      : in_features_(in_features), out_features_(out_features) {}
  TORCH_ARG(int64_t, in_features);
  TORCH_ARG(int64_t, out_features);
  /// Width of the MLP's hidden layers; 0 = out_features.
  TORCH_ARG(int64_t, hidden) = 0;
  /// Linear layers of the MLP (ReLU between them, none after the last); >= 1.
  TORCH_ARG(int64_t, mlp_layers) = 2;
  /// ε, or its initial value when learned.
  TORCH_ARG(double, eps) = 0.0;
  /// Learn ε (a parameter named eps); otherwise it is a buffer named eps, as in PyG.
  TORCH_ARG(bool, train_eps) = false;
};

class GINConvImpl : public torch::nn::Cloneable<GINConvImpl> {
 public:
  GINConvImpl(int64_t in_features, int64_t out_features)
      : GINConvImpl(GINConvOptions(in_features, out_features)) {}
  explicit GINConvImpl(const GINConvOptions& options);

  /// The MLP's Linear layers as torch::nn::Linear initialises them (as PyG's reset); ε set to
  /// options.eps. Throws c10::Error for non-positive widths.
  void reset() override;
  void pretty_print(std::ostream& stream) const override;

  /// x [N, in_features] -> [N, out_features]. edge_mask undefined or [E] (edge order), on x's
  /// device. `relu` is the backward rule of the MLP's ReLUs. Throws c10::Error on shape mismatch.
  torch::Tensor forward(const torch::Tensor& x, const GcnAdjacency& adj,
                        const torch::Tensor& edge_mask = {}, ReluRule relu = ReluRule::kStandard);

  const GINConvOptions& options() const { return options_; }
  /// The MLP h_Θ (registered as "nn").
  const torch::nn::Sequential& nn() const { return nn_; }
  /// [1]: ε (a parameter with train_eps, else a buffer).
  const torch::Tensor& eps() const { return eps_; }

 private:
  GINConvOptions options_;
  torch::nn::Sequential nn_{nullptr};
  torch::Tensor eps_;
};

TORCH_MODULE(GINConv);

}  // namespace gnnx::gnn
