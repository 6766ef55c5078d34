// reread_user_graphs(): a trained model's own files again, from where its card says they are
// or where the user says they moved, each checked against the CRC-32 the card records, so that
// an explanation is never computed on data the model was not trained on.

#include <gnnx/benchmarks/user_graphs.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/file_hash.h>

#include <algorithm>
#include <filesystem>

#include "user_graphs_detail.h"

namespace gnnx::benchmarks {
namespace {

namespace fs = std::filesystem;

/// The flag that gives a file of `role` on the command line.
std::string flag(const std::string& role) { return "--" + role; }

bool is_ground_truth(const std::string& role) { return role.rfind("gt-", 0) == 0; }

/// Throws InputError unless `path` exists and has the recorded checksum.
void check_file(const std::string& path, const gnn::DataFile& recorded, const std::string& flag,
                const std::string& model) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    throw InputError("'" + path + "' (" + flag + "), which model '" + model +
                     "' was trained on, is missing: give its new place with " + flag +
                     (flag == "--graph" ? " FOLDER" : " FILE"));
  }
  const std::string crc = io::file_crc32(path);
  if (crc != recorded.crc32) {
    throw InputError("'" + path + "' (" + flag + ") differs from the file model '" + model +
                     "' was trained on: its CRC-32 is " + crc + ", the model records " +
                     recorded.crc32 + " for '" + recorded.path + "'");
  }
}

bool any_node_file(const datasets::NodeTaskFiles& files) {
  for (const auto& [role, field] : detail::node_file_roles()) {
    if (!(files.*field).empty()) return true;
  }
  return false;
}

UserGraphs reread_tu(const gnn::ModelCard& card, const GraphSource& given,
                     const std::string& model) {
  if (any_node_file(given.node)) {
    throw InputError("model '" + model +
                     "' was trained on a TUDataset folder: give its new place with --graph, not "
                     "the files of a node task");
  }
  // Recorded files are found by name in the given folder (or the folder of a given prefix,
  // ".../MUTAG/MUTAG").
  std::error_code ec;
  const std::string folder =
      given.tu_folder.empty() ? fs::path(card.data_files.front().path).parent_path().string()
      : fs::is_directory(given.tu_folder, ec) ? given.tu_folder
                                              : fs::path(given.tu_folder).parent_path().string();
  std::vector<std::string> names;
  for (const gnn::DataFile& recorded : card.data_files) {
    const std::string name = fs::path(recorded.path).filename().string();
    names.push_back(name);
    const std::string path =
        given.tu_folder.empty() ? recorded.path : (fs::path(folder) / name).string();
    check_file(path, recorded, "--graph", model);
  }
  UserGraphs graphs = detail::read_tu_graphs(folder);
  // A file the model did not see changes the data (node labels: the features), except a
  // ground truth added since (it changes no prediction).
  for (const gnn::DataFile& read : graphs.files) {
    const std::string name = fs::path(read.path).filename().string();
    const bool ground_truth = name.find("_edge_gt.txt") != std::string::npos;
    if (!ground_truth && std::find(names.begin(), names.end(), name) == names.end()) {
      throw InputError("'" + read.path + "' (--graph) was not part of the data model '" + model +
                       "' was trained on; remove it or train again");
    }
  }
  return graphs;
}

UserGraphs reread_node(const gnn::ModelCard& card, const GraphSource& given,
                       const std::string& model) {
  if (!given.tu_folder.empty()) {
    throw InputError("model '" + model +
                     "' was trained on the files of a node task: give --edges, --features, "
                     "--labels, --gt-edges or --gt-nodes, not --graph");
  }
  datasets::NodeTaskFiles files;
  const auto directed = card.extras.find(detail::kDirectedKey);
  files.directed = directed != card.extras.end() && directed->second == "true";
  for (const auto& [role, field] : detail::node_file_roles()) {
    const std::string& moved = given.node.*field;
    std::string& path = files.*field;
    // A copy, not the structured binding: C++17 lambdas cannot capture bindings (clang refuses).
    const std::string wanted = role;
    const auto recorded = std::find_if(card.data_files.begin(), card.data_files.end(),
                                       [&](const gnn::DataFile& f) { return f.role == wanted; });
    if (recorded != card.data_files.end()) {
      path = moved.empty() ? recorded->path : moved;
      check_file(path, *recorded, flag(role), model);
    } else if (!moved.empty()) {
      if (!is_ground_truth(role)) {
        throw InputError(flag(role) + " " + moved + ": model '" + model + "' was trained without " +
                         flag(role));
      }
      path = moved;  // ground truth given after training: nothing to check it against
    }
  }
  return detail::read_node_graphs(files);
}

}  // namespace

UserGraphs reread_user_graphs(const gnn::ModelCard& card, const GraphSource& given,
                              const std::string& model_name) {
  if (!records_user_graphs(card)) {
    throw InputError("model '" + model_name + "' records no files of its data");
  }
  return card.data_files.front().role == detail::kGraphRole ? reread_tu(card, given, model_name)
                                                            : reread_node(card, given, model_name);
}

}  // namespace gnnx::benchmarks
