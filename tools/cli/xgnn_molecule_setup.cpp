#include <GraphMol/ROMol.h>
#include <gnnx/datasets/tu_dataset.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/gcn_adjacency.h>
#include <gnnx/gnn/property_training.h>
#include <gnnx/gnn/subgraph.h>
#include <gnnx/io/atomic_file.h>
#include <gnnx/molecules/draw.h>
#include <gnnx/molecules/featurize.h>
#include <gnnx/molecules/readers.h>
#include <gnnx/molecules/xgnn_chemistry.h>
#include <gnnx/molecules/xgnn_molecule_rules.h>

#include <torch/types.h>
#include <torch/utils.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "cli/xgnn_setup.h"

namespace gnnx::tools {
namespace {

std::vector<std::string> elements_of(const explainers::GeneratedGraph& g,
                                     const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (int64_t t : g.types) out.push_back(names.at(static_cast<size_t>(t)));
  return out;
}

molecules::Skeleton skeleton_of(const explainers::GeneratedGraph& g,
                                const std::vector<std::string>& names) {
  return {elements_of(g, names), g.edges};
}

// The molecules a model was trained on, as skeletons, with their classes.
struct TrainingMolecules {
  std::string source;
  std::vector<molecules::Skeleton> molecules;
  std::vector<int64_t> labels;  // 1 = the positive label
};

// A TUDataset's graphs: node i's element is the featurizer's element of its one-hot column
// (MUTAG's node labels are the mutag featurizer's elements, in order; read_molecule_data).
TrainingMolecules read_tu_molecules(const std::string& path,
                                    const molecules::FeaturizerOptions& featurizer) {
  const datasets::TuDataset tu = datasets::read_tu_dataset(path);
  TrainingMolecules out;
  out.source = path;
  for (size_t i = 0; i < tu.graphs.size(); ++i) {
    const gnn::Graph& g = tu.graphs[i];
    if (g.num_features() != static_cast<int64_t>(featurizer.elements.size())) {
      throw InputError("generate: the TUDataset '" + path + "' has " +
                       std::to_string(g.num_features()) + " node labels, the model's featurizer " +
                       std::to_string(featurizer.elements.size()) + " elements");
    }
    molecules::Skeleton m;
    const torch::Tensor type = g.x().argmax(1).contiguous();
    for (int64_t k = 0; k < g.num_nodes(); ++k) {
      m.elements.push_back(featurizer.elements[type[k].item<int64_t>()]);
    }
    const torch::Tensor ei = g.edge_index().contiguous();
    const auto acc = ei.accessor<int64_t, 2>();
    for (int64_t e = 0; e < ei.size(1); ++e) {
      if (acc[0][e] < acc[1][e]) m.bonds.push_back({acc[0][e], acc[1][e]});
    }
    out.molecules.push_back(std::move(m));
    out.labels.push_back(tu.raw_graph_labels[i] == tu.label_values.back() ? 1 : 0);
  }
  return out;
}

// A molecule table: heavy atoms and their bonds; the first task's label (missing: skipped).
TrainingMolecules read_table_molecules(const std::string& path, const gnn::ModelCard& card) {
  molecules::ReadOptions read;
  read.label_columns = {card.tasks.empty() ? std::string() : card.tasks.front()};
  const molecules::MoleculeSet set = molecules::read_molecules(path, read);
  TrainingMolecules out;
  out.source = path;
  for (const auto& r : set.records) {
    if (r.has_label.empty() || !r.has_label[0]) continue;
    molecules::Skeleton m;
    std::vector<int64_t> index(r.mol->getNumAtoms(), -1);
    for (const RDKit::Atom* atom : r.mol->atoms()) {
      if (atom->getAtomicNum() == 1) continue;
      index[atom->getIdx()] = static_cast<int64_t>(m.elements.size());
      m.elements.push_back(atom->getSymbol());
    }
    for (const RDKit::Bond* bond : r.mol->bonds()) {
      const int64_t a = index[bond->getBeginAtomIdx()], b = index[bond->getEndAtomIdx()];
      if (a >= 0 && b >= 0) m.bonds.push_back({a, b});
    }
    out.molecules.push_back(std::move(m));
    out.labels.push_back(r.labels[0] > 0.5 ? 1 : 0);
  }
  return out;
}

TrainingMolecules read_training_molecules(const gnn::ModelFile& file, const std::string& given,
                                          const molecules::FeaturizerOptions& featurizer) {
  const std::string path = given.empty() ? file.card.source : given;
  if (path.empty() || !std::filesystem::exists(path)) {
    throw InputError(
        "generate: the chemistry rules and the nearest training molecules need the "
        "model's training data" +
        (path.empty() ? std::string(", which the model file does not record")
                      : ", recorded as '" + path + "', which does not exist") +
        ": give it with --data, or turn them off with --no-rule all --neighbours 0");
  }
  return datasets::is_tu_dataset(path) ? read_tu_molecules(path, featurizer)
                                       : read_table_molecules(path, file.card);
}

// The traits of the training molecules of class `cls` that sanitise, and the model's mean
// probability of that class for them (read as the generated molecules are: skeletons).
XgnnTraitFractions trait_fractions(const std::vector<molecules::Skeleton>& all,
                                   const std::vector<int64_t>& labels, int64_t cls,
                                   gnn::GnnModel& model,
                                   const molecules::FeaturizerOptions& featurizer) {
  XgnnTraitFractions f;
  std::vector<gnn::Graph> graphs;
  for (size_t i = 0; i < all.size(); ++i) {
    if (labels[i] != cls) continue;
    if (!molecules::molecule_sanitizes(all[i].elements, all[i].bonds)) continue;
    const molecules::MoleculeTraits t = molecules::molecule_traits(all[i]);
    ++f.molecules;
    f.ring += t.ring ? 1 : 0;
    f.aromatic_ring += t.aromatic_ring ? 1 : 0;
    f.nitro += t.nitro ? 1 : 0;
    try {
      graphs.push_back(molecules::featurize_generated(all[i].elements, all[i].bonds, featurizer));
    } catch (const InputError&) {
      // An element outside the featurizer: no probability for this molecule.
    }
  }
  if (f.molecules > 0) {
    const auto n = static_cast<double>(f.molecules);
    f.ring /= n;
    f.aromatic_ring /= n;
    f.nitro /= n;
  }
  if (!graphs.empty()) {
    torch::NoGradGuard no_grad;
    model.eval();
    const gnn::Batch batch = gnn::make_batch(graphs);
    const torch::Tensor logits = model.logits(batch.graph.x(), gnn::GcnAdjacency(batch.graph), {},
                                              batch.batch, batch.num_graphs());
    f.mean_probability =
        torch::softmax(logits.to(torch::kDouble), 1).select(1, cls).mean().item<double>();
  }
  return f;
}

}  // namespace

XgnnSetup molecule_setup(const gnn::ModelFile& file, const MoleculeSetupOptions& options) {
  const std::vector<std::string>& node_types = options.node_types;
  const gnn::PropertyKind kind = file.card.property_kind.value();
  if (kind != gnn::PropertyKind::kBinary) {
    throw InputError("generate: needs a classifier, the model is a regression model");
  }
  if (file.model->spec().num_classes != 1) {
    throw InputError("generate: the model has " + std::to_string(file.model->spec().num_classes) +
                     " tasks; generation needs a single-task classifier");
  }
  const molecules::FeaturizerOptions featurizer =
      molecules::FeaturizerOptions::from_metadata(file.card.featurisation.options);
  XgnnSetup s;
  s.molecular = true;
  // Two logits [-z/2, z/2]: class 1 = the positive label (MUTAG: mutagenic), class 0 = not.
  s.model = gnn::single_task_view(*file.model, 0, kind);
  s.type_names = node_types.empty() ? featurizer.elements : node_types;
  for (const auto& e : s.type_names) {
    if (!featurizer.other_element &&
        std::find(featurizer.elements.begin(), featurizer.elements.end(), e) ==
            featurizer.elements.end()) {
      throw InputError("--node-types: the model's featurizer has no element '" + e + "'");
    }
  }
  const std::vector<std::string> names = s.type_names;
  s.featurizer = [names, featurizer](const explainers::GeneratedGraph& g) {
    return molecules::featurize_generated(elements_of(g, names), g.edges, featurizer);
  };
  s.rules = {[names](const explainers::GeneratedGraph& g) {
    return molecules::molecule_sanitizes(elements_of(g, names), g.edges);
  }};
  const std::vector<molecules::ChemRule> rules =
      molecules::chem_rules_without(options.disabled_rules);  // throws for an unknown name
  for (molecules::ChemRule r : rules) s.chem_rules.push_back(molecules::to_string(r));
  const bool perceive =
      std::find(rules.begin(), rules.end(), molecules::ChemRule::kAromatic) != rules.end();
  const bool learned = std::any_of(rules.begin(), rules.end(), [](molecules::ChemRule r) {
    return r != molecules::ChemRule::kAromatic;
  });
  if (options.neighbours < 0) throw InputError("--neighbours must be >= 0");
  std::shared_ptr<const TrainingMolecules> training;
  std::shared_ptr<const molecules::FingerprintIndex> index;
  if (learned || options.neighbours > 0) {
    training = std::make_shared<const TrainingMolecules>(
        read_training_molecules(file, options.data, featurizer));
    const molecules::ChemistryProfile profile = molecules::learn_chemistry(training->molecules);
    XgnnTrainingSummary summary;
    summary.source = training->source;
    summary.molecules = profile.molecules;
    for (const auto& [a, b] : molecules::unseen_bonds(profile, s.type_names)) {
      summary.unseen_bonds.push_back(a + "-" + b);
    }
    summary.ring_sizes.assign(profile.ring_sizes.begin(), profile.ring_sizes.end());
    summary.with_o_o = profile.with_o_o;
    summary.with_n_o_o = profile.with_n_o_o;
    summary.with_fused_three_ring = profile.with_fused_three_ring;
    summary.max_element_count = profile.max_element_count;
    for (int64_t c : {0, 1}) {
      summary.classes.push_back(
          trait_fractions(training->molecules, training->labels, c, *s.model, featurizer));
    }
    s.training = std::move(summary);
    if (learned) {
      s.rules.push_back([names, rules, profile](const explainers::GeneratedGraph& g) {
        return molecules::chem_rule_problem(rules, profile, skeleton_of(g, names)).empty();
      });
    }
    if (options.neighbours > 0) {
      index = std::make_shared<const molecules::FingerprintIndex>(training->molecules, perceive);
    }
  }
  s.smiles = [names, perceive](const explainers::GeneratedGraph& g) {
    return molecules::perceived_smiles(skeleton_of(g, names), perceive);
  };
  s.describe = [names, perceive, training, index,
                k = options.neighbours](const explainers::GeneratedGraph& g) {
    const molecules::Skeleton m = skeleton_of(g, names);
    XgnnMoleculeReport r;
    r.smiles = molecules::perceived_smiles(m, perceive);
    r.skeleton_smiles = molecules::perceived_smiles(m, /*perceive=*/false);
    const molecules::MoleculeTraits t = molecules::molecule_traits(m);
    r.ring = t.ring;
    r.aromatic_ring = t.aromatic_ring;
    r.nitro = t.nitro;
    if (index) {
      for (const auto& n : index->nearest(m, k)) {
        r.nearest.push_back({n.index, n.similarity, n.smiles, training->labels[n.index]});
      }
    }
    return r;
  };
  s.check_output = [](const std::string& path) { molecules::image_format_for(path); };
  s.draw = [smiles = s.smiles](const std::vector<explainers::ScoredGraph>& graphs,
                               const std::string& path) {
    std::vector<std::string> all, legends;
    for (const auto& scored : graphs) {
      all.push_back(smiles(scored.graph));
      char legend[64];
      std::snprintf(legend, sizeof legend, "p = %.4f", scored.probability);
      legends.emplace_back(legend);
    }
    const std::string picture = molecules::draw_molecule_grid(all, legends, /*columns=*/5,
                                                              molecules::image_format_for(path));
    io::write_file_atomically(path, [&](std::ostream& out) { out << picture; });
  };
  return s;
}

}  // namespace gnnx::tools
