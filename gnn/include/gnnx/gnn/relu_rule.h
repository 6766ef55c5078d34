#pragma once
// The backward rules of a ReLU that explainers swap in (ForwardHooks::relu in model_hooks.h).
// Its own header so that layers with a ReLU inside (GIN's MLP, GINE's messages) take the rule
// without knowing the model interface.

#include <gnnx/gnn/torch_fwd.h>

namespace gnnx::gnn {

/// The backward rule of every ReLU of a pass (the forward is always max(z, 0)).
enum class ReluRule {
  kStandard,       ///< ∂/∂z = [z > 0] · g
  kGuided,         ///< guided backprop (Springenberg et al. 2015): [z > 0] · max(g, 0)
  kDeconvolution,  ///< deconvnet (Zeiler & Fergus 2014): max(g, 0)
  /// DeepLIFT's rescale rule (Shrikumar et al. 2017) on a pass over an input and its reference
  /// stacked along dim 0: rows [0, n/2) are the input, rows [n/2, n) the reference at the same
  /// positions (every ReLU of such a pass sees its rows, messages or graphs in this order).
  /// Input half: g · (ReLU(z) − ReLU(z₀)) / (z − z₀), the plain [z > 0] · g where
  /// |z − z₀| < 1e-10 (Captum's DeepLift); reference half: 0.
  kRescale,
};

/// ReLU of z with the given backward rule; differentiable in z.
torch::Tensor relu_with_rule(const torch::Tensor& z, ReluRule rule);

}  // namespace gnnx::gnn
