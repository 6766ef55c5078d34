// `gnnx import`: a model trained in PyTorch (Geometric) — its torch.save'd state_dict and a JSON
// description of the architecture — saved as a gnnx model file (gnn/import_state_dict.h).

#include "commands/commands.h"

#include <gnnx/gnn/error.h>
#include <gnnx/gnn/import_state_dict.h>
#include <gnnx/gnn/model_card.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/io/atomic_file.h>
#include <gnnx/io/torch_state_dict.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace gnnx::tools {
namespace {

struct ImportArgs {
  std::string state_dict, spec, out;
  bool json = false;
};

void run(const ImportArgs& args) {
  io::check_writable_path(args.out);
  const gnn::ImportDescription description = gnn::read_import_description(args.spec);
  const auto state = io::read_torch_state_dict(args.state_dict);
  const auto model = gnn::import_state_dict(description, state, args.state_dict);
  gnn::ModelCard card;
  card.dataset = description.dataset;
  card.source = args.state_dict;
  card.class_names = description.class_names;
  card.created_by = "gnnx import";
  gnn::save_model(args.out, *model, card);
  int64_t parameters = 0;
  for (const auto& p : model->parameters()) parameters += p.numel();
  if (args.json) {
    std::cout << nlohmann::ordered_json{{"out", args.out},
                                        {"arch", gnn::to_string(description.spec.arch)},
                                        {"task", gnn::to_string(description.spec.task)},
                                        {"tensors", state.size()},
                                        {"parameters", parameters}}
                     .dump()
              << "\n";
    return;
  }
  std::printf("imported %zu tensors (%lld parameters) of a %s %s model -> %s\n", state.size(),
              static_cast<long long>(parameters), gnn::to_string(description.spec.arch).c_str(),
              gnn::to_string(description.spec.task).c_str(), args.out.c_str());
}

}  // namespace

void add_import_command(CLI::App& app, const GlobalOptions& /*globals*/) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Turn a PyTorch (Geometric) state_dict and an architecture description into a "
      "gnnx model file");
  cmd->footer(
      "The description is JSON: task (node|graph), in_features, num_classes, and optionally "
      "arch, hidden, num_layers, heads, edge_dim, readout, mlp_hidden, concat, names "
      "(gnnx module -> state_dict prefix, default {\"conv{}\": \"convs.{}\"}), class_names, "
      "dataset.\n"
      "Example: gnnx import --state-dict gin.pt --spec gin.json --out gin.gnnx");
  cmd->add_option("--state-dict", args->state_dict,
                  "torch.save(model.state_dict(), FILE) of the trained model")
      ->required();
  cmd->add_option("--spec", args->spec, "JSON description of the architecture")->required();
  cmd->add_option("--out", args->out, "Model file to write (atomically)")->required();
  cmd->add_flag("--json", args->json, "Print a JSON summary on stdout");
  cmd->callback([args] { run(*args); });
}

}  // namespace gnnx::tools
