// Molecule property models: reading the data (tables and TUDataset folders), training, and
// stratified K-fold cross-validation (formerly the CLI's molecule_train.cpp).

#include <gnnx/benchmarks/molecule_training.h>
#include <gnnx/datasets/tu_dataset.h>
#include <gnnx/gnn/error.h>

#include <torch/utils.h>

#include <cmath>
#include <optional>

namespace gnnx::benchmarks {
namespace {

MoleculeData read_tu(const std::string& path, gnn::PropertyKind kind) {
  const datasets::TuDataset tu = datasets::read_tu_dataset(path);
  if (tu.label_values.size() != 2 || kind != gnn::PropertyKind::kBinary) {
    throw InputError("TUDataset '" + tu.name + "' has " + std::to_string(tu.label_values.size()) +
                     " graph labels: molecule training supports binary TUDatasets with "
                     "--task classification");
  }
  MoleculeData d;
  d.source = path;
  d.tu_dataset = true;
  d.graphs = tu.graphs;
  const auto g = static_cast<int64_t>(tu.graphs.size());
  for (int64_t i = 0; i < g; ++i) d.origins.push_back({i, 0, std::to_string(i + 1)});
  d.targets = torch::empty({g, 1}, torch::kDouble);
  for (int64_t i = 0; i < g; ++i) {
    d.targets[i][0] = tu.raw_graph_labels[i] == tu.label_values.back() ? 1.0 : 0.0;
  }
  d.tasks = {"label=" + std::to_string(tu.label_values.back())};
  d.class_names = tu_class_names(tu.name);
  d.featurisation.name = "tu-node-labels";
  // The TU node labels of MUTAG and Mutagenicity are the elements of these featurisations, in
  // the same order, so a SMILES can be explained with a model trained on the graphs.
  for (const auto& [name, options] :
       {std::pair{std::string("MUTAG"), molecules::FeaturizerOptions::mutag()},
        std::pair{std::string("Mutagenicity"), molecules::FeaturizerOptions::mutagenicity()}}) {
    if (tu.name == name && tu.graphs.front().num_features() == options.num_features()) {
      d.featurisation = {"molecule", options.to_metadata()};
    }
  }
  return d;
}

MoleculeData read_table(const std::string& path, const MoleculeDataOptions& options) {
  molecules::ReadOptions read;
  read.smiles_column = options.smiles_column;
  read.label_columns = options.label_columns;
  if (read.label_columns.empty()) {
    throw InputError("--target: name the label column(s) of '" + path + "'");
  }
  // A column named twice would be trained and scored as two tasks with the same labels.
  for (size_t i = 0; i < read.label_columns.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (read.label_columns[i] == read.label_columns[j]) {
        throw InputError("--target: the column '" + read.label_columns[i] + "' is named twice");
      }
    }
  }
  molecules::MoleculeSet set = molecules::read_molecules(path, read);
  molecules::FeaturizerOptions featurizer = featurizer_named(options.featurizer);
  featurizer.bond_details = options.bond_details;
  MoleculeData d;
  d.source = path;
  d.tasks = set.tasks;
  d.featurisation = {"molecule", featurizer.to_metadata()};
  std::vector<double> values;
  for (const auto& r : set.records) {
    try {
      d.graphs.push_back(molecules::featurize(*r.mol, featurizer).graph);
      d.origins.push_back({r.index, r.line, r.id});
    } catch (const InputError& e) {
      set.skipped.push_back({r.index, r.line, r.id, r.smiles, e.what()});
      continue;
    }
    values.insert(values.end(), r.labels.begin(), r.labels.end());
  }
  d.skipped = std::move(set.skipped);
  d.targets =
      torch::tensor(values, torch::kDouble)
          .reshape({static_cast<int64_t>(d.graphs.size()), static_cast<int64_t>(d.tasks.size())});
  return d;
}

// The 0/1 labels of a single binary task as an integer tensor (missing labels count as 0).
torch::Tensor binary_labels(const torch::Tensor& targets) {
  return targets.select(1, 0).nan_to_num(0.0).gt(0.5).to(torch::kLong);
}

MeanSd mean_sd(const std::vector<double>& values) {
  MeanSd m;
  if (values.empty()) return m;
  for (double v : values) m.mean += v / static_cast<double>(values.size());
  for (double v : values) m.sd += (v - m.mean) * (v - m.mean);
  m.sd = values.size() > 1 ? std::sqrt(m.sd / static_cast<double>(values.size() - 1)) : 0.0;
  return m;
}

CrossValidation cross_validate(const gnn::ModelSpec& spec, const MoleculeData& data,
                               const gnn::TrainOptions& base, int64_t folds,
                               const std::function<void(int64_t, int64_t)>& on_fold) {
  const std::vector<gnn::Split> splits =
      gnn::kfold_splits(binary_labels(data.targets), folds, base.val_fraction, base.seed);
  CrossValidation cv;
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
    if (on_fold) on_fold(k + 1, folds);
  }
  cv.test_accuracy = mean_sd(cv.test_accuracies);
  cv.test_auc = mean_sd(cv.test_aucs);
  cv.val_accuracy = mean_sd(cv.val_accuracies);
  return cv;
}

