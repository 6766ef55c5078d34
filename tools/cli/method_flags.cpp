#include "cli/method_flags.h"

#include <gnnx/gnn/error.h>

#include <CLI/CLI.hpp>

namespace gnnx::tools {
namespace {

/// "Optimisation steps (gnnexplainer: 100)": the schema's help and each reader's default.
std::string help_of(const explainers::OptionSpec& spec) {
  std::string readers;
  for (const auto& m : explainers::methods()) {
    for (const auto& o : m.options) {
      if (o.name == spec.name)
        readers += (readers.empty() ? "" : "; ") + m.name + ": " + o.default_value;
    }
  }
  for (const auto& o : explainers::common_method_options()) {
    if (o.name == spec.name) readers = "every method; default " + o.default_value;
  }
  const std::string values =
      spec.type == explainers::OptionType::kFlag ? "" : "; " + explainers::describe_values(spec);
  return spec.help + " (" + readers + values + ")";
}

/// A CLI11 check that runs the schema's own conversion, so the flag is refused with the
/// schema's message before any work.
CLI::Validator schema_check(const explainers::OptionSpec& spec) {
  return CLI::Validator(
      [name = spec.name](std::string& value) -> std::string {
        try {
          explainers::MethodOptions scratch;
          explainers::set_option(scratch, name, value);
        } catch (const InputError& e) {
          return e.what();
        }
        return {};
      },
      /*validator_desc=*/"");
}

std::string type_name(explainers::OptionType type) {
  switch (type) {
    case explainers::OptionType::kInteger:
      return "INT";
    case explainers::OptionType::kNumber:
      return "NUMBER";
    case explainers::OptionType::kChoice:
      return "CHOICE";
    case explainers::OptionType::kFlag:
      break;
  }
  return "";
}

}  // namespace

void add_method_flags(CLI::App& cmd, MethodFlags& flags) {
  for (const auto& spec : explainers::option_specs()) {
    const std::string flag = "--" + spec.name;
    if (spec.type == explainers::OptionType::kFlag) {
      flags.given[spec.name] = cmd.add_flag(flag, flags.switches[spec.name], help_of(spec));
    } else {
      flags.given[spec.name] = cmd.add_option(flag, flags.values[spec.name], help_of(spec))
                                   ->type_name(type_name(spec.type))
                                   ->check(schema_check(spec));
    }
  }
}

explainers::MethodOptions method_options(const std::string& method, const MethodFlags& flags,
                                         bool undirected_graph) {
  const explainers::MethodInfo* info = method == "all" ? nullptr : &explainers::find_method(method);
  explainers::MethodOptions o;
  o.symmetric_edges = undirected_graph;
  for (const auto& [name, option] : flags.given) {
    if (option->count() == 0) continue;
    if (info != nullptr && !info->reads(name)) {
      std::string read;
      for (const auto& c : explainers::common_method_options()) read += " --" + c.name;
      for (const auto& c : info->options) read += " --" + c.name;
      throw InputError("--" + name + " is not an option of " + method + " (its options:" + read +
                       ")");
    }
    const auto flag = flags.switches.find(name);
    explainers::set_option(
        o, name,
        flag != flags.switches.end() ? (flag->second ? "true" : "false") : flags.values.at(name));
  }
  return o;
}

}  // namespace gnnx::tools
