#include <gnnx/explainers/render_graphviz.h>
#include <gnnx/gnn/boost_graph.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/atomic_file.h>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <boost/graph/graphviz.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>
#include <vector>

extern char** environ;

namespace gnnx::explainers {
namespace {

// Light grey (unimportant) to dark red (important): readable in print and in grey scale.
std::string shade(double t) {
  t = std::clamp(t, 0.0, 1.0);
  const int r = static_cast<int>(0xd9 + t * (0x99 - 0xd9));
  const int g = static_cast<int>(0xd9 + t * (0x00 - 0xd9));
  const int b = static_cast<int>(0xd9 + t * (0x0d - 0xd9));
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
  return buf;
}

std::string extension_of(const std::string& path) {
  const auto dot = path.find_last_of('.');
  return dot == std::string::npos ? "" : path.substr(dot + 1);
}

// Runs `program args...` without a shell; returns its exit status (or -1 if it cannot start).
int run_program(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  args.reserve(argv.size());
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::string explanation_to_dot(const Explanation& e, const gnn::Graph& graph,
                               const GraphvizOptions& options) {
  // Undirected edges of the subgraph, each with the larger importance of its two directions.
  std::map<std::pair<int64_t, int64_t>, double> edges;
  const auto& ei = graph.edge_index();
  const bool has_edge_mask = e.edge_mask.defined();
  for (int64_t pos = 0; pos < e.edge_ids.numel(); ++pos) {
    const int64_t id = e.edge_ids[pos].item<int64_t>();
    const int64_t u = ei[0][id].item<int64_t>(), v = ei[1][id].item<int64_t>();
    const double w = has_edge_mask ? e.edge_mask[pos].item<double>() : 0.0;
    auto [it, inserted] = edges.emplace(std::make_pair(std::min(u, v), std::max(u, v)), w);
    if (!inserted) it->second = std::max(it->second, w);
  }
  if (options.max_edges > 0 && static_cast<int64_t>(edges.size()) > options.max_edges) {
    std::vector<std::pair<double, std::pair<int64_t, int64_t>>> ranked;
    ranked.reserve(edges.size());
    for (const auto& [uv, w] : edges) ranked.emplace_back(w, uv);
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    ranked.resize(options.max_edges);
    edges.clear();
    for (const auto& [w, uv] : ranked) edges.emplace(uv, w);
  }
  double max_edge = 0;
  for (const auto& kv : edges) max_edge = std::max(max_edge, kv.second);
  double max_node = 0;
  if (e.node_mask.defined() && e.node_mask.numel()) max_node = e.node_mask.max().item<double>();

  // Nodes drawn: the end points of the kept edges, and the target.
  std::map<int64_t, int64_t> position;  // original id -> index in e.node_ids
  for (int64_t i = 0; i < e.node_ids.numel(); ++i) position[e.node_ids[i].item<int64_t>()] = i;
  std::map<int64_t, size_t> local;
  std::vector<int64_t> nodes;
  auto keep_node = [&](int64_t id) {
    if (local.count(id) == 0 && position.count(id) != 0) {
      local[id] = nodes.size();
      nodes.push_back(id);
    }
  };
  if (e.task == gnn::Task::kNodeClassification) keep_node(e.target);
  for (const auto& kv : edges) {
    keep_node(kv.first.first);
    keep_node(kv.first.second);
  }
  if (e.task == gnn::Task::kGraphClassification) {
    for (const auto& kv : position) keep_node(kv.first);
  }
  gnn::BoostGraph drawing(nodes.size());
  std::vector<double> edge_weight;
  for (const auto& [uv, w] : edges) {
    boost::add_edge(local.at(uv.first), local.at(uv.second),
                    static_cast<int64_t>(edge_weight.size()), drawing);
    edge_weight.push_back(max_edge > 0 ? w / max_edge : 0.0);
  }
  const bool node_task = e.task == gnn::Task::kNodeClassification;
  auto vertex_writer = [&](std::ostream& out, size_t v) {
    const double importance =
        max_node > 0 ? e.node_mask[position.at(nodes[v])].item<double>() / max_node : 0.0;
    out << "[label=\"" << (options.node_labels ? std::to_string(nodes[v]) : "")
        << "\", style=filled, fillcolor=\"" << shade(0.55 * importance) << "\"";
    if (node_task && nodes[v] == e.target)
      out << ", color=\"#d7301f\", penwidth=3, shape=doublecircle";
    out << "]";
  };
  auto edge_writer = [&](std::ostream& out, const gnn::BoostGraph::edge_descriptor& edge) {
    const double w = edge_weight[boost::get(boost::edge_index, drawing, edge)];
    out << "[color=\"" << shade(w) << "\", penwidth=" << 0.6 + 4.0 * w << "]";
  };
  auto graph_writer = [&](std::ostream& out) {
    out << "label=\"" << e.method << ": " << (node_task ? "node " : "graph ") << e.target
        << ", class " << e.explained_class << " (p=" << e.probability << ")\";\n"
        << "node [shape=circle, fontsize=9, width=0.3, fixedsize=true];\n"
        << "overlap=false; outputorder=edgesfirst;\n";
  };
  std::ostringstream dot;
  boost::write_graphviz(dot, drawing, vertex_writer, edge_writer, graph_writer);
  return dot.str();
}

void check_render_path(const std::string& path) {
  const std::string ext = extension_of(path);
  if (ext != "dot" && ext != "svg" && ext != "png" && ext != "pdf") {
    throw InputError("render: unknown image format '" + ext + "' in '" + path +
                     "' (valid: .svg, .png, .pdf, .dot)");
  }
  io::check_writable_path(path);
}

void render_explanation(const Explanation& e, const gnn::Graph& graph, const std::string& path,
                        const GraphvizOptions& options) {
  check_render_path(path);
  const std::string ext = extension_of(path);
  const std::string dot = explanation_to_dot(e, graph, options);
  if (ext == "dot") {
    io::write_file_atomically(path, [&](std::ostream& out) { out << dot; });
    return;
  }
  const std::string dot_path = path + ".dot.tmp." + std::to_string(::getpid());
  const std::string image_tmp = path + ".tmp." + std::to_string(::getpid()) + "." + ext;
  {
    std::ofstream out(dot_path);
    out << dot;
  }
  const int status = run_program({options.layout, "-T" + ext, "-o", image_tmp, dot_path});
  std::remove(dot_path.c_str());
  if (status != 0 || std::rename(image_tmp.c_str(), path.c_str()) != 0) {
    std::remove(image_tmp.c_str());
    throw Error(status == -1
                    ? "render: cannot run Graphviz '" + options.layout +
                          "' (install the graphviz package)"
                    : "render: Graphviz '" + options.layout + "' failed for '" + path + "'");
  }
}

}  // namespace gnnx::explainers
