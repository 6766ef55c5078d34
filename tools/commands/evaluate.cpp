// `gnnx evaluate`: explains a benchmark's standard evaluation targets with one method (or all)
// and scores the explanations against the ground truth (benchmarks::evaluate): the planted
// motifs of the synthetic sets, the NO2/NH2 bonds of Mutagenicity, the rule atoms of the
// graph-attribution sets, or, for a model trained on the user's own graphs (no --dataset), the
// ground truth given with them (without one: the scores that need none).

#include "cli/evaluate_report.h"
#include "cli/graph_flags.h"
#include "cli/id_list.h"
#include "cli/method_flags.h"
#include "cli/progress.h"
#include "cli/seed_summary.h"
#include "cli/validators.h"
#include "commands/commands.h"

#include <gnnx/benchmarks/catalogue.h>
#include <gnnx/benchmarks/evaluate.h>
#include <gnnx/benchmarks/explain.h>
#include <gnnx/benchmarks/user_graphs.h>
#include <gnnx/gnn/device.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/gnn/models.h>
#include <gnnx/io/tensor_vector.h>

#include <CLI/CLI.hpp>

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gnnx::tools {
namespace {

struct EvaluateArgs {
  std::string dataset;
  std::string method;
  std::string model;
  uint64_t seed = 0;
  int64_t top_k = 0;
  int64_t train_epochs = 0;  // when training a model (0 = the benchmark's)
  int64_t seeds = 1;         // --seeds K: seed, seed + 1, ..., each with its data set and model
  bool json = false;
  MethodFlags flags;
  // Molecule benchmarks only.
  std::string data_dir;           // the shared data folder
  int64_t limit = 0;              // explain only the first N targets (0 = all)
  std::string nodes, graphs;      // targets instead of the standard ones
  benchmarks::GraphSource files;  // a user's graphs: where the model's files moved to
  // The layer type of a model trained here (empty = the benchmark's, a GCN) and GAT's heads.
  std::string arch;
  int64_t heads = 0;
};

/// A model trained on the user's own graphs, with its data read again as a benchmark.
struct UserEvaluation {
  benchmarks::Benchmark benchmark;
  benchmarks::BenchmarkData data;
  benchmarks::BenchmarkModel model;
};

UserEvaluation user_evaluation(const EvaluateArgs& args) {
  if (args.model.empty()) {
    throw InputError("give --dataset NAME, or --model of a model trained on your own graphs");
  }
  const gnn::ModelFile file = gnn::load_model(args.model);
  if (!benchmarks::records_user_graphs(file.card)) {
    throw InputError("model '" + args.model +
                     "' was not trained on files of your own: give the benchmark with --dataset");
  }
  benchmarks::UserGraphs graphs = benchmarks::reread_user_graphs(file.card, args.files, args.model);
  UserEvaluation out{
      benchmarks::user_benchmark(graphs), std::move(graphs.data), {file.model, args.model}};
  benchmarks::check_model_fits(*file.model, out.data.dataset, args.model);
  return out;
}

/// --nodes / --graphs: the targets instead of the data set's standard ones.
void choose_targets(const EvaluateArgs& args, datasets::Dataset& ds) {
  const bool node_task = ds.task == gnn::Task::kNodeClassification;
  const std::string& spec = node_task ? args.nodes : args.graphs;
  if (!(node_task ? args.graphs : args.nodes).empty()) {
    throw InputError(std::string(node_task ? "--graphs" : "--nodes") + " does not fit '" + ds.name +
                     "', a " + gnn::to_string(ds.task) + " task: use " +
                     (node_task ? "--nodes" : "--graphs"));
  }
  if (spec.empty()) return;
  const int64_t limit =
      node_task ? ds.graphs.front().num_nodes() : static_cast<int64_t>(ds.graphs.size());
  ds.eval_targets = io::to_tensor(parse_id_list(spec, limit, node_task ? "--nodes" : "--graphs"));
}

benchmarks::BenchmarkModel model_for(const benchmarks::Benchmark& b,
                                     const benchmarks::BenchmarkData& data,
                                     const EvaluateArgs& args, uint64_t seed,
                                     const GlobalOptions& globals) {
  if (!args.model.empty()) return benchmarks::load_benchmark_model(b, data, args.model);
  benchmarks::TrainSettings settings = b.training;
  if (args.train_epochs > 0) settings.epochs = args.train_epochs;
  if (!args.arch.empty()) settings.arch = gnn::parse_architecture(args.arch);
  if (args.heads > 0) settings.heads = args.heads;
  ProgressBar bar("train " + b.name, settings.epochs, /*enabled=*/!globals.quiet);
  return benchmarks::train_benchmark_model(b, data, settings, seed, epoch_reporter(bar),
                                           gnn::resolve_device(globals.device));
}

void check_device(const benchmarks::Benchmark& b, const GlobalOptions& globals) {
  if (b.family == benchmarks::Family::kMolecule && globals.device != "cpu") {  // as `train --data`
    throw InputError(
        "--device " + globals.device +
        ": the molecule benchmarks run on the CPU; --device is for the synthetic ones");
  }
}

/// Every method of `names` on one data set and model, in order; `label` prefixes the progress.
std::vector<benchmarks::MethodScores> evaluate_methods(
    const benchmarks::Benchmark& b, const benchmarks::BenchmarkData& data, gnn::GnnModel& model,
    const std::vector<std::string>& names, benchmarks::EvaluateOptions options,
    const std::string& label, const GlobalOptions& globals) {
  std::vector<benchmarks::MethodScores> rows;
  for (const auto& name : names) {
    ProgressBar bar(label + "explain " + name, 1, /*enabled=*/!globals.quiet);
    options.method.progress = step_reporter(bar);
    rows.push_back(benchmarks::evaluate(b, data, model, name, options));
  }
  return rows;
}

/// --seeds K (K > 1): the benchmark's data set, a model and the explanations for each of K
/// seeds, summarised as mean ± sd.
void run_over_seeds(const EvaluateArgs& args, const GlobalOptions& globals,
                    const std::vector<std::string>& names) {
  if (args.dataset.empty()) {
    throw InputError("--seeds needs --dataset: it trains a model per seed on the benchmark's data");
  }
  const auto count = static_cast<uint64_t>(args.seeds);
  if (args.seed > std::numeric_limits<uint64_t>::max() - count) {
    throw InputError("--seed " + std::to_string(args.seed) + " with --seeds " +
                     std::to_string(args.seeds) + " runs past the largest seed");
  }
  const benchmarks::Benchmark& b = benchmarks::find_benchmark(args.dataset);
  check_device(b, globals);
  std::vector<uint64_t> seeds;
  std::vector<std::string> models;
  std::vector<std::vector<benchmarks::MethodScores>> runs;
  for (uint64_t seed = args.seed; seed < args.seed + count; ++seed) {
    benchmarks::BenchmarkData data = b.load({seed, args.data_dir});
    benchmarks::EvaluateOptions options;
    options.method = method_options(args.method, args.flags, data.undirected);
    options.top_k = args.top_k;
    options.device = gnn::resolve_device(globals.device);
    options.keep_going = names.size() > 1;
    const benchmarks::BenchmarkModel model = model_for(b, data, args, seed, globals);
    if (b.family == benchmarks::Family::kMolecule && args.limit > 0) {
      data.limit_targets(args.limit);
    }
    choose_targets(args, data.dataset);
    runs.push_back(evaluate_methods(b, data, *model.model, names, options,
                                    "seed " + std::to_string(seed) + ": ", globals));
    seeds.push_back(seed);
    models.push_back(model.name);
  }
  print_seed_summary(b, seeds, models, summarise_seeds(runs), args.json);
}

void run(const EvaluateArgs& args, const GlobalOptions& globals) {
  // Fail early, before any training: every name known, none twice.
  std::vector<std::string> names;
  if (args.method == "all") {
    for (const auto& m : explainers::methods()) names.push_back(m.name);
  } else {
    names = method_list(args.method);
  }
  if (args.seeds > 1) return run_over_seeds(args, globals, names);
  const bool list = names.size() > 1;
  std::optional<UserEvaluation> user;
  if (args.dataset.empty()) user = user_evaluation(args);
  // An unknown name lists both kinds of benchmark.
  const benchmarks::Benchmark& b =
      user ? user->benchmark : benchmarks::find_benchmark(args.dataset);
  check_device(b, globals);
  benchmarks::BenchmarkData data = user ? user->data : b.load({args.seed, args.data_dir});
  benchmarks::EvaluateOptions options;
  options.method = method_options(args.method, args.flags, data.undirected);  // before training
  options.top_k = args.top_k;
  options.device = gnn::resolve_device(globals.device);
  options.keep_going = list;  // a method that cannot explain the model becomes a row
  const benchmarks::BenchmarkModel model =
      user ? user->model : model_for(b, data, args, args.seed, globals);
  if (b.family == benchmarks::Family::kMolecule && args.limit > 0) data.limit_targets(args.limit);
  choose_targets(args, data.dataset);
  const auto rows = evaluate_methods(b, data, *model.model, names, options, "", globals);
  print_evaluation(b, data, model.name, rows, list, args.json);
}

}  // namespace

void add_evaluate_command(CLI::App& app, const GlobalOptions& globals) {
  auto args = std::make_shared<EvaluateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "evaluate", "Score an explainer against a data set's ground-truth explanations");
  cmd->footer(
      "Explains the standard targets (BA-Shapes, BA-Community: nodes 400:700:5; Tree-Cycles,\n"
      "Tree-Grid: the motif nodes; BA-2Motifs: all graphs). Trains a model with the data set's\n"
      "defaults when --model is not given. On graph-classification sets it also explains every\n"
      "target for class 0 and for class 1 to report Pope et al.'s contrastivity.\n"
      "Molecules (mutagenicity, benzene, fluoride-carbonyl, alkane-carbonyl): ground-truth\n"
      "NO2/NH2 edge AUC or rule-atom AUC (README, \"Explanations against ground truth\");\n"
      "GNNExplainer runs there at explain-mol's molecule defaults unless --lr or --edge-size\n"
      "is given (gnnx explain-mol --help lists them).\n"
      "Your own graphs: gnnx evaluate --model mine.gnnx --method saliency (the ground truth given "
      "to train, or --gt-edges / --gt-nodes now; the model's files as for gnnx explain).\n"
      "Example: gnnx evaluate --dataset ba-shapes --method gnnexplainer --json\n"
      "\n"
      "Table columns, synthetic sets (--json names in brackets; '-': does not apply). S is each\n"
      "explanation's --top-k best edges, c the explained class:\n"
      "  targets   explanations scored [targets]\n"
      "  AUC       ROC-AUC of the edge importances against the motif edges, pooled over every\n"
      "            target's computation subgraph [auc]\n"
      "  own       the same with only the target's own motif as positives (node tasks)\n"
      "            [auc_own_motif]\n"
      "  P@k       share of motif edges among each target's k best edges, k = the motif edges in\n"
      "            its subgraph; mean over targets [precision_at_k]\n"
      "  fid+      p(c | graph) - p(c | graph without S): removing S should change the\n"
      "            prediction; mean over targets [fidelity_plus; fidelity_plus_acc: the same\n"
      "            with 0/1 correctness]\n"
      "  fid-      p(c | graph) - p(c | S alone): S alone should keep it [fidelity_minus;\n"
      "            fidelity_minus_acc]\n"
      "  charact   characterisation, the harmonic mean of fid+ and 1 - fid- [characterization]\n"
      "  sparsity  1 - |S| / edges of the computation subgraph [sparsity]\n"
      "  motif     share of targets whose motif-size best edges form the motif (isomorphic)\n"
      "            [motif_recovery]\n"
      "  seconds   time spent explaining the targets [seconds]\n"
      "  contrast  Pope et al.'s contrastivity (graph tasks): how much the node maps for class 0\n"
      "            and class 1 differ, 0 same to 1 disjoint [contrastivity]\n"
      "  flip      counterfactual methods: share of targets whose explanation deletes edges that\n"
      "            change the predicted class [flip_rate]\n"
      "  cf-size   counterfactual methods: mean number of edges deleted [cf_size]\n"
      "A note under the table counts the targets whose map gave every edge the same score\n"
      "[flat_masks].\n"
      "Table columns, molecule sets: targets; AUC [auc]: mutagenicity the edge ROC-AUC against\n"
      "the NO2/NH2 bonds pooled over the mutagens, graph attribution the mean over molecules of\n"
      "the best atom ROC-AUC over the valid rule-atom sets; seconds; scores from [scores_from]:\n"
      "which map was scored (the edge mask, the node mask, or one derived from the other).");
  CLI::Option* dataset = cmd->add_option(
      "--dataset", args->dataset,
      "Data set name (see gnnx datasets); without it, --model must be trained on your own graphs");
  cmd->add_option(
         "--method", args->method,
         "Explainer, a comma-separated list of them, or all: " + explainers::method_names())
      ->required();
  CLI::Option* model = cmd->add_option("--model", args->model, "Model file (default: train one)");
  cmd->add_option("--arch", args->arch,
                  "Layer type of the model trained when --model is not given (default: gcn); "
                  "the benchmark's other training settings stay")
      ->check(CLI::IsMember({"gcn", "gin", "gine", "graphconv", "sage", "gat"}))
      ->excludes(model);
  cmd->add_option("--heads", args->heads, "--arch gat: attention heads of the trained model")
      ->check(positive())
      ->excludes(model);
  cmd->add_option("--seed", args->seed, "Seed of the data set and of the trained model")
      ->capture_default_str();
  cmd->add_option("--top-k", args->top_k,
                  "Edges kept for fidelity and sparsity (default: the motif's edge count)")
      ->check(positive());
  cmd->add_option("--seeds", args->seeds,
                  "Repeat over K seeds (--seed, --seed + 1, ...): each seed's data set, a model "
                  "trained on it and its explanations; prints mean ± sd of every score")
      ->check(CLI::Range(int64_t{1}, int64_t{100}))
      ->excludes(model);
  cmd->add_flag("--json", args->json,
                "Print JSON (an array for a list of methods, all, or --seeds)");
  CLI::Option* nodes =
      cmd->add_option("--nodes", args->nodes, "Node targets instead of the standard ones")
          ->check(id_list());
  cmd->add_option("--graphs", args->graphs, "Graph targets instead of the standard ones")
      ->check(id_list())
      ->excludes(nodes);
  for (CLI::Option* opt : add_graph_flags(*cmd, args->files, GraphFlagUse::kReread)) {
    dataset->excludes(opt);
  }
  add_method_flags(*cmd, args->flags);
  cmd->add_option("--train-epochs", args->train_epochs,
                  "Training epochs when no --model is given (default: the benchmark's)")
      ->check(positive())
      ->excludes(model);
#ifdef GNNX_WITH_RDKIT
  cmd->add_option("--data-dir", args->data_dir,
                  "Molecule benchmarks: the shared data folder (default: $GNNX_SHARED_DATA, else "
                  "../shared/data)");
  cmd->add_option("--limit", args->limit,
                  "Molecule benchmarks: explain only the first N targets (default: all)")
      ->check(positive());
#endif
  cmd->callback([args, &globals] { run(*args, globals); });
}

}  // namespace gnnx::tools
