// `gnnx explain-mol`: explains a molecule property model (from `gnnx train --data`) on one
// SMILES, drawn with the importances on the molecule, or on a whole file in batch mode (one JSON
// line per input record, in input order; --shard i/N for job arrays; explanation fragments
// counted over the file; a grid picture). The work is molecules::MoleculeExplainer's; this file
// reads flags and writes files.

#include <GraphMol/ROMol.h>
#include <gnnx/explainers/explainer.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/atomic_file.h>
#include <gnnx/molecules/draw.h>
#include <gnnx/molecules/featurize.h>
#include <gnnx/molecules/fragment.h>
#include <gnnx/molecules/molecule_explainer.h>
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
#include "cli/validators.h"
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
  std::string fragment_counts;
  std::string grid;
  int grid_columns = 4;
  int64_t grid_max = 24;
  int64_t fragment_size = 0;
  double fragment_threshold = 0.5;
  bool contours = false;
  int width = 600;
  int height = 450;
  int64_t batch = 64;
  bool json = false;
  MethodFlags flags;
};

/// 6 significant digits: small enough for JSON lines, and independent of the last bits that
/// batching can change.
double rounded(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return std::strtod(buffer, nullptr);
}

nlohmann::ordered_json result_json(const molecules::MoleculeExplainer& explainer,
                                   const molecules::MoleculeExplanation& r) {
  nlohmann::ordered_json j;
  j["method"] = explainer.method();
  j["task"] = explainer.task();
  j["prediction"] = rounded(r.prediction);
  if (!explainer.regression()) {
    j["predicted_class"] = r.predicted_class;
    j["explained_class"] = r.explained_class;
  }
  nlohmann::ordered_json atoms = nlohmann::ordered_json::array(),
                         bonds = nlohmann::ordered_json::array();
  for (double v : r.atoms) atoms.push_back(rounded(v));
  for (double v : r.bonds) bonds.push_back(rounded(v));
  j["atoms"] = atoms;
  j["bonds"] = bonds;
  j["fragment_smiles"] = r.fragment.smiles;
  j["fragment_smarts"] = r.fragment.smarts;
  j["fragment_atoms"] = r.fragment.atoms;
  j["fragment_bonds"] = r.fragment.bonds;
  return j;
}

molecules::DrawOptions draw_options(const ExplainMolArgs& args) {
  molecules::DrawOptions o;
  o.width = args.width;
  o.height = args.height;
  o.contours = args.contours;
  return o;
}

void write_bytes(const std::string& path, const std::string& bytes) {
  io::write_file_atomically(path, [&](std::ostream& out) { out << bytes; });
}

void run_single(const ExplainMolArgs& args, molecules::MoleculeExplainer& explainer) {
  const std::unique_ptr<RDKit::ROMol> mol = molecules::smiles_to_mol(args.smiles);
  const molecules::MoleculeExplanation r = explainer.explain(*mol);
  if (!args.out.empty()) {
    write_bytes(args.out,
                explainer.draw(*mol, r, molecules::image_format_for(args.out), draw_options(args)));
  }
  if (args.json) {
    nlohmann::ordered_json j = {{"smiles", args.smiles}};
    j.update(result_json(explainer, r));
    if (!args.out.empty()) j["out"] = args.out;
    std::cout << j.dump() << "\n";
    return;
  }
  std::printf("%s\n", r.legend.c_str());
  std::vector<size_t> order(r.atoms.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return std::abs(r.atoms[a]) > std::abs(r.atoms[b]); });
  std::printf("most important atoms:");
  for (size_t k = 0; k < std::min<size_t>(5, order.size()); ++k) {
    std::printf(" %s%zu (%.3g)", mol->getAtomWithIdx(order[k])->getSymbol().c_str(), order[k],
                r.atoms[order[k]]);
  }
  std::printf("\nexplanation fragment: %s  (SMARTS %s)\n", r.fragment.smiles.c_str(),
              r.fragment.smarts.c_str());
  if (!args.out.empty()) std::printf("drew %s\n", args.out.c_str());
}

nlohmann::ordered_json error_line(int64_t index, const std::string& id, const std::string& smiles,
                                  int64_t line, const std::string& error) {
  return {{"index", index}, {"id", id}, {"smiles", smiles}, {"line", line}, {"error", error}};
}

