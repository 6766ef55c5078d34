#include "model_handle.h"

#include <gnnx/gnn/error.h>
#include <gnnx/gnn/gcn_adjacency.h>
#include <gnnx/gnn/model_file.h>
#include <pybind11/stl.h>

#include "call_scope.h"
#include "numpy_tensor.h"

namespace py = pybind11;

namespace gnnx::python {

gnn::Graph graph_for_model(const ModelHandle& model, const py::handle& x,
                           const py::handle& edge_index, const py::handle& y,
                           const py::handle& edge_attr, const std::string& what) {
  torch::Tensor xt = float_tensor(x, what + ": x", 2);
  torch::Tensor ei = int64_tensor(edge_index, what + ": edge_index", 2);
  torch::Tensor yt = y.is_none() ? torch::Tensor() : int64_tensor(y, what + ": y", -1);
  if (yt.defined() && yt.dim() == 0) yt = yt.reshape({1});
  torch::Tensor ea =
      edge_attr.is_none() ? torch::Tensor() : float_tensor(edge_attr, what + ": edge_attr", 2);
  const auto& spec = model.net->spec();
  if (xt.size(1) != spec.in_features) {
    throw InputError(what + ": x has " + std::to_string(xt.size(1)) + " features per node but " +
                     "model '" + model.path + "' reads " + std::to_string(spec.in_features));
  }
  if (spec.edge_dim > 0 && !ea.defined()) {
    throw InputError(what + ": model '" + model.path + "' reads edge features (" +
                     std::to_string(spec.edge_dim) + " per edge); pass edge_attr");
  }
  if (ea.defined() && ea.size(1) != spec.edge_dim) {
    throw InputError(what + ": edge_attr has " + std::to_string(ea.size(1)) +
                     " features per edge but model '" + model.path + "' reads " +
                     std::to_string(spec.edge_dim));
  }
  return {xt.size(0), ei, xt, yt, ea};
}

std::vector<gnn::Graph> graphs_for_model(const ModelHandle& model, const py::list& graphs) {
  std::vector<gnn::Graph> made;
  made.reserve(graphs.size());
  for (size_t i = 0; i < graphs.size(); ++i) {
    const auto parts = graphs[i].cast<py::tuple>();
    made.push_back(graph_for_model(model, parts[0], parts[1], parts[2], parts[3],
                                   "graph " + std::to_string(i)));
  }
  return made;
}

void require_task(const ModelHandle& model, gnn::Task task) {
  if (model.net->spec().task != task) {
    throw InputError("model '" + model.path + "' is a " + gnn::to_string(model.net->spec().task) +
                     "-classification model; this call explains " + gnn::to_string(task) +
                     " classification");
  }
}

namespace {

ModelHandle load(const std::string& path) {
  gnn::ModelFile file;
  {
    CallScope scope;
    file = gnn::load_model(path);
  }
  return ModelHandle{file.model, file.card, path};
}

// The logits of one graph: [N, C] for a node classifier, [1, C] for a graph classifier.
py::object logits(const ModelHandle& model, const py::handle& x, const py::handle& edge_index,
                  const py::handle& edge_attr) {
  const gnn::Graph g = graph_for_model(model, x, edge_index, py::none(), edge_attr, "graph");
  torch::Tensor out;
  {
    CallScope scope;
    torch::NoGradGuard no_grad;
    model.net->eval();
    out = model.net->logits(g.x(), gnn::GcnAdjacency(g));
  }
  return to_numpy(out);
}

// Parameters and buffers by gnnx's names (a GCN layer's weight is [in, out]: h W), e.g. to
// rebuild the model in PyTorch for a comparison (python/bench/gnnexplainer_vs_pyg.py).
py::dict state_dict(const ModelHandle& model) {
  py::dict out;
  for (const auto& p : model.net->named_parameters()) out[py::str(p.key())] = to_numpy(p.value());
  for (const auto& b : model.net->named_buffers()) out[py::str(b.key())] = to_numpy(b.value());
  return out;
}

}  // namespace

void bind_models(py::module_& m) {
  py::class_<ModelHandle>(m, "Model",
                          "A gnnx model file, loaded (gnnx.load_model). Read-only; explain it "
                          "with gnnx.explain_nodes / gnnx.explain_graphs.")
      .def_property_readonly("path", [](const ModelHandle& h) { return h.path; })
      .def_property_readonly(
          "task", [](const ModelHandle& h) { return gnn::to_string(h.net->spec().task); })
      .def_property_readonly(
          "arch", [](const ModelHandle& h) { return gnn::to_string(h.net->spec().arch); })
      .def_property_readonly("in_features",
                             [](const ModelHandle& h) { return h.net->spec().in_features; })
      .def_property_readonly("edge_features",
                             [](const ModelHandle& h) { return h.net->spec().edge_dim; })
      .def_property_readonly("num_classes",
                             [](const ModelHandle& h) { return h.net->spec().num_classes; })
      .def_property_readonly("num_layers",
                             [](const ModelHandle& h) { return h.net->spec().num_layers; })
      .def_property_readonly("class_names", [](const ModelHandle& h) { return h.card.class_names; })
      .def_property_readonly("dataset", [](const ModelHandle& h) { return h.card.dataset; })
      .def_property_readonly(
          "card", [](const ModelHandle& h) { return h.card.to_metadata(); },
          "The model card as a flat dict of strings (data set, seed, "
          "training record, ...).")
      .def("state_dict", &state_dict,
           "Every parameter and buffer as a NumPy array, by gnnx's names.")
      .def("logits", &logits, py::arg("x"), py::arg("edge_index"),
           py::arg("edge_attr") = py::none(),
           "Logits of one graph: [N, C] for a node classifier, [1, C] for a graph classifier.")
      .def("__repr__", [](const ModelHandle& h) {
        const auto& s = h.net->spec();
        return "<gnnx.Model '" + h.path + "': " + gnn::to_string(s.arch) + " " +
               gnn::to_string(s.task) + " classifier, " + std::to_string(s.in_features) +
               " features, " + std::to_string(s.num_classes) + " classes>";
      });
  m.def("load_model", &load, py::arg("path"),
        "Loads a gnnx model file (gnnx train, gnnx import). Raises gnnx.InputError for a "
        "missing, corrupt or non-gnnx file.");
}

}  // namespace gnnx::python
