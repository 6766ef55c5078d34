// `gnnx methods`: every explainer of the registry with its paper, tasks, devices and options
// (type, valid values, default), as a table or as JSON.

#include "commands/commands.h"

#include <gnnx/explainers/explainer.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <string>

namespace gnnx::tools {
namespace {

struct MethodsArgs {
  bool json = false;
};

/// The method's options, the common ones first, each with its schema entry.
std::vector<explainers::MethodOption> all_options(const explainers::MethodInfo& m) {
  std::vector<explainers::MethodOption> out = explainers::common_method_options();
  out.insert(out.end(), m.options.begin(), m.options.end());
  return out;
}

nlohmann::ordered_json to_json(const explainers::MethodInfo& m) {
  auto tasks = nlohmann::ordered_json::array();
  for (gnn::Task t : m.tasks) tasks.push_back(gnn::to_string(t));
  auto options = nlohmann::ordered_json::array();
  for (const auto& o : all_options(m)) {
    const auto& spec = explainers::option_spec(o.name);
    options.push_back({{"flag", "--" + o.name},
                       {"type", explainers::to_string(spec.type)},
                       {"values", explainers::describe_values(spec)},
                       {"default", o.default_value},
                       {"help", spec.help}});
  }
  return {{"name", m.name}, {"summary", m.summary}, {"paper", m.paper},
          {"tasks", tasks}, {"devices", m.devices}, {"options", options}};
}

void run(const MethodsArgs& args) {
  if (args.json) {
    auto rows = nlohmann::ordered_json::array();
    for (const auto& m : explainers::methods()) rows.push_back(to_json(m));
    std::cout << rows.dump(2) << "\n";
    return;
  }
  for (const auto& m : explainers::methods()) {
    std::string tasks;
    for (gnn::Task t : m.tasks) tasks += (tasks.empty() ? "" : ", ") + gnn::to_string(t);
    std::cout << m.name << ": " << m.summary << "\n  " << m.paper << "\n  tasks: " << tasks << "\n";
    for (const auto& o : all_options(m)) {
      std::cout << "  --" << o.name << " ("
                << explainers::describe_values(explainers::option_spec(o.name)) << "; default "
                << o.default_value << ")\n";
    }
  }
}

}  // namespace

void add_methods_command(CLI::App& app, const GlobalOptions& /*globals*/) {
  auto args = std::make_shared<MethodsArgs>();
  CLI::App* cmd = app.add_subcommand("methods", "List the explainers and their options");
  cmd->add_flag("--json", args->json, "Print a JSON array instead of text");
  cmd->callback([args] { run(*args); });
}

}  // namespace gnnx::tools
