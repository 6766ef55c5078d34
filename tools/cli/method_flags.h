#pragma once
// The explainer flags of `gnnx explain`, `evaluate` and `explain-mol`, built from the registry's
// option schema (explainers/method_options.h): one flag per option, its check and its help text
// (with the methods that read it and their defaults) all come from there.

#include <gnnx/explainers/explainer.h>

#include <map>
#include <string>
#include <vector>

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
/// refused; or a comma-separated list, see method_list). Edge masks are symmetric on an
/// undirected graph unless --asymmetric. Throws InputError for a given flag that no named
/// method reads, naming the flags they do read.
explainers::MethodOptions method_options(const std::string& method, const MethodFlags& flags,
                                         bool undirected_graph);

/// The methods of a comma-separated list ("lrp,gnn-lrp"), in its order. Throws InputError for
/// an unknown name (listing the valid ones), an empty item or a name given twice.
std::vector<std::string> method_list(const std::string& methods);

}  // namespace gnnx::tools
