// `gnnx train`: builds a synthetic data set, trains a GCN classifier on it (node task ->
// NodeClassifier, graph task -> GraphClassifier) and saves a model file whose metadata records
// how it was made, so that later commands can rebuild the same data set.

#include "cli/train_defaults.h"
#include "cli/train_model.h"
#include "cli/validators.h"
#include "commands/commands.h"
#ifdef GNNX_WITH_RDKIT
#include "commands/molecule_train.h"
#endif

#include <gnnx/datasets/synthetic.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/gnn/models.h>
#include <gnnx/gnn/training.h>
#include <gnnx/io/atomic_file.h>

#include <gnnx/gnn/device.h>
#include <CLI/CLI.hpp>

#include <torch/utils.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

namespace gnnx::tools {
namespace {

struct TrainArgs {
  std::string dataset;
  uint64_t seed = 0;
  std::string out;
  bool json = false;
  // Overrides of the data set's defaults (cli/train_defaults.h); used when the flag is given.
  int64_t epochs = 0;
  double lr = 0;
  double weight_decay = 0;
  int64_t hidden = 0;
  int64_t layers = 0;
  double dropout = 0;
  double bias_init = 0;
  std::string readout;
  std::string aggregation;
  std::string embedding_norm;
  int64_t batch_size = 0;
  double edge_dropout = 0;
  // The flags, to ask whether each was given.
  CLI::Option* epochs_opt = nullptr;
  CLI::Option* lr_opt = nullptr;
  CLI::Option* weight_decay_opt = nullptr;
  CLI::Option* hidden_opt = nullptr;
  CLI::Option* layers_opt = nullptr;
  CLI::Option* dropout_opt = nullptr;
  CLI::Option* bias_init_opt = nullptr;
  CLI::Option* readout_opt = nullptr;
  CLI::Option* aggregation_opt = nullptr;
  CLI::Option* embedding_norm_opt = nullptr;
  CLI::Option* batch_size_opt = nullptr;
  CLI::Option* edge_dropout_opt = nullptr;
};

std::string format_double(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

// The flags the user gave, over `settings` (the data set's defaults).
TrainDefaults with_overrides(TrainDefaults settings, const TrainArgs& args) {
  auto given = [](const CLI::Option* opt) { return opt != nullptr && opt->count() > 0; };
  if (given(args.hidden_opt)) settings.hidden = args.hidden;
  if (given(args.layers_opt)) settings.layers = args.layers;
  if (given(args.dropout_opt)) settings.dropout = args.dropout;
  if (given(args.bias_init_opt)) settings.bias_init = args.bias_init;
  if (given(args.readout_opt)) settings.readout = gnn::parse_readout(args.readout);
  if (given(args.aggregation_opt)) settings.aggregation = gnn::parse_aggregation(args.aggregation);
  if (given(args.embedding_norm_opt)) {
    settings.embedding_norm = gnn::parse_embedding_norm(args.embedding_norm);
  }
  if (given(args.epochs_opt)) settings.epochs = args.epochs;
  if (given(args.lr_opt)) settings.lr = args.lr;
  if (given(args.weight_decay_opt)) settings.weight_decay = args.weight_decay;
  if (given(args.batch_size_opt)) settings.batch_size = args.batch_size;
  if (given(args.edge_dropout_opt)) settings.edge_dropout = args.edge_dropout;
  return settings;
}

void run(const TrainArgs& args, const GlobalOptions& globals) {
  io::check_writable_path(args.out);  // fail before training, not after it
  // Throws InputError listing the known names for an unknown data set.
  const datasets::Dataset ds = datasets::make_synthetic(args.dataset, args.seed);
  if (ds.graphs.empty()) throw InputError("data set '" + args.dataset + "' has no graphs");

  const TrainDefaults settings = with_overrides(train_defaults(args.dataset), args);

  const TrainedModel trained =
      train_on_dataset(ds, settings, args.seed, globals.quiet, gnn::resolve_device(globals.device));
  const gnn::ModelSpec& spec = trained.spec;
  const gnn::TrainOptions& options = trained.options;
  const gnn::TrainResult& result = trained.result;
  const std::shared_ptr<gnn::GnnModel>& model = trained.model;

  const std::map<std::string, std::string> metadata = {
      {"dataset", args.dataset},
      {"dataset_seed", std::to_string(args.seed)},
      {"seed", std::to_string(args.seed)},
      {"epochs", std::to_string(options.epochs)},
      {"lr", format_double(options.lr)},
      {"weight_decay", format_double(options.weight_decay)},
      {"batch_size", std::to_string(options.batch_size)},
      {"edge_dropout", format_double(options.edge_dropout)},
      {"train_fraction", format_double(options.train_fraction)},
      {"val_fraction", format_double(options.val_fraction)},
      {"best_epoch", std::to_string(result.best_epoch)},
      {"train_accuracy", format_double(result.train_accuracy)},
      {"val_accuracy", format_double(result.val_accuracy)},
      {"test_accuracy", format_double(result.test_accuracy)},
      {"created_by", "gnnx train"},
  };
  try {
    gnn::save_model(args.out, *model, metadata);
  } catch (const InputError&) {
    throw;
  } catch (const Error& e) {
    // The path was checked above; a failure now is still the user's path (disk full, race).
    throw InputError(e.what());
  }

  if (args.json) {
    nlohmann::ordered_json j = {
        {"dataset", args.dataset},
        {"task", gnn::to_string(ds.task)},
        {"seed", args.seed},
        {"train_acc", result.train_accuracy},
        {"val_acc", result.val_accuracy},
        {"test_acc", result.test_accuracy},
        {"best_epoch", result.best_epoch},
        {"final_loss", result.final_loss},
        {"epochs", options.epochs},
        {"lr", options.lr},
        {"weight_decay", options.weight_decay},
        {"hidden", spec.hidden},
        {"layers", spec.num_layers},
        {"dropout", spec.dropout},
        {"bias_init", spec.bias_init},
        {"readout", gnn::to_string(spec.readout)},
        {"edge_dropout", options.edge_dropout},
        {"aggregation", gnn::to_string(spec.aggregation)},
        {"embedding_norm", gnn::to_string(spec.embedding_norm)},
        {"threads", globals.threads},
        {"device", globals.device},
        {"seconds", result.seconds},
        {"out", args.out},
    };
    std::cout << j.dump() << "\n";
    return;
  }
  int64_t nodes = 0;
  for (const gnn::Graph& g : ds.graphs) nodes += g.num_nodes();
  std::printf(
      "trained a %lld-layer GCN on %s (%s classification, %zu graph%s, %lld nodes, "
      "%lld classes) in %.1f s\n",
      static_cast<long long>(spec.num_layers), args.dataset.c_str(),
      gnn::to_string(ds.task).c_str(), ds.graphs.size(), ds.graphs.size() == 1 ? "" : "s",
      static_cast<long long>(nodes), static_cast<long long>(spec.num_classes), result.seconds);
  std::printf("accuracy: train %.4f  val %.4f  test %.4f  (best epoch %lld of %lld)\n",
              result.train_accuracy, result.val_accuracy, result.test_accuracy,
              static_cast<long long>(result.best_epoch), static_cast<long long>(options.epochs));
  std::printf("saved %s\n", args.out.c_str());
}

}  // namespace

void add_train_command(CLI::App& app, const GlobalOptions& globals) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* cmd = app.add_subcommand(
      "train", "Train a GCN classifier on a synthetic data set and save it as a model file");
  cmd->footer(
      "Flags left out take the data set's defaults (tools/cli/train_defaults.cpp).\n"
      "Global flags (see gnnx --help): --threads N, --quiet.\n"
      "Example: gnnx train --dataset ba-shapes --seed 0 --out ba-shapes.gnnx");
  CLI::Option* dataset_opt =
      cmd->add_option("--dataset", args->dataset, "Data set name (see `gnnx datasets`)");
  cmd->add_option("--out", args->out, "Model file to write (written atomically)")->required();
  cmd->add_option("--seed", args->seed, "Seed of the data set, the split and the weights")
      ->capture_default_str();
  args->epochs_opt =
      cmd->add_option("--epochs", args->epochs, "Training epochs")->check(positive());
  args->lr_opt = cmd->add_option("--lr", args->lr, "Adam learning rate")->check(positive());
  args->weight_decay_opt =
      cmd->add_option("--weight-decay", args->weight_decay, "Adam weight decay (L2)")
          ->check(non_negative());
  args->hidden_opt =
      cmd->add_option("--hidden", args->hidden, "Width of each GCN layer")->check(positive());
  args->layers_opt =
      cmd->add_option("--layers", args->layers, "Number of GCN layers")->check(positive());
  args->dropout_opt = cmd->add_option("--dropout", args->dropout, "Dropout after each layer")
                          ->check(CLI::Range(0.0, 1.0));
  args->bias_init_opt = cmd->add_option(
      "--bias-init", args->bias_init,
      "Initial value of every GCN bias (0.1 by default: see tools/cli/train_defaults.cpp)");
  args->readout_opt =
      cmd->add_option("--readout", args->readout, "Graph task: pooling of node embeddings")
          ->check(CLI::IsMember({"mean", "max", "sum"}));
  args->aggregation_opt =
      cmd->add_option("--aggregation", args->aggregation,
                      "GCN neighbour aggregation: symmetric (Kipf & Welling), sum (raw adjacency, "
                      "the original GNNExplainer model), sum-self (raw adjacency + self-loop)")
          ->check(CLI::IsMember({"symmetric", "sum", "sum-self"}));
  args->embedding_norm_opt =
      cmd->add_option("--embedding-norm", args->embedding_norm,
                      "Per-node normalisation of every GCN layer's output: none, l2")
          ->check(CLI::IsMember({"none", "l2"}));
  args->batch_size_opt =
      cmd->add_option("--batch-size", args->batch_size, "Graph task: graphs per step")
          ->check(positive());
  args->edge_dropout_opt =
      cmd->add_option("--edge-dropout", args->edge_dropout,
                      "DropEdge: probability of leaving each edge out of a training step")
          ->check(CLI::Range(0.0, 0.99));
  cmd->add_flag("--json", args->json, "Print one JSON object instead of a summary");
#ifdef GNNX_WITH_RDKIT
  auto molecules = std::make_shared<MoleculeTrainArgs>();
  add_molecule_train_flags(*cmd, *molecules);
  cmd->get_option("--data")->excludes(dataset_opt);
  cmd->callback([args, molecules, &globals] {
    if (!molecules->data.empty()) {
      io::check_writable_path(args->out);
      run_molecule_train(*molecules, with_overrides(molecule_train_defaults(), *args), args->seed,
                         args->out, args->json, globals);
      return;
    }
    if (args->dataset.empty()) throw CLI::RequiredError("--dataset or --data");
    run(*args, globals);
  });
#else
  dataset_opt->required();
  cmd->callback([args, &globals] { run(*args, globals); });
#endif
}

}  // namespace gnnx::tools
