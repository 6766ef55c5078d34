// `gnnx evaluate` on molecules: explanations of a property classifier scored against the
// benchmarks' ground truth (molecules/ground_truth.h).
//  - mutagenicity: the mutagens carrying NO2/NH2 (PGExplainer's protocol), explaining the mutagen
//    class; edge ROC-AUC pooled over all their edges. Edge scores are the method's edge mask; a
//    method with node scores only gives edge u->v the score min(node u, node v).
//  - benzene, fluoride-carbonyl, alkane-carbonyl (Sanchez-Lengeling et al. 2020): the positives
//    of the CSV's test split, explaining class 1; per molecule the best atom ROC-AUC over the
//    valid ground-truth masks, averaged. Atom scores are the method's node mask; a method with
//    edge scores only gives an atom the mean of its bonds (molecules::to_atoms_and_bonds).
// Without --model a model is trained with the benchmark's defaults (the table below): on every
// Mutagenicity graph (a seeded 80/10/10 split, as `gnnx train --data`), or on the train split of
// a graph-attribution CSV, so that its test molecules are unseen.

#include "commands/evaluate_mol.h"

#include "cli/progress.h"
#include "cli/validators.h"
#include "commands/molecule_train.h"

#include <gnnx/datasets/tu_dataset.h>
#include <gnnx/explainers/explainer.h>
#include <gnnx/explainers/metrics.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/gnn/property_training.h>
#include <gnnx/io/tensor_vector.h>
#include <gnnx/molecules/featurize.h>
#include <gnnx/molecules/ground_truth.h>
#include <gnnx/molecules/parse.h>
#include <torch/types.h>
#include <torch/utils.h>

#include <GraphMol/ROMol.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

namespace gnnx::tools {
namespace {

/// One benchmark: where its data lies under the data folder and how a model is trained for it.
struct Benchmark {
  std::string name;
  std::string path;      ///< relative to --data-dir
  bool tu = false;       ///< TUDataset (edge ground truth) or graph-attribution CSV (atoms)
  int64_t epochs = 100;  ///< training epochs when no --model is given
};

// Training epochs: Mutagenicity keeps `gnnx train --data`'s 100 (README: test accuracy 0.822).
// The graph-attribution rules are found in fewer passes over their larger training sets.
const std::vector<Benchmark>& benchmarks() {
  static const std::vector<Benchmark> list = {
      {"mutagenicity", "Mutagenicity/tudataset", true, 100},
      {"benzene", "graph_attribution/benzene_gt.csv.gz", false, 30},
      {"fluoride-carbonyl", "graph_attribution/logic7_gt.csv", false, 60},
      {"alkane-carbonyl", "graph_attribution/logic8_gt.csv", false, 40},
  };
  return list;
}

const Benchmark& benchmark(const std::string& name) {
  for (const auto& b : benchmarks()) {
    if (b.name == name) return b;
  }
  throw InputError("unknown molecule benchmark '" + name + "'");
}

/// The targets of one benchmark and their ground truth.
struct Targets {
  std::vector<gnn::Graph> graphs;
  int64_t explained_class = 1;                  ///< the class the ground truth is evidence for
  std::vector<torch::Tensor> gt_edges;          ///< mutagenicity: [E] bool per target
  std::vector<molecules::MolGraph> mol_graphs;  ///< graph-attribution: per target
  std::vector<std::vector<std::vector<int64_t>>> gt_masks;  ///< graph-attribution: valid masks
};

/// The data for training (all of it or the train split) and the targets.
struct Prepared {
  std::vector<gnn::Graph> train_graphs;
  torch::Tensor train_labels;  // [G, 1] float64 0/1
  Targets targets;
  std::map<std::string, std::string> featurizer;  // metadata a model for this data must carry
};

Prepared prepare_mutagenicity(const std::string& path) {
  const datasets::TuDataset tu = datasets::read_tu_dataset(path);
  // Raw label 0 = mutagen (the data's README); `gnnx train --data` makes class 1 the larger raw
  // label, so the mutagen class is 0.
  if (tu.label_values != std::vector<int64_t>{0, 1}) {
    throw InputError("'" + path + "' is not Mutagenicity: graph labels are not 0/1");
  }
  Prepared p;
  p.train_graphs = tu.graphs;
  const auto g = static_cast<int64_t>(tu.graphs.size());
  p.train_labels = torch::empty({g, 1}, torch::kDouble);
  for (int64_t i = 0; i < g; ++i) p.train_labels[i][0] = tu.raw_graph_labels[i] == 1 ? 1.0 : 0.0;
  p.targets.explained_class = 0;
  for (int64_t t : molecules::mutagens_with_ground_truth(tu, 0)) {
    p.targets.graphs.push_back(tu.graphs[t]);
    p.targets.gt_edges.push_back(tu.edge_gt[t]);
  }
  p.featurizer = molecules::FeaturizerOptions::mutagenicity().to_metadata();
  return p;
}

Prepared prepare_attribution(const std::string& path, const molecules::FeaturizerOptions& f) {
  const std::vector<molecules::AttributionRecord> records = molecules::read_attribution_csv(path);
  Prepared p;
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
      p.train_graphs.push_back(graph.graph);
      labels.push_back(static_cast<double>(r.label));
    } else if (r.label == 1) {
      p.targets.graphs.push_back(graph.graph);
      p.targets.gt_masks.push_back(molecules::valid_ground_truth_masks(r.rule_matches));
      p.targets.mol_graphs.push_back(std::move(graph));
    }
  }
  if (p.train_graphs.empty() || p.targets.graphs.empty()) {
    throw InputError("'" + path + "' has no training molecules or no positive test molecules");
  }
  p.train_labels = torch::tensor(labels, torch::kDouble).reshape({-1, 1});
  p.targets.explained_class = 1;
  p.featurizer = f.to_metadata();
  return p;
}

