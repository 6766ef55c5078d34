#pragma once
// PGExplainer (Luo, Cheng, Xu, Yu, Zong, Chen, Zhang: "Parameterized Explainer for Graph Neural
// Network", NeurIPS 2020).
//
// One network explains every target: an MLP (in -> 64, ReLU, 64 -> 1) maps each edge (u -> v) of
// a target's computation subgraph to a logit ω_uv from the trained GNN's node embeddings
// z (the last message-passing layer's output): [z_u, z_v, z_i] for node target i, [z_u, z_v]
// for graph targets. It is trained once over a set of targets (by default the explained ones)
// and then explains any target with one forward pass: mask = sigmoid(ω), no noise.
//
// Training, `epochs` Adam steps; each step runs one masked forward pass over the disjoint union
// of all the training targets' subgraphs (TargetBatch) and minimises
//   Σ_t [ CE(f(G_t ⊙ M_t), c_t) + edge_size · Σ_{e∈t} m_e + edge_ent · mean_{e∈t} H(0.99 m_e +
//   0.005) ]
// with c_t the class explained for target t (its predicted class in "model" mode, its label in
// "phenomenon" mode), H the binary entropy and m the binary concrete (Gumbel-sigmoid) sample
//   m_e = sigmoid((log u_e − log(1 − u_e) + ω_e) / τ),   u_e ~ U(0, 1),
// at temperature τ(epoch) = t0 · (tT / t0)^(epoch / epochs). On undirected graphs the model reads
// the symmetrised sample (m_uv + m_vu) / 2, as the authors' _masked_adj; the size and entropy
// terms read m itself, as theirs. The mask enters the model as GNNExplainer's does: multiplying
// each edge's already-normalised message, self-loops unmasked (ModelInput::edge_mask,
// through a LayerPlan on node targets), for every architecture.
//
// Deviations from the authors' code (flyingdoog/PGExplainer, TensorFlow; codes/Explainer.py and
// the BA-shapes notebook), each named:
//   - Node embeddings: the last layer's output (as PyTorch Geometric's PGExplainer); the
//     authors' node models hand over every layer's output concatenated. The MLP reads them
//     divided by their root mean square over the training call's nodes (fixed at training,
//     reused when explaining). Neither the authors nor PyG scale them; unscaled, a model whose
//     embeddings are ~100 in size starts every edge logit near ±30, the sigmoid's gradient
//     underflows and every mask stays at 1e-12 (BA-Shapes seeds 1 and 2: AUC 0.5 each; five
//     seeds 0.786 ± 0.263 unscaled, 0.944 ± 0.054 scaled).
//   - Temperature: the paper's schedule t0 (tT / t0)^(epoch / epochs) with t0 = 5, tT = 1 by
//     default (--temperature-start / --temperature-end); the authors' notebooks use 1 -> 0.05.
//   - Prediction loss: cross-entropy of the logits (log-softmax); theirs is −log(p + 1e-6).
//   - Entropy: the mean over the target's edges (as PyTorch Geometric); theirs is the mean over
//     the n² entries of a dense n × n mask, most of them off the graph.
//   - Batching: one masked pass over all training targets per step (their loop sums the same
//     per-target losses one subgraph at a time and then takes one step: the same gradient).
//   - Node targets' embeddings are the full graph's (as theirs, computed once per call or chunk);
//     graph targets' their graph's.
//   - No weight decay on the MLP (their default is 0 too) and no budget or connectivity terms
//     (off in their defaults). Their element-wise gradient clipping to [−2, 2] is kept.
//   - The MLP starts from Glorot-uniform weights and zero biases (Keras' Dense, as theirs)
//     drawn from the explainer's seed; the noise u from the same seed, one draw per step.
// Defaults (epochs, lr, coefficients): see PGExplainerOptions and the README's PGExplainer
// section, which gives the AUCs they reach.
//
// Training and explaining run single-threaded inside (gnn::run_in_threads with one piece), so
// the result is the same bits for any thread count.

