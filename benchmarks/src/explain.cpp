// explain_targets() and its checks (formerly the CLI's run_explainer).

#include <gnnx/benchmarks/explain.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/subgraph.h>
#include <gnnx/io/tensor_vector.h>

#include <algorithm>

namespace gnnx::benchmarks {
namespace {

/// Moves a model to a device for one scope and back to the CPU after it, also on an exception.
class ModelOnDevice {
 public:
  ModelOnDevice(gnn::GnnModel& model, torch::Device device) : model_(model) {
    if (!device.is_cpu()) model_.to(device);
  }
  ~ModelOnDevice() { model_.to(torch::kCPU); }
  ModelOnDevice(const ModelOnDevice&) = delete;
  ModelOnDevice& operator=(const ModelOnDevice&) = delete;

 private:
  gnn::GnnModel& model_;
};

}  // namespace

void check_model_fits(const gnn::GnnModel& model, const datasets::Dataset& ds,
                      const std::string& model_name) {
  const auto& spec = model.spec();
  const int64_t features = ds.graphs.empty() ? 0 : ds.graphs.front().num_features();
  if (spec.task != ds.task) {
    throw InputError("model '" + model_name + "' is a " + gnn::to_string(spec.task) +
                     "-classification model but data set '" + ds.name + "' is a " +
                     gnn::to_string(ds.task) + "-classification task");
  }
  if (spec.in_features != features || spec.num_classes != ds.num_classes) {
    throw InputError("model '" + model_name + "' expects " + std::to_string(spec.in_features) +
                     " features and " + std::to_string(spec.num_classes) +
                     " classes but data set '" + ds.name + "' has " + std::to_string(features) +
                     " and " + std::to_string(ds.num_classes));
  }
}

std::vector<int64_t> eval_targets(const datasets::Dataset& ds) {
  return io::to_vector<int64_t>(ds.eval_targets);
}

torch::Device explainer_device(const std::string& method, torch::Device requested) {
  const auto& devices = explainers::find_method(method).devices;
  const std::string type = requested.is_cpu() ? "cpu" : "cuda";
  const bool listed = std::find(devices.begin(), devices.end(), type) != devices.end();
  return listed ? requested : torch::Device(torch::kCPU);
}

std::vector<explainers::Explanation> explain_targets(
    const std::string& method, const explainers::MethodOptions& options, gnn::GnnModel& model,
    const datasets::Dataset& ds, const std::vector<int64_t>& ids, torch::Device device) {
  const ModelOnDevice placed(model, explainer_device(method, device));
  auto explainer = explainers::make_explainer(method, options);
  if (ds.task == gnn::Task::kNodeClassification) {
    return explainer->explain_nodes(model, ds.graphs.front(), ids);
  }
  // All the graphs, the ids explained: a method's own training targets index the data set.
  return explainer->explain_graphs(model, ds.graphs, ids);
}

}  // namespace gnnx::benchmarks
