// Ground truth of the molecule explanation benchmarks (see ground_truth.h).

#include <gnnx/gnn/error.h>
#include <gnnx/molecules/ground_truth.h>
#include <torch/types.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace gnnx::molecules {
namespace {

/// The whole file, decompressed when gzipped (gzread passes plain files through).
std::string read_text(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) throw InputError("cannot open ground-truth file '" + path + "'");
  std::string text;
  char buffer[1 << 16];
  int n = 0;
  while ((n = gzread(f, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
  const bool failed = n < 0;
  gzclose(f);
  if (failed) throw InputError("error reading '" + path + "' (corrupt gzip?)");
  return text;
}

/// A CSV line split into fields; double quotes group (the match lists hold commas).
std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

std::vector<std::string> split(const std::string& text, char delimiter) {
  std::vector<std::string> parts;
  if (text.empty()) return parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, delimiter);) parts.push_back(part);
  return parts;
}

int64_t parse_int(const std::string& text, const std::string& where) {
  try {
    size_t used = 0;
    const long long v = std::stoll(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  throw InputError(where + ": '" + text + "' is not an integer");
}

std::vector<int64_t> parse_atoms(const std::string& text, char delimiter,
                                 const std::string& where) {
  std::vector<int64_t> atoms;
  for (const auto& s : split(text, delimiter)) {
    if (!s.empty()) atoms.push_back(parse_int(s, where));
  }
  return atoms;
}

/// "benzene=5,6,7|17,18,19;fluoride=3" -> {{"benzene", {{5,6,7},{17,18,19}}}, {"fluoride", {{3}}}}.
std::vector<std::pair<std::string, std::vector<std::vector<int64_t>>>> parse_rule_matches(
    const std::string& text, const std::string& where) {
  std::vector<std::pair<std::string, std::vector<std::vector<int64_t>>>> rules;
  for (const auto& rule : split(text, ';')) {
    const size_t eq = rule.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw InputError(where + ": gt_rule_matches entry '" + rule + "' is not rule=atoms|atoms");
    }
    std::vector<std::vector<int64_t>> matches;
    for (const auto& match : split(rule.substr(eq + 1), '|')) {
      matches.push_back(parse_atoms(match, ',', where));
    }
    rules.emplace_back(rule.substr(0, eq), std::move(matches));
  }
  return rules;
}

using AtomSet = std::vector<int64_t>;  // sorted, distinct

AtomSet unite(const AtomSet& a, const AtomSet& b) {
  AtomSet out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

void check_size(size_t size, int64_t max_masks) {
  if (static_cast<int64_t>(size) > max_masks) {
    throw InputError("more than " + std::to_string(max_masks) + " valid ground-truth masks");
  }
}

/// The distinct unions of the non-empty subsets of `matches`, grown one match at a time so that
/// overlapping matches (which give equal unions) never multiply the count.
std::set<AtomSet> subset_unions(const std::vector<std::vector<int64_t>>& matches,
                                int64_t max_masks) {
  std::set<AtomSet> unions;
  for (const auto& raw : matches) {
    AtomSet match(raw.begin(), raw.end());
    std::sort(match.begin(), match.end());
    match.erase(std::unique(match.begin(), match.end()), match.end());
    std::set<AtomSet> grown = unions;
    grown.insert(match);
    for (const auto& u : unions) grown.insert(unite(u, match));
    check_size(grown.size(), max_masks);
    unions = std::move(grown);
  }
  return unions;
}

}  // namespace

std::vector<AttributionRecord> read_attribution_csv(const std::string& path) {
  std::stringstream in(read_text(path));
  std::string line;
  if (!std::getline(in, line)) throw InputError("'" + path + "' is empty: no header line");
  const std::vector<std::string> header = split_csv(line);
  auto column = [&](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) {
      throw InputError("'" + path + "' has no column '" + name +
                       "': not a graph-attribution ground-truth CSV");
    }
    return static_cast<size_t>(it - header.begin());
  };
  const size_t c_index = column("index"), c_id = column("mol_id"), c_smiles = column("smiles"),
               c_label = column("label"), c_split = column("split"), c_atoms = column("n_atoms"),
               c_union = column("gt_union_atoms"), c_matches = column("gt_rule_matches"),
               c_masks = column("n_gt_masks");
  std::vector<AttributionRecord> records;
  int64_t line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line == "\r") continue;
    const std::vector<std::string> f = split_csv(line);
    const std::string where = path + ":" + std::to_string(line_no);
    if (f.size() != header.size()) {
      throw InputError(where + ": " + std::to_string(f.size()) + " fields, the header has " +
                       std::to_string(header.size()));
    }
    AttributionRecord r;
    r.line = line_no;
    r.index = parse_int(f[c_index], where);
    r.id = f[c_id];
    r.smiles = f[c_smiles];
    r.label = parse_int(f[c_label], where);
    r.split = f[c_split];
    r.num_atoms = parse_int(f[c_atoms], where);
    r.union_atoms = parse_atoms(f[c_union], ' ', where);
    r.rule_matches = parse_rule_matches(f[c_matches], where);
    r.num_gt_masks = parse_int(f[c_masks], where);
    if (r.label != 0 && r.label != 1) throw InputError(where + ": label must be 0 or 1");
    for (int64_t a : r.union_atoms) {
      if (a < 0 || a >= r.num_atoms) {
        throw InputError(where + ": ground-truth atom " + std::to_string(a) +
                         " is outside the molecule's " + std::to_string(r.num_atoms) + " atoms");
      }
    }
    records.push_back(std::move(r));
  }
  return records;
}