#include <gnnx/explainers/explainer.h>

#include <torch/arg.h>

#include <string>
#include <vector>

namespace gnnx::explainers {

struct TargetBatch;
class LayerPlan;

struct PGExplainerOptions {
  /// Adam steps over the training targets.
  TORCH_ARG(int64_t, epochs) = 30;
  TORCH_ARG(double, lr) = 0.003;
  /// Coefficient of Σ m per target.
  TORCH_ARG(double, edge_size) = 0.05;
  /// Coefficient of the mean mask entropy per target.
  TORCH_ARG(double, edge_ent) = 1.0;
  /// Temperature schedule τ(epoch) = start · (end / start)^(epoch / epochs).
  TORCH_ARG(double, temperature_start) = 5.0;
  TORCH_ARG(double, temperature_end) = 1.0;
  /// Width of the MLP's hidden layer.
  TORCH_ARG(int64_t, hidden) = 64;
  /// Symmetrise the mask the model reads: (m_uv + m_vu) / 2 (set on undirected graphs).
  TORCH_ARG(bool, symmetric_edges) = false;
  /// The training targets as an id list (gnnx/io/id_list.h); "" = the explained targets.
  TORCH_ARG(std::string, fit_targets) = "";
  /// Seed of the MLP's initial weights and of the concrete samples' noise.
  TORCH_ARG(uint64_t, seed) = 0;

 public:
  /// Reads the shared options (unset ones keep these defaults).
  static PGExplainerOptions from(const MethodOptions& options);
};

/// τ(epoch) = start · (end / start)^(epoch / epochs), epoch in [0, epochs).
double pgexplainer_temperature(double start, double end, int64_t epoch, int64_t epochs);

/// The binary concrete sample sigmoid((log u − log(1 − u) + logits) / temperature), element-wise;
/// uniform in (0, 1), same shape as logits. Differentiable in logits.
torch::Tensor concrete_sample(const torch::Tensor& logits, const torch::Tensor& uniform,
                              double temperature);

/// The explainer network: logits = relu(in W1ᵀ + b1) W2ᵀ + b2 over each edge's input
/// in = [z_src, z_dst] (graph targets) or [z_src, z_dst, z_target] (node targets).
struct EdgeMlp {
  torch::Tensor w1;  ///< [H, in]
  torch::Tensor b1;  ///< [H]
  torch::Tensor w2;  ///< [1, H]
  torch::Tensor b2;  ///< [1]

