// gnnx.metrics: the scores `gnnx evaluate` reports, on NumPy input and gnnx.Explanation lists.

#include <gnnx/explainers/metrics.h>
#include <gnnx/gnn/error.h>
#include <pybind11/stl.h>

#include "bindings.h"
#include "call_scope.h"
#include "model_handle.h"
#include "numpy_tensor.h"

namespace py = pybind11;

namespace gnnx::python {
namespace {

using explainers::Explanation;

double roc_auc(const py::handle& scores, const py::handle& labels) {
  const torch::Tensor s = float_tensor(scores, "scores", 1, torch::kDouble);
  const torch::Tensor l = int64_tensor(labels, "labels", 1);
  const auto bad = (l != 0) & (l != 1);
  if (bad.any().item<bool>()) throw InputError("labels: expected 0 and 1 only");
  CallScope scope;
  return explainers::roc_auc(s, l.to(torch::kBool));
}

// One [E] boolean mask (a node task's one graph) or a list of them (graph i's for target i).
std::vector<torch::Tensor> ground_truth(const py::handle& gt) {
  std::vector<torch::Tensor> out;
  if (py::isinstance<py::list>(gt) || py::isinstance<py::tuple>(gt)) {
    int i = 0;
    for (const auto& item : gt) {
      out.push_back(
          int64_tensor(item, "gt_edge_mask[" + std::to_string(i++) + "]", 1).to(torch::kBool));
    }
  } else {
    out.push_back(int64_tensor(gt, "gt_edge_mask", 1).to(torch::kBool));
  }
  return out;
}

// Each explanation's edge ids must lie inside its graph's ground-truth mask.
void check_ids(const std::vector<Explanation>& explanations, const std::vector<torch::Tensor>& gt) {
  for (const auto& e : explanations) {
    const size_t graph = e.task == gnn::Task::kGraphClassification ? e.target : 0;
    if (graph >= gt.size()) {
      throw InputError("explanation of graph " + std::to_string(e.target) + " but only " +
                       std::to_string(gt.size()) + " ground-truth mask(s) given");
    }
    if (!e.edge_mask.defined()) {
      throw InputError("method '" + e.method + "' gives no edge mask to score");
    }
    if (e.edge_ids.numel() > 0 && e.edge_ids.max().item<int64_t>() >= gt[graph].numel()) {
      throw InputError("gt_edge_mask of graph " + std::to_string(graph) + " has " +
                       std::to_string(gt[graph].numel()) +
                       " edges, fewer than the explanation's edge ids reach");
    }
  }
}

double explanation_auc(const std::vector<Explanation>& explanations, const py::handle& gt) {
  const auto masks = ground_truth(gt);
  check_ids(explanations, masks);
  CallScope scope;
  return explainers::explanation_auc(explanations, masks);
}

double precision_at_k(const std::vector<Explanation>& explanations, const py::handle& gt,
                      int64_t k) {
  if (k < 0) throw InputError("k must be >= 0, got " + std::to_string(k));
  const auto masks = ground_truth(gt);
  check_ids(explanations, masks);
  CallScope scope;
  return explainers::precision_at_k(explanations, masks, k);
}

py::dict fidelity(const ModelHandle& model, const py::list& graphs,
                  const std::vector<Explanation>& explanations, int64_t top_k) {
  if (top_k < 1) throw InputError("top_k must be >= 1, got " + std::to_string(top_k));
  const std::vector<gnn::Graph> made = graphs_for_model(model, graphs);
  for (const auto& e : explanations) {
    const auto graph = e.task == gnn::Task::kGraphClassification ? e.target : 0;
    if (graph < 0 || graph >= static_cast<int64_t>(made.size())) {
      throw InputError("explanation of graph " + std::to_string(e.target) + " but " +
                       std::to_string(made.size()) + " graph(s) given");
    }
  }
  explainers::FidelityScores s;
  {
    CallScope scope;
    s = explainers::fidelity(*model.net, made, explanations, top_k);
  }
  py::dict out;
  out["fidelity_plus_prob"] = s.fidelity_plus_prob;
  out["fidelity_minus_prob"] = s.fidelity_minus_prob;
  out["fidelity_plus_acc"] = s.fidelity_plus_acc;
  out["fidelity_minus_acc"] = s.fidelity_minus_acc;
  out["characterization"] = s.characterization;
  out["sparsity"] = s.sparsity;
  return out;
}

}  // namespace

void bind_metrics(py::module_& m) {
  m.def("roc_auc", &roc_auc, py::arg("scores"), py::arg("labels"),
        "ROC-AUC of scores against 0/1 labels (ties get their average rank); NaN when one "
        "class is missing.");
  m.def("explanation_auc", &explanation_auc, py::arg("explanations"), py::arg("gt_edge_mask"),
        "Ground-truth edge AUC pooled over explanations (GNNExplainer's protocol): every "
        "explanation's edges scored against gt_edge_mask (one [E] mask for a node task; a list, "
        "one per graph, indexed by Explanation.target, for a graph task).");
  m.def("precision_at_k", &precision_at_k, py::arg("explanations"), py::arg("gt_edge_mask"),
        py::arg("k") = 0,
        "Mean fraction of each explanation's k best edges that are ground truth (k = 0: the "
        "number of ground-truth edges in its subgraph).");
  m.def("_fidelity", &fidelity, py::arg("model"), py::arg("graphs"), py::arg("explanations"),
        py::arg("top_k"));
  m.def("characterization_score", &explainers::characterization_score, py::arg("fidelity_plus"),
        py::arg("fidelity_minus"), py::arg("w_plus") = 0.5, py::arg("w_minus") = 0.5,
        "(w+ + w-) / (w+ / fid+ + w- / (1 - fid-)) (Amara et al. 2022).");
}

}  // namespace gnnx::python
