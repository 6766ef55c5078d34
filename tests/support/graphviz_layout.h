#pragma once
// A Graphviz layout read back as geometry (`neato -Tjson`), for tests of what a drawing shows: a
// node's circle and label, an edge's Bézier curve and stroke width, and the edges whose stroke
// runs over a node they do not touch (such an edge reads as a path through that node).

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace gnnx::testing {

/// One node of a layout, in points.
struct LaidOutNode {
  std::string name;        ///< DOT name (write_graphviz: the vertex index)
  double x = 0, y = 0;     ///< centre
  double rx = 0, ry = 0;   ///< half width and half height of the outline
  double font_size = 0;    ///< of the label; 0 without one
  double label_width = 0;  ///< width of the label's text; 0 without one
};

/// One edge of a layout, in points.
struct LaidOutEdge {
  size_t tail = 0, head = 0;  ///< indices into Layout::nodes
  std::vector<double> x, y;   ///< Bézier control points: p0, then 3 per cubic segment
  double half_stroke = 0.5;   ///< half the width of all its parallel strokes together
};

struct Layout {
  std::vector<LaidOutNode> nodes;
  std::vector<LaidOutEdge> edges;
};

/// Lays `dot` out with `program` (neato, fdp, ...) in `dir`; empty when the program fails.
inline Layout lay_out(const std::string& dot, const std::filesystem::path& dir,
                      const std::string& program = "neato") {
  const auto in = dir / "layout.dot", out = dir / "layout.json";
  std::ofstream(in) << dot;
  const std::string cmd = program + " -Tjson -o '" + out.string() + "' '" + in.string() + "'";
  if (std::system(cmd.c_str()) != 0) return {};
  std::ifstream file(out);
  const auto j = nlohmann::json::parse(file);

  auto number = [](const nlohmann::json& v, double fallback) {
    if (v.is_number()) return v.get<double>();
    return v.is_string() ? std::stod(v.get<std::string>()) : fallback;
  };
  Layout layout;
  std::map<size_t, size_t> index;  // _gvid -> position in layout.nodes
  for (const auto& o : j.value("objects", nlohmann::json::array())) {
    if (o.contains("nodes")) continue;  // a subgraph
    index[o.at("_gvid").get<size_t>()] = layout.nodes.size();
    LaidOutNode n;
    n.name = o.value("name", "");
    std::sscanf(o.value("pos", "0,0").c_str(), "%lf,%lf", &n.x, &n.y);
    n.rx = 36 * number(o.value("width", nlohmann::json()), 0);
    n.ry = 36 * number(o.value("height", nlohmann::json()), 0);
    for (const auto& op : o.value("_ldraw_", nlohmann::json::array())) {
      if (op.value("op", "") == "F") n.font_size = op.value("size", 0.0);
      if (op.value("op", "") == "T") n.label_width = op.value("width", 0.0);
    }
    layout.nodes.push_back(n);
  }
  for (const auto& e : j.value("edges", nlohmann::json::array())) {
    LaidOutEdge edge;
    edge.tail = index.at(e.at("tail").get<size_t>());
    edge.head = index.at(e.at("head").get<size_t>());
    std::istringstream pos(e.value("pos", ""));
    for (std::string point; pos >> point;) {
      if (point.rfind("e,", 0) == 0 || point.rfind("s,", 0) == 0) continue;  // arrow heads
      double px = 0, py = 0;
      std::sscanf(point.c_str(), "%lf,%lf", &px, &py);
      edge.x.push_back(px);
      edge.y.push_back(py);
    }
    // A colour list "a:b:c" draws that many parallel strokes, each penwidth wide.
    const std::string colour = e.value("color", "black");
    const double strokes = 1 + static_cast<double>(std::count(colour.begin(), colour.end(), ':'));
    edge.half_stroke = strokes * number(e.value("penwidth", nlohmann::json()), 1.0) / 2;
    layout.edges.push_back(edge);
  }
  return layout;
}

/// An edge whose stroke comes within `clearance` points of a node it does not touch.
struct Intrusion {
  size_t edge = 0;
  size_t node = 0;
};

/// Every (edge, node) pair where the edge's stroke, sampled 40 times per Bézier segment, comes
/// within `clearance` points of the outline of a node that is not one of its end points.
inline std::vector<Intrusion> edges_through_nodes(const Layout& layout, double clearance = 1.0) {
  std::vector<Intrusion> found;
  for (size_t ei = 0; ei < layout.edges.size(); ++ei) {
    const LaidOutEdge& e = layout.edges[ei];
    std::vector<double> sx, sy;
    for (size_t s = 0; s + 3 < e.x.size(); s += 3) {
      for (int k = 0; k <= 40; ++k) {
        const double u = k / 40.0, v = 1 - u;
        const double b0 = v * v * v, b1 = 3 * v * v * u, b2 = 3 * v * u * u, b3 = u * u * u;
        sx.push_back(b0 * e.x[s] + b1 * e.x[s + 1] + b2 * e.x[s + 2] + b3 * e.x[s + 3]);
        sy.push_back(b0 * e.y[s] + b1 * e.y[s + 1] + b2 * e.y[s + 2] + b3 * e.y[s + 3]);
      }
    }
    for (size_t ni = 0; ni < layout.nodes.size(); ++ni) {
      if (ni == e.tail || ni == e.head) continue;
      const LaidOutNode& n = layout.nodes[ni];
      const double rx = n.rx + e.half_stroke + clearance, ry = n.ry + e.half_stroke + clearance;
      for (size_t k = 0; k < sx.size(); ++k) {
        const double dx = (sx[k] - n.x) / rx, dy = (sy[k] - n.y) / ry;
        if (dx * dx + dy * dy < 1) {
          found.push_back({ei, ni});
          break;
        }
      }
    }
  }
  return found;
}

}  // namespace gnnx::testing
