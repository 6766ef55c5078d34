// make_synthetic(): the name -> generator table (what each data set is, its class names), and
// the step every generator ends with. gnnx::benchmarks' catalogue reads the table.

#include <gnnx/gnn/error.h>

#include <algorithm>
#include <string>

#include "generators.h"

namespace gnnx::datasets {
namespace {

using Generator = Dataset (*)(detail::Random&);

struct Entry {
  DatasetInfo info;
  Generator make;
};

const std::vector<Entry>& registry() {
  static const std::vector<Entry> entries = {
      {{"ba-shapes",
        gnn::Task::kNodeClassification,
        1,
        700,
        detail::kNodeFeatures,
        4,
        {"base", "house-middle", "house-bottom", "house-top"},
        "Barabasi-Albert graph (300 nodes) + 80 houses; classes: base, house middle/bottom/top",
        "GNNExplainer (Ying et al., NeurIPS 2019)"},
       detail::make_ba_shapes},
      {{"ba-community",
        gnn::Task::kNodeClassification,
        1,
        1400,
        detail::kNodeFeatures,
        8,
        {"c1-base", "c1-house-middle", "c1-house-bottom", "c1-house-top", "c2-base",
         "c2-house-middle", "c2-house-bottom", "c2-house-top"},
        "two BA-Shapes graphs joined by 350 edges, Gaussian features per community",
        "GNNExplainer (Ying et al., NeurIPS 2019)"},
       detail::make_ba_community},
      {{"tree-cycles",
        gnn::Task::kNodeClassification,
        1,
        871,
        detail::kNodeFeatures,
        2,
        {"tree", "cycle"},
        "balanced binary tree (height 8) + 60 six-cycles; classes: tree, cycle",
        "GNNExplainer (Ying et al., NeurIPS 2019)"},
       detail::make_tree_cycles},
      {{"tree-grid",
        gnn::Task::kNodeClassification,
        1,
        1231,
        detail::kNodeFeatures,
        2,
        {"tree", "grid"},
        "balanced binary tree (height 8) + 80 3x3 grids; classes: tree, grid",
        "GNNExplainer (Ying et al., NeurIPS 2019)"},
       detail::make_tree_grid},
      {{"ba-2motifs",
        gnn::Task::kGraphClassification,
        1000,
        25,
        detail::kNodeFeatures,
        2,
        {"house", "cycle"},
        "Barabasi-Albert graphs (20 nodes) + a house (class 0) or a five-cycle (class 1)",
        "PGExplainer (Luo et al., NeurIPS 2020)"},
       detail::make_ba_2motifs},
  };
  return entries;
}

gnn::Graph to_graph(const detail::Motif& motif) {
  std::vector<int64_t> src, dst;
  for (auto [u, v] : motif.edges) {
    src.insert(src.end(), {u, v});
    dst.insert(dst.end(), {v, u});
  }
  return gnn::Graph(
      motif.num_nodes,
      torch::stack({torch::tensor(src, torch::kLong), torch::tensor(dst, torch::kLong)}),
      torch::Tensor());
}

// The motif of each class (see Dataset::class_motif).
std::vector<gnn::Graph> class_motifs(const std::string& name, int64_t num_classes) {
  std::vector<gnn::Graph> out(num_classes, gnn::Graph());
  const auto house = to_graph(detail::house_motif());
  if (name == "ba-shapes" || name == "ba-community") {
    for (int64_t c = 0; c < num_classes; ++c) {
      if (c % 4 != 0) out[c] = house;
    }
  } else if (name == "tree-cycles") {
    out[1] = to_graph(detail::cycle_motif(6));
  } else if (name == "tree-grid") {
    out[1] = to_graph(detail::grid_motif(3));
  } else if (name == "ba-2motifs") {
    out[0] = house;
    out[1] = to_graph(detail::cycle_motif(5));
  }
  return out;
}

}  // namespace

std::vector<std::string> synthetic_names() {
  std::vector<std::string> names;
  for (const auto& entry : registry()) names.push_back(entry.info.name);
  return names;
}

std::vector<DatasetInfo> synthetic_catalog() {
  std::vector<DatasetInfo> infos;
  for (const auto& entry : registry()) infos.push_back(entry.info);
  return infos;
}

Dataset make_synthetic(const std::string& name, uint64_t seed) {
  for (const auto& entry : registry()) {
    if (entry.info.name != name) continue;
    detail::Random random(seed);
    Dataset dataset = entry.make(random);
    dataset.name = name;
    dataset.task = entry.info.task;
    dataset.class_names = entry.info.class_names;
    dataset.class_motif = class_motifs(name, dataset.num_classes);
    return dataset;
  }
  std::string known;
  for (const auto& entry : registry()) known += (known.empty() ? "" : ", ") + entry.info.name;
  throw InputError("unknown synthetic data set '" + name + "'; known: " + known);
}

namespace detail {

void add_graph(Dataset& dataset, const GraphBuilder& graph, torch::Tensor x, torch::Tensor y) {
  torch::Tensor edge_index = graph.edge_index();
  dataset.gt_node_mask.push_back(graph.node_mask());
  dataset.gt_edge_mask.push_back(graph.edge_mask(edge_index));
  dataset.motif_id.push_back(graph.motif_ids());
  dataset.graphs.emplace_back(graph.num_nodes(), std::move(edge_index), std::move(x), std::move(y));
}

torch::Tensor to_tensor(const std::vector<int64_t>& values) {
  auto out = torch::empty({static_cast<int64_t>(values.size())}, torch::kLong);
  std::copy(values.begin(), values.end(), out.data_ptr<int64_t>());
  return out;
}

}  // namespace detail
}  // namespace gnnx::datasets
