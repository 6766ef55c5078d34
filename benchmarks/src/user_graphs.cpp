// Reading a user's graphs into a benchmark's data, training on them with the files recorded
// in the model card, and the catalogue-style entry evaluate() scores them with. Reading them
// again for a trained model (and the checksum checks) is in user_graphs_reread.cpp.

#include <gnnx/benchmarks/user_graphs.h>
#include <gnnx/datasets/tu_dataset.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/file_hash.h>

#include <algorithm>
#include <filesystem>

#include "user_graphs_detail.h"

namespace gnnx::benchmarks {
namespace detail {

std::string absolute_path(const std::string& path) {
  return std::filesystem::absolute(path).lexically_normal().string();
}

gnn::DataFile data_file(const std::string& role, const std::string& path) {
  return {role, absolute_path(path), io::file_crc32(path)};
}

UserGraphs read_node_graphs(const datasets::NodeTaskFiles& files) {
  datasets::NodeTask task = datasets::read_node_task(files);
  UserGraphs g;
  g.data.dataset = std::move(task.dataset);
  g.data.featurisation.name = "graph-files";
  g.data.undirected = gnn::is_undirected(g.data.dataset.graphs.front());
  g.split = std::move(task.split);
  g.warnings = std::move(task.warnings);
  for (const auto& [role, field] : node_file_roles()) {
    if (!(files.*field).empty()) g.files.push_back(data_file(role, files.*field));
  }
  g.source = "graph files " + absolute_path(files.edges);
  g.directed = files.directed;
  return g;
}

UserGraphs read_tu_graphs(const std::string& folder) {
  datasets::TuDataset tu = datasets::read_tu_dataset(folder);
  UserGraphs g;
  datasets::Dataset& ds = g.data.dataset;
  ds.name = tu.name;
  ds.task = gnn::Task::kGraphClassification;
  ds.num_classes = static_cast<int64_t>(tu.label_values.size());
  for (int64_t raw : tu.label_values) ds.class_names.push_back(std::to_string(raw));
  ds.graphs = std::move(tu.graphs);
  std::vector<int64_t> targets;
  for (size_t i = 0; i < tu.edge_gt.size(); ++i) {
    const torch::Tensor& mask = tu.edge_gt[i];
    const gnn::Graph& graph = ds.graphs[i];
    torch::Tensor nodes = torch::zeros({graph.num_nodes()}, torch::kBool);
    const torch::Tensor ends = graph.edge_index().index({torch::indexing::Slice(), mask});
    nodes.index_put_({ends.reshape({-1})}, true);
    ds.gt_edge_mask.push_back(mask);
    ds.gt_node_mask.push_back(nodes);
    if (mask.any().item<bool>()) targets.push_back(static_cast<int64_t>(i));
  }
  if (targets.empty()) {  // no ground truth, or none marked: every graph
    for (size_t i = 0; i < ds.graphs.size(); ++i) targets.push_back(static_cast<int64_t>(i));
  }
  ds.eval_targets = torch::tensor(targets, torch::kLong);
  g.data.featurisation.name = "tu-node-labels";
  g.data.undirected = std::all_of(ds.graphs.begin(), ds.graphs.end(), [](const gnn::Graph& graph) {
    return gnn::is_undirected(graph);
  });
  for (const std::string& file : tu.files) g.files.push_back(data_file(kGraphRole, file));
  g.source = absolute_path(folder);
  return g;
}

const std::vector<std::pair<std::string, NodeFileField>>& node_file_roles() {
  using F = datasets::NodeTaskFiles;
  static const std::vector<std::pair<std::string, NodeFileField>> kRoles = {
      {"edges", &F::edges},
      {"features", &F::features},
      {"labels", &F::labels},
      {"gt-edges", &F::gt_edges},
      {"gt-nodes", &F::gt_nodes}};
  return kRoles;
}

}  // namespace detail

UserGraphs read_user_graphs(const GraphSource& source) {
  bool node_files = false;
  for (const auto& [role, field] : detail::node_file_roles()) {
    node_files = node_files || !(source.node.*field).empty();
  }
  if (node_files == !source.tu_folder.empty()) {
    throw InputError(
        "give either the files of a node task (--edges and --labels) or a TUDataset folder "
        "(--graph)");
  }
  return node_files ? detail::read_node_graphs(source.node)
                    : detail::read_tu_graphs(source.tu_folder);
}

TrainSettings user_train_settings(gnn::Task task) {
  return task == gnn::Task::kNodeClassification ? find_benchmark("ba-shapes").training
                                                : molecule_train_settings();
}

TrainedModel train_on_user_graphs(const UserGraphs& graphs, const TrainSettings& settings,
                                  uint64_t seed, gnn::EpochCallback on_epoch,
                                  torch::Device device) {
  TrainedModel m = train_on_dataset(graphs.data.dataset, settings, seed, std::move(on_epoch),
                                    device, graphs.split);
  gnn::ModelCard& card = m.card;
  card.dataset.clear();  // no built-in data set: the files say what it is
  card.source = graphs.source;
  card.featurisation = graphs.data.featurisation;
  card.data_files = graphs.files;
  if (graphs.directed) card.extras[detail::kDirectedKey] = "true";
  return m;
}

bool records_user_graphs(const gnn::ModelCard& card) { return !card.data_files.empty(); }

Benchmark user_benchmark(const UserGraphs& graphs) {
  const datasets::Dataset& ds = graphs.data.dataset;
  const bool node_task = ds.task == gnn::Task::kNodeClassification;
  Benchmark b;
  b.name = ds.name;
  b.family = Family::kUser;
  b.task = ds.task;
  b.class_names = ds.class_names;
  b.description = graphs.source;
  b.source = "your files";
  b.targets = node_task ? "the ground-truth nodes (every node without ground truth)"
                        : "the graphs with ground-truth edges (every graph without)";
  b.ground_truth = GroundTruth::kEdges;
  b.scoring = graphs.has_ground_truth()
                  ? "your ground-truth edges: edge AUC, precision@k, fidelity, sparsity"
                  : "no ground truth: fidelity, characterisation and sparsity only";
  b.explained_class = -1;
  b.load = [data = graphs.data](const LoadOptions&) { return data; };
  return b;
}

}  // namespace gnnx::benchmarks
