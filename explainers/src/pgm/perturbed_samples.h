#pragma once
// PGM-Explainer's samples: perturbed copies of one target's input, and the model's class
// probabilities on all copies from one batched forward pass (a disjoint union of the copies).

#include <gnnx/explainers/method_options.h>
#include <gnnx/explainers/target_batch.h>
#include <gnnx/gnn/models.h>

#include <ATen/core/Generator.h>
#include <torch/types.h>

namespace gnnx::explainers::detail {

/// Per-column statistics of a feature matrix that the perturbations read: [F] float each.
struct FeatureColumns {
  torch::Tensor mean;
  torch::Tensor max;
};

/// The column means and maxima of x [N, F] (0 for N = 0).
FeatureColumns feature_columns(const torch::Tensor& x);

/// x [n, F] repeated once per row of `chosen` ([S, n] bool): [S * n, F] float, copy s holding x
/// with each row i where chosen[s][i] replaced as `perturbation` says (randint and uniform draw
/// from `gen`, serially, in row-major order of the replaced entries).
torch::Tensor perturbed_copies(const torch::Tensor& x, const torch::Tensor& chosen,
                               Perturbation perturbation, const FeatureColumns& columns,
                               at::Generator gen);

/// The model's class probabilities (softmax in double) on `copies` copies of the single part of
/// `one` (a TargetBatch of one target) with node features xs [copies * n, F], in one pass:
/// node task [copies, n, C], every node's own; graph task [copies, C].
torch::Tensor copy_probabilities(gnn::GnnModel& model, const TargetBatch& one,
                                 const torch::Tensor& xs, int64_t copies);

}  // namespace gnnx::explainers::detail
