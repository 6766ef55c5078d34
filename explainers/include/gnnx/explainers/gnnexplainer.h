#pragma once
// GNNExplainer (Ying, Bourgeois, You, Zitnik, Leskovec: "GNNExplainer: Generating Explanations
// for Graph Neural Networks", NeurIPS 2019).
//
// Learns a soft edge mask M = sigmoid(m) over each target's computation subgraph (and optionally
// a node-feature mask) that keeps the model's prediction while staying small and near-binary:
//   loss = -log p(class | G ⊙ M)  +  edge_size · Σ M  +  edge_ent · mean H(M)
//          [+ feat_size · mean F + feat_ent · mean H(F)]
// optimised with Adam. The mask multiplies each edge's already-normalised message
// (EdgeWeightMode::kMask): fed in as an edge weight that enters the degree normalisation, the
// BA-Shapes AUC of a batched explainer fell from 0.96 to 0.47 in our measurements.
//
// Many targets are optimised together as a disjoint union of their computation subgraphs
// (TargetBatch): the loss is a sum of per-target terms and Adam is element-wise, so every
// target's mask follows exactly the trajectory it would follow alone — at the cost of one pass.
//
// Defaults and their sources. The original code (Ying et al., explainer_main.py / explain.py)
// uses lr 0.1, 100 epochs, size 0.005 (sum), entropy 1.0 (mean), feature size 1.0, feature
// entropy 0.1, and initialises m ~ N(1, gain_relu·sqrt(2 / (2n))). PyTorch Geometric keeps the
// coefficients and the initialisation but uses lr 0.01. We keep the coefficients and the
// initialisation of both and the original's lr 0.1 with 100 epochs (see README for the
// measured AUCs of both settings).

#include <gnnx/explainers/explainer.h>

#include <torch/arg.h>

#include <functional>

namespace gnnx::explainers {

struct TargetBatch;

struct GNNExplainerOptions {
  TORCH_ARG(int64_t, epochs) = 100;
  TORCH_ARG(double, lr) = 0.1;
  TORCH_ARG(double, edge_size) = 0.005;
  TORCH_ARG(double, edge_ent) = 1.0;
  TORCH_ARG(double, feat_size) = 1.0;
  TORCH_ARG(double, feat_ent) = 0.1;
  /// Also learn one feature mask per target (shared by all its nodes).
  TORCH_ARG(bool, feature_mask) = false;
  /// Tie the two directions of an undirected edge: their mask is the mean of both logits.
  TORCH_ARG(bool, symmetric_edges) = false;
  TORCH_ARG(ExplainMode, mode) = ExplainMode::kModel;
  /// >= 0: explain this class for every target, whatever the mode; -1: as `mode` says.
  TORCH_ARG(int64_t, explained_class) = -1;
  /// Targets optimised together; 0 = all in one run.
  TORCH_ARG(int64_t, batch_size) = 0;
  TORCH_ARG(uint64_t, seed) = 0;
  /// Called after every epoch of every batch with (epochs done, epochs in all).
  TORCH_ARG(std::function<void(int64_t, int64_t)>, progress);


 public:
  /// Reads the shared options (0 / negative values keep these defaults).
  static GNNExplainerOptions from(const MethodOptions& options);
};

class GNNExplainer : public Explainer {
 public:
  explicit GNNExplainer(GNNExplainerOptions options = {});
  std::string name() const override { return "gnnexplainer"; }
  std::vector<Explanation> explain_nodes(gnn::GnnModel& model, const gnn::Graph& graph,
                                         const torch::Tensor& nodes) override;
  std::vector<Explanation> explain_graphs(gnn::GnnModel& model,
                                          const std::vector<gnn::Graph>& graphs) override;

 private:
  std::vector<Explanation> explain_batch(gnn::GnnModel& model, const TargetBatch& batch,
                                         const std::vector<int64_t>& labels);
  void start_progress(size_t targets, size_t chunk);
  GNNExplainerOptions options_;
  int64_t progress_done_ = 0, progress_total_ = 0;
};

}  // namespace gnnx::explainers
