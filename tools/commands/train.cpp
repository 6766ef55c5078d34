// `gnnx train`: trains a classifier (GCN, or --arch gin|gine|graphconv|sage|gat) on a synthetic
// benchmark (node task -> NodeClassifier, graph task -> GraphClassifier) with the benchmark's
// training settings, on the user's own graphs (--edges/--labels/..., or a TUDataset folder with
// --graph), or, with --data (RDKit builds), a molecule property model; saves a model file whose
// card records how the model was made (and which files, with their checksums), so that later
// commands can rebuild the same data set.

#include "cli/graph_flags.h"
#include "cli/progress.h"
#include "cli/train_defaults.h"
#include "cli/train_flags.h"
#include "cli/train_report.h"
#include "commands/commands.h"

#include <gnnx/benchmarks/catalogue.h>
#include <gnnx/benchmarks/training.h>
#include <gnnx/benchmarks/user_graphs.h>
#ifdef GNNX_WITH_RDKIT
#include <gnnx/benchmarks/molecule_split_file.h>
#include <gnnx/benchmarks/molecule_training.h>
#endif
#include <gnnx/gnn/device.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/io/atomic_file.h>
#include <gnnx/io/text.h>

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace gnnx::tools {
namespace {

struct TrainArgs {
  std::string dataset;
  uint64_t seed = 0;
  std::string out;
  bool json = false;
  SettingFlags settings;           // overrides of the benchmark's training settings
  benchmarks::GraphSource graphs;  // --edges/--labels/... or --graph
#ifdef GNNX_WITH_RDKIT
  MoleculeTrainFlags molecules;
#endif
};

void save(const std::string& out, const gnn::GnnModel& model, const gnn::ModelCard& card) {
  try {
    gnn::save_model(out, model, card);
  } catch (const InputError&) {
    throw;
  } catch (const Error& e) {
    // The path was checked before training; a failure now is still the user's (disk full, race).
    throw InputError(e.what());
  }
}

void run(const TrainArgs& args, const GlobalOptions& globals) {
  io::check_writable_path(args.out);  // fail before training, not after it
  // Throws InputError listing the known names for an unknown data set.
  const benchmarks::Benchmark& b =
      benchmarks::find_benchmark(args.dataset, benchmarks::Family::kSynthetic);
  const datasets::Dataset ds = b.load({args.seed}).dataset;
  const benchmarks::TrainSettings settings = args.settings.over(b.training);
  ProgressBar bar("train " + ds.name, settings.epochs, /*enabled=*/!globals.quiet);
  benchmarks::TrainedModel trained = benchmarks::train_on_dataset(
      ds, settings, args.seed, epoch_reporter(bar), gnn::resolve_device(globals.device));
  bar.finish();
  trained.card.dataset_seed = args.seed;
  trained.card.created_by = "gnnx train";
  save(args.out, *trained.model, trained.card);
  print_training(trained, ds, args.seed, args.out, args.json, globals);
}

void run_graphs(const TrainArgs& args, const GlobalOptions& globals) {
  io::check_writable_path(args.out);
  const benchmarks::UserGraphs graphs = benchmarks::read_user_graphs(args.graphs);
  print_graph_warnings(graphs.warnings);
  const datasets::Dataset& ds = graphs.data.dataset;
  const benchmarks::TrainSettings settings =
      args.settings.over(benchmarks::user_train_settings(ds.task));
  ProgressBar bar("train " + ds.name, settings.epochs, /*enabled=*/!globals.quiet);
  benchmarks::TrainedModel trained = benchmarks::train_on_user_graphs(
      graphs, settings, args.seed, epoch_reporter(bar), gnn::resolve_device(globals.device));
  bar.finish();
  trained.card.created_by = "gnnx train";
  save(args.out, *trained.model, trained.card);
  print_training(trained, ds, args.seed, args.out, args.json, globals);
}

#ifdef GNNX_WITH_RDKIT
// Whether `data` is a TUDataset folder whose node labels read_molecule_data recognised as the
// elements of `featurizer` (it records that featurisation for MUTAG and Mutagenicity only).
bool is_tu_data_featurised_as(const benchmarks::MoleculeData& data,
                              const molecules::FeaturizerOptions& featurizer) {
  return data.tu_dataset && data.featurisation.name == "molecule" &&
         data.featurisation.options == featurizer.to_metadata();
}

/// --class-names: two distinct, non-empty names, for a binary task (checked before training).
void check_class_names(const std::vector<std::string>& names, gnn::PropertyKind kind) {
  if (names.empty()) return;
  if (kind != gnn::PropertyKind::kBinary) {
    throw InputError(
        "--class-names names the two classes of --task classification; a regression "
        "task has none");
  }
  if (names.size() != 2) {
    throw InputError("--class-names needs two names (class 0, class 1), got " +
                     std::to_string(names.size()));
  }
  for (const std::string& n : names) {
    if (io::trim(n).empty()) throw InputError("--class-names: a class name is empty");
  }
  if (names[0] == names[1]) {
    throw InputError("--class-names: both classes are named '" + names[0] + "'");
  }
}

void run_molecules(const TrainArgs& args, const GlobalOptions& globals) {
  io::check_writable_path(args.out);
  if (!args.molecules.split_out.empty()) io::check_writable_path(args.molecules.split_out);
  const MoleculeTrainFlags& f = args.molecules;
  if (globals.device != "cpu") {
    throw InputError("--device " + globals.device +
                     ": molecule training (--data) runs on the CPU; --device is for --dataset");
  }
  benchmarks::MoleculeDataOptions read;
  read.smiles_column = f.smiles_col;
  read.label_columns = f.targets;
  read.featurizer = f.featurizer;
  read.kind = gnn::parse_property_kind(f.task);
  check_class_names(f.class_names, read.kind);
  benchmarks::TrainSettings settings = args.settings.over(benchmarks::molecule_train_settings());
  // The layers that read bond features get the detailed ones (type, conjugated, in ring); a
  // TUDataset folder has none, so its defaults may be chosen after reading it.
  read.bond_details =
      settings.arch == gnn::Architecture::kGine || settings.arch == gnn::Architecture::kGat;
  const benchmarks::MoleculeData data = benchmarks::read_molecule_data(f.data, read);
  if (!data.tu_dataset) print_read_summary(data);
  if (data.graphs.empty()) throw InputError("'" + f.data + "' has no usable molecule");
  // The MUTAG TUDataset trains with the settings chosen for it (issue 23: XGNN out of the box).
  const bool mutag = is_tu_data_featurised_as(data, molecules::FeaturizerOptions::mutag());
  if (mutag) settings = args.settings.over(benchmarks::tu_molecule_train_settings());
  // Mutagenicity trains as its benchmark does: a sum readout (issue 18's NO2/NH2 AUC target).
  if (is_tu_data_featurised_as(data, molecules::FeaturizerOptions::mutagenicity())) {
    settings = args.settings.over(benchmarks::mutagenicity_train_settings());
  }
  const bool single_binary = read.kind == gnn::PropertyKind::kBinary && data.tasks.size() == 1;
  const std::string split = !f.split.empty()         ? f.split
                            : mutag && single_binary ? "stratified"
                                                     : "random";
  if ((split == "stratified" || f.cv_folds > 0) && !single_binary) {
    throw InputError(std::string(f.cv_folds > 0 ? "--cv" : "--split stratified") +
                     " needs one binary task; '" + f.data + "' has " +
                     std::to_string(data.tasks.size()) + " " + gnn::to_string(read.kind) +
                     " task(s)");
  }
  if (f.cv_folds > static_cast<int64_t>(data.graphs.size())) {
    throw InputError("--cv " + std::to_string(f.cv_folds) + ": more folds than the " +
                     std::to_string(data.graphs.size()) + " molecules");
  }
  ProgressBar bar("train", settings.epochs, /*enabled=*/!globals.quiet);
  ProgressBar folds("cv", f.cv_folds, /*enabled=*/!globals.quiet);
  benchmarks::MoleculeModel m = benchmarks::train_molecule_model(
      data, settings, {read.kind, split == "stratified", f.cv_folds}, args.seed,
      epoch_reporter(bar), [&](int64_t k, int64_t /*folds*/) {
        bar.finish();
        folds.update(k);
      });
  bar.finish();
  folds.finish();
  m.card.created_by = "gnnx train --data";
  if (!f.class_names.empty()) m.card.class_names = f.class_names;
  save(args.out, *m.model, m.card);
  if (!f.split_out.empty()) {
    io::write_file_atomically(
        f.split_out,
        [&](std::ostream& out) { benchmarks::write_split_csv(out, data, m.result.split); },
        "split file");
  }
  print_molecule_training(m, data, split, args.seed, args.out, args.json, globals);
}
#endif

}  // namespace

void add_train_command(CLI::App& app, const GlobalOptions& globals) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* cmd = app.add_subcommand("train",
                                     "Train a GNN classifier (--arch: GCN, GIN, GINE, GraphConv, "
                                     "SAGE, GAT) and save it as a model "
                                     "file");
  // The defaults are read from the catalogue when the help is shown, not at every start.
  cmd->footer([] { return training_defaults_help(); });
  cmd->footer(
      "A validation score at chance level (accuracy <= the share of the validation part's most\n"
      "common class; --data: ROC-AUC <= 0.55) is warned about on stderr and flagged in --json\n"
      "(at_chance).\n"
      "Global flags (see gnnx --help): --threads N, --quiet.\n"
      "Examples: gnnx train --dataset ba-shapes --seed 0 --out ba-shapes.gnnx\n"
      "          gnnx train --edges edges.csv --labels labels.csv --out mine.gnnx\n"
      "          gnnx train --graph MUTAG/ --out mutag.gnnx");
  CLI::Option* dataset_opt =
      cmd->add_option("--dataset", args->dataset, "Synthetic data set name (see `gnnx datasets`)");
  cmd->add_option("--out", args->out, "Model file to write (written atomically)")->required();
  cmd->add_option("--seed", args->seed, "Seed of the data set, the split and the weights")
      ->capture_default_str();
  args->settings.add_to(*cmd);
  cmd->add_flag("--json", args->json, "Print one JSON object instead of a summary");
  const std::vector<CLI::Option*> graph_flags =
      add_graph_flags(*cmd, args->graphs, GraphFlagUse::kTrain);
  for (CLI::Option* opt : graph_flags) dataset_opt->excludes(opt);
#ifdef GNNX_WITH_RDKIT
  CLI::Option* data = add_molecule_train_flags(*cmd, args->molecules, args->settings);
  data->excludes(dataset_opt);
  for (CLI::Option* opt : graph_flags) data->excludes(opt);
  cmd->callback([args, &globals] {
    if (!args->molecules.data.empty()) return run_molecules(*args, globals);
    if (graph_flags_given(args->graphs)) return run_graphs(*args, globals);
    if (args->dataset.empty()) throw CLI::RequiredError("--dataset, --edges, --graph or --data");
    run(*args, globals);
  });
#else
  cmd->callback([args, &globals] {
    if (graph_flags_given(args->graphs)) return run_graphs(*args, globals);
    if (args->dataset.empty()) throw CLI::RequiredError("--dataset, --edges or --graph");
    run(*args, globals);
  });
#endif
}

}  // namespace gnnx::tools
