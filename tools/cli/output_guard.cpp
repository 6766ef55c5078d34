#include "cli/output_guard.h"

#include <gnnx/gnn/error.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace gnnx::tools {
namespace {

namespace fs = std::filesystem;

struct Given {
  std::string flag;
  std::string value;
};

// The path as the file system will resolve it, for comparing outputs that may not exist yet.
std::string normal_path(const std::string& path) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  return ec ? path : p.string();
}

bool same_existing_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec) && !ec;
}

// An existing file directly in the input folder `folder` (--graph, --data with a TUDataset):
// the command may read any of them (`train --graph tu --out tu/MUTAG_A.txt` replaced the edge
// list). A new file there is fine.
bool existing_file_in_folder(const std::string& file, const std::string& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec) || !fs::is_regular_file(file, ec)) return false;
  const fs::path parent = fs::absolute(file, ec).parent_path();
  return !ec && fs::equivalent(parent, folder, ec) && !ec;
}

// The options of `command` and of its option groups (CLI11 keeps each group's options in a
// nameless sub-app of its own).
void collect_options(const CLI::App& command, std::vector<const CLI::Option*>& options) {
  for (const CLI::Option* option : command.get_options()) options.push_back(option);
  for (const CLI::App* group :
       command.get_subcommands([](const CLI::App* sub) { return sub->get_name().empty(); })) {
    collect_options(*group, options);
  }
}

}  // namespace

bool is_output_flag(const std::string& flag) {
  // --render-dir is a folder written into: not an input folder whose files must be kept.
  static const std::set<std::string> outputs = {"--out",      "--output",          "--render",
                                                "--grid",     "--fragment-counts", "--render-dir",
                                                "--split-out"};
  return outputs.count(flag) > 0;
}

namespace {

// Free text (CLI11's type name "TEXT", or one with a file or path check) may name a file; an
// option typed as a number, or as text limited to a set of choices ("TEXT:{csv,tsv}"), cannot.
bool may_name_a_file(const CLI::Option& option) {
  const std::string type = option.get_type_name();
  return type.rfind("TEXT", 0) == 0 && type.find(":{") == std::string::npos;
}

}  // namespace

void refuse_outputs_over_inputs(const CLI::App& command) {
  std::vector<const CLI::Option*> options;
  collect_options(command, options);
  std::vector<Given> outputs, others;
  for (const CLI::Option* option : options) {
    if (option->count() == 0) continue;
    std::string flag = option->get_name();
    if (flag.empty()) flag = option->get_name(/*positional=*/true);  // a positional argument
    const bool output = is_output_flag(flag);
    // A value CLI11 restricts to numbers or to a set of words (`--render-format svg`, type
    // "TEXT:{png,svg}") names no input, even when a folder of that name exists (`--render-dir
    // svg` was refused as "the same file as --render-format svg").
    if (!output && !may_name_a_file(*option)) continue;
    for (const std::string& value : option->results()) {
      if (value.empty()) continue;
      (output ? outputs : others).push_back({flag, value});
    }
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Given& out = outputs[i];
    for (const Given& in : others) {
      if (same_existing_file(out.value, in.value)) {
        throw InputError(out.flag + " " + out.value + " is the same file as " + in.flag + " " +
                         in.value + ": refusing to overwrite an input (choose another " + out.flag +
                         ")");
      }
      if (existing_file_in_folder(out.value, in.value)) {
        throw InputError(out.flag + " " + out.value + " is a file of the input folder " + in.flag +
                         " " + in.value + ": refusing to overwrite an input (choose another " +
                         out.flag + ")");
      }
    }
    for (size_t j = 0; j < i; ++j) {
      if (normal_path(out.value) == normal_path(outputs[j].value)) {
        throw InputError(out.flag + " and " + outputs[j].flag + " both name " + out.value +
                         ": each output needs a file of its own");
      }
    }
  }
}

}  // namespace gnnx::tools
