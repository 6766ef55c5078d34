// `gnnx datasets`: lists the synthetic data sets (datasets::synthetic_catalog()), as a table or
// as JSON.

#include "commands/commands.h"

#include <gnnx/datasets/synthetic.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace gnnx::tools {
namespace {

struct DatasetsArgs {
  bool json = false;
};

void run(const DatasetsArgs& args) {
  const std::vector<datasets::DatasetInfo> catalog = datasets::synthetic_catalog();
  if (args.json) {
    auto rows = nlohmann::ordered_json::array();
    for (const datasets::DatasetInfo& d : catalog) {
      rows.push_back({{"name", d.name},
                      {"task", gnn::to_string(d.task)},
                      {"graphs", d.num_graphs},
                      {"nodes", d.num_nodes},
                      {"features", d.num_features},
                      {"classes", d.num_classes},
                      {"description", d.description},
                      {"source", d.source}});
    }
    std::cout << rows.dump(2) << "\n";
    return;
  }
  std::printf("%-14s %-6s %6s %6s %8s %7s  %s\n", "NAME", "TASK", "GRAPHS", "NODES", "FEATURES",
              "CLASSES", "SOURCE");
  for (const datasets::DatasetInfo& d : catalog) {
    std::printf("%-14s %-6s %6lld %6lld %8lld %7lld  %s\n", d.name.c_str(),
                gnn::to_string(d.task).c_str(), static_cast<long long>(d.num_graphs),
                static_cast<long long>(d.num_nodes), static_cast<long long>(d.num_features),
                static_cast<long long>(d.num_classes), d.source.c_str());
  }
  std::printf("(NODES is per graph)\n");
}

}  // namespace

void add_datasets_command(CLI::App& app, const GlobalOptions& /*globals*/) {
  auto args = std::make_shared<DatasetsArgs>();
  CLI::App* cmd = app.add_subcommand("datasets", "List the synthetic data sets");
  cmd->add_flag("--json", args->json, "Print a JSON array instead of a table");
  cmd->callback([args] { run(*args); });
}

}  // namespace gnnx::tools
