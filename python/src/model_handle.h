#pragma once
// A loaded model as the Python module holds it, and graphs made from NumPy arrays checked
// against it: what a wrong array would otherwise make fail deep inside a layer (a c10::Error
// naming a matrix product) fails here with the model's file and the array named.

#include <gnnx/gnn/graph.h>
#include <gnnx/gnn/model_card.h>
#include <gnnx/gnn/models.h>
#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <vector>

namespace gnnx::python {

struct ModelHandle {
  std::shared_ptr<gnn::GnnModel> net;
  gnn::ModelCard card;
  std::string path;  ///< the file it came from (for messages)
};

/// A graph from x [N, F] (float), edge_index [2, E] (integer), y (optional: [N] node labels or
/// one graph label) and edge_attr (optional: [E, D]). `what` names the graph in messages
/// ("graph 3"). Throws InputError for wrong shapes, ids out of range and non-finite values, and
/// when the model reads another feature or edge-feature width (naming the model file).
gnn::Graph graph_for_model(const ModelHandle& model, const pybind11::handle& x,
                           const pybind11::handle& edge_index, const pybind11::handle& y,
                           const pybind11::handle& edge_attr, const std::string& what);

/// Every graph of `graphs`, each an (x, edge_index, y, edge_attr) tuple as the Python layer
/// passes them, made with graph_for_model ("graph <i>" in messages).
std::vector<gnn::Graph> graphs_for_model(const ModelHandle& model, const pybind11::list& graphs);

/// Throws InputError when the model is not a classifier of `task`.
void require_task(const ModelHandle& model, gnn::Task task);

}  // namespace gnnx::python