  /// Glorot-uniform weights, zero biases, from a generator seeded by `seed`; float.
  static EdgeMlp glorot(int64_t in, int64_t hidden, uint64_t seed);
  /// The edges' logits [E]: z [N, D] node embeddings, src / dst [E] int64 rows of z, target
  /// [E] int64 rows of z (the explained node of each edge's part) or undefined (graph targets:
  /// then w1 is [H, 2D], else [H, 3D]). Computed as per-node products of w1's column blocks,
  /// gathered per edge (the same sums as the concatenated input's). Differentiable in z and the
  /// weights. Throws c10::Error on shapes.
  torch::Tensor edge_logits(const torch::Tensor& z, const torch::Tensor& src,
                            const torch::Tensor& dst, const torch::Tensor& target) const;
  std::vector<torch::Tensor> parameters() const { return {w1, b1, w2, b2}; }
};

/// The terms of PGExplainer's loss, each summed over the targets.
struct PGExplainerLoss {
  torch::Tensor prediction;  ///< Σ_t CE(logits_t, class_t)
  torch::Tensor size;        ///< edge_size · Σ m
  torch::Tensor entropy;     ///< edge_ent · Σ_t mean_{e∈t} H(0.99 m_e + 0.005)
  torch::Tensor total() const { return prediction + size + entropy; }
};

/// The loss of one step: target_logits [T, C] of the masked model, classes[t] in [0, C),
/// mask [E] the concrete sample, edge_part [E] int64 the target of each edge (in [0, T)).
PGExplainerLoss pgexplainer_loss(const torch::Tensor& target_logits,
                                 const std::vector<int64_t>& classes, const torch::Tensor& mask,
                                 const torch::Tensor& edge_part, double edge_size, double edge_ent);

/// Rows of the MLP's embeddings for each union edge of a batch: its source, its destination and
/// (node batches) its explained node. Node batches index the parent graph's nodes
/// (batch.node_id), graph batches the union's.
struct EdgeRows {
  torch::Tensor src, dst;  ///< [E] int64
  torch::Tensor target;    ///< [E] int64 (node batches), else undefined
};
EdgeRows edge_rows(const TargetBatch& batch);

/// One training step's loss over `batch`, as the training loop computes it: the MLP's logits
/// from `embeddings` (node batches: [N, D] per node of the parent graph; graph batches: [N, D]
/// per union node) at edge_rows(batch), the concrete sample at `temperature` from
/// `uniform` ([E]), symmetrised over `reverse` ([E] involution, or undefined), the masked model
/// (through `plan` when given, node batches), and pgexplainer_loss. Follows the MLP's dtype.
PGExplainerLoss pgexplainer_step_loss(gnn::GnnModel& model, const TargetBatch& batch,
                                      const EdgeMlp& mlp, const torch::Tensor& embeddings,
                                      const std::vector<int64_t>& classes,
                                      const torch::Tensor& uniform, double temperature,
                                      const torch::Tensor& reverse,
                                      const PGExplainerOptions& options,
                                      const LayerPlan* plan = nullptr);

/// Trains the MLP once per call (or once for all calls: trained_on_nodes / trained_on_graphs)
/// and explains with it. Each explanation's diagnostics hold the training's "fit_targets"
/// (count), "fit_loss_first" and "fit_loss_last" (the loss of its first and last epoch).
class PGExplainer : public Explainer {
 public:
  /// Throws InputError for epochs < 1, lr, temperatures or hidden <= 0, negative coefficients,
  /// or a malformed fit_targets list.
  explicit PGExplainer(PGExplainerOptions options = {}, TargetOptions target = {});
  std::string name() const override { return "pgexplainer"; }

  /// A copy that explains with the network this one trains on `nodes` of `graph` (classes as
  /// the target options say) and trains nothing more: train once, explain in any number of
  /// calls, on this graph or another one of the same features. Throws InputError as
  /// explain_nodes does.
  ///
  /// Example:
  ///   const auto trained = PGExplainer().trained_on_nodes(*model, graph, {300, 301, 302});
  ///   auto explanations = trained.explain_nodes(*model, graph, {400, 405});
  PGExplainer trained_on_nodes(gnn::GnnModel& model, const gnn::Graph& graph,
                               const std::vector<int64_t>& nodes) const;
  /// The same for graph targets: trained on graphs[i] for each i in `indices`.
  PGExplainer trained_on_graphs(gnn::GnnModel& model, const std::vector<gnn::Graph>& graphs,
                                const std::vector<int64_t>& indices) const;

 protected:
  /// Trains the MLP on the fit targets (options) or else on `targets`; a trained copy
  /// (trained_on_nodes / trained_on_graphs) returns its network.
  std::shared_ptr<const FittedState> fit(const ExplainCall& call,
                                         const std::vector<int64_t>& targets,
                                         const std::vector<int64_t>& classes) const override;
  /// One forward pass of the trained MLP over the batch's edges.
  std::vector<Explanation> explain_batch(const ExplainCall& call, const TargetBatch& batch,
                                         const std::vector<int64_t>& classes,
                                         const ChunkProgress& progress) const override;

 private:
  PGExplainerOptions options_;
  std::shared_ptr<const FittedState> trained_;  ///< set in a trained copy
};

}  // namespace gnnx::explainers
