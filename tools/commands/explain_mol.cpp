// `gnnx explain-mol`: explains a molecule property model (from `gnnx train --data`) on one
// SMILES, drawn with the importances on the molecule, or on a whole file in batch mode (one JSON
// line per input record, in input order; --shard i/N for job arrays).

#include <GraphMol/ROMol.h>
#include <gnnx/explainers/explainer.h>
#include <gnnx/gnn/atomic_file.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/gnn/property_training.h>
#include <gnnx/molecules/draw.h>
#include <gnnx/molecules/featurize.h>
#include <gnnx/molecules/parse.h>
#include <gnnx/molecules/readers.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/method_flags.h"
#include "cli/progress.h"
#include "commands/commands.h"

namespace gnnx::tools {
namespace {

struct ExplainMolArgs {
  std::string model;
  std::string method;
  std::string smiles;
  std::string out;
  std::string input;
  std::string output;
  std::string render_dir;
  std::string render_format = "png";
  std::string shard;
  std::string task;
  std::string smiles_col = "smiles";
  std::string id_col;
  int width = 600;
  int height = 450;
  int64_t batch = 64;
  bool json = false;
  MethodFlags flags;
};

/// A property model seen through one task, with what is needed to featurise its input.
struct MoleculeModel {
  std::shared_ptr<gnn::GnnModel> view;  // gnn::single_task_view of the file's model
  molecules::FeaturizerOptions featurizer;
  gnn::PropertyKind kind = gnn::PropertyKind::kBinary;
  std::string task;
};

MoleculeModel load_molecule_model(const std::string& path, const std::string& task_name) {
  const gnn::ModelFile file = gnn::load_model(path);
  auto get = [&](const std::string& key) {
    auto it = file.metadata.find(key);
    if (it == file.metadata.end()) {
      throw InputError("model '" + path + "' is not a molecule model (no '" + key +
                       "'): train it with gnnx train --data");
    }
    return it->second;
  };
  MoleculeModel m;
  m.kind = gnn::parse_property_kind(get("property.kind"));
  std::vector<std::string> tasks;
  std::stringstream in(get("property.tasks"));
  for (std::string t; std::getline(in, t, ',');) tasks.push_back(t);
  m.featurizer = molecules::FeaturizerOptions::from_metadata(file.metadata);
  int64_t index = 0;
  if (!task_name.empty()) {
    auto it = std::find(tasks.begin(), tasks.end(), task_name);
    if (it == tasks.end()) {
      std::string names;
      for (const auto& t : tasks) names += (names.empty() ? "" : ", ") + t;
      throw InputError("--task '" + task_name + "' is not a task of the model (tasks: " + names +
                       ")");
    }
    index = it - tasks.begin();
  }
  m.task = tasks.at(index);
  m.view = gnn::single_task_view(*file.model, index, m.kind);
  return m;
}

/// 6 significant digits: small enough for JSON lines, and independent of the last bits that
/// batching can change.
double rounded(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return std::strtod(buffer, nullptr);
}

struct MolResult {
  double prediction = 0;  // binary: P(class 1); regression: the value
  int64_t predicted_class = -1, explained_class = -1;
  molecules::AtomBondValues values;
};

std::vector<double> to_vector(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kDouble).contiguous();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

/// Explains molecules together (one disjoint union per explainer call).
std::vector<MolResult> explain_all(explainers::Explainer& explainer, const MoleculeModel& model,
                                   const std::vector<molecules::MolGraph>& mols) {
  std::vector<gnn::Graph> graphs;
  for (const auto& m : mols) graphs.push_back(m.graph);
  const torch::Tensor outputs = gnn::predict_graphs(*model.view, graphs);
  const std::vector<explainers::Explanation> explanations =
      explainer.explain_graphs(*model.view, graphs);
  std::vector<MolResult> results(mols.size());
  for (size_t i = 0; i < mols.size(); ++i) {
    const explainers::Explanation& e = explanations.at(i);
    const gnn::Graph& g = graphs[i];
    MolResult& r = results[i];
    if (model.kind == gnn::PropertyKind::kBinary) {
      r.prediction = torch::softmax(outputs[i], 0)[1].item<double>();
      r.predicted_class = e.predicted_class;
      r.explained_class = e.explained_class;
    } else {
      r.prediction = outputs[i][0].item<double>();
    }
    const std::vector<double> nodes =
        e.node_mask.defined() ? to_vector(e.dense_node_mask(g.num_nodes())) : std::vector<double>();
    const std::vector<double> edges =
        e.edge_mask.defined() ? to_vector(e.dense_edge_mask(g.num_edges())) : std::vector<double>();
    r.values = molecules::to_atoms_and_bonds(mols[i], nodes, edges);
  }
  return results;
}

std::string legend(const std::string& method, const MoleculeModel& model, const MolResult& r) {
  char text[256];
  if (model.kind == gnn::PropertyKind::kBinary) {
    std::snprintf(text, sizeof text, "%s | %s: P(1) = %.3f | explaining class %lld", method.c_str(),
                  model.task.c_str(), r.prediction, static_cast<long long>(r.explained_class));
  } else {
    std::snprintf(text, sizeof text, "%s | %s = %.3f", method.c_str(), model.task.c_str(),
                  r.prediction);
  }
  return text;
}

nlohmann::ordered_json result_json(const std::string& method, const MoleculeModel& model,
                                   const MolResult& r) {
  nlohmann::ordered_json j;
  j["method"] = method;
  j["task"] = model.task;
  j["prediction"] = rounded(r.prediction);
  if (model.kind == gnn::PropertyKind::kBinary) {
    j["predicted_class"] = r.predicted_class;
    j["explained_class"] = r.explained_class;
  }
  nlohmann::ordered_json atoms = nlohmann::ordered_json::array(),
                         bonds = nlohmann::ordered_json::array();
  for (double v : r.values.atoms) atoms.push_back(rounded(v));
  for (double v : r.values.bonds) bonds.push_back(rounded(v));
  j["atoms"] = atoms;
  j["bonds"] = bonds;
  return j;
}

std::pair<int64_t, int64_t> parse_shard(const std::string& text) {
  const size_t slash = text.find('/');
  try {
    if (slash != std::string::npos) {
      size_t used = 0;
      const int64_t i = std::stoll(text.substr(0, slash), &used);
      size_t used2 = 0;
      const int64_t n = std::stoll(text.substr(slash + 1), &used2);
      if (used == slash && used2 == text.size() - slash - 1 && n >= 1 && i >= 0 && i < n) {
        return {i, n};
      }
    }
  } catch (const std::exception&) {
  }
  throw InputError("--shard '" + text + "': expected i/N with 0 <= i < N, e.g. 0/4");
}

void draw_to(const std::string& path, const RDKit::ROMol& mol, const MolResult& r,
             const std::string& text, const ExplainMolArgs& args) {
  molecules::DrawOptions o;
  o.width = args.width;
  o.height = args.height;
  o.legend = text;
  const std::string bytes = molecules::draw_molecule(mol, r.values.atoms, r.values.bonds, o,
                                                     molecules::image_format_for(path));
  gnn::write_file_atomically(path, [&](std::ostream& out) { out << bytes; });
}

void run_single(const ExplainMolArgs& args, const MoleculeModel& model,
                explainers::Explainer& explainer) {
  const std::unique_ptr<RDKit::ROMol> mol = molecules::smiles_to_mol(args.smiles);
  const molecules::MolGraph graph = molecules::featurize(*mol, model.featurizer);
  const MolResult r = explain_all(explainer, model, {graph}).front();
  if (!args.out.empty()) draw_to(args.out, *mol, r, legend(args.method, model, r), args);
  if (args.json) {
    nlohmann::ordered_json j = {{"smiles", args.smiles}};
    j.update(result_json(args.method, model, r));
    if (!args.out.empty()) j["out"] = args.out;
    std::cout << j.dump() << "\n";
    return;
  }
  std::printf("%s\n", legend(args.method, model, r).c_str());
  std::vector<size_t> order(r.values.atoms.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::abs(r.values.atoms[a]) > std::abs(r.values.atoms[b]);
  });
  std::printf("most important atoms:");
  for (size_t k = 0; k < std::min<size_t>(5, order.size()); ++k) {
    std::printf(" %s%zu (%.3g)", mol->getAtomWithIdx(order[k])->getSymbol().c_str(), order[k],
                r.values.atoms[order[k]]);
  }
  std::printf("\n");
  if (!args.out.empty()) std::printf("drew %s\n", args.out.c_str());
}

void run_batch(const ExplainMolArgs& args, const MoleculeModel& model,
               explainers::Explainer& explainer, bool quiet) {
  molecules::ReadOptions read;
  read.smiles_column = args.smiles_col;
  read.id_column = args.id_col;
  std::tie(read.shard_index, read.shard_count) =
      args.shard.empty() ? std::pair<int64_t, int64_t>{0, 1} : parse_shard(args.shard);
  const molecules::MoleculeSet set = molecules::read_molecules(args.input, read);
  if (!args.render_dir.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(args.render_dir, ec)) {
      throw InputError("--render-dir '" + args.render_dir + "' is not a directory");
    }
  }

