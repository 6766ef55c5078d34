#include "cli/xgnn_setup.h"

#include <gnnx/datasets/synthetic.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/number.h>

#include <torch/types.h>

#include <algorithm>

namespace gnnx::tools {

bool is_molecule_model(const gnn::ModelFile& file) { return file.card.is_property_model(); }

XgnnSetup plain_graph_setup(const gnn::ModelFile& file, int64_t max_degree) {
  if (file.model->spec().task != gnn::Task::kGraphClassification) {
    throw InputError("generate: needs a graph classifier, the model is a node classifier");
  }
  const std::string& dataset = file.card.dataset;
  const std::vector<std::string> known = datasets::synthetic_names();
  if (std::find(known.begin(), known.end(), dataset) == known.end()) {
    throw InputError(
        "generate: the model records no synthetic data set or molecule featurizer, "
        "so the features of a generated node are unknown");
  }
  const uint64_t seed = file.card.dataset_seed.value_or(0);
  // Every node of the synthetic graph data sets has the same features: a generated node too.
  const torch::Tensor row = datasets::make_synthetic(dataset, seed).graphs.at(0).x()[0];

  XgnnSetup s;
  s.model = file.model;
  s.type_names = {"node"};
  s.featurizer = explainers::type_row_featurizer(row.unsqueeze(0).to(torch::kFloat));
  s.rules = {explainers::degree_limit_rule({max_degree})};
  s.check_output = [](const std::string& path) {
    const auto dot = path.find_last_of('.');
    const std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
    if (ext != "svg" && ext != "png" && ext != "pdf" && ext != "dot") {
      throw InputError("--out: '" + path + "' must end in .svg, .png, .pdf or .dot for graphs");
    }
  };
  s.draw = [](const std::vector<explainers::ScoredGraph>& graphs, const std::string& path) {
    explainers::render_generated_graphs(graphs, -1, path);
  };
  return s;
}

}  // namespace gnnx::tools
