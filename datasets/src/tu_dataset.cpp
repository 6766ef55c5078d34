// TUDataset reader: plain or gzipped text files (io::read_text_file reads both), parsed into
// one gnn::Graph per graph id.

#include <gnnx/datasets/tu_dataset.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/gzip.h>
#include <gnnx/io/number.h>
#include <gnnx/io/text.h>
#include <torch/types.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gnnx::datasets {
namespace {

constexpr int64_t kMaxValue = (int64_t{1} << 31) - 1;  // any integer in a TUDataset file
constexpr int64_t kMaxLabel = 100000;                  // node and edge labels (one-hot widths)

namespace fs = std::filesystem;

/// The file <prefix>_<suffix>.txt or .txt.gz, if either exists.
std::optional<std::string> find_part(const std::string& prefix, const std::string& suffix) {
  for (const char* ext : {".txt", ".txt.gz"}) {
    const std::string p = prefix + "_" + suffix + ext;
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p;
  }
  return std::nullopt;
}

/// Each non-empty line as its comma/space separated integers; `width` of them per line.
std::vector<std::vector<int64_t>> read_ints(const std::string& path, size_t width) {
  const std::string text = io::read_text_file(path);
  std::vector<std::vector<int64_t>> rows;
  size_t pos = 0;
  int64_t line_no = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    std::string separated = line;
    for (char& c : separated) {
      if (c == ',' || c == '\t' || c == '\r') c = ' ';
    }
    const std::vector<std::string> tokens = io::split_list(separated, ' ');
    if (tokens.empty()) continue;
    std::vector<int64_t> row;
    for (const auto& token : tokens) {
      const auto value = io::to_integer<int64_t>(token);
      if (!value) {
        throw InputError(path + ":" + std::to_string(line_no) + ": expected integers, got '" +
                         line + "'");
      }
      // Ids and labels are counted from 1 or 0 and shifted by one (id - 1, label + 1): with a
      // bound far below INT64's none of that arithmetic can overflow (found by fuzzing).
      if (*value > kMaxValue || *value < -kMaxValue) {
        throw InputError(path + ":" + std::to_string(line_no) + ": " + token +
                         " is out of range (TUDataset ids and labels are below 2^31)");
      }
      row.push_back(*value);
    }
    if (row.size() != width) {
      throw InputError(path + ":" + std::to_string(line_no) + ": expected " +
                       std::to_string(width) + " value(s), got '" + line + "'");
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<int64_t> column(const std::vector<std::vector<int64_t>>& rows) {
  std::vector<int64_t> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r[0]);
  return out;
}

/// The prefix "<dir>/<NAME>" of the data set at `path`, or nullopt.
std::optional<std::string> find_prefix(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      const std::string file = entry.path().filename().string();
      for (const char* tail : {"_A.txt", "_A.txt.gz"}) {
        const std::string t = tail;
        if (file.size() > t.size() && file.compare(file.size() - t.size(), t.size(), t) == 0) {
          return (entry.path().parent_path() / file.substr(0, file.size() - t.size())).string();
        }
      }
    }
    return std::nullopt;
  }
  if (find_part(path, "A")) return path;
  return std::nullopt;
}

}  // namespace

int64_t TuDataset::num_nodes() const {
  int64_t n = 0;
  for (const auto& g : graphs) n += g.num_nodes();
  return n;
}

bool is_tu_dataset(const std::string& path) { return find_prefix(path).has_value(); }