  // Lines by record index; records and skipped ones are merged in input order at the end.
  std::map<int64_t, nlohmann::ordered_json> lines;
  for (const auto& s : set.skipped) {
    lines[s.index] = {{"index", s.index},
                      {"id", s.id},
                      {"smiles", s.smiles},
                      {"line", s.line},
                      {"error", s.reason}};
  }
  std::vector<const molecules::MoleculeRecord*> todo;
  std::vector<molecules::MolGraph> graphs;
  for (const auto& r : set.records) {
    try {
      graphs.push_back(molecules::featurize(*r.mol, model.featurizer));
      todo.push_back(&r);
    } catch (const InputError& e) {
      lines[r.index] = {{"index", r.index},
                        {"id", r.id},
                        {"smiles", r.smiles},
                        {"line", r.line},
                        {"error", e.what()}};
    }
  }

  ProgressBar bar("explain-mol", std::max<int64_t>(1, todo.size()), /*enabled=*/!quiet);
  auto record_line = [&](const molecules::MoleculeRecord& rec, const MolResult& r) {
    nlohmann::ordered_json j = {{"index", rec.index}, {"id", rec.id}, {"smiles", rec.smiles}};
    j.update(result_json(args.method, model, r));
    lines[rec.index] = j;
    if (!args.render_dir.empty()) {
      const std::string path = (std::filesystem::path(args.render_dir) /
                                (std::to_string(rec.index) + "." + args.render_format))
                                   .string();
      draw_to(path, *rec.mol, r, legend(args.method, model, r), args);
    }
  };
  for (size_t begin = 0; begin < todo.size(); begin += args.batch) {
    const size_t end = std::min(todo.size(), begin + static_cast<size_t>(args.batch));
    const std::vector<molecules::MolGraph> chunk(graphs.begin() + begin, graphs.begin() + end);
    try {
      const std::vector<MolResult> results = explain_all(explainer, model, chunk);
      for (size_t k = begin; k < end; ++k) record_line(*todo[k], results[k - begin]);
    } catch (const std::exception&) {
      // One bad molecule should not cost its batch: redo them one at a time.
      for (size_t k = begin; k < end; ++k) {
        try {
          record_line(*todo[k], explain_all(explainer, model, {graphs[k]}).front());
        } catch (const std::exception& e) {
          const auto& rec = *todo[k];
          lines[rec.index] = {{"index", rec.index},
                              {"id", rec.id},
                              {"smiles", rec.smiles},
                              {"line", rec.line},
                              {"error", e.what()}};
        }
      }
    }
    bar.update(static_cast<int64_t>(end));
  }
  bar.finish();

