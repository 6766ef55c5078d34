#include "cli/train_flags.h"

#include "cli/validators.h"

#include <gnnx/gnn/error.h>

#include <CLI/CLI.hpp>

namespace gnnx::tools {

using benchmarks::TrainSettings;

template <class T>
CLI::Option* SettingFlags::bind(CLI::App& cmd, const std::string& name, T TrainSettings::*field,
                                const std::string& help) {
  CLI::Option* opt = cmd.add_option(name, given_.*field, help);
  overrides_.emplace_back(opt, [this, field](TrainSettings& s) { s.*field = given_.*field; });
  return opt;
}

CLI::Option* SettingFlags::bind_choice(CLI::App& cmd, const std::string& name, std::string* text,
                                       std::function<void(TrainSettings&)> apply,
                                       const std::string& help) {
  CLI::Option* opt = cmd.add_option(name, *text, help);
  overrides_.emplace_back(opt, std::move(apply));
  return opt;
}

void SettingFlags::add_to(CLI::App& cmd) {
  bind(cmd, "--epochs", &TrainSettings::epochs, "Training epochs")->check(positive());
  bind(cmd, "--lr", &TrainSettings::lr, "Adam learning rate")
      ->check(positive())
      ->check(fits_float());
  bind(cmd, "--weight-decay", &TrainSettings::weight_decay, "Adam weight decay (L2)")
      ->check(non_negative())
      ->check(fits_float());
  bind_choice(
      cmd, "--arch", &arch_, [this](TrainSettings& s) { s.arch = gnn::parse_architecture(arch_); },
      "Layer type: gcn (Kipf & Welling), gin, gine (GIN with edge features), graphconv (Morris "
      "et al.), sage (GraphSAGE, mean), gat (attention); PyTorch Geometric's semantics")
      ->check(CLI::IsMember({"gcn", "gin", "gine", "graphconv", "sage", "gat"}));
  bind(cmd, "--hidden", &TrainSettings::hidden, "Width of each message-passing layer")
      ->check(positive());
  bind(cmd, "--layers", &TrainSettings::layers, "Number of message-passing layers")
      ->check(positive());
  bind(cmd, "--heads", &TrainSettings::heads,
       "--arch gat: attention heads per layer, each --hidden / heads wide, concatenated")
      ->check(positive());
  bind(cmd, "--dropout", &TrainSettings::dropout, "Dropout after each layer")
      ->check(CLI::Range(0.0, 1.0));
  bind(cmd, "--bias-init", &TrainSettings::bias_init,
       "Initial value of every GCN bias (why the synthetic sets start at 0.1: README, \"Accuracy "
       "of the trained GCNs\")")
      ->check(fits_float());
  bind_choice(
      cmd, "--readout", &readout_,
      [this](TrainSettings& s) { s.readout = gnn::parse_readout(readout_); },
      "Graph task: pooling of node embeddings")
      ->check(CLI::IsMember({"mean", "max", "sum"}));
  gcn_only_.push_back(
      bind_choice(
          cmd, "--aggregation", &aggregation_,
          [this](TrainSettings& s) { s.aggregation = gnn::parse_aggregation(aggregation_); },
          "GCN neighbour aggregation: symmetric (Kipf & Welling), sum (raw adjacency, the original "
          "GNNExplainer model), sum-self (raw adjacency + self-loop)")
          ->check(CLI::IsMember({"symmetric", "sum", "sum-self"})));
  gcn_only_.push_back(bind_choice(
                          cmd, "--embedding-norm", &embedding_norm_,
                          [this](TrainSettings& s) {
                            s.embedding_norm = gnn::parse_embedding_norm(embedding_norm_);
                          },
                          "Per-node normalisation of every GCN layer's output: none, l2")
                          ->check(CLI::IsMember({"none", "l2"})));
  bind(cmd, "--batch-size", &TrainSettings::batch_size, "Graph task: graphs per step")
      ->check(positive());
  bind(cmd, "--edge-dropout", &TrainSettings::edge_dropout,
       "DropEdge: probability of leaving each edge out of a training step")
      ->check(CLI::Range(0.0, 0.99));
}

CLI::Option* SettingFlags::add_mlp_hidden(CLI::App& cmd) {
  return bind(cmd, "--mlp-hidden", &TrainSettings::mlp_hidden,
              "--data: width of the hidden layer of the head (0 = linear head; default: the GCN "
              "width)")
      ->check(non_negative());  // -1, TrainSettings' "as wide as --hidden", is not the user's
}

TrainSettings SettingFlags::over(TrainSettings settings) const {
  for (const auto& [opt, apply] : overrides_) {
    if (opt->count() > 0) apply(settings);
  }
  // A data set's defaults may name a GCN aggregation (the other layers ignore it); a flag given
  // for another layer type is a mistake worth saying.
  for (const CLI::Option* opt : gcn_only_) {
    if (opt->count() > 0 && settings.arch != gnn::Architecture::kGcn) {
      throw InputError(opt->get_name() + " applies to --arch gcn only, not " +
                       gnn::to_string(settings.arch));
    }
  }
  return settings;
}

#ifdef GNNX_WITH_RDKIT
CLI::Option* add_molecule_train_flags(CLI::App& cmd, MoleculeTrainFlags& flags,
                                      SettingFlags& settings) {
  CLI::Option* data =
      cmd.add_option("--data", flags.data,
                     "Molecules to train on: .csv/.tsv/.sdf/.smi file, or a TUDataset folder "
                     "(instead of --dataset)");
  cmd.add_option("--smiles-col", flags.smiles_col, "--data: the SMILES column")
      ->capture_default_str();
  cmd.add_option("--target", flags.targets,
                 "--data: label column(s), comma-separated (missing labels are masked)")
      ->delimiter(',');
  cmd.add_option("--task", flags.task, "--data: classification or regression")
      ->check(CLI::IsMember({"classification", "regression"}))
      ->capture_default_str();
  cmd.add_option("--featurizer", flags.featurizer,
                 "--data: atom features (standard, mutag, mutagenicity)")
      ->check(CLI::IsMember({"standard", "mutag", "mutagenicity"}))
      ->capture_default_str();
  cmd.add_option("--split", flags.split,
                 "--data: 80/10/10 split of the molecules, random or stratified by the label "
                 "(stratified: one binary task only; default: stratified for the MUTAG TUDataset, "
                 "random otherwise)")
      ->check(CLI::IsMember({"random", "stratified"}));
  cmd.add_option("--cv", flags.cv_folds,
                 "--data: also run stratified K-fold cross-validation (one binary task; 10% of "
                 "the molecules validate in each fold) and report the mean test accuracy; the "
                 "saved model is still the one of --split")
      ->check(CLI::Range(int64_t{2}, int64_t{100}));
  cmd.add_option(
         "--class-names", flags.class_names,
         "--data: names of class 0 and class 1 (e.g. mutagen,nonmutagen), kept in the model "
         "file and shown by explain-mol (default: MUTAG's and Mutagenicity's own)")
      ->delimiter(',')
      ->expected(2);
  cmd.add_option("--split-out", flags.split_out,
                 "--data: write which records trained, validated and tested the saved model "
                 "(CSV: index,line,id,part; part train, val, test or skipped)");
  settings.add_mlp_hidden(cmd);
  // The flags above only mean something for --data: with --dataset they are refused (exit 2),
  // not silently ignored.
  for (const char* name : {"--smiles-col", "--target", "--task", "--featurizer", "--split", "--cv",
                           "--class-names", "--split-out", "--mlp-hidden"}) {
    cmd.get_option(name)->needs(data);
  }
  return data;
}
#endif

}  // namespace gnnx::tools