gnn::TrainingRecord molecule_record(const MoleculeModel& m, const MoleculeTrainOptions& options) {
  gnn::TrainingRecord t = training_record(m.options);
  t.split = options.stratified ? "stratified" : "random";
  t.best_epoch = m.result.best_epoch;
  t.test_score = m.result.test.score;
  if (options.kind == gnn::PropertyKind::kBinary) {
    t.train_accuracy = m.result.train.accuracy;
    t.val_accuracy = m.result.val.accuracy;
    t.test_accuracy = m.result.test.accuracy;
  }
  if (options.cv_folds > 0) {
    t.cv_folds = options.cv_folds;
    t.cv_test_accuracy = m.cv.test_accuracy.mean;
  }
  return t;
}

}  // namespace

std::vector<std::string> tu_class_names(const std::string& tu_name) {
  // MUTAG: -1 non-mutagenic, 1 mutagenic; Mutagenicity: 0 mutagen, 1 nonmutagen (their
  // SOURCE.md files in the shared data). Class 1 is the larger raw label.
  if (tu_name == "MUTAG") return {"nonmutagen", "mutagen"};
  if (tu_name == "Mutagenicity") return {"mutagen", "nonmutagen"};
  return {};
}

molecules::FeaturizerOptions featurizer_named(const std::string& name) {
  if (name == "standard") return {};
  if (name == "mutag") return molecules::FeaturizerOptions::mutag();
  if (name == "mutagenicity") return molecules::FeaturizerOptions::mutagenicity();
  throw InputError("unknown featurizer '" + name + "' (valid: standard, mutag, mutagenicity)");
}

MoleculeData read_molecule_data(const std::string& path, const MoleculeDataOptions& options) {
  return datasets::is_tu_dataset(path) ? read_tu(path, options.kind) : read_table(path, options);
}

MoleculeModel train_molecule_model(const MoleculeData& data, const TrainSettings& settings,
                                   const MoleculeTrainOptions& options, uint64_t seed,
                                   gnn::EpochCallback on_epoch,
                                   const std::function<void(int64_t, int64_t)>& on_fold) {
  if (data.graphs.empty()) throw InputError("'" + data.source + "' has no usable molecule");
  const bool single_binary = options.kind == gnn::PropertyKind::kBinary && data.tasks.size() == 1;
  if ((options.stratified || options.cv_folds > 0) && !single_binary) {
    throw InputError("a stratified split and cross-validation need one binary task");
  }
  if (options.cv_folds > static_cast<int64_t>(data.graphs.size())) {
    throw InputError("more folds than molecules");
  }
  MoleculeModel m;
  m.spec = model_spec(settings, gnn::Task::kGraphClassification, data.graphs.front().num_features(),
                      static_cast<int64_t>(data.tasks.size()), edge_feature_width(data.graphs));
  m.options = train_options(settings, seed, std::move(on_epoch));
  std::optional<gnn::Split> split;
  if (options.stratified) {
    split = gnn::stratified_split(binary_labels(data.targets), m.options.train_fraction,
                                  m.options.val_fraction, seed);
  }
  torch::manual_seed(seed);
  m.model = gnn::make_model(m.spec);
  m.result = gnn::train_property_model(*m.model, data.graphs, data.targets, options.kind, m.options,
                                       split ? &*split : nullptr);
  if (options.cv_folds > 0)
    m.cv = cross_validate(m.spec, data, m.options, options.cv_folds, on_fold);
  m.options.on_epoch = nullptr;

  m.card.source = data.source;
  m.card.property_kind = options.kind;
  m.card.tasks = data.tasks;
  if (options.kind == gnn::PropertyKind::kBinary) m.card.class_names = data.class_names;
  m.card.featurisation = data.featurisation;
  m.card.training = molecule_record(m, options);
  return m;
}

}  // namespace gnnx::benchmarks