void run_batch(const ExplainMolArgs& args, molecules::MoleculeExplainer& explainer, bool quiet) {
  molecules::ReadOptions read;
  read.smiles_column = args.smiles_col;
  read.id_column = args.id_col;
  // --shard was checked when the flags were parsed (validators.h: shard()).
  std::tie(read.shard_index, read.shard_count) =
      args.shard.empty() ? std::pair<int64_t, int64_t>{0, 1} : *parse_shard(args.shard);
  const molecules::MoleculeSet set = molecules::read_molecules(args.input, read);

  // Lines by record index; records and skipped ones are merged in input order at the end.
  std::map<int64_t, nlohmann::ordered_json> lines;
  for (const auto& s : set.skipped) {
    lines[s.index] = error_line(s.index, s.id, s.smiles, s.line, s.reason);
  }
  std::vector<const molecules::MoleculeRecord*> todo;
  std::vector<molecules::MolGraph> graphs;
  for (const auto& r : set.records) {
    try {
      graphs.push_back(molecules::featurize(*r.mol, explainer.featurizer()));
      todo.push_back(&r);
    } catch (const InputError& e) {
      lines[r.index] = error_line(r.index, r.id, r.smiles, r.line, e.what());
    }
  }

  const molecules::ImageFormat grid_format =
      args.grid.empty() ? molecules::ImageFormat::kPng : molecules::image_format_for(args.grid);
  molecules::FragmentCounter counter;
  std::vector<std::string> grid_panels;
  size_t explained = 0;
  ProgressBar bar("explain-mol", std::max<int64_t>(1, todo.size()), /*enabled=*/!quiet);
  auto record_line = [&](const molecules::MoleculeRecord& rec,
                         const molecules::MoleculeExplanation& r) {
    nlohmann::ordered_json j = {{"index", rec.index}, {"id", rec.id}, {"smiles", rec.smiles}};
    j.update(result_json(explainer, r));
    lines[rec.index] = j;
    ++explained;
    counter.add(r.fragment, r.prediction, rec.id);
    if (!args.render_dir.empty()) {
      const std::string path = (std::filesystem::path(args.render_dir) /
                                (std::to_string(rec.index) + "." + args.render_format))
                                   .string();
      write_bytes(
          path, explainer.draw(*rec.mol, r, molecules::image_format_for(path), draw_options(args)));
    }
    if (!args.grid.empty() && static_cast<int64_t>(grid_panels.size()) < args.grid_max) {
      molecules::DrawOptions o = draw_options(args);
      o.legend = "#" + std::to_string(rec.index) + " " + rec.id + " | " + r.legend;
      grid_panels.push_back(explainer.draw(*rec.mol, r, grid_format, o));
    }
  };
  // Molecules go to the explainer in chunks of --mol-batch (one disjoint union per call); a
  // chunk that fails is redone one molecule at a time so that one bad molecule costs only its
  // own line. Records are handled in input order, so the counts and the grid follow it too.
  const auto chunk = static_cast<size_t>(args.batch);
  for (size_t begin = 0; begin < todo.size(); begin += chunk) {
    const size_t end = std::min(todo.size(), begin + chunk);
    std::vector<const RDKit::ROMol*> mols;
    for (size_t k = begin; k < end; ++k) mols.push_back(todo[k]->mol.get());
    const std::vector<molecules::MolGraph> part(graphs.begin() + begin, graphs.begin() + end);
    std::vector<molecules::MoleculeExplanation> results;
    try {
      results = explainer.explain(mols, part);
    } catch (const std::exception&) {
      results.clear();
    }
    for (size_t k = begin; k < end; ++k) {
      const auto& rec = *todo[k];
      if (!results.empty()) {
        record_line(rec, results[k - begin]);
        continue;
      }
      try {
        record_line(rec, explainer.explain({rec.mol.get()}, {graphs[k]}).front());
      } catch (const std::exception& e) {
        lines[rec.index] = error_line(rec.index, rec.id, rec.smiles, rec.line, e.what());
      }
    }
    bar.update(static_cast<int64_t>(end));
  }
  bar.finish();

  // Everything is in memory: a failure above leaves no file behind, and each file below is
  // written atomically.
  io::write_file_atomically(args.output, [&](std::ostream& out) {
    for (const auto& [index, j] : lines) out << j.dump() << "\n";
  });
  if (!args.fragment_counts.empty()) write_bytes(args.fragment_counts, counter.to_csv());
  if (!args.grid.empty() && !grid_panels.empty()) {
    write_bytes(args.grid, molecules::draw_grid(grid_panels, args.grid_columns, grid_format));
  }
  const size_t errors = lines.size() - explained;
  if (args.json) {
    nlohmann::ordered_json top = nlohmann::ordered_json::array();
    const auto rows = counter.rows();
    for (size_t i = 0; i < std::min<size_t>(10, rows.size()); ++i) {
      top.push_back({{"fragment_smiles", rows[i].smiles},
                     {"fragment_smarts", rows[i].smarts},
                     {"count", rows[i].count}});
    }
    std::cout << nlohmann::ordered_json({{"input", args.input},
                                         {"records", set.num_records},
                                         {"explained", explained},
                                         {"errors", errors},
                                         {"output", args.output},
                                         {"top_fragments", top}})
                     .dump()
              << "\n";
    return;
  }
  std::printf("explained %zu of %zu record(s) of %s with %s -> %s (%zu error line(s))\n", explained,
              lines.size(), args.input.c_str(), args.method.c_str(), args.output.c_str(), errors);
  const auto rows = counter.rows();
  if (!rows.empty()) std::printf("most frequent explanation fragments:\n");
  for (size_t i = 0; i < std::min<size_t>(5, rows.size()); ++i) {
    std::printf("  %5lld  %s\n", static_cast<long long>(rows[i].count), rows[i].smiles.c_str());
  }
}

