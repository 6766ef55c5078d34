// gnnx.dataset, gnnx.datasets and gnnx.train_benchmark: the benchmarks of `gnnx datasets` as
// NumPy arrays, and `gnnx train --dataset` from Python.

#include <gnnx/benchmarks/catalogue.h>
#include <gnnx/benchmarks/training.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/io/atomic_file.h>
#include <pybind11/stl.h>

#include "bindings.h"
#include "call_scope.h"
#include "numpy_tensor.h"

namespace py = pybind11;

namespace gnnx::python {
namespace {

py::dict graph_dict(const datasets::Dataset& ds, size_t i) {
  const gnn::Graph& g = ds.graphs[i];
  py::dict out;
  out["x"] = to_numpy(g.x());
  out["edge_index"] = to_numpy(g.edge_index());
  out["y"] = to_numpy(g.y());
  out["edge_attr"] = to_numpy(g.edge_attr());
  const auto at = [i](const std::vector<torch::Tensor>& v) {
    return i < v.size() ? to_numpy(v[i]) : py::none();
  };
  out["gt_edge_mask"] = at(ds.gt_edge_mask);
  out["gt_node_mask"] = at(ds.gt_node_mask);
  out["motif_id"] = at(ds.motif_id);
  return out;
}

py::dict load_dataset(const std::string& name, uint64_t seed, const std::string& data_dir) {
  benchmarks::BenchmarkData data;
  {
    CallScope scope;
    data = benchmarks::find_benchmark(name).load({seed, data_dir});
  }
  const datasets::Dataset& ds = data.dataset;
  py::dict out;
  out["name"] = ds.name;
  out["task"] = gnn::to_string(ds.task);
  out["num_classes"] = ds.num_classes;
  out["class_names"] = ds.class_names;
  out["eval_targets"] = to_numpy(ds.eval_targets);
  py::list graphs;
  for (size_t i = 0; i < ds.graphs.size(); ++i) graphs.append(graph_dict(ds, i));
  out["graphs"] = graphs;
  return out;
}

py::list dataset_table() {
  py::list out;
  for (const auto& b : benchmarks::catalogue()) {
    py::dict entry;
    entry["name"] = b.name;
    entry["family"] = benchmarks::to_string(b.family);
    entry["task"] = gnn::to_string(b.task);
    entry["class_names"] = b.class_names;
    entry["description"] = b.description;
    entry["source"] = b.source;
    entry["targets"] = b.targets;
    out.append(entry);
  }
  return out;
}

// `gnnx train --dataset NAME --seed S [--epochs E] --out OUT`: the same model, bit for bit.
py::dict train_benchmark(const std::string& name, const std::string& out, uint64_t seed,
                         std::optional<int64_t> epochs) {
  if (epochs && *epochs < 1)
    throw InputError("epochs must be >= 1, got " + std::to_string(*epochs));
  benchmarks::TrainedModel trained;
  int64_t trained_epochs = 0;
  {
    CallScope scope;
    io::check_writable_path(out);
    const benchmarks::Benchmark& b =
        benchmarks::find_benchmark(name, benchmarks::Family::kSynthetic);
    const datasets::Dataset ds = b.load({seed}).dataset;
    benchmarks::TrainSettings settings = b.training;
    if (epochs) settings.epochs = *epochs;
    trained = benchmarks::train_on_dataset(ds, settings, seed);
    trained.card.dataset_seed = seed;
    trained.card.created_by = "gnnx python";
    gnn::save_model(out, *trained.model, trained.card);
    trained_epochs = settings.epochs;
  }
  py::dict result;
  result["train_accuracy"] = trained.result.train_accuracy;
  result["val_accuracy"] = trained.result.val_accuracy;
  result["test_accuracy"] = trained.result.test_accuracy;
  result["epochs"] = trained_epochs;
  return result;
}

}  // namespace

void bind_datasets(py::module_& m) {
  m.def("_dataset", &load_dataset, py::arg("name"), py::arg("seed"), py::arg("data_dir"));
  m.def("datasets", &dataset_table,
        "Every benchmark gnnx.dataset() loads (as `gnnx datasets` lists them).");
  m.def("_train_benchmark", &train_benchmark, py::arg("name"), py::arg("out"), py::arg("seed"),
        py::arg("epochs"));
}

}  // namespace gnnx::python