  gnn::write_file_atomically(args.output, [&](std::ostream& out) {
    for (const auto& [index, j] : lines) out << j.dump() << "\n";
  });
  if (args.json) {
    std::cout << nlohmann::ordered_json({{"input", args.input},
                                         {"records", set.num_records},
                                         {"explained", todo.size()},
                                         {"errors", lines.size() - todo.size()},
                                         {"output", args.output}})
                     .dump()
              << "\n";
    return;
  }
  std::printf("explained %zu of %zu record(s) of %s with %s -> %s (%zu error line(s))\n",
              todo.size(), lines.size(), args.input.c_str(), args.method.c_str(),
              args.output.c_str(), lines.size() - todo.size());
}

void run(const ExplainMolArgs& args, const GlobalOptions& globals) {
  const bool single = !args.smiles.empty();
  if (single == !args.input.empty()) {
    throw InputError("explain-mol: give either --smiles (one molecule) or --input (a file)");
  }
  if (!single && args.output.empty()) throw InputError("explain-mol: --input needs --output");
  if (single && !args.out.empty()) {
    molecules::image_format_for(args.out);
    gnn::check_writable_path(args.out);
  }
  if (!single) gnn::check_writable_path(args.output);
  const MoleculeModel model = load_molecule_model(args.model, args.task);
  const std::unique_ptr<explainers::Explainer> explainer = explainers::make_explainer(
      args.method, method_options(args.flags, /*undirected_graph=*/true));
  if (single) {
    run_single(args, model, *explainer);
  } else {
    run_batch(args, model, *explainer, globals.quiet);
  }
}

}  // namespace

