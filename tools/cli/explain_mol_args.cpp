#include "cli/explain_mol_args.h"

#include "cli/validators.h"

#include <gnnx/explainers/explainer.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/atomic_file.h>

#include <CLI/CLI.hpp>

#include <filesystem>

namespace gnnx::tools {

molecules::DrawOptions draw_options(const ExplainMolArgs& args) {
  molecules::DrawOptions o;
  o.width = args.width;
  o.height = args.height;
  o.contours = args.contours;
  return o;
}

void check_explain_mol_args(const ExplainMolArgs& args) {
  // Which flags go together is CLI11's to check (add_explain_mol_flags): exactly one of
  // --smiles and --input, and the batch flags only with --input. What is left: the files.
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
}

void add_explain_mol_flags(CLI::App& cmd, ExplainMolArgs& args) {
  cmd.add_option("--model", args.model, "Model file (from gnnx train --data)")->required();
  cmd.add_option("--method", args.method, "Explainer: " + explainers::method_names())->required();
  CLI::App* source = cmd.add_option_group("Molecules", "One SMILES or a file (exactly one)");
  // An empty --smiles would count as given and then run batch mode without --input.
  source->add_option("--smiles", args.smiles, "One molecule to explain")
      ->check(CLI::Validator(
          [](std::string& s) { return s.empty() ? std::string("empty SMILES") : std::string(); },
          /*validator_desc=*/""));
  CLI::Option* input =
      source->add_option("--input", args.input, "Molecules to explain (.csv, .tsv, .smi, .sdf)");
  source->require_option(1);
  cmd.add_option("--out", args.out, "--smiles: drawing to write (.png or .svg)");
  CLI::Option* output =
      cmd.add_option("--output", args.output, "--input: JSON lines to write (atomically)");
  input->needs(output);
  cmd.add_option("--render-dir", args.render_dir,
                 "--input: also draw each molecule to DIR/<id>.png (--id-col) or DIR/<index>.png")
      ->needs(input);
  cmd.add_option("--render-format", args.render_format, "--render-dir: png or svg")
      ->check(CLI::IsMember({"png", "svg"}))
      ->capture_default_str();
  cmd.add_option("--shard", args.shard,
                 "--input: i/N, explain records i, i+N, i+2N, ... (0 <= i < N)")
      ->check(shard())
      ->needs(input);
  cmd.add_option("--task", args.task, "Which task of a multi-task model (default: the first)");
  cmd.add_option("--smiles-col", args.smiles_col, "--input CSV/TSV: the SMILES column")
      ->capture_default_str();
  cmd.add_option("--id-col", args.id_col, "--input CSV/TSV: the id column");
  cmd.add_option("--width", args.width, "Drawing width in pixels")
      ->check(CLI::Range(50, 10000))
      ->capture_default_str();
  cmd.add_option("--height", args.height, "Drawing height in pixels")
      ->check(CLI::Range(50, 10000))
      ->capture_default_str();
  cmd.add_option("--mol-batch", args.batch, "--input: molecules explained together")
      ->check(CLI::Range(int64_t{1}, int64_t{100000}))
      ->capture_default_str();
  cmd.add_option("--fragment-size", args.fragment_size,
                 "Explanation fragment: this many atoms, grown from the top atom")
      ->check(CLI::Range(int64_t{1}, int64_t{100000}));
  cmd.add_option("--fragment-threshold", args.fragment_threshold,
                 "Explanation fragment: the connected atoms with value >= T x the top value "
                 "(used without --fragment-size)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd.add_option("--fragment-counts", args.fragment_counts,
                 "--input: CSV of explanation fragments and how many molecules each explains")
      ->needs(input);
  cmd.add_option("--grid", args.grid,
                 "--input: one picture (.png or .svg) of the first --grid-max molecules")
      ->needs(input);
  cmd.add_option("--grid-columns", args.grid_columns, "--grid: panels per row")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd.add_option("--grid-max", args.grid_max, "--grid: at most this many panels")
      ->check(CLI::Range(int64_t{1}, int64_t{10000}))
      ->capture_default_str();
  cmd.add_option("--grid-scale", args.grid_scale,
                 "--grid: shared (one colour scale for all panels) or panel (each its own)")
      ->check(CLI::IsMember({"shared", "panel"}))
      ->capture_default_str();
  cmd.add_flag("--contours", args.contours,
               "Draw similarity-map style contours of the atom importances");
  cmd.add_option("--precision", args.precision,
                 "Significant digits of the numbers in --output and --json")
      ->check(CLI::Range(1, 17))
      ->capture_default_str();
  cmd.add_flag("--json", args.json, "Print JSON on stdout");
  add_method_flags(cmd, args.flags);
}

}  // namespace gnnx::tools
