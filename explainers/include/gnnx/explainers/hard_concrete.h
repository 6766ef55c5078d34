#pragma once
// The hard concrete distribution (Louizos, Welling, Kingma: "Learning Sparse Neural Networks
// through L0 Regularization", ICLR 2018), the gate GraphMask samples for every message.
//
// A binary concrete sample s = sigmoid((log u − log(1 − u) + a) / β), u ~ U(0, 1), is stretched
// to (γ, ζ) and clipped to [0, 1]:  z = min(1, max(0, s (ζ − γ) + γ)).  With γ < 0 < 1 < ζ the
// gate is exactly 0 or exactly 1 with positive probability, and the expected L0 norm has the
// closed form
//   P(z ≠ 0) = P(s > −γ / (ζ − γ)) = sigmoid(a − β log(−γ / ζ)).
// Without noise (explaining) the gate is min(1, max(0, sigmoid(a) (ζ − γ) + γ)).
// `a` is the gate network's output plus a location bias (HardConcreteOptions::loc_bias), as
// PyTorch Geometric's GraphMaskExplainer and the authors' code add one: gates start open.

#include <torch/arg.h>
#include <torch/types.h>

namespace gnnx::explainers {

/// The distribution's constants. Defaults: PyTorch Geometric's GraphMaskExplainer._hard_concrete
/// (β = 1/3, γ = −0.2, ζ = 1.2, location bias 2); the authors' HardConcrete has ζ = 1.0 and a
/// location bias of 3.
struct HardConcreteOptions {
  /// Temperature β > 0 of the concrete sample.
  TORCH_ARG(double, beta) = 1.0 / 3.0;
  /// Stretch interval (γ, ζ), γ < 0 and ζ >= 1.
  TORCH_ARG(double, gamma) = -0.2;
  TORCH_ARG(double, zeta) = 1.2;
  /// Added to the gate network's logits before sampling.
  TORCH_ARG(double, loc_bias) = 2.0;

 public:
  /// Throws c10::Error unless β > 0, γ < 0 and ζ >= 1 (all finite).
  void check() const;
};

/// A sample of the gates and their expected L0 norms, element-wise.
struct HardConcreteSample {
  torch::Tensor gate;     ///< z in [0, 1], differentiable in the logits (0 where clipped)
  torch::Tensor penalty;  ///< P(z ≠ 0) = sigmoid(a − β log(−γ / ζ)), differentiable
};

/// The stochastic gates for `logits` (any shape) with the uniform noise `uniform` (same shape,
/// entries in (0, 1)); a = logits + loc_bias. Follows the logits' dtype and device. Throws
/// c10::Error on shapes or invalid options.
HardConcreteSample hard_concrete_sample(const torch::Tensor& logits, const torch::Tensor& uniform,
                                        const HardConcreteOptions& options = {});

/// The deterministic gates min(1, max(0, sigmoid(a) (ζ − γ) + γ)), a = logits + loc_bias.
torch::Tensor hard_concrete_mean_gate(const torch::Tensor& logits,
                                      const HardConcreteOptions& options = {});

/// PyTorch Geometric's straight-through gates: in the forward pass each gate is 1 where it
/// exceeds the midpoint of its group's smallest and largest gate (group: `group` [E] int64, in
/// [0, groups)), else 0; the backward pass is the soft gate's (the identity from `gate`).
torch::Tensor straight_through_gates(const torch::Tensor& gate, const torch::Tensor& group,
                                     int64_t groups);

}  // namespace gnnx::explainers
