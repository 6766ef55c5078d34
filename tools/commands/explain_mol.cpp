// `gnnx explain-mol`: explains a molecule property model (from `gnnx train --data`) on one
// SMILES, drawn with the importances on the molecule, or on a whole file in batch mode (one JSON
// line per input record, in input order; --shard i/N for job arrays; explanation fragments
// counted over the file; a grid picture). The work is molecules::MoleculeExplainer's; this file
// reads flags and writes files.

#include "cli/explain_mol_args.h"
#include "cli/explain_mol_json.h"
#include "cli/explain_mol_pictures.h"
#include "cli/explain_mol_truth.h"
#include "cli/progress.h"
#include "cli/validators.h"
#include "commands/commands.h"

#include <gnnx/gnn/error.h>
#include <gnnx/gnn/threads.h>
#include <gnnx/io/atomic_file.h>
#include <gnnx/io/significant_digits.h>
#include <gnnx/molecules/fragment.h>
#include <gnnx/molecules/method_defaults.h>
#include <gnnx/molecules/molecule_explainer.h>
#include <gnnx/molecules/parse.h>
#include <gnnx/molecules/readers.h>

#include <GraphMol/ROMol.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace gnnx::tools {
namespace {

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
    std::cout << io::dump_significant(j, args.precision) << "\n";
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

/// "  (explaining 'mutagen')", "  (explaining class 0)", or "" for regression.
std::string explaining(const molecules::FragmentCounter::Row& row) {
  if (row.explained_class < 0) return "";
  return !row.explained_class_name.empty()
             ? "  (explaining '" + row.explained_class_name + "')"
             : "  (explaining class " + std::to_string(row.explained_class) + ")";
}

void run_batch(const ExplainMolArgs& args, molecules::MoleculeExplainer& explainer, bool quiet) {
  molecules::ReadOptions read;
  read.smiles_column = args.smiles_col;
  read.id_column = args.id_col;
  read.format = args.format;
  // --shard was checked when the flags were parsed (validators.h: shard()).
  std::tie(read.shard_index, read.shard_count) =
      args.shard.empty() ? std::pair<int64_t, int64_t>{0, 1} : *parse_shard(args.shard);
  if (args.show_truth) read.keep_columns = molecules::truth_column_names();
  const molecules::MoleculeSet set = molecules::read_molecules(args.input, read);
  // Read before any work, so that a file without ground truth is refused with nothing written.
  const RecordTruths truths =
      args.show_truth ? read_record_truths(set, args.input) : RecordTruths();
  const RecordTruths* truth_of = args.show_truth ? &truths : nullptr;
  ProgressBar bar("explain-mol", 1, /*enabled=*/!quiet);
  const std::vector<molecules::RecordExplanation> records =
      explainer.explain_records(set, step_reporter(bar));
  bar.finish();

  // Records in input order, so that the counts and the grid follow it too.
  const molecules::ImageFormat grid_format =
      args.grid.empty() ? molecules::ImageFormat::kPng : molecules::image_format_for(args.grid);
  molecules::FragmentCounter counter;
  std::vector<const molecules::RecordExplanation*> grid_records;
  std::set<std::string> render_names;
  std::vector<std::pair<std::string, const molecules::RecordExplanation*>> renders;
  size_t explained = 0;
  for (const molecules::RecordExplanation& rec : records) {
    if (!rec.explanation) continue;
    const molecules::MoleculeExplanation& r = *rec.explanation;
    ++explained;
    counter.add(r.fragment, r.prediction, rec.id, r.explained_class, r.explained_class_name);
    if (!args.render_dir.empty()) {
      renders.emplace_back(
          (std::filesystem::path(args.render_dir) / render_file_name(args, rec, render_names))
              .string(),
          &rec);
    }
    if (!args.grid.empty() && static_cast<int64_t>(grid_records.size()) < args.grid_max) {
      grid_records.push_back(&rec);
    }
  }
  // The pictures on the worker threads (--threads; one per shard), one molecule each: each
  // file is drawn and written alone, so the files do not depend on the thread count (issue 19:
  // drawing scales with the threads).
  gnn::parallel_for_each(
      static_cast<int64_t>(renders.size()), gnn::worker_threads(), [&](int64_t i) {
        const std::string& path = renders[static_cast<size_t>(i)].first;
        const molecules::RecordExplanation& rec = *renders[static_cast<size_t>(i)].second;
        write_bytes(path,
                    draw_record(args, explainer, rec, molecules::image_format_for(path), truth_of));
      });
  // Everything is in memory: a failure above leaves no file behind (and writes nothing to
  // standard output), and each file below is written atomically.
  const auto write_lines = [&](std::ostream& out) {
    for (const auto& rec : records) {
      const auto truth =
          rec.explanation && truth_of != nullptr ? truths.find(rec.index) : truths.end();
      out << io::dump_significant(
                 record_json(explainer, rec, truth == truths.end() ? nullptr : &truth->second),
                 args.precision)
          << "\n";
    }
  };
  if (output_to_stdout(args)) {
    write_lines(std::cout);
    std::cout.flush();
    if (!std::cout) throw Error("cannot write the JSON lines to standard output");
  } else {
    io::write_file_atomically(args.output, write_lines);
  }
  if (!args.fragment_counts.empty()) write_bytes(args.fragment_counts, counter.to_csv());
  if (!args.grid.empty() && !grid_records.empty()) {
    write_bytes(args.grid,
                draw_explanation_grid(args, explainer, grid_records, grid_format, truth_of));
  }
  const size_t errors = records.size() - explained;
  const auto rows = counter.rows();
  if (args.json) {
    nlohmann::ordered_json top = nlohmann::ordered_json::array();
    for (size_t i = 0; i < std::min<size_t>(10, rows.size()); ++i) {
      nlohmann::ordered_json row = {{"fragment_smiles", rows[i].smiles},
                                    {"fragment_smarts", rows[i].smarts},
                                    {"count", rows[i].count}};
      if (rows[i].explained_class >= 0) row["explained_class"] = rows[i].explained_class;
      if (!rows[i].explained_class_name.empty()) {
        row["explained_class_name"] = rows[i].explained_class_name;
      }
      top.push_back(std::move(row));
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
  // With --output -, standard output holds the JSON lines only: the summary goes to stderr.
  FILE* summary = output_to_stdout(args) ? stderr : stdout;
  std::fprintf(summary, "explained %zu of %zu record(s) of %s with %s -> %s (%zu error line(s))\n",
               explained, records.size(), args.input.c_str(), args.method.c_str(),
               args.output.c_str(), errors);
  if (!rows.empty()) std::fprintf(summary, "most frequent explanation fragments:\n");
  for (size_t i = 0; i < std::min<size_t>(5, rows.size()); ++i) {
    std::fprintf(summary, "  %5lld  %s%s\n", static_cast<long long>(rows[i].count),
                 rows[i].smiles.c_str(), explaining(rows[i]).c_str());
  }
}

// The footer's line on the molecule defaults, from the constants themselves.
std::string molecule_defaults_help() {
  std::ostringstream out;
  out << "Without --method: " << molecules::kDefaultMoleculeMethod
      << " (chosen on Mutagenicity's validation molecules). GNNExplainer on molecules: --lr "
      << molecules::kMoleculeGnnExplainerLr << " --edge-size "
      << molecules::kMoleculeGnnExplainerEdgeSize
      << " unless given (README, \"Molecule defaults\").\n";
  return out.str();
}

void run(const ExplainMolArgs& args, const GlobalOptions& globals, const CLI::App& cmd) {
  check_explain_mol_args(args, cmd);
  // A shard is one of several processes started side by side (README: sharding): each on its
  // own core, unless the user asked for more.
  if (!args.shard.empty() && globals.threads_flag == "auto") gnn::set_worker_threads(1);
  molecules::MoleculeExplainerOptions options;
  options.task = args.task;
  options.method = method_options(args.method, args.flags, /*undirected_graph=*/true);
  options.fragment.size = args.fragment_size;
  options.fragment.threshold = args.fragment_threshold;
  options.fragment.min_atoms = args.fragment_min_atoms;
  options.batch = args.batch;
  molecules::MoleculeExplainer explainer(args.model, args.method, options);
  if (!args.smiles.empty()) {
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
      molecule_defaults_help() +
      "Examples:\n"
      "  gnnx explain-mol --model bbbp.gnnx --smiles 'O=[N+]([O-])c1ccccc1' --out nitro.png\n"
      "  gnnx explain-mol --model bbbp.gnnx --method grad-cam --input mols.csv --output "
      "expl.jsonl --shard 0/4\n"
      "  zcat mols.sdf.gz | gnnx explain-mol --model bbbp.gnnx --method grad-cam --input - "
      "--format sdf --output - | jq .prediction\n"
      "Batch output: one JSON line per input record, in input order (index, id, smiles, "
      "prediction, classes and their names, atoms, bonds, fragment_smiles, fragment_smarts, "
      "fragment_atoms, fragment_bonds; with --show-truth ground_truth_atoms, ground_truth_bonds), "
      "or an \"error\" field for a record that could not be read. Shards: concatenate the "
      "parts and sort them by index (LC_ALL=C sort -t: -k2,2n) to get the single-run file byte for "
      "byte.");
  add_explain_mol_flags(*cmd, *args);
  cmd->callback([args, &globals, cmd] { run(*args, globals, *cmd); });
}

}  // namespace gnnx::tools
