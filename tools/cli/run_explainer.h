#pragma once
// Running an explainer on targets of a data set, with the checks and the progress bar that
// `gnnx explain` and `gnnx evaluate` share.

#include <gnnx/datasets/synthetic.h>
#include <gnnx/explainers/explainer.h>
#include <gnnx/gnn/models.h>

#include <string>
#include <vector>

namespace gnnx::tools {

/// Throws InputError when `model` cannot run on `ds` (task, feature width, class count),
/// naming the model file and the data set.
void check_model_fits(const gnn::GnnModel& model, const datasets::Dataset& ds,
                      const std::string& model_name);

/// Explains `ids` (node ids, or graph indices for a graph task) with the named method.
/// Explanation::target holds the original id. Shows progress unless quiet. GNNExplainer's
/// optimisation runs its model on `device` (the model is moved there and back); the gradient
/// family makes one or a few passes and runs on the CPU whatever `device` says.
std::vector<explainers::Explanation> run_explainer(
    const std::string& method, explainers::MethodOptions options, gnn::GnnModel& model,
    const datasets::Dataset& ds, const std::vector<int64_t>& ids, bool quiet,
    torch::Device device = torch::Device(torch::kCPU));

/// The device `method` runs on when the user asks for `requested` (see run_explainer).
torch::Device explainer_device(const std::string& method, torch::Device requested);

/// The data set's standard evaluation targets as a vector.
std::vector<int64_t> eval_targets(const datasets::Dataset& ds);

}  // namespace gnnx::tools