/// A model for the benchmark, seen as a two-class classifier (gnn::single_task_view).
struct Model {
  std::shared_ptr<gnn::GnnModel> view;
  std::string name;  // the file, or what was trained
};

Model train_model(const Prepared& p, const Benchmark& b, const MoleculeEvaluateArgs& args,
                  uint64_t seed, bool quiet) {
  const TrainDefaults settings = molecule_train_defaults();
  gnn::ModelSpec spec;
  spec.task = gnn::Task::kGraphClassification;
  spec.in_features = p.train_graphs.front().num_features();
  spec.num_classes = 1;
  spec.hidden = settings.hidden;
  spec.num_layers = settings.layers;
  spec.dropout = settings.dropout;
  spec.readout = settings.readout;
  spec.mlp_hidden = settings.hidden;
  gnn::TrainOptions options;
  options.epochs = args.train_epochs > 0 ? args.train_epochs : b.epochs;
  options.lr = settings.lr;
  options.weight_decay = settings.weight_decay;
  options.batch_size = settings.batch_size;
  options.seed = seed;
  ProgressBar bar("train", options.epochs, !quiet);
  if (bar.active()) {
    options.on_epoch = [&bar](int64_t epoch, int64_t, double loss, double val) {
      char status[64];
      std::snprintf(status, sizeof status, "loss %.4f val %.3f", loss, val);
      bar.update(epoch, status);
    };
  }
  torch::manual_seed(seed);
  std::shared_ptr<gnn::GnnModel> model = gnn::make_model(spec);
  const gnn::PropertyResult result = gnn::train_property_model(
      *model, p.train_graphs, p.train_labels, gnn::PropertyKind::kBinary, options);
  bar.finish();
  char name[128];
  std::snprintf(name, sizeof name, "(trained, %lld epochs, test ROC-AUC %.3f, accuracy %.3f)",
                static_cast<long long>(options.epochs), result.test.score, result.test.accuracy);
  return {gnn::single_task_view(*model, 0, gnn::PropertyKind::kBinary), name};
}

/// A model file from `gnnx train --data` on this benchmark's data: one binary task, the
/// benchmark's featurisation. Anything else is refused with exit code 2.
Model load_molecule_model(const std::string& path, const Prepared& p, const Benchmark& b) {
  const gnn::ModelFile file = gnn::load_model(path);
  auto value = [&](const std::string& key) {
    const auto it = file.metadata.find(key);
    return it == file.metadata.end() ? std::string() : it->second;
  };
  const std::string why = "model '" + path + "' cannot be evaluated on " + b.name + ": ";
  const std::string kind = value("property.kind");  // gnn::to_string(PropertyKind)
  if (kind != "classification" && kind != "binary") {
    throw InputError(why +
                     "it is not a binary molecule classifier (train one with gnnx train "
                     "--data FILE)");
  }
  if (value("property.tasks").find(',') != std::string::npos) {
    throw InputError(why + "it has several tasks (" + value("property.tasks") + "); need one");
  }
  for (const auto& [key, expected] : p.featurizer) {
    if (value(key) != expected) {
      throw InputError(why + "its atom features (" + key + " = '" + value(key) +
                       "') differ from the benchmark's ('" + expected + "')");
    }
  }
  if (b.tu && value("property.tasks") != "label=1") {
    throw InputError(why + "it was not trained on the Mutagenicity TUDataset labels (task '" +
                     value("property.tasks") + "', expected 'label=1')");
  }
  if (file.model->spec().in_features != p.targets.graphs.front().num_features()) {
    throw InputError(why + "it reads " + std::to_string(file.model->spec().in_features) +
                     " node features, the benchmark's graphs have " +
                     std::to_string(p.targets.graphs.front().num_features()));
  }
  return {gnn::single_task_view(*file.model, 0, gnn::PropertyKind::kBinary), path};
}

