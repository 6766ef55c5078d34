#include "drawn_edges.h"
#include "graphviz_style.h"

#include <gnnx/explainers/render_graphviz.h>
#include <gnnx/gnn/boost_graph.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/atomic_file.h>
#include <gnnx/io/significant_digits.h>

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

// The layout's graph attributes, chosen by measuring the drawings of BA-Shapes, Tree-Cycles and
// Tree-Grid targets (render_graphviz_test.cpp): straight edges (neato's default) crossed up to 14
// unrelated nodes per BA-Shapes drawing; splines=true routes every edge around the nodes, and the
// extra separation (sep) with a routing margin (esep, kept below sep as Graphviz asks) keeps even
// the thickest edge's stroke off the nodes it passes.
constexpr const char* kLayoutAttributes =
    "overlap=false; splines=true; sep=\"+18\"; esep=\"+12\"; outputorder=edgesfirst;\n";

}  // namespace

std::string explanation_to_dot(const Explanation& e, const gnn::Graph& graph,
                               const GraphvizOptions& options) {
  const DrawingTruth& truth = options.truth;
  TORCH_CHECK(!truth.node_mask.defined() || truth.node_mask.numel() == graph.num_nodes(),
              "explanation_to_dot: the ground-truth node mask has ", truth.node_mask.numel(),
              " entries for a graph of ", graph.num_nodes(), " nodes");
  const std::vector<detail::DrawnEdge> edges =
      detail::drawn_edges(e, graph, options.max_edges, truth.edge_mask);
  detail::ImportanceScale scale;
  // The colour bar reads differences: scores all equal (XGNN's drawings, a flat mask) have none.
  bool scores_differ = false;
  for (const auto& edge : edges) {
    scores_differ = scores_differ || edge.importance != edges.front().importance;
    scale.lo = std::min(scale.lo, edge.importance);
    scale.hi = std::max(scale.hi, edge.importance);
  }
  double max_node = 0;
  if (e.node_mask.defined() && e.node_mask.numel()) max_node = e.node_mask.max().item<double>();
  const auto truth_nodes =
      truth.node_mask.defined() ? truth.node_mask.to(torch::kCPU, torch::kBool) : torch::Tensor();

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
  const bool node_task = e.task == gnn::Task::kNodeClassification;
  if (node_task) keep_node(e.target);
  for (const auto& edge : edges) {
    keep_node(edge.u);
    keep_node(edge.v);
  }
  if (!node_task) {
    for (const auto& kv : position) keep_node(kv.first);
  }
  gnn::BoostGraph drawing(nodes.size());
  for (size_t i = 0; i < edges.size(); ++i) {
    boost::add_edge(local.at(edges[i].u), local.at(edges[i].v), static_cast<int64_t>(i), drawing);
  }
  size_t longest_label = 1;
  if (options.node_labels) {
    for (const int64_t id : nodes)
      longest_label = std::max(longest_label, std::to_string(id).size());
  }

  auto vertex_writer = [&](std::ostream& out, size_t v) {
    const int64_t id = nodes[v];
    const double importance =
        max_node > 0 ? e.node_mask[position.at(id)].item<double>() / max_node : 0.0;
    const bool in_truth = truth_nodes.defined() && truth_nodes[id].item<bool>();
    out << "[label=\"" << (options.node_labels ? std::to_string(id) : "") << "\", fillcolor=\""
        << detail::shade(0.55 * importance) << "\", style=\""
        << (in_truth ? "filled,dashed" : "filled") << "\"";
    if (node_task && id == e.target) {
      out << ", color=\"" << detail::kTargetColour << "\", penwidth=3, shape=doublecircle";
    } else if (in_truth) {
      out << ", color=\"" << detail::kTruthColour << "\", penwidth=2";
    }
    out << "]";
  };
  auto edge_writer = [&](std::ostream& out, const gnn::BoostGraph::edge_descriptor& d) {
    const detail::DrawnEdge& edge = edges[boost::get(boost::edge_index, drawing, d)];
    const double t = scale(edge.importance);
    const std::string colour = detail::shade(t);
    if (edge.truth) {
      // Three parallel strokes, blue on either side of the importance colour: the edge keeps its
      // shade and reads as outlined. Thinner strokes keep the cased edge about as wide as others.
      out << "[color=\"" << detail::kTruthColour << ":" << colour << ":" << detail::kTruthColour
          << "\", penwidth=" << 0.8 + 1.6 * t << "]";
    } else {
      out << "[color=\"" << colour << "\", penwidth=" << 0.6 + 4.0 * t << "]";
    }
  };
  std::ostringstream caption;
  caption << e.method << ": " << (node_task ? "node " : "graph ") << e.target << ", class "
          << e.explained_class << " (p=" << io::significant_text(e.probability, 3) << ")";
  auto graph_writer = [&](std::ostream& out) {
    out << "label=<"
        << detail::legend_label(
               caption.str(), scale, /*with_bar=*/e.edge_mask.defined() && scores_differ,
               /*with_truth=*/truth.node_mask.defined() || truth.edge_mask.defined())
        << ">;\n"
        << "fontname=\"" << detail::kFontName << "\"; fontsize=" << detail::kLabelFontSize << ";\n"
        << "node [shape=circle, fixedsize=true, width=" << detail::node_diameter(longest_label)
        << ", fontname=\"" << detail::kFontName << "\", fontsize=" << detail::kLabelFontSize
        << "];\n"
        << kLayoutAttributes;
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
