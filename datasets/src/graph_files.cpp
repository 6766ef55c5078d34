// read_node_task(): the user's edge list, features, labels and ground truth (graph_files.h for
// the formats), each file through user_table.h so that every error names its file and line.

#include <gnnx/datasets/graph_files.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/number.h>
#include <torch/types.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "user_table.h"

namespace gnnx::datasets {
namespace {

// Integer labels at or above this are refused rather than read as class indices.
constexpr int64_t kMaxClassIndex = 100000;

using detail::parse_node;
using detail::read_user_table;
using detail::UserTable;

/// Collects warnings: the first kShown in full, then a count of the rest.
class Warnings {
 public:
  static constexpr size_t kShown = 20;
  void add(std::string warning) {
    if (list_.size() < kShown) {
      list_.push_back(std::move(warning));
    } else {
      ++more_;
    }
  }
  std::vector<std::string> take() {
    if (more_ > 0) list_.push_back("... and " + std::to_string(more_) + " more duplicate edges");
    return std::move(list_);
  }

 private:
  std::vector<std::string> list_;
  int64_t more_ = 0;
};

bool first_not_integer(const std::vector<std::string>& fields) {
  return !detail::is_integer(fields.front());
}

torch::Tensor read_features(const std::string& path) {
  const UserTable t =
      read_user_table(path, 1, std::numeric_limits<size_t>::max(), "one or more features",
                      [](const std::vector<std::string>& fields) {
                        return std::none_of(fields.begin(), fields.end(), [](const std::string& f) {
                          return io::to_double(f, io::NonFinite::kAllow).has_value();
                        });
                      });
  const size_t width = t.rows.front().fields.size();
  std::vector<float> values;
  values.reserve(t.rows.size() * width);
  for (const io::CsvRecord& row : t.rows) {
    if (row.fields.size() != width) {
      throw InputError(t.where(row) + ": " + std::to_string(row.fields.size()) +
                       " features, but line " + std::to_string(t.rows.front().line) + " has " +
                       std::to_string(width) + " (one row per node, every row as wide)");
    }
    for (size_t k = 0; k < width; ++k) {
      values.push_back(
          static_cast<float>(io::parse_double(row.fields[k], t.where(row) + ": " + t.column(k))));
    }
  }
  return torch::tensor(values, torch::kFloat)
      .reshape({static_cast<int64_t>(t.rows.size()), static_cast<int64_t>(width)});
}

struct Labels {
  torch::Tensor y;  ///< [N] int64
  std::vector<std::string> class_names;
  std::optional<gnn::Split> split;
};

/// num_nodes < 0: as many nodes as rows.
Labels read_labels(const std::string& path, int64_t num_nodes, const std::string& nodes_from) {
  const UserTable t = read_user_table(path, 2, 3, "node,label[,split]", first_not_integer);
  const bool from_rows = num_nodes < 0;
  if (from_rows) num_nodes = static_cast<int64_t>(t.rows.size());
  const std::string from = from_rows ? path + " (one row per node)" : nodes_from;
  std::vector<const io::CsvRecord*> row_of(static_cast<size_t>(num_nodes), nullptr);
  const bool has_split = t.rows.front().fields.size() == 3;
  for (const io::CsvRecord& row : t.rows) {
    const int64_t node = parse_node(row.fields[0], num_nodes, t.where(row), from);
    if (row_of[node]) {
      throw InputError(t.where(row) + ": node " + std::to_string(node) +
                       " has a second label (first at line " + std::to_string(row_of[node]->line) +
                       ")");
    }
    if (row.fields[1].empty())
      throw InputError(t.where(row) + ": node " + std::to_string(node) + " has an empty label");
    if ((row.fields.size() == 3) != has_split) {
      throw InputError(t.where(row) + ": " + (has_split ? "no split" : "a split") + ", but line " +
                       std::to_string(t.rows.front().line) +
                       (has_split ? " has one" : " has none") +
                       ": give train, val or test on every row or on none");
    }
    row_of[node] = &row;
  }
  const auto missing = std::find(row_of.begin(), row_of.end(), nullptr);
  if (missing != row_of.end()) {
    throw InputError(path + ": " + std::to_string(t.rows.size()) + " labels for " +
                     std::to_string(num_nodes) + " nodes (" + from + "): node " +
                     std::to_string(missing - row_of.begin()) + " has none");
  }
  const bool indices = std::all_of(row_of.begin(), row_of.end(), [](const io::CsvRecord* r) {
    const auto v = io::to_integer<int64_t>(r->fields[1]);
    return v && *v >= 0;
  });
  if (indices) {
    // Classes 0..max become the model's outputs: an index far beyond the node count would ask
    // for a head of that many classes (and INT64_MAX + 1 overflowed; found by fuzzing).
    for (const io::CsvRecord* r : row_of) {
      if (*io::to_integer<int64_t>(r->fields[1]) >= kMaxClassIndex) {
        throw InputError(t.where(*r) + ": class index " + r->fields[1] + " is not below " +
                         std::to_string(kMaxClassIndex) +
                         " (integer labels are class indices 0..max; name the classes instead)");
      }
    }
  }
  std::map<std::string, int64_t> class_of;  // names, in sorted order
  if (!indices) {
    for (const io::CsvRecord* r : row_of) class_of.emplace(r->fields[1], 0);
  }
  Labels out;
  int64_t num_classes = 0;
  for (auto& [name, index] : class_of) {
    index = num_classes++;
    out.class_names.push_back(name);
  }
  std::vector<int64_t> y, parts[3];
  for (int64_t node = 0; node < num_nodes; ++node) {
    const io::CsvRecord& row = *row_of[node];
    const int64_t label =
        indices ? *io::to_integer<int64_t>(row.fields[1]) : class_of.at(row.fields[1]);
    y.push_back(label);
    if (indices) num_classes = std::max(num_classes, label + 1);
    if (!has_split) continue;
    const std::string& split = row.fields[2];
    const int part = split == "train" ? 0 : split == "val" ? 1 : split == "test" ? 2 : -1;
    if (part < 0) {
      throw InputError(t.where(row) + ": split '" + split + "' is not train, val or test");
    }
    parts[part].push_back(node);
  }
  if (indices) {
    for (int64_t c = 0; c < num_classes; ++c)
      out.class_names.push_back("class" + std::to_string(c));
  }
  out.y = torch::tensor(y, torch::kLong);
  if (has_split) {
    out.split =
        gnn::Split{torch::tensor(parts[0], torch::kLong), torch::tensor(parts[1], torch::kLong),
                   torch::tensor(parts[2], torch::kLong)};
  }
  return out;
}

struct EdgeList {
  torch::Tensor edge_index;  ///< [2, E] int64, sorted by (source, target)
  torch::Tensor weight;      ///< [E, 1] float, or undefined
};

EdgeList read_edges(const std::string& path, int64_t num_nodes, const std::string& nodes_from,
                    bool directed, Warnings& warnings) {
  const UserTable t = read_user_table(path, 2, 3, "source,target[,weight]", first_not_integer);
  const bool weighted = t.rows.front().fields.size() == 3;
  struct Seen {
    int64_t line;
    double weight;
    std::string weight_text;  ///< as written, for messages
    int directions;           ///< bit 1: given as (low, high); bit 2: as (high, low)
  };
  std::map<std::pair<int64_t, int64_t>, Seen> edges;  // undirected: keyed (low, high)
  for (const io::CsvRecord& row : t.rows) {
    const std::string where = t.where(row);
    if ((row.fields.size() == 3) != weighted) {
      throw InputError(where + ": " + (weighted ? "no weight" : "a weight") + ", but line " +
                       std::to_string(t.rows.front().line) + (weighted ? " has one" : " has none") +
                       ": give a weight on every line or on none");
    }
    const int64_t u = parse_node(row.fields[0], num_nodes, where, nodes_from);
    const int64_t v = parse_node(row.fields[1], num_nodes, where, nodes_from);
    if (u == v) {
      throw InputError(where + ": self-loop " + std::to_string(u) + "," + std::to_string(v) +
                       ": every layer adds a node's own term itself, so a self-loop would count "
                       "it twice; remove the line");
    }
    const double w = weighted ? io::parse_double(row.fields[2], where + ": weight") : 1.0;
    const bool flipped = !directed && u > v;
    const auto key = flipped ? std::pair(v, u) : std::pair(u, v);
    const int direction = flipped ? 2 : 1;
    const auto [it, added] =
        edges.try_emplace(key, Seen{row.line, w, weighted ? row.fields[2] : "", direction});
    if (added) continue;
    Seen& seen = it->second;
    const std::string edge = std::to_string(u) + "," + std::to_string(v);
    if (weighted && w != seen.weight) {
      throw InputError(where + ": edge " + edge + " has weight " + row.fields[2] + " here and " +
                       seen.weight_text + " at line " + std::to_string(seen.line) +
                       ": one edge has one weight");
    }
    if (seen.directions & direction) {
      warnings.add(where + ": duplicate edge " + edge + " (first at line " +
                   std::to_string(seen.line) + "), merged");
    }
    seen.directions |= direction;  // the other direction of an undirected edge: the same edge
  }
  std::vector<std::tuple<int64_t, int64_t, float>> all;
  for (const auto& [key, seen] : edges) {
    all.emplace_back(key.first, key.second, static_cast<float>(seen.weight));
    if (!directed) all.emplace_back(key.second, key.first, static_cast<float>(seen.weight));
  }
  std::sort(all.begin(), all.end());
  const auto e = static_cast<int64_t>(all.size());
  std::vector<int64_t> src, dst;
  std::vector<float> weights;
  for (const auto& [s, d, w] : all) {
    src.push_back(s);
    dst.push_back(d);
    weights.push_back(w);
  }
  EdgeList out;
  out.edge_index = torch::stack({torch::tensor(src, torch::kLong).reshape({e}),
                                 torch::tensor(dst, torch::kLong).reshape({e})});
  if (weighted) out.weight = torch::tensor(weights, torch::kFloat).reshape({e, 1});
  return out;
}

/// Adds gt_edge_mask, gt_node_mask and eval_targets to `ds` (one graph).
void add_ground_truth(Dataset& ds, const NodeTaskFiles& files, const std::string& nodes_from) {
  const gnn::Graph& g = ds.graphs.front();
  const int64_t n = g.num_nodes();
  if (files.gt_edges.empty() && files.gt_nodes.empty()) {
    ds.eval_targets = torch::arange(n, torch::kLong);
    return;
  }
  const auto ei = g.edge_index().accessor<int64_t, 2>();
  std::vector<uint8_t> node_mask(static_cast<size_t>(n), 0), edge_mask(g.num_edges(), 0);
  if (!files.gt_nodes.empty()) {
    const UserTable t = read_user_table(files.gt_nodes, 1, 1, "node", first_not_integer);
    for (const io::CsvRecord& row : t.rows) {
      node_mask[parse_node(row.fields[0], n, t.where(row), nodes_from)] = 1;
    }
    if (files.gt_edges.empty()) {
      for (int64_t k = 0; k < g.num_edges(); ++k) {
        edge_mask[k] = node_mask[ei[0][k]] && node_mask[ei[1][k]];
      }
    }
  }
  if (!files.gt_edges.empty()) {
    std::map<std::pair<int64_t, int64_t>, int64_t> id;
    for (int64_t k = 0; k < g.num_edges(); ++k) id[{ei[0][k], ei[1][k]}] = k;
    const UserTable t = read_user_table(files.gt_edges, 2, 2, "source,target", first_not_integer);
    const bool undirected = !files.directed;
    for (const io::CsvRecord& row : t.rows) {
      const int64_t u = parse_node(row.fields[0], n, t.where(row), nodes_from);
      const int64_t v = parse_node(row.fields[1], n, t.where(row), nodes_from);
      const auto it = id.find({u, v});
      if (it == id.end()) {
        throw InputError(t.where(row) + ": edge " + std::to_string(u) + "," + std::to_string(v) +
                         " is not in the graph (" + files.edges + ")");
      }
      edge_mask[it->second] = 1;
      if (undirected) edge_mask[id.at({v, u})] = 1;
      if (files.gt_nodes.empty()) node_mask[u] = node_mask[v] = 1;
    }
  }
  auto to_mask = [](const std::vector<uint8_t>& m) {
    return torch::tensor(std::vector<int64_t>(m.begin(), m.end()), torch::kLong)
        .reshape({static_cast<int64_t>(m.size())})
        .ne(0);
  };
  ds.gt_node_mask.push_back(to_mask(node_mask));
  ds.gt_edge_mask.push_back(to_mask(edge_mask));
  ds.eval_targets = ds.gt_node_mask.front().nonzero().reshape({-1});
}

}  // namespace

NodeTask read_node_task(const NodeTaskFiles& files) {
  if (files.edges.empty() || files.labels.empty()) {
    throw InputError("a node task needs an edge list and a labels file");
  }
  torch::Tensor x;
  std::string nodes_from = files.labels + " (one row per node)";
  int64_t num_nodes = -1;
  if (!files.features.empty()) {
    x = read_features(files.features);
    num_nodes = x.size(0);
    nodes_from = files.features + " (one row per node)";
  }
  Labels labels = read_labels(files.labels, num_nodes, nodes_from);
  num_nodes = labels.y.size(0);
  if (!x.defined()) x = torch::ones({num_nodes, 1});
  Warnings warnings;
  const EdgeList edges = read_edges(files.edges, num_nodes, nodes_from, files.directed, warnings);

  NodeTask task;
  Dataset& ds = task.dataset;
  ds.name = std::filesystem::path(files.edges).filename().string();
  ds.task = gnn::Task::kNodeClassification;
  ds.num_classes = static_cast<int64_t>(labels.class_names.size());
  ds.class_names = std::move(labels.class_names);
  ds.graphs.emplace_back(num_nodes, edges.edge_index, x, labels.y, edges.weight);
  add_ground_truth(ds, files, nodes_from);
  task.split = std::move(labels.split);
  task.warnings = warnings.take();
  return task;
}

}  // namespace gnnx::datasets
