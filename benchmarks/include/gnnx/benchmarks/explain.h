#pragma once
// Explaining targets of a data set with a registered method: the checks and the device
// placement that `gnnx explain` and evaluate() share.

#include <gnnx/datasets/synthetic.h>
#include <gnnx/explainers/explainer.h>
#include <gnnx/gnn/models.h>

#include <string>
#include <vector>

namespace gnnx::benchmarks {

/// Throws InputError when `model` cannot run on `ds` (task, feature width, class count),
/// naming the model (`model_name`, e.g. its file) and the data set.
void check_model_fits(const gnn::GnnModel& model, const datasets::Dataset& ds,
                      const std::string& model_name);

/// The data set's standard evaluation targets (Dataset::eval_targets) as a vector.
std::vector<int64_t> eval_targets(const datasets::Dataset& ds);

/// The device `method`'s model runs on when `requested`: `requested` where the registry lists
/// its type among the method's devices (MethodInfo::devices; every registered method lists
/// "cpu" and "cuda"), else the CPU. The explainer's own state (masks, per-part bookkeeping,
/// random draws) stays with the input graph on the CPU; its model passes run on the device.
/// Throws InputError for an unknown method.
torch::Device explainer_device(const std::string& method, torch::Device requested);

/// Explains `ids` of `ds` (node ids, or graph indices for a graph task) with the named method;
/// Explanation::target holds the id. The model runs on explainer_device(method, device) and is
/// back on the CPU afterwards. Throws InputError for an unknown method or one that cannot
/// explain this model.
std::vector<explainers::Explanation> explain_targets(
    const std::string& method, const explainers::MethodOptions& options, gnn::GnnModel& model,
    const datasets::Dataset& ds, const std::vector<int64_t>& ids,
    torch::Device device = torch::Device(torch::kCPU));

}  // namespace gnnx::benchmarks
