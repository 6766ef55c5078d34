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

namespace {

bool given(const CLI::App& cmd, const std::string& flag) { return cmd.count(flag) > 0; }

/// Issue 19: `--smiles ... --output x.png` exited 0 and wrote nothing. A flag that only the other
/// mode reads, or only a drawing, is refused, naming what to use instead.
void refuse_flags_outside_their_mode(const ExplainMolArgs& args, const CLI::App& cmd) {
  const bool single = !args.smiles.empty();
  if (single) {
    if (given(cmd, "--output")) {
      throw InputError(
          "--output is the JSON lines file of --input (batch mode); with --smiles, --out writes "
          "the drawing (.png or .svg) and --json prints the explanation");
    }
    if (given(cmd, "--show-truth")) {
      throw InputError(
          "--show-truth draws the ground truth of a benchmark file's records (--input with "
          "Mutagenicity's or graph attribution's ground-truth columns); a --smiles molecule has "
          "none");
    }
    for (const char* flag :
         {"--render-dir", "--render-format", "--shard", "--format", "--smiles-col", "--id-col",
          "--mol-batch", "--fragment-counts", "--grid", "--grid-columns", "--grid-max"}) {
      if (given(cmd, flag)) {
        throw InputError(std::string(flag) + " applies to --input (batch mode), not --smiles");
      }
    }
  } else if (given(cmd, "--out")) {
    throw InputError(
        "--out is the drawing of --smiles; with --input, --render-dir DIR draws every molecule "
        "and --grid FILE a grid of them");
  }
  const bool draws =
      single ? given(cmd, "--out") : given(cmd, "--render-dir") || given(cmd, "--grid");
  for (const char* flag : {"--width", "--height", "--contours", "--show-truth"}) {
    if (given(cmd, flag) && !draws) {
      throw InputError(std::string(flag) + " applies to drawings, and none is asked for: add " +
                       (single ? "--out FILE.png" : "--render-dir DIR or --grid FILE.png"));
    }
  }
  if (given(cmd, "--render-format") && !given(cmd, "--render-dir")) {
    throw InputError("--render-format applies to --render-dir, which is not given");
  }
  for (const char* flag : {"--grid-columns", "--grid-max"}) {
    if (given(cmd, flag) && !given(cmd, "--grid")) {
      throw InputError(std::string(flag) + " applies to --grid, which is not given");
    }
  }
  if (given(cmd, "--fragment-min-atoms") && given(cmd, "--fragment-size")) {
    throw InputError(
        "--fragment-min-atoms applies to fragments grown by --fragment-threshold; "
        "--fragment-size fixes the size");
  }
  if (args.fragment_counts == "-") {
    throw InputError("--fragment-counts -: only --output writes to standard output; name a file");
  }
  if (output_to_stdout(args) && args.json) {
    throw InputError(
        "--output - writes the JSON lines to standard output; --json would mix its "
        "summary into them (without --json the summary goes to standard error)");
  }
}

}  // namespace

void check_explain_mol_args(const ExplainMolArgs& args, const CLI::App& cmd) {
  refuse_flags_outside_their_mode(args, cmd);
  const bool single = !args.smiles.empty();
  if (single && !args.out.empty()) {
    molecules::image_format_for(args.out);
    io::check_writable_path(args.out);
  }
  if (!single) {
    if (!output_to_stdout(args)) io::check_writable_path(args.output);
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
  cmd.add_option("--method", args.method, "Explainer: " + explainers::method_names())
      ->capture_default_str();
  CLI::App* source = cmd.add_option_group("Molecules", "One SMILES or a file (exactly one)");
  // An empty --smiles would count as given and then run batch mode without --input.
  source->add_option("--smiles", args.smiles, "One molecule to explain")
      ->check(CLI::Validator(
          [](std::string& s) { return s.empty() ? std::string("empty SMILES") : std::string(); },
          /*validator_desc=*/""));
  // Which flags apply to which mode is check_explain_mol_args' to say (with what to use
  // instead); CLI11 checks that one of --smiles and --input is given, and --output with --input.
  CLI::Option* input = source->add_option(
      "--input", args.input,
      "Molecules to explain (.csv, .tsv, .smi, .sdf, each optionally .gz; - = standard input "
      "with --format)");
  source->require_option(1);
  cmd.add_option("--out", args.out, "--smiles: drawing to write (.png or .svg)");
  CLI::Option* output = cmd.add_option(
      "--output", args.output,
      "--input: JSON lines to write (atomically; - = standard output, written when all are done)");
  input->needs(output);
  cmd.add_option("--format", args.format,
                 "--input: csv, tsv, smi or sdf (default: from the name; required for -)")
      ->check(CLI::IsMember({"csv", "tsv", "smi", "sdf"}));
  cmd.add_option("--render-dir", args.render_dir,
                 "--input: also draw each molecule to DIR/<id>.png (--id-col) or DIR/<index>.png");
  cmd.add_option("--render-format", args.render_format, "--render-dir: png or svg")
      ->check(CLI::IsMember({"png", "svg"}))
      ->capture_default_str();
  cmd.add_option("--shard", args.shard,
                 "--input: i/N, explain records i, i+N, i+2N, ... (0 <= i < N)")
      ->check(shard());
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
  cmd.add_option("--mol-batch", args.batch,
                 "--input: molecules explained together (one that cannot be featurised is left "
                 "out of its batch, not the batch)")
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
  cmd.add_option("--fragment-min-atoms", args.fragment_min_atoms,
                 "Explanation fragment: grow past --fragment-threshold to at least N atoms (a lone "
                 "O is rarely the explanation)")
      ->check(CLI::Range(int64_t{1}, int64_t{100000}));
  cmd.add_option("--fragment-counts", args.fragment_counts,
                 "--input: CSV of explanation fragments per explained class and how many molecules "
                 "each explains");
  cmd.add_option("--grid", args.grid,
                 "--input: one picture (.png or .svg) of the first --grid-max molecules");
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
  cmd.add_flag("--show-truth", args.show_truth,
               "--input with ground-truth columns (Mutagenicity's mutagenic, gt_atoms, gt_bonds or "
               "graph attribution's label, gt_union_atoms, gt_rule_matches): draw the ground truth "
               "beside each explanation (--render-dir, --grid) and add ground_truth_atoms and "
               "ground_truth_bonds to the JSON lines");
  cmd.add_option("--precision", args.precision,
                 "Significant digits of the numbers in --output and --json")
      ->check(CLI::Range(1, 17))
      ->capture_default_str();
  cmd.add_flag("--json", args.json, "Print JSON on stdout");
  add_method_flags(cmd, args.flags);
}

}  // namespace gnnx::tools