struct Row {
  std::string method;
  size_t targets = 0;
  double auc = NAN;
  std::string scores_from;  // which part of the explanation gave the scored values
  double seconds = 0;
  std::string error;  // a method that cannot explain this model (--method all)
};

/// Mutagenicity: every target edge with its score against its NO2/NH2 label, pooled.
double edge_auc(const Targets& t, const std::vector<explainers::Explanation>& ex,
                std::string& scores_from) {
  std::vector<torch::Tensor> scores, labels;
  for (size_t i = 0; i < ex.size(); ++i) {
    const gnn::Graph& g = t.graphs[i];
    if (ex[i].edge_mask.defined()) {
      scores.push_back(ex[i].dense_edge_mask(g.num_edges()).to(torch::kDouble));
      scores_from = "edge mask";
    } else {
      const auto nodes = io::to_vector<double>(ex[i].dense_node_mask(g.num_nodes()));
      scores.push_back(torch::tensor(molecules::edge_scores_from_nodes(g, nodes), torch::kDouble));
      scores_from = "min of end-node scores";
    }
    labels.push_back(t.gt_edges[i].to(torch::kDouble));
  }
  return explainers::roc_auc(torch::cat(scores), torch::cat(labels));
}

/// Graph-attribution: the mean over targets of the best AUC over each one's valid masks.
double atom_auc(const Targets& t, const std::vector<explainers::Explanation>& ex,
                std::string& scores_from) {
  double sum = 0;
  int64_t counted = 0;
  for (size_t i = 0; i < ex.size(); ++i) {
    const gnn::Graph& g = t.graphs[i];
    const std::vector<double> nodes =
        ex[i].node_mask.defined() ? io::to_vector<double>(ex[i].dense_node_mask(g.num_nodes()))
                                  : std::vector<double>();
    const std::vector<double> edges =
        ex[i].edge_mask.defined() ? io::to_vector<double>(ex[i].dense_edge_mask(g.num_edges()))
                                  : std::vector<double>();
    scores_from = nodes.empty() ? "mean of incident bond scores" : "node mask";
    const auto atoms = molecules::to_atoms_and_bonds(t.mol_graphs[i], nodes, edges).atoms;
    const double auc = molecules::best_mask_auc(atoms, t.gt_masks[i]);
    if (std::isnan(auc)) continue;
    sum += auc;
    ++counted;
  }
  return counted ? sum / counted : NAN;
}

Row evaluate_method(const std::string& method, const EvaluateRequest& request,
                    const Targets& targets, gnn::GnnModel& model, bool quiet) {
  Row row;
  row.method = method;
  explainers::MethodOptions options =
      method_options(request.method, request.flags, /*undirected_graph=*/true);
  if (options.explained_class < 0) options.explained_class = targets.explained_class;
  ProgressBar bar(method, 1, !quiet);
  if (bar.active()) {
    options.progress = [&bar](int64_t done, int64_t total) {
      bar.set_total(total);
      bar.update(done);
    };
  }
  const auto start = std::chrono::steady_clock::now();
  std::vector<explainers::Explanation> explanations;
  try {
    explanations =
        explainers::make_explainer(method, options)->explain_graphs(model, targets.graphs);
  } catch (const InputError& e) {
    if (request.method != "all") throw;
    row.error = e.what();
    return row;
  }
  bar.finish();
  row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  row.targets = explanations.size();
  row.auc = targets.gt_edges.empty() ? atom_auc(targets, explanations, row.scores_from)
                                     : edge_auc(targets, explanations, row.scores_from);
  return row;
}

