#pragma once
// GraphMask (Schlichtkrull, De Cao, Titov: "Interpreting Graph Neural Networks for NLP With
// Differentiable Edge Masking", ICLR 2021), with the semantics of PyTorch Geometric's
// GraphMaskExplainer (torch_geometric/explain/algorithm/graphmask_explainer.py).
//
// Every message-passing layer l gets a gate network that reads each edge (u -> v) of the layer
// and decides whether its message is kept:
//   logit_l(u -> v) = w_out · ReLU( ( LN_s(W_s h_u) + LN_t(W_t h_v) + b ) / 2 ) + b_out
// with h the layer's input (the node features for layer 0, else the previous layer's output in
// the unmasked pass), W_s, W_t without bias, LN a LayerNorm per input, b a scalar, and the
// hidden width the layer's output width (as PyG). The gate is a hard concrete sample
// (hard_concrete.h) of logit + loc_bias; the model runs with layer l's messages multiplied by
// layer l's gates (self-loops kept).
//
// Training is amortised: one set of gate networks for all targets, trained once per call over
// the fit targets (--fit-targets, else the explained ones) as one disjoint union (TargetBatch),
// layer by layer from the last down to the first (the authors' and PyG's schedule): `epochs`
// Adam steps with layers l..L-1 trained, then layer l-1 joins. Each step minimises
//   penalty_scaling · Σ_{trained l} mean_e P(z_l,e ≠ 0)  +  softplus(λ) · mean_t relu(CE_t −
//   allowance)
// (the expected L0 norm of the gates, and the Lagrangian constraint that each target's
// cross-entropy against its explained class stays within `allowance`), and takes one ascent
// step on λ (RMSprop, centered, λ clamped to [−2, 30] as PyG). Explaining is one pass: each
// layer's deterministic gate min(1, max(0, sigmoid(a) (ζ − γ) + γ)); an edge's score is the
// mean of its gates over the layers (PyG: edge_mask.view(L, E).mean(0)).
//
// Deviations from PyTorch Geometric's GraphMaskExplainer (and from the authors' code,
// MichSchli/GraphMask), each named:
//   - Gated messages are multiplied by the gate (ModelInput/LayerGraph edge masks, the only
//     per-message hook our model interface has), not replaced by a learned baseline
//     m' = z m + (1 − z) b: a closed gate removes the message. (PyG's baseline is a scalar per
//     layer.)
//   - The gate network reads the source and target hidden states only: our layers do not hand
//     out their messages, so PyG's third input (the message) is left out and the sum is
//     divided by 2, not 3.
//   - PyG's explain_message also puts every message through layer_norm and ReLU whenever its
//     explainer runs, changing the model it explains; we run the model as it is.
//   - Amortised over many targets (PyG trains per call on one index); the straight-through
//     threshold (below) and the constraint are per target, the L0 penalty the mean over the
//     union's edges of each layer.
//   - λ persists across the steps (PyG re-creates it at init_lambda before every step, so its
//     RMSprop never moves it: its λ is always init_lambda; the authors' λ persists, as ours).
//   - Layers not yet trained are left open (gate 1); PyG gates them with their untrained
//     networks.
//   - No node-feature mask (PyG learns one beside the gates; the paper has none).
//   - Training reads the soft clipped gates z (the authors' code), not PyG's straight-through
//     gates (1 where z exceeds the midpoint of its target's smallest and largest gate, else 0;
//     the gradient the soft gate's), which GraphMaskOptions::straight_through turns on. Where a
//     layer's gate inputs are all equal (the synthetic sets' constant node features make every
//     first-layer gate equal) the midpoint rule closes every gate (z > z is false) and no
//     gradient reopens them: with it on, every Tree-Cycles explanation was flat (each edge 1/3).
//   - The explanation's score is the mean over layers of the soft deterministic gates; PyG
//     binarises them first (at the midpoint of all gates of the layer), which ties most edges
//     and makes a target's scores depend on the other targets of its batch.
//   - Hard concrete constants: PyG's (β = 1/3, γ = −0.2, ζ = 1.2, location bias 2); the
//     authors' ζ = 1.0 and location bias 3.
//   - Weights: W_s, W_t uniform in ±√3 · √(2 / (Σ in + hidden)) (PyG's reset_parameters),
//     LayerNorm 1 and 0, the output layer as torch.nn.Linear (uniform ±1/√hidden), from the
//     explainer's seed; the noise from another stream of the same seed.
//
// Options: the command line's --epochs (per layer), --lr, --edge-size (the penalty scaling: the
// L0 norm is the size term), --fit-targets and --explainer-seed; allowance, init_lambda,
// lambda_lr, the hard concrete constants and straight_through are GraphMaskOptions only.
//
// Training and explaining run single-threaded inside (gnn::run_in_threads with one piece), so
// the result is the same bits for any thread count.

