// gnnx: the command line. Parses the global flags, registers one subcommand per file in
// commands/, and maps every exception to an exit code (cli/exit_codes.h) — the library itself
// never exits.

#include "cli/exit_codes.h"
#include "cli/global_options.h"
#include "cli/output_guard.h"
#include "cli/strict_numbers.h"
#include "cli/thread_flags.h"
#include "cli/torch_warnings.h"
#include "commands/commands.h"

#include <gnnx/gnn/allocator.h>
#include <gnnx/gnn/device.h>
#include <gnnx/gnn/error.h>

#include <c10/util/Exception.h>
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <string>

namespace {

// The first line of a message: LibTorch's TORCH_CHECK texts go on with source locations.
std::string first_line(const std::string& message) { return message.substr(0, message.find('\n')); }

int fail(int code, const std::string& message) {
  std::cerr << "gnnx: error: " << message << "\n";
  return code;
}

// Builds the command line and runs it; every exception of parsing and of the commands becomes
// an exit code here.
int run_cli(int argc, char** argv) {
  using namespace gnnx::tools;  // NOLINT(google-build-using-namespace): the command line only

  install_torch_warning_handler();
  gnnx::gnn::keep_freed_memory();

  CLI::App app{"gnnx: explain graph neural networks", "gnnx"};
  app.require_subcommand(1);
  app.fallthrough();  // global flags may also follow the subcommand
  app.set_help_all_flag("--help-all", "Print help for every subcommand and exit");
  app.set_version_flag("--version", "gnnx " GNNX_VERSION);

  GlobalOptions globals;
  add_thread_flags(app, globals);
  app.add_flag("-q,--quiet", globals.quiet, "No progress output on stderr");
  app.add_option("--device", globals.device,
                 "cpu, cuda or cuda:N: where training and GNNExplainer run")
      ->capture_default_str();
  // Runs after parsing and before the subcommand's callback.
  app.parse_complete_callback([&app, &globals] {
    apply_thread_flags(globals);
    const auto used = app.get_subcommands();
    if (!used.empty()) refuse_outputs_over_inputs(*used.front());
    gnnx::gnn::resolve_device(globals.device);  // no GPU, no CUDA build: InputError, exit 2
    if (globals.device != "cpu" && !used.empty()) {
      const std::string name = used.front()->get_name();
      if (name != "train" && name != "explain" && name != "evaluate") {
        throw gnnx::InputError("--device " + globals.device +
                               ": only train, explain and evaluate run on a GPU, not " + name);
      }
    }
  });

  add_datasets_command(app, globals);
  add_methods_command(app, globals);
  add_train_command(app, globals);
  add_import_command(app, globals);
  add_explain_command(app, globals);
  add_evaluate_command(app, globals);
  add_generate_command(app, globals);
#ifdef GNNX_WITH_RDKIT
  add_explain_mol_command(app, globals);
#endif
  require_strict_numbers(app);

  try {
    app.parse(argc, argv);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    // --help and --version come through here with exit code 0.
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "gnnx: error: " << e.what() << "\nRun with --help for more information.\n";
    return kExitUsage;
  } catch (const gnnx::InputError& e) {
    return fail(kExitUsage, e.what());
  } catch (const c10::Error& e) {
    return fail(kExitUsage, first_line(e.what_without_backtrace()));
  } catch (const std::exception& e) {
    return fail(kExitFailure, e.what());
  } catch (...) {
    return fail(kExitFailure, "unknown exception");
  }
}

}  // namespace

// What run_cli's own set-up might throw (out of memory while building the flags) still ends in
// an exit code, not std::terminate.
int main(int argc, char** argv) {
  try {
    return run_cli(argc, argv);
  } catch (const std::exception& e) {
    return fail(gnnx::tools::kExitFailure, e.what());
  } catch (...) {
    return fail(gnnx::tools::kExitFailure, "unknown exception");
  }
}
