// `gnnx train --data FILE`: property predictors on molecules (MoleculeNet CSVs, SDF, TUDataset
// folders). Every output of the model is one task: a logit (classification) or a value in label
// units (regression); missing labels are masked out of the loss and the scores.

#include "commands/molecule_train.h"

#include <gnnx/datasets/tu_dataset.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/gnn/property_training.h>
#include <gnnx/io/text.h>
#include <gnnx/molecules/featurize.h>
#include <gnnx/molecules/readers.h>
#include <torch/utils.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cli/progress.h"

namespace gnnx::tools {
namespace {

std::string format_double(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

molecules::FeaturizerOptions featurizer_named(const std::string& name) {
  if (name == "standard") return molecules::FeaturizerOptions();
  if (name == "mutag") return molecules::FeaturizerOptions::mutag();
  if (name == "mutagenicity") return molecules::FeaturizerOptions::mutagenicity();
  throw InputError("unknown featurizer '" + name + "' (valid: standard, mutag, mutagenicity)");
}

/// What training needs, from either kind of input.
struct TrainingData {
  std::vector<gnn::Graph> graphs;
  torch::Tensor targets;  // [G, T] float64, NaN = missing
  std::vector<std::string> tasks;
  std::map<std::string, std::string> featurizer;  // metadata; empty = no SMILES input possible
  int64_t skipped = 0;
};

TrainingData read_tu(const std::string& path, gnn::PropertyKind kind) {
  const datasets::TuDataset tu = datasets::read_tu_dataset(path);
  if (tu.label_values.size() != 2 || kind != gnn::PropertyKind::kBinary) {
    throw InputError("TUDataset '" + tu.name + "' has " + std::to_string(tu.label_values.size()) +
                     " graph labels: molecule training supports binary TUDatasets with "
                     "--task classification");
  }
  TrainingData d;
  d.graphs = tu.graphs;
  const auto g = static_cast<int64_t>(tu.graphs.size());
  d.targets = torch::empty({g, 1}, torch::kDouble);
  for (int64_t i = 0; i < g; ++i) {
    d.targets[i][0] = tu.raw_graph_labels[i] == tu.label_values.back() ? 1.0 : 0.0;
  }
  d.tasks = {"label=" + std::to_string(tu.label_values.back())};
  // The TU node labels of MUTAG and Mutagenicity are the elements of these featurisations, in
  // the same order, so a SMILES can be explained with a model trained on the graphs.
  for (const auto& [name, options] :
       {std::pair{std::string("MUTAG"), molecules::FeaturizerOptions::mutag()},
        std::pair{std::string("Mutagenicity"), molecules::FeaturizerOptions::mutagenicity()}}) {
    if (tu.name == name && tu.graphs.front().num_features() == options.num_features()) {
      d.featurizer = options.to_metadata();
    }
  }
  return d;
}

TrainingData read_table(const MoleculeTrainArgs& args) {
  molecules::ReadOptions options;
  options.smiles_column = args.smiles_col;
  options.label_columns = io::split_list(args.targets);
  if (options.label_columns.empty()) {
    throw InputError("--target: name the label column(s) of '" + args.data + "'");
  }
  molecules::MoleculeSet set = molecules::read_molecules(args.data, options);
  const molecules::FeaturizerOptions featurizer = featurizer_named(args.featurizer);
  TrainingData d;
  d.tasks = set.tasks;
  d.featurizer = featurizer.to_metadata();
  std::vector<double> values;
  for (const auto& r : set.records) {
    try {
      d.graphs.push_back(molecules::featurize(*r.mol, featurizer).graph);
    } catch (const InputError& e) {
      set.skipped.push_back({r.index, r.line, r.id, r.smiles, e.what()});
      continue;
    }
    values.insert(values.end(), r.labels.begin(), r.labels.end());
  }
  const auto total_skipped = static_cast<int64_t>(set.skipped.size());
  std::cerr << "gnnx: " << args.data << ": " << d.graphs.size() << " molecules read, "
            << total_skipped << " skipped";
  int64_t listed = 0;
  for (const auto& s : set.skipped) {
    if (listed++ == 20) {
      std::cerr << "\n  ... and " << total_skipped - 20 << " more";
      break;
    }
    std::cerr << "\n  line " << s.line << ": " << s.smiles << ": " << s.reason;
  }
  std::cerr << "\n";
  if (d.graphs.empty()) throw InputError("'" + args.data + "' has no usable molecule");
  d.skipped = total_skipped;
  d.targets =
      torch::tensor(values, torch::kDouble)
          .reshape({static_cast<int64_t>(d.graphs.size()), static_cast<int64_t>(d.tasks.size())});
  return d;
}

nlohmann::ordered_json scores_json(const gnn::PropertyScores& s, gnn::PropertyKind kind) {
  nlohmann::ordered_json j;
  const char* metric = kind == gnn::PropertyKind::kBinary ? "roc_auc" : "rmse";
  j[metric] = std::isnan(s.score) ? nlohmann::ordered_json() : nlohmann::ordered_json(s.score);
  nlohmann::ordered_json per = nlohmann::ordered_json::array();
  for (double v : s.task_scores) {
    per.push_back(std::isnan(v) ? nlohmann::ordered_json() : nlohmann::ordered_json(v));
  }
  j[std::string(metric) + "_per_task"] = per;
  if (kind == gnn::PropertyKind::kBinary) j["accuracy"] = s.accuracy;
  j["labels"] = s.num_labels;
  return j;
}

// The 0/1 labels of a single binary task as an integer tensor (missing labels count as 0).
torch::Tensor binary_labels(const torch::Tensor& targets) {
  return targets.select(1, 0).nan_to_num(0.0).gt(0.5).to(torch::kLong);
}

struct MeanSd {
  double mean = 0, sd = 0;
};

MeanSd mean_sd(const std::vector<double>& values) {
  MeanSd m;
  if (values.empty()) return m;
  for (double v : values) m.mean += v / static_cast<double>(values.size());
  for (double v : values) m.sd += (v - m.mean) * (v - m.mean);
  m.sd = values.size() > 1 ? std::sqrt(m.sd / static_cast<double>(values.size() - 1)) : 0.0;
  return m;
}

struct CrossValidation {
  std::vector<double> test_accuracies, test_aucs, val_accuracies;
  MeanSd test_accuracy, test_auc, val_accuracy;
};

// Stratified K-fold cross-validation with the same model and optimiser settings: fold k's
// model starts from seed + k (weights, shuffling, dropout), selects its epoch on its own
// validation part, and is scored on fold k. The test folds cover every molecule once.
CrossValidation cross_validate(const gnn::ModelSpec& spec, const TrainingData& data,
                               const gnn::TrainOptions& base, int64_t folds,
                               const GlobalOptions& globals) {
  const std::vector<gnn::Split> splits =
      gnn::kfold_splits(binary_labels(data.targets), folds, base.val_fraction, base.seed);
  CrossValidation cv;
  ProgressBar bar("cv", folds, /*enabled=*/!globals.quiet);
  for (int64_t k = 0; k < folds; ++k) {
    gnn::TrainOptions options = base;
    options.seed = base.seed + static_cast<uint64_t>(k);
    options.on_epoch = nullptr;
    torch::manual_seed(options.seed);
    std::shared_ptr<gnn::GnnModel> model = gnn::make_model(spec);
    const gnn::PropertyResult r = gnn::train_property_model(
        *model, data.graphs, data.targets, gnn::PropertyKind::kBinary, options, &splits[k]);
    cv.test_accuracies.push_back(r.test.accuracy);
    cv.test_aucs.push_back(r.test.score);
    cv.val_accuracies.push_back(r.val.accuracy);
    if (bar.active()) bar.update(k + 1, "");
  }
  bar.finish();
  cv.test_accuracy = mean_sd(cv.test_accuracies);
  cv.test_auc = mean_sd(cv.test_aucs);
  cv.val_accuracy = mean_sd(cv.val_accuracies);
  return cv;
}

nlohmann::ordered_json cv_json(const CrossValidation& cv) {
  return {{"folds", cv.test_accuracies.size()},      {"test_accuracy_mean", cv.test_accuracy.mean},
          {"test_accuracy_sd", cv.test_accuracy.sd}, {"test_roc_auc_mean", cv.test_auc.mean},
          {"test_roc_auc_sd", cv.test_auc.sd},       {"val_accuracy_mean", cv.val_accuracy.mean},
          {"test_accuracy", cv.test_accuracies},     {"test_roc_auc", cv.test_aucs},
          {"val_accuracy", cv.val_accuracies}};
}

}  // namespace

void add_molecule_train_flags(CLI::App& cmd, MoleculeTrainArgs& args) {
  CLI::Option* data =
      cmd.add_option("--data", args.data,
                     "Molecules to train on: .csv/.tsv/.sdf/.smi file, or a TUDataset folder "
                     "(instead of --dataset)");
  cmd.add_option("--smiles-col", args.smiles_col, "--data: the SMILES column")
      ->capture_default_str();
  cmd.add_option("--target", args.targets,
                 "--data: label column(s), comma-separated (missing labels are masked)");
  cmd.add_option("--task", args.task, "--data: classification or regression")
      ->check(CLI::IsMember({"classification", "regression"}))
      ->capture_default_str();
  cmd.add_option("--featurizer", args.featurizer,
                 "--data: atom features (standard, mutag, mutagenicity)")
      ->check(CLI::IsMember({"standard", "mutag", "mutagenicity"}))
      ->capture_default_str();
  cmd.add_option("--split", args.split,
                 "--data: 80/10/10 split of the molecules, random or stratified by the label "
                 "(stratified: one binary task only)")
      ->check(CLI::IsMember({"random", "stratified"}))
      ->capture_default_str();
  cmd.add_option("--cv", args.cv_folds,
                 "--data: also run stratified K-fold cross-validation (one binary task; 10% of "
                 "the molecules validate in each fold) and report the mean test accuracy; the "
                 "saved model is still the one of --split")
      ->check(CLI::Range(int64_t{2}, int64_t{100}));
  cmd.add_option("--mlp-hidden", args.mlp_hidden,
                 "--data: width of the hidden layer of the head (0 = linear head; default: "
                 "the GCN width)");
  // The flags above only mean something for --data: with --dataset they are refused (exit 2),
  // not silently ignored.
  for (const char* name :
       {"--smiles-col", "--target", "--task", "--featurizer", "--split", "--cv", "--mlp-hidden"}) {
    cmd.get_option(name)->needs(data);
  }
}

TrainDefaults molecule_train_defaults() {
  TrainDefaults d;
  d.epochs = 100;
  d.lr = 0.001;
  d.weight_decay = 0.0;
  d.hidden = 128;
  d.layers = 3;
  d.dropout = 0.1;
  d.readout = gnn::Readout::kMean;
  d.batch_size = 64;
  return d;
}

void run_molecule_train(const MoleculeTrainArgs& args, const TrainDefaults& settings, uint64_t seed,
                        const std::string& out, bool json, const GlobalOptions& globals) {
  if (globals.device != "cpu") {
    throw InputError("--device " + globals.device +
                     ": molecule training (--data) runs on the CPU; --device is for --dataset");
  }
  const gnn::PropertyKind kind = gnn::parse_property_kind(args.task);
  const bool tu = datasets::is_tu_dataset(args.data);
  const TrainingData data = tu ? read_tu(args.data, kind) : read_table(args);

  gnn::ModelSpec spec;
  spec.task = gnn::Task::kGraphClassification;
  spec.in_features = data.graphs.front().num_features();
  spec.num_classes = static_cast<int64_t>(data.tasks.size());
  spec.hidden = settings.hidden;
  spec.num_layers = settings.layers;
  spec.dropout = settings.dropout;
  spec.readout = settings.readout;
  spec.mlp_hidden = args.mlp_hidden >= 0 ? args.mlp_hidden : settings.hidden;
  spec.validate();

  const bool single_binary = kind == gnn::PropertyKind::kBinary && data.tasks.size() == 1;
  if ((args.split == "stratified" || args.cv_folds > 0) && !single_binary) {
    throw InputError(std::string(args.cv_folds > 0 ? "--cv" : "--split stratified") +
                     " needs one binary task; '" + args.data + "' has " +
                     std::to_string(data.tasks.size()) + " " + gnn::to_string(kind) + " task(s)");
  }
  if (args.cv_folds > static_cast<int64_t>(data.graphs.size())) {
    throw InputError("--cv " + std::to_string(args.cv_folds) + ": more folds than the " +
                     std::to_string(data.graphs.size()) + " molecules");
  }

  gnn::TrainOptions options;
  options.epochs = settings.epochs;
  options.lr = settings.lr;
  options.weight_decay = settings.weight_decay;
  options.batch_size = settings.batch_size;
  options.seed = seed;
  ProgressBar bar("train", options.epochs, /*enabled=*/!globals.quiet);
  if (bar.active()) {
    options.on_epoch = [&bar](int64_t epoch, int64_t, double loss, double val) {
      char status[64];
      std::snprintf(status, sizeof status, "loss %.4f val %.3f", loss, val);
      bar.update(epoch, status);
    };
  }
  std::optional<gnn::Split> split;
  if (args.split == "stratified") {
    split = gnn::stratified_split(binary_labels(data.targets), options.train_fraction,
                                  options.val_fraction, seed);
  }
  torch::manual_seed(seed);
  std::shared_ptr<gnn::GnnModel> model = gnn::make_model(spec);
  const gnn::PropertyResult result = gnn::train_property_model(
      *model, data.graphs, data.targets, kind, options, split ? &*split : nullptr);
  bar.finish();
  const CrossValidation cv = args.cv_folds > 0
                                 ? cross_validate(spec, data, options, args.cv_folds, globals)
                                 : CrossValidation();

  std::map<std::string, std::string> metadata = {
      {"created_by", "gnnx train --data"},
      {"data", args.data},
      {"property.kind", gnn::to_string(kind)},
      {"property.tasks", io::join(data.tasks)},
      {"seed", std::to_string(seed)},
      {"epochs", std::to_string(options.epochs)},
      {"lr", format_double(options.lr)},
      {"best_epoch", std::to_string(result.best_epoch)},
      {"test_score", format_double(result.test.score)},
      {"split", args.split},
  };
  if (args.cv_folds > 0) {
    metadata["cv_folds"] = std::to_string(args.cv_folds);
    metadata["cv_test_accuracy"] = format_double(cv.test_accuracy.mean);
  }
  metadata.insert(data.featurizer.begin(), data.featurizer.end());
  try {
    gnn::save_model(out, *model, metadata);
  } catch (const InputError&) {
    throw;
  } catch (const Error& e) {
    throw InputError(e.what());
  }

  if (json) {
    nlohmann::ordered_json j = {{"data", args.data},
                                {"task", gnn::to_string(kind)},
                                {"tasks", data.tasks},
                                {"molecules", data.graphs.size()},
                                {"skipped", data.skipped},
                                {"seed", seed},
                                {"train", scores_json(result.train, kind)},
                                {"val", scores_json(result.val, kind)},
                                {"test", scores_json(result.test, kind)},
                                {"split", args.split},
                                {"best_epoch", result.best_epoch},
                                {"epochs", options.epochs},
                                {"hidden", spec.hidden},
                                {"layers", spec.num_layers},
                                {"mlp_hidden", spec.mlp_hidden},
                                {"readout", gnn::to_string(spec.readout)},
                                {"seconds", result.seconds},
                                {"out", out}};
    if (args.cv_folds > 0) j["cv"] = cv_json(cv);
    std::cout << j.dump() << "\n";
    return;
  }
  const bool binary = kind == gnn::PropertyKind::kBinary;
  const char* metric = binary ? "ROC-AUC" : "RMSE";
  std::printf("trained a %lld-layer GCN on %s (%zu molecules, %zu task%s, %s) in %.1f s\n",
              static_cast<long long>(spec.num_layers), args.data.c_str(), data.graphs.size(),
              data.tasks.size(), data.tasks.size() == 1 ? "" : "s", gnn::to_string(kind).c_str(),
              result.seconds);
  std::printf("%s: train %.4f  val %.4f  test %.4f  (best epoch %lld of %lld)\n", metric,
              result.train.score, result.val.score, result.test.score,
              static_cast<long long>(result.best_epoch), static_cast<long long>(options.epochs));
  if (binary) {
    std::printf("accuracy: train %.4f  val %.4f  test %.4f\n", result.train.accuracy,
                result.val.accuracy, result.test.accuracy);
  }
  if (args.cv_folds > 0) {
    std::printf(
        "%lld-fold cross-validation: test accuracy %.4f +- %.4f, test ROC-AUC %.4f +- "
        "%.4f, val accuracy %.4f\n",
        static_cast<long long>(args.cv_folds), cv.test_accuracy.mean, cv.test_accuracy.sd,
        cv.test_auc.mean, cv.test_auc.sd, cv.val_accuracy.mean);
  }
  if (data.tasks.size() > 1) {
    for (size_t k = 0; k < data.tasks.size(); ++k) {
      std::printf("  %-16s test %s %.4f\n", data.tasks[k].c_str(), metric,
                  result.test.task_scores[k]);
    }
  }
  std::printf("saved %s\n", out.c_str());
}

}  // namespace gnnx::tools