std::vector<std::vector<int64_t>> valid_ground_truth_masks(
    const std::vector<std::pair<std::string, std::vector<std::vector<int64_t>>>>& rule_matches,
    int64_t max_masks) {
  // An AND rule needs every sub-rule: one subset union per rule, united across rules.
  std::set<AtomSet> masks;
  bool first = true;
  for (const auto& [name, matches] : rule_matches) {
    const std::set<AtomSet> options = subset_unions(matches, max_masks);
    if (options.empty()) return {};  // a rule without a match: no valid explanation
    std::set<AtomSet> combined;
    if (first) {
      combined = options;
    } else {
      for (const auto& m : masks) {
        for (const auto& o : options) {
          combined.insert(unite(m, o));
          check_size(combined.size(), max_masks);
        }
      }
    }
    masks = std::move(combined);
    first = false;
  }
  return {masks.begin(), masks.end()};
}

double best_mask_auc(const std::vector<double>& atom_scores,
                     const std::vector<std::vector<int64_t>>& masks) {
  // Mann-Whitney form of the ROC-AUC with tied scores at their average rank (as
  // explainers::roc_auc): the ranks are computed once and each mask only sums its atoms' ranks,
  // which matters for molecules with thousands of valid masks.
  const auto n = static_cast<int64_t>(atom_scores.size());
  std::vector<int64_t> order(atom_scores.size());
  for (int64_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](int64_t a, int64_t b) { return atom_scores[a] < atom_scores[b]; });
  std::vector<double> rank(atom_scores.size());
  for (int64_t i = 0; i < n;) {
    int64_t j = i;
    while (j + 1 < n && atom_scores[order[j + 1]] == atom_scores[order[i]]) ++j;
    for (int64_t k = i; k <= j; ++k) rank[order[k]] = 0.5 * static_cast<double>(i + j) + 1.0;
    i = j + 1;
  }
  double best = NAN;
  for (const auto& mask : masks) {
    double rank_sum = 0;
    for (int64_t a : mask) {
      if (a < 0 || a >= n) {
        throw InputError("ground-truth atom " + std::to_string(a) + " is outside the " +
                         std::to_string(n) + " scored atoms");
      }
      rank_sum += rank[a];
    }
    const auto pos = static_cast<double>(mask.size());
    const double neg = static_cast<double>(n) - pos;
    if (pos == 0 || neg == 0) continue;
    const double auc = (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
    if (std::isnan(best) || auc > best) best = auc;
  }
  return best;
}

std::vector<int64_t> mutagens_with_ground_truth(const datasets::TuDataset& tu,
                                                int64_t mutagen_label) {
  if (tu.edge_gt.size() != tu.graphs.size()) {
    throw InputError("TUDataset '" + tu.name +
                     "' has no edge ground truth (<NAME>_edge_gt.txt): cannot score explanations");
  }
  std::vector<int64_t> targets;
  for (size_t g = 0; g < tu.graphs.size(); ++g) {
    if (tu.raw_graph_labels[g] == mutagen_label && tu.edge_gt[g].any().item<bool>()) {
      targets.push_back(static_cast<int64_t>(g));
    }
  }
  return targets;
}

std::vector<double> edge_scores_from_nodes(const gnn::Graph& graph,
                                           const std::vector<double>& node_scores) {
  if (static_cast<int64_t>(node_scores.size()) != graph.num_nodes()) {
    throw InputError("edge_scores_from_nodes: " + std::to_string(node_scores.size()) +
                     " node scores for " + std::to_string(graph.num_nodes()) + " nodes");
  }
  const torch::Tensor ei = graph.edge_index().to(torch::kLong).contiguous();
  const int64_t* src = ei.data_ptr<int64_t>();
  const int64_t* dst = src + graph.num_edges();
  std::vector<double> edges(static_cast<size_t>(graph.num_edges()));
  for (int64_t e = 0; e < graph.num_edges(); ++e) {
    edges[e] = std::min(node_scores[src[e]], node_scores[dst[e]]);
  }
  return edges;
}

}  // namespace gnnx::molecules
