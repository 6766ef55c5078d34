#include "perturbed_samples.h"

#include <gnnx/gnn/subgraph.h>

#include <c10/util/Exception.h>
#include <torch/autograd.h>

#include <vector>

namespace gnnx::explainers::detail {

FeatureColumns feature_columns(const torch::Tensor& x) {
  const auto xf = x.to(torch::kFloat);
  if (xf.size(0) == 0) return {torch::zeros({xf.size(1)}), torch::zeros({xf.size(1)})};
  return {xf.mean(0), std::get<0>(xf.max(0))};
}

torch::Tensor perturbed_copies(const torch::Tensor& x, const torch::Tensor& chosen,
                               Perturbation perturbation, const FeatureColumns& columns,
                               at::Generator gen) {
  TORCH_CHECK(chosen.dim() == 2 && chosen.size(1) == x.size(0),
              "perturbed_copies: chosen must be [samples, ", x.size(0), "], got ", chosen.sizes());
  const int64_t samples = chosen.size(0);
  const int64_t features = x.size(1);
  auto out = x.to(torch::kFloat).repeat({samples, 1});
  const auto rows = chosen.reshape({-1}).to(torch::kBool).nonzero().squeeze(1);
  const int64_t k = rows.size(0);
  if (k == 0) return out;
  torch::Tensor values;
  switch (perturbation) {
    case Perturbation::kRandint:
      values = at::randint(0, 2, {k, features}, gen, torch::kFloat);
      break;
    case Perturbation::kMean:
      values = columns.mean.expand({k, features});
      break;
    case Perturbation::kZero:
      values = torch::zeros({k, features});
      break;
    case Perturbation::kMax:
      values = columns.max.expand({k, features});
      break;
    case Perturbation::kUniform: {
      // The authors' noise: U(−ε, ε) with ε = 5% of the column's maximum, then clipped to
      // [0, maximum] (first at 0, then at the maximum, in their order).
      const auto eps = 0.05 * columns.max;
      const auto noise = at::rand({k, features}, gen) * 2 * eps - eps;
      values = (out.index_select(0, rows) + noise).clamp_min(0);
      values = torch::where(values > columns.max, columns.max.expand({k, features}), values);
      break;
    }
  }
  out.index_copy_(0, rows, values.contiguous());
  return out;
}

torch::Tensor copy_probabilities(gnn::GnnModel& model, const TargetBatch& one,
                                 const torch::Tensor& xs, int64_t copies) {
  TORCH_INTERNAL_ASSERT(one.num_parts() == 1, "copy_probabilities: one target, got ",
                        one.num_parts());
  const int64_t n = one.graph.num_nodes();
  TORCH_CHECK(xs.size(0) == copies * n, "copy_probabilities: ", copies, " copies of ", n,
              " nodes need ", copies * n, " feature rows, got ", xs.size(0));
  const gnn::Batch copied = gnn::make_batch(std::vector<gnn::Graph>(copies, one.graph));
  gnn::GcnAdjacency adj(copied.graph);
  if (one.task == gnn::Task::kNodeClassification) {
    // Every copy keeps the parent graph's normalisation, as the part itself does, so the
    // target's unperturbed probabilities are those on the full graph.
    adj = adj.with_normalisation(one.adj.edge_norm().repeat({copies}),
                                 one.adj.self_norm().repeat({copies}));
  }
  const torch::Device device = gnn::model_device(model);
  gnn::ModelInput input;
  input.x = xs.to(device);
  input.adj = &adj;
  if (one.task == gnn::Task::kGraphClassification) {
    input.batch = copied.batch.to(device);
    input.num_graphs = copies;
  }
  torch::NoGradGuard no_grad;
  const auto logits = model.run(input).logits.to(torch::kCPU).to(torch::kDouble);
  const auto probs = torch::softmax(logits, 1);
  if (one.task == gnn::Task::kNodeClassification) return probs.view({copies, n, -1});
  return probs;
}

}  // namespace gnnx::explainers::detail
