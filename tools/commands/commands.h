#pragma once
// The subcommands of `gnnx`, one file each. Each add_*_command registers its subcommand, its
// flags and the callback that runs it; main parses, applies the global options, and maps the
// exceptions a callback throws to exit codes (cli/exit_codes.h).

#include "cli/global_options.h"

namespace CLI {
class App;
}

namespace gnnx::tools {

/// `gnnx datasets [--json]`: every benchmark `gnnx evaluate --dataset` accepts (synthetic and,
/// in RDKit builds, molecule), with task, classes, sizes and data file.
void add_datasets_command(CLI::App& app, const GlobalOptions& globals);

/// `gnnx methods [--json]`: the explainers, their papers, tasks, devices and options.
void add_methods_command(CLI::App& app, const GlobalOptions& globals);

/// `gnnx train --dataset NAME --out FILE ...`: trains a GNN on a data set (or on the user's own
/// graphs: --edges/--labels/..., --graph FOLDER), saves a model file.
void add_train_command(CLI::App& app, const GlobalOptions& globals);

/// `gnnx import --state-dict F.pt --spec F.json --out M.gnnx`: a PyTorch (Geometric) model.
void add_import_command(CLI::App& app, const GlobalOptions& globals);

/// `gnnx explain --model M --method NAME --out FILE ...`: explanations as JSON, a drawing.
void add_explain_command(CLI::App& app, const GlobalOptions& globals);

/// `gnnx evaluate --dataset D --method NAME|all ...`: scores against the ground truth (without
/// --dataset: the user's own graphs that --model records).
void add_evaluate_command(CLI::App& app, const GlobalOptions& globals);

/// `gnnx generate --model M --class C --out F ...`: XGNN, the graphs a classifier finds most
/// typical of a class (molecules: SMILES and an RDKit grid; plain graphs: Graphviz).
void add_generate_command(CLI::App& app, const GlobalOptions& globals);

#ifdef GNNX_WITH_RDKIT
/// `gnnx explain-mol --model M --method NAME (--smiles S --out F.png | --input F --output
/// F.jsonl)`: explanations of a molecule property model drawn on the molecule, or as JSON lines.
void add_explain_mol_command(CLI::App& app, const GlobalOptions& globals);
#endif

}  // namespace gnnx::tools