nlohmann::ordered_json to_json(const Row& r, const EvaluateRequest& request, const Targets& targets,
                               const std::string& model) {
  nlohmann::ordered_json j = {
      {"dataset", request.dataset},
      {"method", r.method},
      {"model", model},
      {"targets", r.targets},
      {"explained_class", targets.explained_class},
      {"ground_truth", targets.gt_edges.empty() ? "atoms" : "edges"},
      {"auc", std::isnan(r.auc) ? nlohmann::ordered_json() : nlohmann::ordered_json(r.auc)},
      {"scores_from", r.scores_from},
      {"seconds", r.seconds}};
  if (!r.error.empty()) j["error"] = r.error;
  return j;
}

std::string default_data_dir() {
  const char* env = std::getenv("GNNX_SHARED_DATA");
  return env != nullptr && *env != '\0' ? env : "../shared/data";
}

}  // namespace

const std::vector<std::string>& molecule_benchmark_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& b : benchmarks()) n.push_back(b.name);
    return n;
  }();
  return names;
}

bool is_molecule_benchmark(const std::string& name) {
  const auto& names = molecule_benchmark_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

void add_molecule_evaluate_flags(CLI::App& cmd, MoleculeEvaluateArgs& args) {
  cmd.add_option("--data-dir", args.data_dir,
                 "Molecule benchmarks: the shared data folder (default: $GNNX_SHARED_DATA, else "
                 "../shared/data)");
  cmd.add_option("--limit", args.limit,
                 "Molecule benchmarks: explain only the first N targets (default: all)")
      ->check(positive());
  cmd.add_option("--train-epochs", args.train_epochs,
                 "Molecule benchmarks: training epochs when no --model is given (default: the "
                 "benchmark's)")
      ->check(positive());
}

void run_molecule_evaluate(const EvaluateRequest& request, const MoleculeEvaluateArgs& args,
                           const GlobalOptions& globals) {
  if (globals.device != "cpu") {  // as `gnnx train --data`: molecule models train on the CPU
    throw InputError(
        "--device " + globals.device +
        ": the molecule benchmarks run on the CPU; --device is for the synthetic ones");
  }
  if (request.method != "all") explainers::make_explainer(request.method, {});  // fail early
  const Benchmark& b = benchmark(request.dataset);
  const std::string dir = args.data_dir.empty() ? default_data_dir() : args.data_dir;
  const std::string path = dir + "/" + b.path;
  Prepared p =
      b.tu ? prepare_mutagenicity(path) : prepare_attribution(path, molecules::FeaturizerOptions());
  const Model model = request.model.empty() ? train_model(p, b, args, request.seed, globals.quiet)
                                            : load_molecule_model(request.model, p, b);
  Targets& targets = p.targets;
  if (args.limit > 0 && static_cast<size_t>(args.limit) < targets.graphs.size()) {
    const auto n = static_cast<size_t>(args.limit);
    targets.graphs.resize(n);
    if (!targets.gt_edges.empty()) targets.gt_edges.resize(n);
    if (!targets.gt_masks.empty()) {
      targets.gt_masks.resize(n);
      targets.mol_graphs.resize(n);
    }
  }
  std::vector<std::string> names;
  if (request.method == "all") {
    for (const auto& m : explainers::methods()) names.push_back(m.name);
  } else {
    names.push_back(request.method);
  }
  std::vector<Row> rows;
  for (const auto& name : names) {
    rows.push_back(evaluate_method(name, request, targets, *model.view, globals.quiet));
  }

  if (request.json) {
    if (request.method != "all") {
      std::cout << to_json(rows.front(), request, targets, model.name).dump() << "\n";
    } else {
      auto list = nlohmann::ordered_json::array();
      for (const auto& r : rows) list.push_back(to_json(r, request, targets, model.name));
      std::cout << list.dump() << "\n";
    }
    return;
  }
  std::printf("data set %s, model %s\n%zu targets (%s), explaining class %lld, ground truth: %s\n",
              request.dataset.c_str(), model.name.c_str(), targets.graphs.size(),
              b.tu ? "mutagens with NO2/NH2" : "positives of the test split",
              static_cast<long long>(targets.explained_class),
              b.tu ? "NO2/NH2 edges, pooled edge ROC-AUC"
                   : "rule atoms, mean over molecules of the best atom ROC-AUC over valid masks");
  std::printf("%-22s %7s %6s %8s  %s\n", "method", "targets", "AUC", "seconds", "scores from");
  for (const auto& r : rows) {
    if (!r.error.empty()) {
      std::printf("%-22s not applicable: %s\n", r.method.c_str(), r.error.c_str());
      continue;
    }
    std::printf("%-22s %7zu %6.3f %8.2f  %s\n", r.method.c_str(), r.targets, r.auc, r.seconds,
                r.scores_from.c_str());
  }
}

}  // namespace gnnx::tools
