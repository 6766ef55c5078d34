#pragma once
// What `gnnx generate` needs to run XGNN on a model file: the classifier (a two-class view of a
// binary molecule property model), the node types, how the classifier reads a generated graph,
// the graph rules, and how the results are written. Plain graphs (models trained on a
// synthetic graph data set) are set up in xgnn_setup.cpp; molecules (models trained with
// `gnnx train --data`, RDKit builds only) in xgnn_molecule_setup.cpp.

#include <gnnx/explainers/xgnn.h>
#include <gnnx/gnn/model_file.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace gnnx::tools {

struct XgnnSetup {
  std::shared_ptr<gnn::GnnModel> model;
  std::vector<std::string> type_names;
  explainers::GraphFeaturizer featurizer;
  std::vector<explainers::GraphRule> rules;
  bool molecular = false;
  /// Canonical SMILES of a result (molecules only).
  std::function<std::string(const explainers::GeneratedGraph&)> smiles;
  /// Writes the picture of the results to a path (checked by check_output first).
  std::function<void(const std::vector<explainers::ScoredGraph>&, const std::string&)> draw;
  /// Throws InputError when the output path has an extension this kind of result cannot take.
  std::function<void(const std::string&)> check_output;
};

/// A graph classifier trained on a synthetic data set: one node type ("node") with the data
/// set's node features, and a degree limit rule (no node above max_degree neighbours).
/// Throws InputError for a node classifier or a model without a recorded synthetic data set.
XgnnSetup plain_graph_setup(const gnn::ModelFile& file, int64_t max_degree);

/// Whether the model file is a molecule property model (`gnnx train --data`).
bool is_molecule_model(const gnn::ModelFile& file);

#ifdef GNNX_WITH_RDKIT
/// A binary molecule property model: node types = the featurizer's elements (MUTAG: C, N, O,
/// F, I, Cl, Br) or `node_types` when given; the RDKit valence rule; SMILES and a grid picture.
/// Throws InputError for a regression or multi-task model or an element the featurizer lacks.
XgnnSetup molecule_setup(const gnn::ModelFile& file, const std::vector<std::string>& node_types);
#endif

}  // namespace gnnx::tools
