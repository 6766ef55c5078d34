// `gnnx explain`: explains a trained model's predictions on a synthetic data set, or on the
// user's own graphs the model records (read again and checked against their checksums), with
// any registered method, writes the explanations as JSON, JSON lines or CSV (atomically) and
// optionally draws one.

#include "cli/graph_flags.h"
#include "cli/id_list.h"
#include "cli/method_flags.h"
#include "cli/progress.h"
#include "cli/validators.h"
#include "commands/commands.h"

#include <gnnx/benchmarks/explain.h>
#include <gnnx/benchmarks/user_graphs.h>
#include <gnnx/datasets/synthetic.h>
#include <gnnx/explainers/explanation_csv.h>
#include <gnnx/explainers/explanation_json.h>
#include <gnnx/explainers/metrics.h>
#include <gnnx/explainers/render_graphviz.h>
#include <gnnx/gnn/device.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/io/atomic_file.h>
#include <gnnx/io/number.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace gnnx::tools {
namespace {

struct ExplainArgs {
  std::string model;
  std::string dataset;  // default: the one recorded in the model file
  int64_t dataset_seed = -1;
  std::string method;
  std::string nodes, graphs;
  int64_t top_k = 12;
  std::string out;
  std::string format = "json";  // json | jsonl | csv
  int precision = 6;            // significant digits of the real numbers written
  std::string render;
  int64_t render_target = -1;
  bool show_truth = false;  // outline the data set's ground truth in the drawing
  bool json = false;
  MethodFlags flags;
  benchmarks::GraphSource files;  // where the model's own files moved to
};

/// The data set the model is explained on: the user's graphs its card records, or a synthetic
/// one (--dataset, else the card's).
datasets::Dataset dataset_for(const ExplainArgs& args, const gnn::ModelFile& file) {
  if (args.dataset.empty() && benchmarks::records_user_graphs(file.card)) {
    return benchmarks::reread_user_graphs(file.card, args.files, args.model).data.dataset;
  }
  if (graph_flags_given(args.files)) {
    throw InputError("model '" + args.model +
                     "' was not trained on files of your own: --edges, --labels, --features, "
                     "--gt-edges, --gt-nodes and --graph are for such models");
  }
  const std::string dataset = args.dataset.empty() ? file.card.dataset : args.dataset;
  if (dataset.empty() && file.card.is_property_model()) {
    throw InputError("model '" + args.model +
                     "' is a molecule property model (gnnx train --data): explain it with "
                     "explain-mol, or train a classifier on a TUDataset folder with --graph");
  }
  if (dataset.empty()) {
    throw InputError("model '" + args.model + "' does not record its data set: pass --dataset");
  }
  const uint64_t seed = args.dataset_seed >= 0 ? static_cast<uint64_t>(args.dataset_seed)
                                               : file.card.dataset_seed.value_or(0);
  return datasets::make_synthetic(dataset, seed);
}

/// The --out file's text in --format, ending with a line break.
std::string explanation_file(const ExplainArgs& args,
                             const std::vector<explainers::Explanation>& explanations,
                             const datasets::Dataset& ds, double seconds) {
  if (args.format == "csv") {
    return explainers::explanations_to_csv(explanations, ds.graphs, args.precision);
  }
  const explainers::ExplanationRun run{ds.name, args.model, seconds};
  const explainers::ExplanationFileOptions options{args.top_k, args.precision};
  if (args.format == "jsonl") {
    return explainers::explanations_to_jsonl(explanations, ds.graphs, run, options);
  }
  return explainers::explanations_to_json(explanations, ds.graphs, run, options) + "\n";
}

/// Graph `index`'s ground-truth masks, those the data set has (undefined for the others).
explainers::DrawingTruth truth_of(const datasets::Dataset& ds, size_t index) {
  explainers::DrawingTruth truth;
  if (index < ds.gt_node_mask.size()) truth.node_mask = ds.gt_node_mask[index];
  if (index < ds.gt_edge_mask.size()) truth.edge_mask = ds.gt_edge_mask[index];
  return truth;
}

void run(const ExplainArgs& args, const GlobalOptions& globals) {
  io::check_writable_path(args.out);
  if (!args.render.empty()) explainers::check_render_path(args.render);
  explainers::make_explainer(args.method, {});  // an unknown method fails before any work
  const gnn::ModelFile file = gnn::load_model(args.model);
  const datasets::Dataset ds = dataset_for(args, file);
  const std::string& dataset = ds.name;
  benchmarks::check_model_fits(*file.model, ds, args.model);

  if (args.show_truth && ds.gt_edge_mask.empty() && ds.gt_node_mask.empty()) {
    throw InputError("--show-truth: data set '" + dataset +
                     "' has no ground truth to outline (the synthetic sets and graphs trained "
                     "with --gt-edges or --gt-nodes have one)");
  }
  const bool node_task = ds.task == gnn::Task::kNodeClassification;
  if (!node_task && !args.nodes.empty()) {
    throw InputError("--nodes is for node-classification data sets; '" + dataset +
                     "' is a graph task: use --graphs");
  }
  if (node_task && !args.graphs.empty()) {
    throw InputError("--graphs is for graph-classification data sets; '" + dataset +
                     "' is a node task: use --nodes");
  }
  const std::string spec = node_task ? args.nodes : args.graphs;
  const int64_t limit =
      node_task ? ds.graphs.front().num_nodes() : static_cast<int64_t>(ds.graphs.size());
  const std::vector<int64_t> ids =
      spec.empty() ? benchmarks::eval_targets(ds)
                   : parse_id_list(spec, limit, node_task ? "--nodes" : "--graphs");
  // Every check before any work or output: a target to draw must be one to explain.
  if (!args.render.empty() && args.render_target >= 0 &&
      std::find(ids.begin(), ids.end(), args.render_target) == ids.end()) {
    throw InputError("--render-target " + std::to_string(args.render_target) +
                     " is not among the targets to explain");
  }

  auto options = method_options(args.method, args.flags, gnn::is_undirected(ds.graphs.front()));
  const auto start = std::chrono::steady_clock::now();
  const torch::Device requested = gnn::resolve_device(globals.device);
  const torch::Device used = benchmarks::explainer_device(args.method, requested);
  if (used != requested && !globals.quiet) {
    // Not silently: --json's "device" says the same.
    std::fprintf(stderr, "gnnx: warning: %s runs on the CPU, not on %s\n", args.method.c_str(),
                 requested.str().c_str());
  }
  ProgressBar bar("explain " + args.method, 1, /*enabled=*/!globals.quiet);
  options.progress = step_reporter(bar);
  const auto explanations =
      benchmarks::explain_targets(args.method, options, *file.model, ds, ids, requested);
  bar.finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const std::string text = explanation_file(args, explanations, ds, seconds);
  // The drawing first: should Graphviz fail, no --out file claims the run succeeded.
  if (!args.render.empty()) {
    const int64_t wanted =
        args.render_target >= 0 ? args.render_target : explanations.front().target;
    const auto chosen =
        std::find_if(explanations.begin(), explanations.end(),
                     [wanted](const explainers::Explanation& e) { return e.target == wanted; });
    TORCH_CHECK(chosen != explanations.end(), "explain: target ", wanted, " was not explained");
    const size_t index = node_task ? 0 : static_cast<size_t>(chosen->target);
    explainers::GraphvizOptions drawing;
    if (args.show_truth) drawing.truth = truth_of(ds, index);
    explainers::render_explanation(*chosen, ds.graphs.at(index), args.render, drawing);
  }
  io::write_file_atomically(args.out, [&](std::ostream& out) { out << text; });

  const int64_t flat = explainers::count_flat_edge_masks(explanations);
  if (flat > 0 && !globals.quiet) {
    std::fprintf(stderr,
                 "gnnx: warning: %lld of %zu explanations give every edge the same score (%s ranks "
                 "nothing for them on this model)\n",
                 static_cast<long long>(flat), explanations.size(), args.method.c_str());
  }
  if (args.json) {
    nlohmann::ordered_json j = {
        {"dataset", dataset},   {"method", args.method}, {"targets", explanations.size()},
        {"flat_masks", flat},   {"seconds", seconds},    {"format", args.format},
        {"device", used.str()}, {"out", args.out}};
    if (!args.render.empty()) j["render"] = args.render;
    std::cout << j.dump() << "\n";
    return;
  }
  std::printf("explained %zu %s of %s with %s in %.2f s -> %s%s%s\n", explanations.size(),
              node_task ? "nodes" : "graphs", dataset.c_str(), args.method.c_str(), seconds,
              args.out.c_str(), args.render.empty() ? "" : ", drawing ", args.render.c_str());
}

}  // namespace