#include <gnnx/explainers/explainer.h>
#include <gnnx/explainers/hard_concrete.h>

#include <torch/arg.h>

#include <string>
#include <vector>

namespace gnnx::explainers {

struct GraphMaskOptions {
  /// Adam steps per layer (the layers are trained one after another: epochs · L steps).
  TORCH_ARG(int64_t, epochs) = 100;
  /// Adam's learning rate for the gate networks.
  TORCH_ARG(double, lr) = 0.01;
  /// Weight of the expected L0 penalty (PyG: penalty_scaling, in [0, 10]; the command line's
  /// --edge-size).
  TORCH_ARG(double, penalty_scaling) = 5.0;
  /// Cross-entropy each target may lose before the constraint binds (PyG: allowance, [0, 1]).
  TORCH_ARG(double, allowance) = 0.03;
  /// Initial Lagrange multiplier λ (the constraint's weight is softplus(λ)).
  TORCH_ARG(double, init_lambda) = 0.55;
  /// RMSprop learning rate of λ's ascent.
  TORCH_ARG(double, lambda_lr) = 0.01;
  /// The hard concrete distribution's constants.
  TORCH_ARG(HardConcreteOptions, hard_concrete) = {};
  /// Binarise the gates in training's forward pass (PyG's straight-through gates); false (the
  /// default): the soft clipped gates, as the authors' code. See the file comment for why.
  TORCH_ARG(bool, straight_through) = false;
  /// The training targets as an id list (gnnx/io/id_list.h); "" = the explained targets.
  TORCH_ARG(std::string, fit_targets) = "";
  /// Seed of the gate networks' initial weights and of the gates' noise.
  TORCH_ARG(uint64_t, seed) = 0;

 public:
  /// Reads the shared options (unset ones keep these defaults).
  static GraphMaskOptions from(const MethodOptions& options);
};

/// One layer's gate network (see the file comment), float.
struct GateNetwork {
  torch::Tensor w_source, w_target;  ///< [H, in]
  torch::Tensor ln_weight, ln_bias;  ///< [2, H]: the source's and the target's LayerNorm
  torch::Tensor bias;                ///< [] the scalar added before the ReLU
  torch::Tensor w_out;               ///< [1, H]
  torch::Tensor b_out;               ///< [1]

  /// PyG's initialisation (see the file comment) from a generator seeded by `seed`.
  static GateNetwork init(int64_t in, int64_t hidden, uint64_t seed);
  /// The edges' gate logits [E] (before the location bias): h [N, in] the layer's input, src /
  /// dst [E] int64 rows of h. Differentiable in the weights. Throws c10::Error on shapes.
  torch::Tensor logits(const torch::Tensor& h, const torch::Tensor& src,
                       const torch::Tensor& dst) const;
  std::vector<torch::Tensor> parameters() const {
    return {w_source, w_target, ln_weight, ln_bias, bias, w_out, b_out};
  }
};

/// The terms of one training step.
struct GraphMaskLoss {
  torch::Tensor penalty;     ///< Σ_{trained l} mean_e P(z_l,e ≠ 0), unscaled
  torch::Tensor constraint;  ///< mean_t relu(CE_t − allowance)
  /// penalty_scaling · penalty + softplus(λ) · constraint
  torch::Tensor total(double penalty_scaling, const torch::Tensor& lambda) const;
};

/// The constraint term: target_logits [T, C] of the masked model, classes[t] in [0, C).
torch::Tensor graphmask_constraint(const torch::Tensor& target_logits,
                                   const std::vector<int64_t>& classes, double allowance);

/// Trains the gate networks once per call and explains with them. Each explanation's
/// diagnostics hold the training's "fit_targets" (count), "fit_loss_first", "fit_loss_last",
/// "fit_constraint_last" (the last step's mean relu(CE − allowance)) and "fit_lambda" (λ at the
/// end).
class GraphMask : public Explainer {
 public:
  /// Throws InputError for epochs < 1, lr or lambda_lr not > 0, penalty_scaling outside
  /// [0, 10], init_lambda or allowance outside [0, 1] (PyG's ranges), invalid hard concrete
  /// constants or a malformed fit_targets list.
  explicit GraphMask(GraphMaskOptions options = {}, TargetOptions target = {});
  std::string name() const override { return "graphmask"; }

 protected:
  std::shared_ptr<const FittedState> fit(const ExplainCall& call,
                                         const std::vector<int64_t>& targets,
                                         const std::vector<int64_t>& classes) const override;
  /// One pass of the trained gate networks over the batch's edges, every layer.
  std::vector<Explanation> explain_batch(const ExplainCall& call, const TargetBatch& batch,
                                         const std::vector<int64_t>& classes,
                                         const ChunkProgress& progress) const override;

 private:
  GraphMaskOptions options_;
};

}  // namespace gnnx::explainers
