#include "cli/method_flags.h"

#include <gnnx/gnn/error.h>
#include <gnnx/io/text.h>

#include <c10/util/StringUtil.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>

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
  return {[name = spec.name](std::string& value) -> std::string {
            try {
              explainers::MethodOptions scratch;
              explainers::set_option(scratch, name, value);
            } catch (const InputError& e) {
              // CLI11 puts "--name: " in front of the message itself: not twice.
              const std::string message = e.what();
              const std::string prefix = "--" + name + ": ";
              return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message;
            }
            return {};
          },
          /*validator_desc=*/""};
}

/// "INT", "NUMBER", "CHOICE": the value's placeholder in --help.
std::string type_name(explainers::OptionType type) {
  std::string name = type == explainers::OptionType::kInteger ? "int" : explainers::to_string(type);
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
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
  std::vector<const explainers::MethodInfo*> infos;  // empty: "all"
  if (method != "all") {
    for (const std::string& name : method_list(method)) {
      infos.push_back(&explainers::find_method(name));
    }
  }
  explainers::MethodOptions o;
  o.symmetric_edges = undirected_graph;
  for (const auto& [name, option] : flags.given) {
    if (option->count() == 0) continue;
    const std::string& flag_name = name;  // clang 14 cannot capture a structured binding
    const bool read = infos.empty() || std::any_of(infos.begin(), infos.end(), [&](const auto* i) {
                        return i->reads(flag_name);
                      });
    if (!read) {
      std::vector<std::string> readable;  // every named method's, each once, as flags
      for (const auto* info : infos) {
        for (const std::string& option : info->option_names()) {
          if (std::find(readable.begin(), readable.end(), "--" + option) == readable.end()) {
            readable.push_back("--" + option);
          }
        }
      }
      throw InputError("--" + name + " is not an option of " + method +
                       (infos.size() == 1 ? " (its options: " : " (their options: ") +
                       c10::Join(" ", readable) + ")");
    }
    const auto flag = flags.switches.find(name);
    explainers::set_option(
        o, name,
        flag != flags.switches.end() ? (flag->second ? "true" : "false") : flags.values.at(name));
  }
  return o;
}

std::vector<std::string> method_list(const std::string& methods) {
  std::vector<std::string> names;
  for (const std::string& name : io::split_list(methods, ',', io::EmptyItems::kKeep)) {
    if (name.empty()) throw InputError("--method '" + methods + "': an empty method name");
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      throw InputError("--method '" + methods + "': " + name + " is named twice");
    }
    explainers::find_method(name);  // throws for an unknown name, listing the valid ones
    names.push_back(name);
  }
  return names;
}

}  // namespace gnnx::tools