void add_explain_command(CLI::App& app, const GlobalOptions& globals) {
  auto args = std::make_shared<ExplainArgs>();
  CLI::App* cmd = app.add_subcommand("explain", "Explain a trained model's predictions");
  cmd->footer(
      "Targets: ids, lists and ranges, e.g. 400:700:5, 1,5,9 or all (default: the data set's "
      "standard evaluation targets).\n"
      "A model trained on your own files reads them again from where it recorded them (give a "
      "moved one with its train flag, e.g. --labels NEW.csv; a changed one is refused).\n"
      "Example: gnnx explain --model ba-shapes.gnnx --method gnnexplainer --nodes 400:700:5 "
      "--out expl.json --render expl.svg");
  cmd->add_option("--model", args->model, "Model file (from gnnx train)")->required();
  CLI::Option* dataset =
      cmd->add_option("--dataset", args->dataset, "Data set (default: the model's)");
  cmd->add_option("--dataset-seed", args->dataset_seed, "Data set seed (default: the model's)");
  cmd->add_option("--method", args->method, "Explainer: " + explainers::method_names())->required();
  CLI::Option* nodes =
      cmd->add_option("--nodes", args->nodes, "Node targets (node-classification data sets)")
          ->check(id_list());
  cmd->add_option("--graphs", args->graphs, "Graph targets (graph-classification data sets)")
      ->check(id_list())
      ->excludes(nodes);
  cmd->add_option("--top-k", args->top_k,
                  "Edges listed as top_edges per target (an undirected pair counts once)")
      ->check(positive())
      ->capture_default_str();
  cmd->add_option("--out", args->out, "File to write (atomically), in --format")->required();
  cmd->add_option("--format", args->format,
                  "json: one document; jsonl: a header line, then a line per target; csv: a row "
                  "per target and edge (README: Explanation file format)")
      ->check(CLI::IsMember({"json", "jsonl", "csv"}))
      ->capture_default_str();
  cmd->add_option("--precision", args->precision, "Significant digits of the numbers written")
      ->check(CLI::Range(1, 17))
      ->capture_default_str();
  CLI::Option* render = cmd->add_option(
      "--render", args->render,
      "Also draw one explanation (.svg, .png, .pdf, .dot): edges shaded by importance, with a "
      "colour bar; edges routed around the nodes they do not touch");
  cmd->add_option("--render-target", args->render_target,
                  "Which target to draw (default: the first)")
      ->check(non_negative());  // -1 is the "first target" default, not the user's
  cmd->add_flag("--show-truth", args->show_truth,
                "Outline the data set's ground truth in the drawing (blue, dashed; its edges drawn "
                "even when not among the most important)")
      ->needs(render);
  cmd->add_flag("--json", args->json, "Print a JSON summary on stdout");
  add_method_flags(*cmd, args->flags);
  for (CLI::Option* opt : add_graph_flags(*cmd, args->files, GraphFlagUse::kReread)) {
    dataset->excludes(opt);
  }
  cmd->callback([args, &globals] { run(*args, globals); });
}

}  // namespace gnnx::tools
