// BA-Shapes and BA-Community (GNNExplainer, Ying et al., NeurIPS 2019), built as
// gnn-model-explainer's gengraph.gen_syn1 / gen_syn2 build them:
//
// BA-Shapes: a Barabási–Albert graph of 300 nodes (m = 5; nodes 0-299, label 0) and 80 houses
// (nodes 300-699, five consecutive ids each). House k hangs off base node 3k (build_graph's
// evenly spaced plugins, floor(300 / 80) = 3) by one edge from its node 0. House labels follow
// synthetic_structsim.house: 1 = "middle" (nodes 0, 1, the square's corners under the roof),
// 2 = "bottom" (nodes 2, 3), 3 = "top" (the roof, node 4). Then gengraph.perturb adds
// floor(1% of the edges) random edges (2035 -> 2055 edges). Features: 10 ones per node (the
// reference trains with ConstFeatureGen(np.ones(10))).
//
// BA-Community: two BA-Shapes graphs, nodes 0-699 (labels 0-3) and 700-1399 (labels 4-7), each
// perturbed on its own, joined by 350 random edges between a node of the first and one of the
// second. gen_syn2 passes m = 4 to gen_syn1, which ignores it and builds with m = 5, so m = 5
// here too. Features: featgen.GaussianFeatureGen with mean (-1, -1, 0, ..., 0) for the first
// community and (1, 1, 0, ..., 0) for the second, covariance diag(0.5, 0.5, 1, ..., 1) (the
// reference passes these as sigma, which becomes the covariance matrix's diagonal: variances).
//
// Departures from the reference, none visible in the statistics: random edges are redrawn when
// they would join two nodes of one house (so every house is exactly a house and the ground truth
// is its 6 edges), and the 350 joining edges are distinct (the reference may draw a pair twice
// and get fewer).

#include <algorithm>
#include <cmath>

#include "generators.h"

namespace gnnx::datasets::detail {
namespace {

constexpr int64_t kBaseNodes = 300;
constexpr int64_t kBaseEdgesPerNode = 5;
constexpr int64_t kHouses = 80;
constexpr int64_t kShapesNodes = kBaseNodes + 5 * kHouses;  // 700
constexpr double kPerturbRatio = 0.01;
constexpr int64_t kCommunityEdges = 350;

// Appends one BA-Shapes graph with labels offset + {0: base, 1-3: house roles}; returns its
// nodes.
NodeRange add_ba_shapes(GraphBuilder& graph, Random& random, std::vector<int64_t>& labels,
                        int64_t label_offset) {
  const int64_t edges_before = graph.num_edges();
  const NodeRange base = add_barabasi_albert(graph, random, kBaseNodes, kBaseEdgesPerNode);
  labels.insert(labels.end(), base.size(), label_offset);
  const Motif house = house_motif();
  for (int64_t anchor : spaced_anchors(base, kHouses)) {
    attach_motif(graph, house, anchor, /*motif_node=*/0);
    for (int64_t role : house.roles) labels.push_back(label_offset + 1 + role);
  }
  const NodeRange nodes{base.first, graph.num_nodes()};
  add_random_edges(graph, random,
                   perturbation_count(graph.num_edges() - edges_before, kPerturbRatio), nodes,
                   nodes);
  return nodes;
}

// Node i of the house part starting at `first`, every 5th: node 0 of houses 20-79 (for the
// first graph: range(400, 700, 5) of the reference's explainer_main.py).
void add_eval_nodes(std::vector<int64_t>& targets, int64_t graph_first) {
  for (int64_t v = graph_first + 400; v < graph_first + kShapesNodes; v += 5) {
    targets.push_back(v);
  }
}

// [n, kNodeFeatures] rows drawn from N(mean, diag(variance)), one row after the other.
void append_gaussian_rows(std::vector<float>& rows, Random& random, int64_t n,
                          const std::vector<double>& mean, const std::vector<double>& variance) {
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t f = 0; f < kNodeFeatures; ++f) {
      rows.push_back(static_cast<float>(mean[f] + std::sqrt(variance[f]) * random.normal()));
    }
  }
}

}  // namespace

Dataset make_ba_shapes(Random& random) {
  GraphBuilder graph;
  std::vector<int64_t> labels;
  add_ba_shapes(graph, random, labels, /*label_offset=*/0);

  Dataset dataset;
  dataset.num_classes = 4;
  add_graph(dataset, graph, torch::ones({graph.num_nodes(), kNodeFeatures}), to_tensor(labels));
  std::vector<int64_t> targets;
  add_eval_nodes(targets, 0);
  dataset.eval_targets = to_tensor(targets);
  return dataset;
}

// Eval targets: node 0 of houses 20-79 of both communities, 400:700:5 then 1100:1400:5 (120
// nodes). PGExplainer's evaluation (and its replication by Holdijk et al., 2021) uses
// range(400, 700, 5) for BA-Community as for BA-Shapes, i.e. the first 60 entries here; the
// second community's analogous nodes are added so that both feature distributions are tested.
Dataset make_ba_community(Random& random) {
  GraphBuilder graph;
  std::vector<int64_t> labels;
  std::vector<float> features;
  const std::vector<double> variance = {0.5, 0.5, 1, 1, 1, 1, 1, 1, 1, 1};
  const NodeRange first = add_ba_shapes(graph, random, labels, /*label_offset=*/0);
  append_gaussian_rows(features, random, first.size(), {-1, -1, 0, 0, 0, 0, 0, 0, 0, 0}, variance);
  const NodeRange second = add_ba_shapes(graph, random, labels, /*label_offset=*/4);
  append_gaussian_rows(features, random, second.size(), {1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, variance);
  add_random_edges(graph, random, kCommunityEdges, first, second);

  Dataset dataset;
  dataset.num_classes = 8;
  auto x = torch::empty({graph.num_nodes(), kNodeFeatures}, torch::kFloat);
  std::copy(features.begin(), features.end(), x.data_ptr<float>());
  add_graph(dataset, graph, std::move(x), to_tensor(labels));
  std::vector<int64_t> targets;
  add_eval_nodes(targets, first.first);
  add_eval_nodes(targets, second.first);
  dataset.eval_targets = to_tensor(targets);
  return dataset;
}

}  // namespace gnnx::datasets::detail
