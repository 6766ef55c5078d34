#pragma once
// GNN-LRP: the relevance of walks through a graph network (Schnake, Eberle, Lederer, Nakajima,
// Schütt, Müller, Montavon: "Higher-Order Explanations of Graph Neural Networks via Relevant
// Walks", IEEE TPAMI 2021). A member of the gradient family (gradient_methods.h), built on the
// rules of layer-wise relevance propagation (attribution_methods.h, Lrp).

#include <gnnx/explainers/attribution_methods.h>

#include <string>

namespace gnnx::explainers {

struct GnnLrpOptions {
  /// The rule of every stage. LRP-γ by default: the rule Schnake et al. use for GCNs.
  TORCH_ARG(LrpRule, rule) = LrpRule::kGamma;
  TORCH_ARG(double, epsilon) = 1e-6;  ///< kEpsilon's stabiliser (LrpOptions::epsilon)
  TORCH_ARG(double, alpha) = 1;       ///< kAlphaBeta's α (LrpOptions::alpha)
  /// kGamma's γ, one value for every stage (LrpOptions::gamma). 1: DIG's value everywhere but
  /// in the first message-passing layer, where DIG takes 2.
  TORCH_ARG(double, gamma) = 1;
  /// Pruning: after each layer, keep only the walks_per_layer partial walks of each target with
  /// the largest |relevance| (what they would hand further down is dropped, and reported);
  /// 0 keeps every walk (exact). Walks grow as degree^L; see the README's cost table.
  TORCH_ARG(int64_t, walks_per_layer) = 0;
  /// The walks each Explanation lists (Explanation::walks), most relevant first.
  TORCH_ARG(int64_t, top_walks) = 10;

 public:
  /// The rule as Lrp takes it.
  LrpOptions rules() const;
  /// lrp-rule, epsilon, alpha, gamma, walks-per-layer and top-walks from the shared options
  /// (unset keeps the default).
  static GnnLrpOptions from(const MethodOptions& options);
};

/// GNN-LRP (Schnake et al. 2021), "gnn-lrp": the explained logit y_c decomposed over walks
/// W = (j_0, j_1, ..., j_L), j_{l+1} a node whose layer-l output reads j_l (an in-neighbour, or
/// j_l itself through the layer's own term: a self-step). For fixed activations every LRP step
/// is linear in the relevance it hands down, so a walk's relevance is LRP's (Lrp, the same
/// rule, written out in relevance_rules.h) with only the walk's rows kept after each layer:
///   R_W = Σ_f [ LRP_0 ∘ mask_{j_1} ∘ LRP_1 ∘ ... ∘ mask_{j_L} (R at the top) ]_{j_0 f}
/// the paper's "relevant walks" (its Eq. 8–10, and DIG's dig/xgraph/method/gnn_lrp.py, which
/// masks the same rows). Where relevance enters:
///   node task   the target's rows of the last layer: walks of length L ending at the target;
///               with a head that reads every layer's output at the target (gnnx's node
///               classifiers: concatenated layers), layer l's share starts walks of length
///               l + 1 (j_0, ..., j_{l+1} = target)
///   graph task  every node's rows through the readout (sum, mean: by the rule; max: the
///               arg-max nodes), so walks end anywhere in the graph
/// Summed over the walks that start at a node, walk relevances give back Lrp's node relevance
/// under the same rule, exactly (every step is linear). The maps for the metrics:
///   node n:  Σ_W R_W · (positions of W at n) / (positions of W): each walk's relevance spread
///            equally over its nodes, so the node map sums to Σ_W R_W
///   edge e:  Σ_W R_W · (times W steps along e) (DIG's edge attribution); self-steps are no
///            edge
///   features: Σ_W R_W's per-feature part at j_0 (Explanation::feature_mask)
///   walks:   the top_walks walks by |R_W| (Explanation::walks)
/// Diagnostics per target: "walks" (walks computed, each with nonzero relevance), "walks_all"
/// (the walks of the computation subgraph that relevance enters, through every edge and self
/// term: what exact enumeration costs at most), "relevance_pruned" (what the pruned partial
/// walks held), "relevance_edge_features" (GINE: the share that ended in edge features, which
/// no walk carries further), "relevance_absorbed" (y_c minus all of these: what biases and ε
/// took), "explained_logit".
/// Cost: the walks grow as degree^L; exact enumeration batches the partial walks of every
/// target, each step reading only the in-edges of the walk's current node (never a full-graph
/// pass per walk). walks_per_layer bounds each layer's partial walks per target.
/// Deviations from DIG's code: one γ for every stage (DIG: 2 in the first message-passing
/// layer, 1 elsewhere); γ is applied to contributions (input times weight, split by sign) and
/// to the bias (b + γ b⁺), as the rule is written (Montavon et al. 2019), where DIG modifies the
/// weights only and keeps the bias (the same on non-negative inputs without bias); no 1e-30
/// added to the denominators (a zero denominator hands nothing down); GIN's MLP takes the rule
/// too (DIG scales its weights by 1 + γ, which is LRP-0). Parallel edges between two nodes are
/// separate steps, so a node sequence can be listed twice.
/// Applies where Lrp does: every gnnx layer type and head (GAT with its attention held fixed).
class GnnLrp : public GradientExplainer {
 public:
  explicit GnnLrp(GnnLrpOptions options = {}, TargetOptions target = {});
  std::string name() const override { return "gnn-lrp"; }

 protected:
  void check_model(const gnn::GnnModel& model) const override;
  Attribution attribute(gnn::GnnModel& model, const TargetBatch& batch,
                        const torch::Tensor& classes, const ChunkProgress& progress) const override;

 private:
  GnnLrpOptions options_;
};

}  // namespace gnnx::explainers
