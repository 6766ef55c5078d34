#pragma once
// CF-GNNExplainer (Lucic, ter Hoeve, Tolomei, de Rijke, Silvestri: "CF-GNNExplainer:
// Counterfactual Explanations for Graph Neural Networks", AISTATS 2022; the authors' code is
// github.com/a-lucic/cf-gnnexplainer, src/cf_explanation/).
//
// The fewest edge deletions that change the prediction. Each edge of the target's computation
// subgraph gets a parameter p (one per undirected edge on an undirected graph: both directions
// share it), initialised to 1 as in the authors' code (their reset_parameters subtracts 1e-4
// out of place, a no-op), so every edge starts kept at σ(1) = 0.73. Every iteration:
//   1. the thresholded mask P = 1[σ(p) >= 0.5] (1 keeps an edge, 0 deletes it) gives the
//      model's actual prediction ŷ; if ŷ is not the explained class, the deleted edges are a
//      counterfactual, kept if it is smaller than the best so far (the first of equal sizes);
//   2. the loss L = 1[ŷ = c] · log p(c | G ⊙ σ(p)) + β · L_dist is minimised by one SGD step
//      (gradients clipped to norm 2 per target, as the authors' clip_grad_norm).
// L_pred is the authors' -NLL, zeroed once the class has flipped; its forward pass uses the
// soft mask σ(p), as their code (forward() with P_hat; forward_prediction() only for ŷ).
// L_dist, the number of deleted edges, carries no gradient in the authors' code: it is computed
// from the thresholded P, which has no graph, and `cf_adj.requires_grad = True` makes it a new
// leaf. We follow the code, so the optimisation is driven by L_pred alone and stops moving
// (without momentum) once the class flips; the paper's β · L_dist then only ranks the
// counterfactuals found, and any β > 0 picks the smallest, which is what we keep (so β is not an
// option). A straight-through gradient of L_dist would push every edge back towards "kept" at a
// rate β σ'(p), against a prediction gradient that is tiny for a confident prediction.
//
// The mask reaches the model exactly as GNNExplainer's (GnnModel::run through ModelInput's
// edge mask, EdgeWeightMode::kMask): it multiplies each edge's already-normalised message and
// self-loops are never masked, so a deleted edge's message is removed while the other messages'
// normalisation stays that of the original graph. This works on every architecture; for GCN it
// differs from the authors' code, which renormalises the perturbed adjacency (D̃ of A ⊙ σ(P) + I,
// detached). Counterfactual::new_class is the model's prediction with exactly this mask (0 on
// the deleted edges), which evaluate's fidelity also uses.
//
// Further deviations from the authors' code:
//  - Subgraph: the model's L hops (its receptive field); theirs takes L + 1 hops, whose extra
//    edges cannot change the prediction.
//  - The explained class (the prediction in model mode, the default) is the class to flip away
//    from; theirs is always the prediction. In phenomenon mode a misclassified target is thus a
//    counterfactual of size 0.
//  - Their evaluate.py scores best_cf_example[0], the FIRST counterfactual found (the list grows
//    as smaller ones are found); we report the smallest.
//  - Defaults: lr 0.1 and plain SGD, their settings for Tree-Cycles and Tree-Grid (their README;
//    BA-Shapes used lr 0.01 with Nesterov momentum 0.9: `--lr 0.01 --momentum 0.9`), 500
//    iterations. Any momentum > 0 is Nesterov's, as theirs.
//  - Graph tasks (theirs explains nodes only): the same over the whole graph.
//  - Directed graphs: one parameter per edge (theirs is symmetric always).
//
// Edge scores (Explanation::edge_mask): the deletion strength 1 − σ(p) of each edge in the
// iteration where the smallest counterfactual was found (at the end where none was), so the
// map ranks: exactly the counterfactual's edges score above 0.5, and the other edges by how far
// the prediction gradient moved them. Node scores: the largest score of a node's edges.
//
// Targets are optimised together as a disjoint union (TargetBatch), one group per worker
// thread, as GNNExplainer's: every operation on a parameter is element-wise or a per-target sum
// (the clipping norm), summed in the same order in any batch. The model's products may round
// differently in another batch (measured: 1 ulp in a score), so a target's scores depend on the
// batch and thread count only to float rounding; its counterfactual was the same in every test
// (a threshold could in principle fall inside that rounding). Deterministic for a given batch
// and thread count: nothing is random.

#include <gnnx/explainers/explainer.h>

#include <torch/arg.h>

#include <functional>

namespace gnnx::explainers {

struct CFGNNExplainerOptions {
  /// Iterations (the authors' num_epochs).
  TORCH_ARG(int64_t, epochs) = 500;
  /// SGD learning rate.
  TORCH_ARG(double, lr) = 0.1;
  /// Nesterov momentum; 0 = plain SGD.
  TORCH_ARG(double, momentum) = 0.0;
  /// Largest gradient norm per target (the authors' clip_grad_norm(…, 2.0)).
  TORCH_ARG(double, max_grad_norm) = 2.0;
  TORCH_ARG(ExplainMode, mode) = ExplainMode::kModel;
  /// >= 0: flip away from this class for every target, whatever the mode; -1: as `mode` says.
  TORCH_ARG(int64_t, explained_class) = -1;
  /// Targets optimised together; 0 = all in one run.
  TORCH_ARG(int64_t, batch_size) = 0;
  /// Called after every iteration of every batch with (iterations done, iterations in all).
  TORCH_ARG(std::function<void(int64_t, int64_t)>, progress);

 public:
  /// Reads the shared options (unset values keep these defaults).
  static CFGNNExplainerOptions from(const MethodOptions& options);
};

/// Fills Explanation::counterfactual for every target (and edge / node scores, see above).
/// Throws InputError for epochs < 1, lr <= 0, momentum outside [0, 1) or a negative batch size.
class CFGNNExplainer : public Explainer {
 public:
  explicit CFGNNExplainer(CFGNNExplainerOptions options = {});
  std::string name() const override { return "cf-gnnexplainer"; }

 protected:
  /// Splits the chunk into one group per thread, each optimised on its own thread.
  std::vector<Explanation> explain_chunk(const ExplainCall& call,
                                         const std::vector<int64_t>& targets,
                                         const std::vector<int64_t>& classes,
                                         const ChunkProgress& progress) const override;
  /// One optimisation over all parts of `batch`.
  std::vector<Explanation> explain_batch(const ExplainCall& call, const TargetBatch& batch,
                                         const std::vector<int64_t>& classes,
                                         const ChunkProgress& progress) const override;

 private:
  CFGNNExplainerOptions options_;
};

}  // namespace gnnx::explainers
