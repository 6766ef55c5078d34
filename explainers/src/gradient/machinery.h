#pragma once
// What the gradient family shares: the class score whose gradient every method reads, the input
// gradients of a pass (changed through the model's ForwardHooks), and the per-part reductions.

#include <ATen/core/Generator.h>
#include <gnnx/explainers/target_batch.h>
#include <gnnx/gnn/models.h>

#include <functional>
#include <string>
#include <vector>

namespace gnnx::explainers::detail {

/// Throws InputError "<method>: needs a gnnx NodeClassifier or GraphClassifier, or ..." when the
/// model's description says its backward rules cannot be replaced (ForwardHooks::relu), even
/// with its attention coefficients held fixed (ForwardHooks::fixed_attention).
void require_relu_rules(const gnn::GnnModel& model, const std::string& method);

/// Σ_t logits[t, classes[t]]: the sum over the independent parts of each target's score.
torch::Tensor class_score(const torch::Tensor& logits, const torch::Tensor& classes);

/// A mask of ones over the union's edges, dtype and device of x.
torch::Tensor ones_edge_mask(const TargetBatch& batch, const torch::Tensor& x);

/// How a pass picks each part's class once its forward pass has the logits [T, C]: [T] int64.
using ClassChoice = std::function<torch::Tensor(const torch::Tensor& logits)>;

/// `classes` ([T] int64, which must outlive the choice), whatever the logits.
ClassChoice given(const torch::Tensor& classes);
/// A ClassChoice with predict_targets' rule (labels[t] where >= 0, else the arg-max) that also
/// keeps the pass's logits (detached) and the classes in `prediction`, which must outlive it.
ClassChoice predicting(const std::vector<int64_t>& labels, TargetPrediction& prediction);

struct InputGradients {
  torch::Tensor x;     ///< [N, F] ∂score/∂x
  torch::Tensor edge;  ///< [E] ∂score/∂w
};
/// Gradients of class_score at (x, w) (w undefined = ones), one backward pass.
InputGradients input_gradients(gnn::GnnModel& model, const TargetBatch& batch,
                               const torch::Tensor& x, const torch::Tensor& edge_weight,
                               const torch::Tensor& classes, const gnn::ForwardHooks& hooks = {});
/// The same with the classes picked from the pass's own logits.
InputGradients input_gradients(gnn::GnnModel& model, const TargetBatch& batch,
                               const torch::Tensor& x, const torch::Tensor& edge_weight,
                               const ClassChoice& choose, const gnn::ForwardHooks& hooks = {});

/// Row-wise L2 norm [N, F] -> [N].
torch::Tensor row_norm(const torch::Tensor& rows);

/// Edge score from node scores: min(node[src], node[dst]) per union edge.
torch::Tensor edge_min_of_nodes(const TargetBatch& batch, const torch::Tensor& node_scores);

/// A copy in float64 on the CPU (undefined stays undefined): the relevance and excitation
/// methods compute in float64.
torch::Tensor to_double(const torch::Tensor& t);

/// Per-part sums and means of node rows [N, D] -> [T, D] (mean of an empty part: 0).
torch::Tensor part_sum(const TargetBatch& batch, const torch::Tensor& rows);
torch::Tensor part_mean(const TargetBatch& batch, const torch::Tensor& rows);

/// Sizes of the parts from an offset vector [T+1].
std::vector<int64_t> part_sizes(const torch::Tensor& offsets);

/// The union of some parts of `batch` (ascending part ids), keeping their normalisation, with
/// the position in `batch` of each of its nodes and edges.
struct PartSubset {
  TargetBatch batch;
  torch::Tensor node_origin;  ///< [N'] int64
  torch::Tensor edge_origin;  ///< [E'] int64
};
PartSubset select_parts(const TargetBatch& batch, const std::vector<int64_t>& parts);

/// All parts and nodes of `batch` with only the edges where keep [E] bool is true, keeping their
/// normalisation (e.g. the edges a LayerPlan says some layer reads: the targets' logits stay).
PartSubset select_edges(const TargetBatch& batch, const torch::Tensor& keep);

/// `copies` copies of the union `batch` one after another, keeping its normalisation: node
/// c·N + n, edge c·E + e and part c·T + t are node n, edge e and part t of copy c. Every layer's
/// rows, messages and graphs then come copy by copy (what ReluRule::kRescale reads), and one
/// forward pass evaluates each copy with its own features and edge mask.
TargetBatch stack_copies(const TargetBatch& batch, int64_t copies);

/// One CPU generator per part, seeded from (seed, target): each target draws the same stream
/// whatever batch it is in.
std::vector<at::Generator> part_generators(const TargetBatch& batch, uint64_t seed);

}  // namespace gnnx::explainers::detail
