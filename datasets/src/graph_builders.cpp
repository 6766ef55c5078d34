#include "graph_builders.h"

#include <c10/util/Exception.h>

#include <algorithm>

namespace gnnx::datasets::detail {

Motif house_motif() {
  Motif m;
  m.num_nodes = 5;
  m.edges = {{0, 1}, {1, 2}, {2, 3}, {3, 0}, {4, 0}, {4, 1}};
  m.roles = {0, 0, 1, 1, 2};
  return m;
}

Motif cycle_motif(int64_t length) {
  TORCH_INTERNAL_ASSERT(length >= 3, "cycle_motif: length ", length);
  Motif m;
  m.num_nodes = length;
  for (int64_t i = 0; i < length; ++i) m.edges.emplace_back(i, (i + 1) % length);
  m.roles.assign(length, 0);
  return m;
}

Motif grid_motif(int64_t side) {
  TORCH_INTERNAL_ASSERT(side >= 2, "grid_motif: side ", side);
  Motif m;
  m.num_nodes = side * side;
  for (int64_t r = 0; r < side; ++r) {
    for (int64_t c = 0; c < side; ++c) {
      const int64_t v = r * side + c;
      if (c + 1 < side) m.edges.emplace_back(v, v + 1);
      if (r + 1 < side) m.edges.emplace_back(v, v + side);
    }
  }
  m.roles.assign(m.num_nodes, 0);
  return m;
}

NodeRange GraphBuilder::add_nodes(int64_t count, int64_t motif) {
  const NodeRange range{num_nodes(), num_nodes() + count};
  motif_.insert(motif_.end(), count, motif);
  return range;
}

bool GraphBuilder::add_edge(int64_t u, int64_t v) {
  TORCH_INTERNAL_ASSERT(u >= 0 && u < num_nodes() && v >= 0 && v < num_nodes(),
                        "GraphBuilder::add_edge: ", u, "-", v, " with ", num_nodes(), " nodes");
  if (u == v) return false;
  return edges_.insert({std::min(u, v), std::max(u, v)}).second;
}

bool GraphBuilder::has_edge(int64_t u, int64_t v) const {
  return edges_.count({std::min(u, v), std::max(u, v)}) > 0;
}

torch::Tensor GraphBuilder::edge_index() const {
  std::vector<std::pair<int64_t, int64_t>> directed;
  directed.reserve(2 * edges_.size());
  for (const auto& [u, v] : edges_) {
    directed.emplace_back(u, v);
    directed.emplace_back(v, u);
  }
  std::sort(directed.begin(), directed.end());
  const auto num = static_cast<int64_t>(directed.size());
  auto out = torch::empty({2, num}, torch::kLong);
  int64_t* src = out.data_ptr<int64_t>();
  int64_t* dst = src + num;
  for (int64_t e = 0; e < num; ++e) {
    src[e] = directed[e].first;
    dst[e] = directed[e].second;
  }
  return out;
}

torch::Tensor GraphBuilder::node_mask() const {
  auto out = torch::empty({num_nodes()}, torch::kBool);
  bool* mask = out.data_ptr<bool>();
  for (int64_t v = 0; v < num_nodes(); ++v) mask[v] = motif_[v] != kNoMotif;
  return out;
}

torch::Tensor GraphBuilder::motif_ids() const {
  auto out = torch::empty({num_nodes()}, torch::kLong);
  std::copy(motif_.begin(), motif_.end(), out.data_ptr<int64_t>());
  return out;
}

torch::Tensor GraphBuilder::edge_mask(const torch::Tensor& edge_index) const {
  const auto index = edge_index.contiguous();
  const int64_t num = index.size(1);
  const int64_t* src = index.data_ptr<int64_t>();
  const int64_t* dst = src + num;
  auto out = torch::empty({num}, torch::kBool);
  bool* mask = out.data_ptr<bool>();
  for (int64_t e = 0; e < num; ++e) {
    mask[e] = motif_[src[e]] != kNoMotif && motif_[src[e]] == motif_[dst[e]];
  }
  return out;
}

NodeRange add_barabasi_albert(GraphBuilder& graph, Random& random, int64_t n, int64_t m) {
  TORCH_INTERNAL_ASSERT(m >= 1 && m < n, "add_barabasi_albert: n = ", n, ", m = ", m);
  const NodeRange nodes = graph.add_nodes(n);
  std::vector<int64_t> targets(m);
  for (int64_t i = 0; i < m; ++i) targets[i] = nodes.first + i;
  // Every node appears here once per incident edge, so a uniform pick from this list is a
  // degree-proportional pick of a node.
  std::vector<int64_t> repeated;
  for (int64_t source = nodes.first + m; source < nodes.last; ++source) {
    for (int64_t t : targets) graph.add_edge(source, t);
    repeated.insert(repeated.end(), targets.begin(), targets.end());
    repeated.insert(repeated.end(), m, source);
    if (source + 1 == nodes.last) break;  // no later node needs targets
    targets.clear();
    while (static_cast<int64_t>(targets.size()) < m) {
      const int64_t pick = repeated[random.uniform_int(0, static_cast<int64_t>(repeated.size()))];
      if (std::find(targets.begin(), targets.end(), pick) == targets.end()) {
        targets.push_back(pick);
      }
    }
  }
  return nodes;
}

NodeRange add_balanced_tree(GraphBuilder& graph, int64_t branching, int64_t height) {
  TORCH_INTERNAL_ASSERT(branching >= 2 && height >= 0, "add_balanced_tree: branching = ", branching,
                        ", height = ", height);
  int64_t count = 0;
  for (int64_t level = 0, width = 1; level <= height; ++level, width *= branching) {
    count += width;
  }
  const NodeRange nodes = graph.add_nodes(count);
  for (int64_t child = 1; child < count; ++child) {
    graph.add_edge(nodes.first + (child - 1) / branching, nodes.first + child);
  }
  return nodes;
}

NodeRange attach_motif(GraphBuilder& graph, const Motif& motif, int64_t anchor,
                       int64_t motif_node) {
  TORCH_INTERNAL_ASSERT(motif_node >= 0 && motif_node < motif.num_nodes);
  const NodeRange nodes = graph.add_nodes(motif.num_nodes, graph.new_motif());
  for (const auto& [u, v] : motif.edges) graph.add_edge(nodes.first + u, nodes.first + v);
  graph.add_edge(nodes.first + motif_node, anchor);
  return nodes;
}

std::vector<int64_t> spaced_anchors(NodeRange base, int64_t count) {
  TORCH_INTERNAL_ASSERT(count >= 1 && count <= base.size());
  const int64_t spacing = base.size() / count;
  std::vector<int64_t> anchors(count);
  for (int64_t k = 0; k < count; ++k) anchors[k] = base.first + k * spacing;
  return anchors;
}

int64_t perturbation_count(int64_t num_edges, double ratio) {
  return static_cast<int64_t>(static_cast<double>(num_edges) * ratio);
}

void add_random_edges(GraphBuilder& graph, Random& random, int64_t count, NodeRange from,
                      NodeRange to) {
  // Rejection sampling terminates because the generators only ask for a few percent of the
  // pairs available.
  TORCH_INTERNAL_ASSERT(count <= from.size() * to.size() / 4, "add_random_edges: ", count,
                        " edges between ranges of ", from.size(), " and ", to.size(), " nodes");
  for (int64_t added = 0; added < count;) {
    const int64_t u = random.uniform_int(from.first, from.last);
    const int64_t v = random.uniform_int(to.first, to.last);
    const int64_t motif = graph.motif_of(u);
    if (motif != GraphBuilder::kNoMotif && motif == graph.motif_of(v)) continue;
    if (graph.add_edge(u, v)) ++added;
  }
}

}  // namespace gnnx::datasets::detail
