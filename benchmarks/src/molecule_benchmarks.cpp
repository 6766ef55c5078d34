// The molecule benchmarks (`gnnx evaluate --dataset mutagenicity|benzene|fluoride-carbonyl|
// alkane-carbonyl`): explanations of a property classifier against the ground truth of
// molecules/ground_truth.h (formerly the CLI's evaluate_mol.cpp).
// A model is trained on every Mutagenicity graph (a seeded 80/10/10 split, as
// `gnnx train --data`), or on the train split of a graph-attribution CSV, so that its test
// molecules are unseen.

#include "molecule_benchmarks.h"

#include <gnnx/benchmarks/molecule_training.h>
#include <gnnx/benchmarks/shared_data.h>
#include <gnnx/datasets/tu_dataset.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/io/tensor_vector.h>
#include <gnnx/io/text.h>
#include <gnnx/molecules/atom_bond_values.h>
#include <gnnx/molecules/ground_truth.h>
#include <gnnx/molecules/molecule_explainer.h>
#include <gnnx/molecules/parse.h>

#include <GraphMol/ROMol.h>

#include <cstdio>
#include <cstdlib>

namespace gnnx::benchmarks::detail {
namespace {

struct MoleculeRow {
  const char* name;
  const char* path;  // under the data folder
  bool tu;           // the Mutagenicity TUDataset (edge ground truth) or a graph-attribution CSV
  int64_t epochs;    // training epochs
  std::vector<std::string> class_names;
  const char* description;
};

// Training epochs: Mutagenicity keeps `gnnx train --data`'s 100, with a sum readout
// (mutagenicity_train_settings).
// The graph-attribution rules are found in fewer passes over their larger training sets.
const std::vector<MoleculeRow>& rows() {
  static const std::vector<MoleculeRow> kRows = {
      {"mutagenicity", "Mutagenicity/tudataset", true, 100, tu_class_names("Mutagenicity"),
       "4337 molecules of the TUDataset, hydrogens as nodes"},
      {"benzene",
       "graph_attribution/benzene_gt.csv.gz",
       false,
       30,
       {"other", "benzene"},
       "12000 ZINC molecules; class 1: a benzene ring"},
      {"fluoride-carbonyl",
       "graph_attribution/logic7_gt.csv",
       false,
       60,
       {"other", "fluoride-carbonyl"},
       "4326 ZINC molecules; class 1: a fluoride and a carbonyl"},
      {"alkane-carbonyl",
       "graph_attribution/logic8_gt.csv",
       false,
       40,
       {"other", "alkane-carbonyl"},
       "8671 ZINC molecules; class 1: an unbranched alkane and a carbonyl"},
  };
  return kRows;
}

const MoleculeRow& row_of(const std::string& name) {
  for (const MoleculeRow& row : rows()) {
    if (row.name == name) return row;
  }
  TORCH_INTERNAL_ASSERT(false, "no molecule benchmark '", name, "'");
}

/// The data set's bookkeeping for `targets` target graphs.
void finish_targets(BenchmarkData& data, const MoleculeRow& row) {
  datasets::Dataset& ds = data.dataset;
  ds.name = row.name;
  ds.task = gnn::Task::kGraphClassification;
  ds.num_classes = 2;
  ds.class_names = row.class_names;
  ds.eval_targets = torch::arange(static_cast<int64_t>(ds.graphs.size()), torch::kLong);
}

BenchmarkData load_mutagenicity(const std::string& path, const MoleculeRow& row) {
  const datasets::TuDataset tu = datasets::read_tu_dataset(path);
  // Raw label 0 = mutagen (the data's README); `gnnx train --data` makes class 1 the larger raw
  // label, so the mutagen class is 0.
  if (tu.label_values != std::vector<int64_t>{0, 1}) {
    throw InputError("'" + path + "' is not Mutagenicity: graph labels are not 0/1");
  }
  BenchmarkData data;
  data.train_graphs = tu.graphs;
  const auto g = static_cast<int64_t>(tu.graphs.size());
  data.train_labels = torch::empty({g, 1}, torch::kDouble);
  for (int64_t i = 0; i < g; ++i) data.train_labels[i][0] = tu.raw_graph_labels[i] == 1 ? 1.0 : 0.0;
  for (int64_t t : molecules::mutagens_with_ground_truth(tu, 0)) {
    data.dataset.graphs.push_back(tu.graphs[t]);
    data.dataset.gt_edge_mask.push_back(tu.edge_gt[t]);
  }
  data.featurisation = {"molecule", molecules::FeaturizerOptions::mutagenicity().to_metadata()};
  finish_targets(data, row);
  return data;
}

BenchmarkData load_attribution(const std::string& path, const MoleculeRow& row) {
  const molecules::FeaturizerOptions f;
  const std::vector<molecules::AttributionRecord> records = molecules::read_attribution_csv(path);
  BenchmarkData data;
  auto truth = std::make_shared<AtomTruth>();
  std::vector<double> labels;
  for (const auto& r : records) {
    const auto mol = molecules::smiles_to_mol(r.smiles);
    molecules::MolGraph graph = molecules::featurize(*mol, f);
    if (graph.num_atoms != r.num_atoms) {
      throw InputError(path + ":" + std::to_string(r.line) + ": RDKit reads " +
                       std::to_string(graph.num_atoms) + " atoms from the SMILES, the file says " +
                       std::to_string(r.num_atoms));
    }
    if (r.split == "train") {
      data.train_graphs.push_back(graph.graph);
      labels.push_back(static_cast<double>(r.label));
    } else if (r.label == 1) {
      data.dataset.graphs.push_back(graph.graph);
      truth->masks.push_back(molecules::valid_ground_truth_masks(r.rule_matches));
      truth->mol_graphs.push_back(std::move(graph));
    }
  }
  if (data.train_graphs.empty() || data.dataset.graphs.empty()) {
    throw InputError("'" + path + "' has no training molecules or no positive test molecules");
  }
  data.train_labels = torch::tensor(labels, torch::kDouble).reshape({-1, 1});
  data.featurisation = {"molecule", f.to_metadata()};
  data.atom_truth = std::move(truth);
  finish_targets(data, row);
  return data;
}

/// Mutagenicity: every target edge with its score against its NO2/NH2 label, pooled.
double edge_auc(const datasets::Dataset& ds, const std::vector<explainers::Explanation>& ex,
                std::string& scores_from) {
  std::vector<torch::Tensor> scores, labels;
  for (const explainers::Explanation& e : ex) {
    const gnn::Graph& g = ds.graphs.at(e.target);
    if (e.edge_mask.defined()) {
      scores.push_back(e.dense_edge_mask(g.num_edges()).to(torch::kDouble));
      scores_from = "edge mask";
    } else {
      const auto nodes = io::to_vector<double>(e.dense_node_mask(g.num_nodes()));
      scores.push_back(torch::tensor(molecules::edge_scores_from_nodes(g, nodes), torch::kDouble));
      scores_from = "min of end-node scores";
    }
    labels.push_back(ds.gt_edge_mask.at(e.target).to(torch::kDouble));
  }
  return explainers::roc_auc(torch::cat(scores), torch::cat(labels));
}

/// Graph attribution: the mean over targets of the best AUC over each one's valid masks.
double atom_auc(const AtomTruth& truth, const std::vector<explainers::Explanation>& ex,
                std::string& scores_from) {
  double sum = 0;
  int64_t counted = 0;
  for (const explainers::Explanation& e : ex) {
    scores_from = e.node_mask.defined() ? "node mask" : "mean of incident bond scores";
    const auto atoms = molecules::atom_bond_values(truth.mol_graphs.at(e.target), e).atoms;
    const double auc = molecules::best_mask_auc(atoms, truth.masks.at(e.target));
    if (std::isnan(auc)) continue;
    sum += auc;
    ++counted;
  }
  return counted ? sum / counted : NAN;
}

}  // namespace

std::vector<Benchmark> molecule_benchmarks() {
  std::vector<Benchmark> out;
  for (const MoleculeRow& row : rows()) {
    Benchmark b;
    b.name = row.name;
    b.family = Family::kMolecule;
    b.task = gnn::Task::kGraphClassification;
    b.class_names = row.class_names;
    b.description = row.description;
    b.source = row.tu ? "PGExplainer (Luo et al., NeurIPS 2020)"
                      : "graph-attribution (Sanchez-Lengeling et al., NeurIPS 2020)";
    b.data_file = row.path;
    b.training = row.tu ? mutagenicity_train_settings() : molecule_train_settings();
    b.training.epochs = row.epochs;
    b.targets = row.tu ? "mutagens with NO2/NH2" : "positives of the test split";
    b.ground_truth = row.tu ? GroundTruth::kEdges : GroundTruth::kAtoms;
    b.scoring = row.tu
                    ? "NO2/NH2 edges, pooled edge ROC-AUC"
                    : "rule atoms, mean over molecules of the best atom ROC-AUC over valid masks";
    b.explained_class = row.tu ? 0 : 1;
    b.load = [&row](const LoadOptions& options) {
      const std::string path = shared_data_dir(options.data_dir) + "/" + row.path;
      return row.tu ? load_mutagenicity(path, row) : load_attribution(path, row);
    };
    out.push_back(std::move(b));
  }
  return out;
}

BenchmarkModel train_molecule_benchmark_model(const BenchmarkData& data,
                                              const TrainSettings& settings, uint64_t seed,
                                              gnn::EpochCallback on_epoch) {
  MoleculeData training;
  training.graphs = data.train_graphs;
  training.targets = data.train_labels;
  training.tasks = {"label"};
  training.class_names = data.dataset.class_names;
  training.featurisation = data.featurisation;
  const MoleculeModel m = train_molecule_model(training, settings, {}, seed, std::move(on_epoch));
  char name[128];
  std::snprintf(name, sizeof name, "(trained, %lld epochs, test ROC-AUC %.3f, accuracy %.3f)",
                static_cast<long long>(m.options.epochs), m.result.test.score,
                m.result.test.accuracy);
  return {gnn::single_task_view(*m.model, 0, gnn::PropertyKind::kBinary), name};
}

BenchmarkModel load_molecule_benchmark_model(const Benchmark& b, const BenchmarkData& data,
                                             const std::string& path) {
  const gnn::ModelFile file = gnn::load_model(path);
  const gnn::ModelCard& card = file.card;
  const std::string why = "model '" + path + "' cannot be evaluated on " + b.name + ": ";
  if (card.property_kind != gnn::PropertyKind::kBinary) {
    throw InputError(why +
                     "it is not a binary molecule classifier (train one with gnnx train "
                     "--data FILE)");
  }
  if (card.tasks.size() > 1) {
    throw InputError(why + "it has several tasks (" + io::join(card.tasks) + "); need one");
  }
  for (const auto& [key, expected] : data.featurisation.options) {
    const auto it = card.featurisation.options.find(key);
    const std::string actual = it == card.featurisation.options.end() ? "" : it->second;
    if (actual != expected) {
      throw InputError(why + "its atom features (" + key + " = '" + actual +
                       "') differ from the benchmark's ('" + expected + "')");
    }
  }
  if (row_of(b.name).tu && card.tasks != std::vector<std::string>{"label=1"}) {
    throw InputError(why + "it was not trained on the Mutagenicity TUDataset labels (task '" +
                     io::join(card.tasks) + "', expected 'label=1')");
  }
  const int64_t features = data.dataset.graphs.front().num_features();
  if (file.model->spec().in_features != features) {
    throw InputError(why + "it reads " + std::to_string(file.model->spec().in_features) +
                     " node features, the benchmark's graphs have " + std::to_string(features));
  }
  return {gnn::single_task_view(*file.model, 0, gnn::PropertyKind::kBinary), path};
}

void score_molecules(const BenchmarkData& data,
                     const std::vector<explainers::Explanation>& explanations, MethodScores& s) {
  s.auc = data.atom_truth ? atom_auc(*data.atom_truth, explanations, s.scores_from)
                          : edge_auc(data.dataset, explanations, s.scores_from);
}

}  // namespace gnnx::benchmarks::detail
