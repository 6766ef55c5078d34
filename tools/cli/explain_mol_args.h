#pragma once
// The flags of `gnnx explain-mol` (RDKit builds): their values, their registration, and the
// checks of which combinations make sense, made before any work.

#include "cli/method_flags.h"

#include <gnnx/molecules/draw.h>
#include <gnnx/molecules/molecule_explainer.h>

#include <cstdint>
#include <string>
#include <utility>

namespace CLI {
class App;
}

namespace gnnx::tools {

struct ExplainMolArgs {
  std::string model;
  std::string method = molecules::kDefaultMoleculeMethod;
  std::string smiles;  // one molecule ...
  std::string out;
  std::string input;  // ... or a file of them
  std::string output;
  std::string render_dir;
  std::string render_format = "png";
  std::string shard;
  std::string task;
  std::string format;  // --input's format when its name does not tell (required for -)
  std::string smiles_col = "smiles";
  std::string id_col;
  std::string fragment_counts;
  std::string grid;
  int grid_columns = 4;
  int64_t grid_max = 24;
  std::string grid_scale = "shared";  // one colour scale for all panels, or "panel"
  int64_t fragment_size = 0;
  int64_t fragment_min_atoms = 0;
  double fragment_threshold = 0.5;
  bool contours = false;
  bool show_truth = false;  // draw the file's ground truth beside each explanation
  int width = 600;
  int height = 450;
  int64_t batch = 64;
  int precision = 6;  // significant digits of the numbers in --output and --json
  bool json = false;
  MethodFlags flags;
};

/// Adds every flag of `explain-mol` to `cmd`.
void add_explain_mol_flags(CLI::App& cmd, ExplainMolArgs& args);

/// Throws InputError for a flag given outside the mode it applies to (`--output` with --smiles,
/// `--out` with --input, `--width` with nothing to draw, ...), for an output path that cannot be
/// written or an image extension that is not .png/.svg. `cmd` (parsed) tells which flags were
/// given; exactly one of --smiles and --input and the values of --shard are CLI11's to check.
void check_explain_mol_args(const ExplainMolArgs& args, const CLI::App& cmd);

/// Whether --output writes to standard output ("-").
inline bool output_to_stdout(const ExplainMolArgs& args) { return args.output == "-"; }

/// --width, --height, --contours.
molecules::DrawOptions draw_options(const ExplainMolArgs& args);

}  // namespace gnnx::tools
