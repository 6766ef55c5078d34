// `gnnx evaluate`: explains a data set's standard evaluation targets with one method (or all)
// and scores the explanations against the planted motifs: ground-truth edge AUC, precision@k,
// fidelity+/- (probability form), characterisation, sparsity, motif recovery, seconds, and for
// graph-classification sets Pope et al.'s contrastivity.

#include "cli/method_flags.h"
#include "cli/run_explainer.h"
#include "cli/train_defaults.h"
#include "cli/train_model.h"
#include "cli/validators.h"
#include "commands/commands.h"
#ifdef GNNX_WITH_RDKIT
#include "commands/evaluate_mol.h"
#endif

#include <gnnx/datasets/synthetic.h>
#include <gnnx/explainers/metrics.h>
#include <gnnx/gnn/device.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace gnnx::tools {
namespace {

struct EvaluateArgs {
  std::string dataset;
  std::string method;
  std::string model;
  uint64_t seed = 0;
  int64_t top_k = 0;
  bool json = false;
  MethodFlags flags;
#ifdef GNNX_WITH_RDKIT
  MoleculeEvaluateArgs molecules;  // mutagenicity, benzene, ...: commands/evaluate_mol.cpp
#endif
};

struct Row {
  std::string method;
  size_t targets = 0;
  double auc = NAN, precision = NAN, motif = NAN, contrastivity = NAN, seconds = 0;
  double auc_own = NAN;    // node tasks: against the target's own motif only (own_motif_auc)
  int64_t flat_masks = 0;  // targets whose edge mask ranks nothing (count_flat_edge_masks)
  explainers::FidelityScores fidelity;
  std::string error;  // a method that cannot explain this model (e.g. CAM without mean readout)
  std::string device = "cpu";  // where the method ran
};

// Top-k for fidelity and sparsity: the directed edge count of the data set's motif.
int64_t motif_edge_count(const datasets::Dataset& ds) {
  int64_t most = 0;
  for (const auto& m : ds.class_motif) most = std::max(most, m.num_edges());
  return most > 0 ? most : 12;
}

// Fraction of explanations, among targets whose explained class has a motif, whose top edges
// form that motif.
double motif_recovery(const datasets::Dataset& ds,
                      const std::vector<explainers::Explanation>& explanations) {
  int64_t counted = 0;
  double recovered = 0;
  for (const auto& e : explanations) {
    if (e.explained_class < 0 || e.explained_class >= static_cast<int64_t>(ds.class_motif.size()))
      continue;
    const gnn::Graph& motif = ds.class_motif[e.explained_class];
    if (motif.num_nodes() == 0) continue;
    const gnn::Graph& graph =
        ds.task == gnn::Task::kNodeClassification ? ds.graphs.front() : ds.graphs.at(e.target);
    recovered += explainers::motif_recovery({e}, graph, motif);
    ++counted;
  }
  return counted ? recovered / counted : NAN;
}

// Contrastivity (Pope et al. 2019): the same graphs explained for class 0 and for class 1; NaN
// for node tasks, where the metric is not defined, and for methods without node maps.
double contrastivity(const std::string& method, explainers::MethodOptions options,
                     gnn::GnnModel& model, const datasets::Dataset& ds, bool quiet,
                     torch::Device device) {
  if (ds.task != gnn::Task::kGraphClassification || ds.num_classes < 2) return NAN;
  std::vector<explainers::Explanation> per_class[2];
  for (int64_t c : {0, 1}) {
    options.explained_class = c;
    per_class[c] = run_explainer(method, options, model, ds, eval_targets(ds), quiet, device);
  }
  if (per_class[0].empty() || !per_class[0].front().node_mask.defined()) return NAN;
  return explainers::contrastivity(per_class[0], per_class[1]);
}

Row evaluate_method(const std::string& method, const EvaluateArgs& args,
                    const datasets::Dataset& ds, gnn::GnnModel& model, bool quiet,
                    torch::Device device) {
  Row row;
  row.method = method;
  row.device = explainer_device(method, device).str();
  const auto options =
      method_options(args.method, args.flags, gnn::is_undirected(ds.graphs.front()));
  const auto start = std::chrono::steady_clock::now();
  std::vector<explainers::Explanation> explanations;
  try {
    explanations = run_explainer(method, options, model, ds, eval_targets(ds), quiet, device);
  } catch (const InputError& e) {
    if (args.method != "all") throw;
    row.error = e.what();
    return row;
  }
  row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  row.targets = explanations.size();
  const int64_t k = args.top_k > 0 ? args.top_k : motif_edge_count(ds);
  if (!explanations.empty() && explanations.front().edge_mask.defined()) {
    row.auc = explainers::explanation_auc(explanations, ds.gt_edge_mask);
    if (ds.task == gnn::Task::kNodeClassification) {
      row.auc_own = explainers::own_motif_auc(explanations, ds.graphs.front(), ds.motif_id.front());
    }
    row.precision = explainers::precision_at_k(explanations, ds.gt_edge_mask);
    row.fidelity = explainers::fidelity(model, ds.graphs, explanations, k);
    row.motif = motif_recovery(ds, explanations);
    row.flat_masks = explainers::count_flat_edge_masks(explanations);
  }
  row.contrastivity = contrastivity(method, options, model, ds, quiet, device);
  return row;
}

nlohmann::ordered_json to_json(const Row& r, const EvaluateArgs& args, const std::string& model) {
  auto number = [](double v) {
    return std::isnan(v) ? nlohmann::ordered_json() : nlohmann::ordered_json(v);
  };
  nlohmann::ordered_json j = {{"dataset", args.dataset},
                              {"method", r.method},
                              {"model", model},
                              {"targets", r.targets},
                              {"auc", number(r.auc)},
                              {"auc_own_motif", number(r.auc_own)},
                              {"precision_at_k", number(r.precision)},
                              {"fidelity_plus", r.fidelity.fidelity_plus_prob},
                              {"fidelity_minus", r.fidelity.fidelity_minus_prob},
                              {"fidelity_plus_acc", r.fidelity.fidelity_plus_acc},
                              {"fidelity_minus_acc", r.fidelity.fidelity_minus_acc},
                              {"characterization", r.fidelity.characterization},
                              {"sparsity", r.fidelity.sparsity},
                              {"motif_recovery", number(r.motif)},
                              {"contrastivity", number(r.contrastivity)},
                              {"flat_masks", r.flat_masks},
                              {"seconds", r.seconds},
                              {"device", r.device}};
  if (!r.error.empty()) j["error"] = r.error;
  return j;
}

// An unknown name lists both kinds of benchmark (make_synthetic lists only its own).
void check_dataset_name(const std::string& name) {
  std::string known;
  for (const auto& n : datasets::synthetic_names()) {
    if (n == name) return;
    known += (known.empty() ? "" : ", ") + n;
  }
#ifdef GNNX_WITH_RDKIT
  for (const auto& n : molecule_benchmark_names()) known += ", " + n;
#endif
  throw InputError("unknown data set '" + name + "'; known: " + known);
}

void run(const EvaluateArgs& args, const GlobalOptions& globals) {
#ifdef GNNX_WITH_RDKIT
  if (is_molecule_benchmark(args.dataset)) {
    run_molecule_evaluate({args.dataset, args.method, args.model, args.seed, args.json, args.flags},
                          args.molecules, globals);
    return;
  }
#endif
  check_dataset_name(args.dataset);
  if (args.method != "all") explainers::make_explainer(args.method, {});  // fail early
  const datasets::Dataset ds = datasets::make_synthetic(args.dataset, args.seed);
  std::shared_ptr<gnn::GnnModel> model;
  std::string model_name = args.model;
  if (args.model.empty()) {
    const auto trained = train_on_dataset(ds, train_defaults(args.dataset), args.seed,
                                          globals.quiet, gnn::resolve_device(globals.device));
    model = trained.model;
    model_name = "(trained, test accuracy " +
                 std::to_string(trained.result.test_accuracy).substr(0, 5) + ")";
  } else {
    model = gnn::load_model(args.model).model;
    check_model_fits(*model, ds, args.model);
  }
  std::vector<std::string> names;
  if (args.method == "all") {
    for (const auto& m : explainers::methods()) names.push_back(m.name);
  } else {
    names.push_back(args.method);
  }
  std::vector<Row> rows;
  const torch::Device device = gnn::resolve_device(globals.device);
  for (const auto& name : names) {
    rows.push_back(evaluate_method(name, args, ds, *model, globals.quiet, device));
  }

  if (args.json) {
    if (args.method != "all") {
      std::cout << to_json(rows.front(), args, model_name).dump() << "\n";
    } else {
      auto list = nlohmann::ordered_json::array();
      for (const auto& r : rows) list.push_back(to_json(r, args, model_name));
      std::cout << list.dump() << "\n";
    }
    return;
  }
  std::printf("data set %s, model %s, %zu evaluation targets\n", args.dataset.c_str(),
              model_name.c_str(), eval_targets(ds).size());
  std::printf("%-22s %7s %6s %6s %6s %6s %6s %7s %8s %6s %8s %8s\n", "method", "targets", "AUC",
              "own", "P@k", "fid+", "fid-", "charact", "sparsity", "motif", "seconds", "contrast");
  auto cell = [](double v) {
    char buf[16];
    if (std::isnan(v)) return std::string("   -  ");
    std::snprintf(buf, sizeof buf, "%6.3f", v);
    return std::string(buf);
  };
  for (const auto& r : rows) {
    if (!r.error.empty()) {
      std::printf("%-22s not applicable: %s\n", r.method.c_str(), r.error.c_str());
      continue;
    }
    std::printf("%-22s %7zu %s %s %s %s %s  %s   %s %s %8.2f   %s\n", r.method.c_str(), r.targets,
                cell(r.auc).c_str(), cell(r.auc_own).c_str(), cell(r.precision).c_str(),
                cell(r.fidelity.fidelity_plus_prob).c_str(),
                cell(r.fidelity.fidelity_minus_prob).c_str(),
                cell(r.fidelity.characterization).c_str(), cell(r.fidelity.sparsity).c_str(),
                cell(r.motif).c_str(), r.seconds, cell(r.contrastivity).c_str());
  }
  for (const auto& r : rows) {
    if (r.flat_masks == 0) continue;
    std::printf(
        "note: %s gave %lld of %zu targets the same score on every edge (a map that ranks "
        "nothing, e.g. all zero); their edges tie, which pulls its AUC towards 0.5\n",
        r.method.c_str(), static_cast<long long>(r.flat_masks), r.targets);
  }
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
      "NO2/NH2 edge AUC or rule-atom AUC (README, \"Explanations against ground truth\").\n"
      "Example: gnnx evaluate --dataset ba-shapes --method gnnexplainer --json");
  cmd->add_option("--dataset", args->dataset, "Data set name (see gnnx datasets)")->required();
  cmd->add_option("--method", args->method, "Explainer, or all: " + explainers::method_names())
      ->required();
  cmd->add_option("--model", args->model, "Model file (default: train one)");
  cmd->add_option("--seed", args->seed, "Seed of the data set and of the trained model")
      ->capture_default_str();
  cmd->add_option("--top-k", args->top_k,
                  "Edges kept for fidelity and sparsity (default: the motif's edge count)")
      ->check(positive());
  cmd->add_flag("--json", args->json, "Print JSON (an array for --method all)");
  add_method_flags(*cmd, args->flags);
#ifdef GNNX_WITH_RDKIT
  add_molecule_evaluate_flags(*cmd, args->molecules);
#endif
  cmd->callback([args, &globals] { run(*args, globals); });
}

}  // namespace gnnx::tools