void run(const ExplainMolArgs& args, const GlobalOptions& globals) {
  // Which flags go together is CLI11's to check (add_explain_mol_command): exactly one of
  // --smiles and --input, and the batch flags only with --input.
  const bool single = !args.smiles.empty();
  if (single && !args.out.empty()) {
    molecules::image_format_for(args.out);
    io::check_writable_path(args.out);
  }
  if (!single) {
    io::check_writable_path(args.output);
    if (!args.fragment_counts.empty()) io::check_writable_path(args.fragment_counts);
    if (!args.grid.empty()) {
      molecules::image_format_for(args.grid);
      io::check_writable_path(args.grid);
    }
    if (!args.render_dir.empty()) {
      std::error_code ec;
      if (!std::filesystem::is_directory(args.render_dir, ec)) {
        throw InputError("--render-dir '" + args.render_dir + "' is not a directory");
      }
    }
  }
  molecules::MoleculeExplainerOptions options;
  options.task = args.task;
  options.method = method_options(args.method, args.flags, /*undirected_graph=*/true);
  options.fragment.size = args.fragment_size;
  options.fragment.threshold = args.fragment_threshold;
  options.batch = args.batch;
  molecules::MoleculeExplainer explainer(args.model, args.method, options);
  if (single) {
    run_single(args, explainer);
  } else {
    run_batch(args, explainer, globals.quiet);
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
      "prediction, atoms, bonds, fragment_smiles, fragment_smarts, fragment_atoms, "
      "fragment_bonds), "
      "or an \"error\" field for a record that could not be read. Shards: concatenate the "
      "parts and sort them by index (LC_ALL=C sort -t: -k2,2n) to get the single-run file byte for "
      "byte.");
  cmd->add_option("--model", args->model, "Model file (from gnnx train --data)")->required();
  cmd->add_option("--method", args->method, "Explainer: " + explainers::method_names())->required();
  CLI::App* source = cmd->add_option_group("Molecules", "One SMILES or a file (exactly one)");
  source->add_option("--smiles", args->smiles, "One molecule to explain");
  CLI::Option* input =
      source->add_option("--input", args->input, "Molecules to explain (.csv, .tsv, .smi, .sdf)");
  source->require_option(1);
  cmd->add_option("--out", args->out, "--smiles: drawing to write (.png or .svg)");
  CLI::Option* output =
      cmd->add_option("--output", args->output, "--input: JSON lines to write (atomically)");
  input->needs(output);
  cmd->add_option("--render-dir", args->render_dir,
                  "--input: also draw each molecule to DIR/<index>.png")
      ->needs(input);
  cmd->add_option("--render-format", args->render_format, "--render-dir: png or svg")
      ->check(CLI::IsMember({"png", "svg"}))
      ->capture_default_str();
  cmd->add_option("--shard", args->shard,
                  "--input: i/N, explain records i, i+N, i+2N, ... (0 <= i < N)")
      ->check(shard())
      ->needs(input);
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
  cmd->add_option("--fragment-size", args->fragment_size,
                  "Explanation fragment: this many atoms, grown from the top atom")
      ->check(CLI::Range(int64_t{1}, int64_t{100000}));
  cmd->add_option("--fragment-threshold", args->fragment_threshold,
                  "Explanation fragment: the connected atoms with value >= T x the top value "
                  "(used without --fragment-size)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--fragment-counts", args->fragment_counts,
                  "--input: CSV of explanation fragments and how many molecules each explains")
      ->needs(input);
  cmd->add_option("--grid", args->grid,
                  "--input: one picture (.png or .svg) of the first --grid-max molecules")
      ->needs(input);
  cmd->add_option("--grid-columns", args->grid_columns, "--grid: panels per row")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd->add_option("--grid-max", args->grid_max, "--grid: at most this many panels")
      ->check(CLI::Range(int64_t{1}, int64_t{10000}))
      ->capture_default_str();
  cmd->add_flag("--contours", args->contours,
                "Draw similarity-map style contours of the atom importances");
  cmd->add_flag("--json", args->json, "Print JSON on stdout");
  add_method_flags(*cmd, args->flags);
  cmd->callback([args, &globals] { run(*args, globals); });
}

}  // namespace gnnx::tools
