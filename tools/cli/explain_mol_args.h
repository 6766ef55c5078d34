#pragma once
// The flags of `gnnx explain-mol` (RDKit builds): their values, their registration, and the
// checks of which combinations make sense, made before any work.

#include "cli/method_flags.h"

#include <gnnx/molecules/draw.h>

#include <cstdint>
#include <string>
#include <utility>

namespace CLI {
class App;
}

namespace gnnx::tools {

struct ExplainMolArgs {
  std::string model;
  std::string method;
  std::string smiles;  // one molecule ...
  std::string out;
  std::string input;  // ... or a file of them
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
  std::string grid_scale = "shared";  // one colour scale for all panels, or "panel"
  int64_t fragment_size = 0;
  double fragment_threshold = 0.5;
  bool contours = false;
  int width = 600;
  int height = 450;
  int64_t batch = 64;
  int precision = 6;  // significant digits of the numbers in --output and --json
  bool json = false;
  MethodFlags flags;
};

/// Adds every flag of `explain-mol` to `cmd`.
void add_explain_mol_flags(CLI::App& cmd, ExplainMolArgs& args);

/// Throws InputError for an output path that cannot be written or an image extension that is
/// not .png/.svg (the flag combinations and --shard are checked by CLI11 when parsing).
void check_explain_mol_args(const ExplainMolArgs& args);

/// --width, --height, --contours.
molecules::DrawOptions draw_options(const ExplainMolArgs& args);

}  // namespace gnnx::tools
