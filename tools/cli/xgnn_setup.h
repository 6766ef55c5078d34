#pragma once
// What `gnnx generate` needs to run XGNN on a model file: the classifier (a two-class view of a
// binary molecule property model), the node types, how the classifier reads a generated graph,
// the graph rules, and how the results are written. Plain graphs (models trained on a
// synthetic graph data set) are set up in xgnn_setup.cpp; molecules (models trained with
// `gnnx train --data`, RDKit builds only) in xgnn_molecule_setup.cpp.

#include <gnnx/explainers/xgnn.h>
#include <gnnx/gnn/model_file.h>

#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gnnx::tools {

/// A training molecule near a generated one (`gnnx generate --neighbours`).
struct XgnnNeighbour {
  int64_t index = 0;      ///< 0-based position in the training data (MUTAG: graph id - 1)
  double similarity = 0;  ///< Tanimoto similarity of Morgan fingerprints (radius 2, 2048 bits)
  std::string smiles;     ///< the training molecule, perceived like the generated ones
  int64_t label = 0;      ///< its class (1 = the positive label)
};

/// What `gnnx generate` says about one generated molecule besides its probability.
struct XgnnMoleculeReport {
  std::string smiles;  ///< perceived (aromatic rings, nitro groups) unless "aromatic" is off
  std::string skeleton_smiles;  ///< the single-bond graph the classifier read
  bool ring = false, aromatic_ring = false, nitro = false;
  std::vector<XgnnNeighbour> nearest;  ///< most similar training molecules, best first
};

/// Fractions of molecules with a ring, an aromatic ring and a nitro group.
struct XgnnTraitFractions {
  int64_t molecules = 0;
  double ring = 0, aromatic_ring = 0, nitro = 0;
  /// Training molecules: the model's mean probability of their own class (NaN when unknown).
  double mean_probability = std::numeric_limits<double>::quiet_NaN();
};

/// What the training molecules are, as far as the chemistry rules and the report need it.
struct XgnnTrainingSummary {
  std::string source;  ///< the file or folder read
  int64_t molecules = 0;
  /// Element pairs of the node types that no training molecule bonds ("Cl-O").
  std::vector<std::string> unseen_bonds;
  std::vector<int64_t> ring_sizes;  ///< sizes of the rings the training molecules have
  int64_t with_o_o = 0, with_n_o_o = 0, with_fused_three_ring = 0;
  /// Per element, the most atoms of it in one training molecule (the element-counts rule).
  std::map<std::string, int64_t> max_element_count;
  std::vector<XgnnTraitFractions> classes;  ///< per class (0, 1): the training molecules' traits
};

/// How `gnnx generate` sets up a molecule model.
struct MoleculeSetupOptions {
  std::vector<std::string> node_types;  ///< candidate elements; empty = the featurizer's
  /// Rules switched off by name (`--no-rule`; "all" = every one); the others are on.
  std::vector<std::string> disabled_rules;
  /// The model's training data (a TUDataset folder or a molecule table); empty = the path the
  /// model file records. Read when a learned rule is on or neighbours > 0.
  std::string data;
  int64_t neighbours = 3;  ///< nearest training molecules reported per generated one
};

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
  /// Molecules: the chemistry rules in force, by name (all_chem_rules() order).
  std::vector<std::string> chem_rules;
  /// Molecules: perception, traits and nearest training molecules of a result.
  std::function<XgnnMoleculeReport(const explainers::GeneratedGraph&)> describe;
  /// Molecules whose training data was read: what it contains.
  std::optional<XgnnTrainingSummary> training;
};

/// A graph classifier trained on a synthetic data set: one node type ("node") with the data
/// set's node features, and a degree limit rule (no node above max_degree neighbours).
/// Throws InputError for a node classifier or a model without a recorded synthetic data set.
XgnnSetup plain_graph_setup(const gnn::ModelFile& file, int64_t max_degree);

/// Whether the model file is a molecule property model (`gnnx train --data`).
bool is_molecule_model(const gnn::ModelFile& file);

#ifdef GNNX_WITH_RDKIT
/// A binary molecule property model: node types = the featurizer's elements (MUTAG: C, N, O,
/// F, I, Cl, Br) or options.node_types when given; the RDKit valence rule and the chemistry
/// rules of molecules/xgnn_chemistry.h learned from the training data; SMILES, a grid picture
/// and, per result, its traits and nearest training molecules.
/// Throws InputError for a regression or multi-task model, an element the featurizer lacks,
/// an unknown rule name, or training data that cannot be read when it is needed.
XgnnSetup molecule_setup(const gnn::ModelFile& file, const MoleculeSetupOptions& options);
#endif

}  // namespace gnnx::tools
