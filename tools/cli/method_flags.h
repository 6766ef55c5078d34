#pragma once
// The explainer flags of `gnnx explain`, `evaluate` and `explain-mol`, built from the registry's
// option schema (explainers/method_options.h): one flag per option, its check and its help text
// (with the methods that read it and their defaults) all come from there.

#include <gnnx/explainers/explainer.h>

#include <map>
#include <string>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace gnnx::tools {

/// What the user typed for each explainer option.
struct MethodFlags {
  std::map<std::string, std::string> values;  ///< valued options, by option name
  std::map<std::string, bool> switches;       ///< flags, by option name
  std::map<std::string, CLI::Option*> given;  ///< every option, to ask whether it was given
};

/// Adds one flag per option of the schema (--mode, --class, --epochs, ...).
void add_method_flags(CLI::App& cmd, MethodFlags& flags);

/// The options for `method` ("all": every method; then options no method reads are still
/// refused). Edge masks are symmetric on an undirected graph unless --asymmetric. Throws
/// InputError for a given flag that `method` does not read, naming the flags it does read.
explainers::MethodOptions method_options(const std::string& method, const MethodFlags& flags,
                                         bool undirected_graph);

}  // namespace gnnx::tools
