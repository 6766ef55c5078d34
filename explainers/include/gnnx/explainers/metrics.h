#pragma once
// Explanation metrics.
//  - Ground-truth ROC-AUC over each target's computation subgraph, pooled over targets (the
//    GNNExplainer / PGExplainer protocol), and precision@k.
//  - Fidelity+ / fidelity- (probability and accuracy forms; Amara et al. 2022, "GraphFramEx"):
//    fid+ = f(G)_c - f(G \ S)_c  (removing the explanation S should change the prediction)
//    fid- = f(G)_c - f(S)_c      (the explanation alone should keep it)
//    and the characterisation score, their weighted harmonic mean of fid+ and 1 - fid-.
//  - Sparsity = 1 - |S| / |E_sub|.
//  - Motif recovery: are the top-k edges isomorphic to the planted motif (Boost VF2)?
// S is the set of the k most important edges of each explanation (k = top_k).

#include <gnnx/explainers/explanation.h>
#include <gnnx/gnn/graph.h>
#include <gnnx/gnn/models.h>

#include <vector>

namespace gnnx::explainers {

/// ROC-AUC of scores against binary labels (ties get their average rank). NaN when one class
/// is missing. Throws InputError on size mismatch.
double roc_auc(const torch::Tensor& scores, const torch::Tensor& labels);

/// Ground-truth edge AUC pooled over explanations: every explanation's edges with their mask
/// against gt_edge_mask[graph] (graph = 0 for node tasks, = target for graph tasks).
double explanation_auc(const std::vector<Explanation>& explanations,
                       const std::vector<torch::Tensor>& gt_edge_mask);

/// Ground-truth edge AUC against each node target's *own* motif: the same pooled AUC, but an
/// edge is positive only when both end points lie in the target's motif instance (motif_id [N],
/// -1 for base nodes; targets outside every motif are skipped). The original GNNExplainer code
/// scored its explanations this way (explain.py make_pred_real: the edges of the motif at the
/// explained node); explanation_auc also counts other motifs that the computation subgraph
/// reaches (on Tree-Grid 16% of the positives), which an explanation of the target's own
/// motif cannot rank. Node tasks only; NaN when no target lies in a motif.
double own_motif_auc(const std::vector<Explanation>& explanations, const gnn::Graph& graph,
                     const torch::Tensor& motif_id);

/// Mean over explanations of the fraction of the k best edges that are ground truth, with k =
/// the number of ground-truth edges in the explanation's subgraph (k given > 0 overrides).
double precision_at_k(const std::vector<Explanation>& explanations,
                      const std::vector<torch::Tensor>& gt_edge_mask, int64_t k = 0);

struct FidelityScores {
  double fidelity_plus_prob = 0, fidelity_minus_prob = 0;
  double fidelity_plus_acc = 0, fidelity_minus_acc = 0;
  double characterization = 0;  ///< from the probability forms, weights 0.5 / 0.5
  double sparsity = 0;          ///< mean 1 - k / |E_sub|
};

/// Fidelity of the explanations' top_k edges (node task: graphs = {the graph}; graph task:
/// graphs indexed by Explanation::target). Edges are removed by a zero mask on their normalised
/// message, as the explainers see them.
FidelityScores fidelity(gnn::GnnModel& model, const std::vector<gnn::Graph>& graphs,
                        const std::vector<Explanation>& explanations, int64_t top_k);

/// Characterisation score: (w+ + w-) / (w+ / fid+ + w- / (1 - fid-)).
double characterization_score(double fidelity_plus, double fidelity_minus, double w_plus = 0.5,
                              double w_minus = 0.5);

/// Fraction of explanations whose `motif_edges` best edges (undirected, merged) form a graph
/// isomorphic to `motif` (an undirected Graph), e.g. the 6-edge house for BA-Shapes.
double motif_recovery(const std::vector<Explanation>& explanations, const gnn::Graph& graph,
                      const gnn::Graph& motif);

/// How many explanations rank nothing: every edge of the target's subgraph has the same mask
/// value (e.g. Grad-CAM's all-zero map when ReLU(Σ α F) ≤ 0 on every node). Their edges tie,
/// so they pull the pooled AUC towards 0.5 without any error; `gnnx evaluate` reports the count
/// so such a score is not read as the method's. Explanations without an edge mask or with fewer
/// than two edges are not counted.
int64_t count_flat_edge_masks(const std::vector<Explanation>& explanations);

/// Contrastivity (Pope et al., "Explainability Methods for Graph Convolutional Neural
/// Networks", CVPR 2019, sec. 5): how different the node maps of the same graphs are when
/// explained for two classes (class_a[i] and class_b[i] explain the same target, e.g. from
/// TargetOptions().explained_class(0) and (1)). Each map is binarised as Pope et al. do for
/// fidelity: node n is marked when score_n / max(score) > threshold (a map without a positive
/// score marks nothing). Then
///   contrastivity = mean over graphs of  d_H(m_a, m_b) / |m_a ∪ m_b|
/// — the Hamming distance of the two binary maps divided by the number of nodes marked by either
/// class (the paper: "normalized by the total number of atoms identified by either class"); 0
/// when both classes mark the same nodes, 1 when they mark disjoint sets. Graphs where neither
/// map marks a node are skipped; NaN if all are. Throws InputError when the lists differ in
/// length, a pair explains different targets or node sets, or a node mask is missing.
double contrastivity(const std::vector<Explanation>& class_a,
                     const std::vector<Explanation>& class_b, double threshold = 0.01);

}  // namespace gnnx::explainers