void add_explain_mol_command(CLI::App& app, const GlobalOptions& globals) {
  auto args = std::make_shared<ExplainMolArgs>();
  CLI::App* cmd = app.add_subcommand(
      "explain-mol", "Explain a molecule property model on a SMILES or a file of molecules");
  cmd->footer(
      "Examples:\n"
      "  gnnx explain-mol --model bbbp.gnnx --smiles 'O=[N+]([O-])c1ccccc1' --method grad-cam "
      "--out nitro.png\n"
      "  gnnx explain-mol --model bbbp.gnnx --method grad-cam --input mols.csv --output "
      "expl.jsonl --shard 0/4\n"
      "Batch output: one JSON line per input record, in input order (index, id, smiles, "
      "prediction, atoms, bonds), or an \"error\" field for a record that could not be read.");
  cmd->add_option("--model", args->model, "Model file (from gnnx train --data)")->required();
  cmd->add_option("--method", args->method, "Explainer: " + explainers::method_names())->required();
  cmd->add_option("--smiles", args->smiles, "One molecule to explain");
  cmd->add_option("--out", args->out, "--smiles: drawing to write (.png or .svg)");
  cmd->add_option("--input", args->input, "Molecules to explain (.csv, .tsv, .smi, .sdf)");
  cmd->add_option("--output", args->output, "--input: JSON lines to write (atomically)");
  cmd->add_option("--render-dir", args->render_dir,
                  "--input: also draw each molecule to DIR/<index>.png");
  cmd->add_option("--render-format", args->render_format, "--render-dir: png or svg")
      ->check(CLI::IsMember({"png", "svg"}))
      ->capture_default_str();
  cmd->add_option("--shard", args->shard,
                  "--input: i/N, explain records i, i+N, i+2N, ... (0 <= i < N)");
  cmd->add_option("--task", args->task, "Which task of a multi-task model (default: the first)");
  cmd->add_option("--smiles-col", args->smiles_col, "--input CSV/TSV: the SMILES column")
      ->capture_default_str();
  cmd->add_option("--id-col", args->id_col, "--input CSV/TSV: the id column");
  cmd->add_option("--width", args->width, "Drawing width in pixels")
      ->check(CLI::Range(50, 10000))
      ->capture_default_str();
  cmd->add_option("--height", args->height, "Drawing height in pixels")
      ->check(CLI::Range(50, 10000))
      ->capture_default_str();
  cmd->add_option("--mol-batch", args->batch, "--input: molecules explained together")
      ->check(CLI::Range(int64_t{1}, int64_t{100000}))
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "Print JSON on stdout");
  add_method_flags(*cmd, args->flags);
  cmd->callback([args, &globals] { run(*args, globals); });
}

}  // namespace gnnx::tools