TuDataset read_tu_dataset(const std::string& path) {
  const std::optional<std::string> prefix = find_prefix(path);
  if (!prefix) {
    throw InputError("'" + path + "' is not a TUDataset: no <NAME>_A.txt[.gz] there");
  }
  auto required = [&](const std::string& suffix) {
    auto p = find_part(*prefix, suffix);
    if (!p) throw InputError("TUDataset '" + *prefix + "': missing " + suffix + " file");
    return *p;
  };
  const std::string a_path = required("A");
  const std::string indicator_path = required("graph_indicator");
  const std::string labels_path = required("graph_labels");

  TuDataset ds;
  ds.name = fs::path(*prefix).filename().string();
  ds.files = {a_path, indicator_path, labels_path};
  const std::vector<int64_t> indicator = column(read_ints(indicator_path, 1));
  ds.raw_graph_labels = column(read_ints(labels_path, 1));
  const auto edges = read_ints(a_path, 2);
  const auto num_graphs = static_cast<int64_t>(ds.raw_graph_labels.size());
  const auto total_nodes = static_cast<int64_t>(indicator.size());

  std::vector<int64_t> node_labels, edge_labels, edge_gt;
  if (auto p = find_part(*prefix, "node_labels")) {
    ds.files.push_back(*p);
    node_labels = column(read_ints(*p, 1));
    if (static_cast<int64_t>(node_labels.size()) != total_nodes) {
      throw InputError(*p + ": " + std::to_string(node_labels.size()) + " lines but " +
                       std::to_string(total_nodes) + " nodes");
    }
  }
  auto aligned = [&](const std::string& suffix, std::vector<int64_t>& out) {
    if (auto p = find_part(*prefix, suffix)) {
      ds.files.push_back(*p);
      out = column(read_ints(*p, 1));
      if (out.size() != edges.size()) {
        throw InputError(*p + ": " + std::to_string(out.size()) + " lines but " +
                         std::to_string(edges.size()) + " edges in " + a_path);
      }
    }
  };
  aligned("edge_labels", edge_labels);
  aligned("edge_gt", edge_gt);

  // Node and edge labels become one-hot columns 0..max: a label far beyond any real data set's
  // would ask for that many feature columns per node.
  auto label_count = [&](const std::vector<int64_t>& labels, const char* what) {
    int64_t count = 0;
    for (int64_t l : labels) {
      if (l < 0) throw InputError("TUDataset '" + *prefix + "': negative " + what + " label");
      if (l >= kMaxLabel) {
        throw InputError("TUDataset '" + *prefix + "': " + what + " label " + std::to_string(l) +
                         " is not below " + std::to_string(kMaxLabel) +
                         " (labels are one-hot columns 0..max)");
      }
      count = std::max(count, l + 1);
    }
    return count;
  };
  ds.num_node_labels = label_count(node_labels, "node");
  ds.num_edge_labels = label_count(edge_labels, "edge");
  ds.label_values = ds.raw_graph_labels;
  std::sort(ds.label_values.begin(), ds.label_values.end());
  ds.label_values.erase(std::unique(ds.label_values.begin(), ds.label_values.end()),
                        ds.label_values.end());

  // Nodes of a graph are contiguous in the TU format; still, map each global node explicitly.
  std::vector<int64_t> first(num_graphs + 1, -1), count(num_graphs, 0), local(total_nodes);
  for (int64_t i = 0; i < total_nodes; ++i) {
    const int64_t g = indicator[i] - 1;
    if (g < 0 || g >= num_graphs) {
      throw InputError(indicator_path + ":" + std::to_string(i + 1) + ": graph id " +
                       std::to_string(indicator[i]) + " is out of range 1.." +
                       std::to_string(num_graphs));
    }
    local[i] = count[g]++;
  }
  std::vector<std::vector<int64_t>> src(num_graphs), dst(num_graphs), elab(num_graphs),
      egt(num_graphs);
  for (size_t k = 0; k < edges.size(); ++k) {
    const int64_t u = edges[k][0] - 1, v = edges[k][1] - 1;
    if (u < 0 || u >= total_nodes || v < 0 || v >= total_nodes) {
      throw InputError(a_path + ":" + std::to_string(k + 1) + ": node id out of range 1.." +
                       std::to_string(total_nodes));
    }
    const int64_t g = indicator[u] - 1;
    if (indicator[v] - 1 != g) {
      throw InputError(a_path + ":" + std::to_string(k + 1) + ": edge joins graphs " +
                       std::to_string(g + 1) + " and " + std::to_string(indicator[v]));
    }
    src[g].push_back(local[u]);
    dst[g].push_back(local[v]);
    if (!edge_labels.empty()) elab[g].push_back(edge_labels[k]);
    if (!edge_gt.empty()) egt[g].push_back(edge_gt[k]);
  }
  std::vector<std::vector<int64_t>> nlab(num_graphs);
  for (int64_t i = 0; i < total_nodes; ++i) {
    nlab[indicator[i] - 1].push_back(node_labels.empty() ? 0 : node_labels[i]);
  }

  const int64_t width = std::max<int64_t>(ds.num_node_labels, 1);
  ds.graphs.reserve(num_graphs);
  for (int64_t g = 0; g < num_graphs; ++g) {
    const int64_t n = count[g];
    const torch::Tensor x =
        torch::one_hot(torch::tensor(nlab[g], torch::kLong).reshape({n}), width).to(torch::kFloat);
    const auto e = static_cast<int64_t>(src[g].size());
    torch::Tensor edge_index = torch::stack({torch::tensor(src[g], torch::kLong).reshape({e}),
                                             torch::tensor(dst[g], torch::kLong).reshape({e})});
    torch::Tensor edge_attr;
    if (ds.num_edge_labels > 0) {
      edge_attr =
          torch::one_hot(torch::tensor(elab[g], torch::kLong).reshape({e}), ds.num_edge_labels)
              .to(torch::kFloat);
    }
    const auto pos =
        std::lower_bound(ds.label_values.begin(), ds.label_values.end(), ds.raw_graph_labels[g]) -
        ds.label_values.begin();
    ds.graphs.emplace_back(n, edge_index, x, torch::tensor({static_cast<int64_t>(pos)}), edge_attr);
    if (!edge_gt.empty()) {
      ds.edge_gt.push_back(torch::tensor(egt[g], torch::kLong).reshape({e}).ne(0));
    }
  }
  return ds;
}

}  // namespace gnnx::datasets
