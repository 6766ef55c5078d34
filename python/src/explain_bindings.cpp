// gnnx.explain_nodes, gnnx.explain_graphs, gnnx.methods and the Explanation they return.

#include <gnnx/explainers/explainer.h>
#include <gnnx/gnn/error.h>
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <memory>
#include <string>

#include "bindings.h"
#include "call_scope.h"
#include "method_kwargs.h"
#include "model_handle.h"
#include "numpy_tensor.h"

namespace py = pybind11;

namespace gnnx::python {
namespace {

using explainers::ChosenSubgraph;
using explainers::Counterfactual;
using explainers::Explanation;
using explainers::Walk;
using Progress = std::function<void(int64_t, int64_t)>;

// `progress` is called from the thread that called explain (TargetOptions::progress), where the
// GIL is released: the call takes it back. The callable is held by a shared_ptr whose deleter
// takes the GIL too, so the copies explainers make of the options never touch Python's
// reference counts without it.
void set_progress(explainers::MethodOptions& options, const py::object& progress) {
  if (progress.is_none()) return;
  if (!PyCallable_Check(progress.ptr())) throw InputError("progress: expected a callable");
  std::shared_ptr<py::object> held(new py::object(progress), [](py::object* p) {
    py::gil_scoped_acquire gil;
    delete p;
  });
  options.progress = [held](int64_t done, int64_t total) {
    py::gil_scoped_acquire gil;
    (*held)(done, total);
  };
}

// As the command line: on undirected graphs, a mask ties u->v and v->u unless the caller says
// asymmetric=True.
explainers::MethodOptions undirected_defaults(const std::vector<gnn::Graph>& graphs) {
  explainers::MethodOptions o;
  o.symmetric_edges = std::all_of(graphs.begin(), graphs.end(),
                                  [](const gnn::Graph& g) { return gnn::is_undirected(g); });
  return o;
}

std::vector<Explanation> explain_nodes(const ModelHandle& model, const py::handle& x,
                                       const py::handle& edge_index, const py::handle& nodes,
                                       const std::string& method,
                                       const std::map<std::string, std::string>& options,
                                       const py::handle& y, const py::handle& edge_attr,
                                       const py::object& progress) {
  require_task(model, gnn::Task::kNodeClassification);
  const gnn::Graph graph = graph_for_model(model, x, edge_index, y, edge_attr, "graph");
  explainers::MethodOptions o = method_options(method, options, undirected_defaults({graph}));
  set_progress(o, progress);
  const torch::Tensor ids = int64_tensor(nodes, "nodes", -1).reshape({-1});
  CallScope scope;
  const auto explainer = explainers::make_explainer(method, o);
  return explainer->explain_nodes(*model.net, graph, ids);
}

std::vector<Explanation> explain_graphs(const ModelHandle& model, const py::list& graphs,
                                        const std::string& method,
                                        const std::map<std::string, std::string>& options,
                                        const py::object& progress) {
  require_task(model, gnn::Task::kGraphClassification);
  const std::vector<gnn::Graph> made = graphs_for_model(model, graphs);
  explainers::MethodOptions o = method_options(method, options, undirected_defaults(made));
  set_progress(o, progress);
  CallScope scope;
  const auto explainer = explainers::make_explainer(method, o);
  return explainer->explain_graphs(*model.net, made);
}

py::list method_table() {
  py::list out;
  for (const auto& info : explainers::methods()) {
    py::dict entry;
    entry["name"] = info.name;
    entry["summary"] = info.summary;
    entry["paper"] = info.paper;
    py::list tasks;
    for (const auto task : info.tasks) tasks.append(gnn::to_string(task));
    entry["tasks"] = tasks;
    entry["devices"] = info.devices;
    py::dict opts;
    for (const auto& o : explainers::common_method_options())
      opts[py::str(o.name)] = o.default_value;
    for (const auto& o : info.options) opts[py::str(o.name)] = o.default_value;
    entry["options"] = opts;
    out.append(entry);
  }
  return out;
}

}  // namespace

void bind_explanations(py::module_& m) {
  py::class_<Walk>(m, "Walk",
                   "A walk through the message-passing layers and its relevance (GNN-LRP).")
      .def_readonly("nodes", &Walk::nodes,
                    "node ids, the input side first; a repeated id is a self-step")
      .def_readonly("relevance", &Walk::relevance, "signed, in logit units")
      .def("__repr__", [](const Walk& w) {
        std::string text = "Walk(nodes=[";
        for (size_t i = 0; i < w.nodes.size(); ++i) {
          text += (i ? ", " : "") + std::to_string(w.nodes[i]);
        }
        return text + "], relevance=" + std::to_string(w.relevance) + ")";
      });
  py::class_<Counterfactual>(m, "Counterfactual",
                             "Edges whose deletion changes the prediction (cf-gnnexplainer).")
      .def_readonly("flipped", &Counterfactual::flipped,
                    "whether the deletions change the class (False: none was found)")
      .def_readonly("size", &Counterfactual::size, "edges deleted, an undirected edge counted once")
      .def_property_readonly(
          "deleted_edges", [](const Counterfactual& c) { return to_numpy(c.deleted_edges); },
          "original edge ids, both directions")
      .def_readonly("new_class", &Counterfactual::new_class,
                    "the model's class with those edges deleted (-1: not flipped)")
      .def_readonly("new_probability", &Counterfactual::new_probability, "its probability")
      .def("__repr__", [](const Counterfactual& c) {
        return "Counterfactual(flipped=" + std::string(c.flipped ? "True" : "False") +
               ", size=" + std::to_string(c.size) + ", new_class=" + std::to_string(c.new_class) +
               ")";
      });
  py::class_<ChosenSubgraph>(m, "ChosenSubgraph",
                             "The connected subgraph a subgraph search chose (subgraphx).")
      .def_property_readonly(
          "nodes", [](const ChosenSubgraph& c) { return to_numpy(c.nodes); },
          "original node ids, ascending")
      .def_readonly("shapley", &ChosenSubgraph::shapley,
                    "its Shapley value (Monte Carlo estimate), in probability units")
      .def_readonly("explored", &ChosenSubgraph::explored, "distinct subgraphs the search scored")
      .def_readonly("evaluated", &ChosenSubgraph::evaluated,
                    "masked copies the model evaluated (each distinct coalition once)")
      .def("__repr__", [](const ChosenSubgraph& c) {
        return "ChosenSubgraph(nodes=" + std::to_string(c.nodes.numel()) +
               ", shapley=" + std::to_string(c.shapley) +
               ", explored=" + std::to_string(c.explored) + ")";
      });
  py::class_<Explanation>(m, "Explanation",
                          "One target's explanation. Importances are over the target's "
                          "computation subgraph, named by the input graph's node and edge ids.")
      .def_readonly("method", &Explanation::method)
      .def_property_readonly("task", [](const Explanation& e) { return gnn::to_string(e.task); })
      .def_readonly("target", &Explanation::target, "node id (node task) or graph index")
      .def_readonly("predicted_class", &Explanation::predicted_class)
      .def_readonly("explained_class", &Explanation::explained_class)
      .def_readonly("probability", &Explanation::probability,
                    "the model's probability of explained_class")
      .def_property_readonly("node_ids", [](const Explanation& e) { return to_numpy(e.node_ids); })
      .def_property_readonly("node_mask",
                             [](const Explanation& e) { return to_numpy(e.node_mask); })
      .def_property_readonly("edge_ids", [](const Explanation& e) { return to_numpy(e.edge_ids); })
      .def_property_readonly("edge_mask",
                             [](const Explanation& e) { return to_numpy(e.edge_mask); })
      .def_property_readonly("feature_mask",
                             [](const Explanation& e) { return to_numpy(e.feature_mask); })
      .def_property_readonly("node_uncertainty",
                             [](const Explanation& e) { return to_numpy(e.node_uncertainty); })
      .def_readonly("options", &Explanation::options, "the method's options as used")
      .def_readonly("diagnostics", &Explanation::diagnostics,
                    "numbers the method reports on this target (integrated gradients: "
                    "completeness_gap_nodes, completeness_gap_edges)")
      .def_readonly("walks", &Explanation::walks,
                    "the most relevant walks, most relevant first (gnn-lrp; else empty)")
      .def_readonly("counterfactual", &Explanation::counterfactual,
                    "the smallest counterfactual found (cf-gnnexplainer; else None)")
      .def_readonly("subgraph", &Explanation::subgraph,
                    "the connected subgraph chosen (subgraphx; else None)")
      .def(
          "dense_edge_mask",
          [](const Explanation& e, int64_t num_edges) {
            if (num_edges < 0) throw InputError("num_edges must be >= 0");
            return to_numpy(e.dense_edge_mask(num_edges));
          },
          py::arg("num_edges"), "The edge mask over all edges of the graph (0 outside).")
      .def(
          "dense_node_mask",
          [](const Explanation& e, int64_t num_nodes) {
            if (num_nodes < 0) throw InputError("num_nodes must be >= 0");
            return to_numpy(e.dense_node_mask(num_nodes));
          },
          py::arg("num_nodes"), "The node mask over all nodes of the graph (0 outside).")
      .def("__repr__", [](const Explanation& e) {
        return "<gnnx.Explanation " + e.method + " " + gnn::to_string(e.task) + " target " +
               std::to_string(e.target) + ", class " + std::to_string(e.explained_class) + ", " +
               std::to_string(e.edge_ids.defined() ? e.edge_ids.numel() : 0) + " edges>";
      });

  m.def("_explain_nodes", &explain_nodes, py::arg("model"), py::arg("x"), py::arg("edge_index"),
        py::arg("nodes"), py::arg("method"), py::arg("options"), py::arg("y"), py::arg("edge_attr"),
        py::arg("progress"));
  m.def("_explain_graphs", &explain_graphs, py::arg("model"), py::arg("graphs"), py::arg("method"),
        py::arg("options"), py::arg("progress"));
  m.def("methods", &method_table,
        "Every registered method: name, summary, paper, tasks, devices and its options with "
        "their defaults (option names as on the command line; pass them as keyword arguments "
        "with underscores).");
}

}  // namespace gnnx::python
