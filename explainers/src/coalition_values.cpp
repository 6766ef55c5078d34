#include "coalition_values.h"

#include <gnnx/gnn/subgraph.h>

#include <c10/util/Exception.h>

#include <algorithm>

namespace gnnx::explainers::detail {

std::vector<std::vector<int64_t>> part_neighbours(const TargetBatch& batch, int64_t part) {
  const int64_t n0 = batch.node_offset[part].item<int64_t>();
  const int64_t n1 = batch.node_offset[part + 1].item<int64_t>();
  const int64_t e0 = batch.edge_offset[part].item<int64_t>();
  const int64_t e1 = batch.edge_offset[part + 1].item<int64_t>();
  const auto edges = batch.graph.edge_index().slice(1, e0, e1).contiguous();
  const int64_t* src = edges[0].data_ptr<int64_t>();
  const int64_t* dst = edges[1].data_ptr<int64_t>();
  std::vector<std::vector<int64_t>> out(n1 - n0);
  for (int64_t e = 0; e < e1 - e0; ++e) {
    const int64_t u = src[e] - n0, v = dst[e] - n0;
    if (u == v) continue;
    out[u].push_back(v);
    out[v].push_back(u);
  }
  for (auto& list : out) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
  return out;
}

std::vector<int64_t> local_region(const std::vector<std::vector<int64_t>>& neighbours,
                                  const std::vector<int64_t>& coalition, int64_t hops) {
  std::vector<char> in(neighbours.size(), 0);
  std::vector<int64_t> frontier;
  for (int64_t v : coalition) {
    if (!in[v]) {
      in[v] = 1;
      frontier.push_back(v);
    }
  }
  for (int64_t h = 0; h < hops && !frontier.empty(); ++h) {
    std::vector<int64_t> next;
    for (int64_t v : frontier) {
      for (int64_t u : neighbours[v]) {
        if (!in[u]) {
          in[u] = 1;
          next.push_back(u);
        }
      }
    }
    frontier = std::move(next);
  }
  std::vector<int64_t> out;
  for (size_t v = 0; v < in.size(); ++v) {
    if (in[v]) out.push_back(static_cast<int64_t>(v));
  }
  return out;
}

ShapleyMasks sample_l_shapley_masks(const std::vector<std::vector<int64_t>>& neighbours,
                                    const std::vector<int64_t>& coalition, int64_t hops,
                                    int64_t samples, std::mt19937_64& rng) {
  const auto n = static_cast<int64_t>(neighbours.size());
  std::vector<char> in_coalition(n, 0);
  for (int64_t v : coalition) in_coalition[v] = 1;
  const std::vector<int64_t> region = local_region(neighbours, coalition, hops);
  std::vector<int64_t> others;
  for (int64_t v : region) {
    if (!in_coalition[v]) others.push_back(v);
  }
  const auto m = static_cast<int64_t>(others.size());
  ShapleyMasks out;
  out.exclude = torch::ones({samples, n}, torch::kFloat);
  float* exclude = out.exclude.data_ptr<float>();
  std::vector<int64_t> pool;
  for (int64_t s = 0; s < samples; ++s) {
    float* row = exclude + s * n;
    for (int64_t v : region) row[v] = 0;
    // The subgraph's place in a uniform order of the m + 1 players is uniform in [0, m]; the
    // players before it are a uniform subset of that size (a partial Fisher-Yates shuffle).
    // Modulo draws: their bias, below m / 2^64, is far under the Monte Carlo error.
    const auto size = static_cast<int64_t>(rng() % static_cast<uint64_t>(m + 1));
    pool = others;
    for (int64_t i = 0; i < size; ++i) {
      const auto j = i + static_cast<int64_t>(rng() % static_cast<uint64_t>(m - i));
      std::swap(pool[i], pool[j]);
      row[pool[i]] = 1;
    }
  }
  out.include = out.exclude.clone();
  if (!coalition.empty()) {
    out.include.index_fill_(1, torch::tensor(coalition, torch::kLong), 1.0);
  }
  return out;
}

CoalitionScorer::CoalitionScorer(gnn::GnnModel& model, const TargetBatch& batch, int64_t part,
                                 int64_t explained_class, SubgraphBuilding building,
                                 int64_t max_union_nodes)
    : model_(model),
      task_(batch.task),
      explained_class_(explained_class),
      building_(building),
      max_union_nodes_(max_union_nodes),
      target_pos_(-1) {
  const int64_t n0 = batch.node_offset[part].item<int64_t>();
  const int64_t n1 = batch.node_offset[part + 1].item<int64_t>();
  const int64_t e0 = batch.edge_offset[part].item<int64_t>();
  const int64_t e1 = batch.edge_offset[part + 1].item<int64_t>();
  num_nodes_ = n1 - n0;
  max_copies_ = std::max<int64_t>(1, max_union_nodes / std::max<int64_t>(1, num_nodes_));
  const auto& g = batch.graph;
  const torch::Tensor edge_attr =
      g.edge_attr().defined() ? g.edge_attr().slice(0, e0, e1) : torch::Tensor();
  part_graph_ = gnn::Graph(num_nodes_, g.edge_index().slice(1, e0, e1) - n0, g.x().slice(0, n0, n1),
                           {}, edge_attr);
  edge_norm_ = batch.adj.edge_norm().slice(0, e0, e1);
  self_norm_ = batch.adj.self_norm().slice(0, n0, n1);
  if (task_ == gnn::Task::kNodeClassification) {
    target_pos_ = batch.target_pos[part].item<int64_t>() - n0;
  }
}

const TargetBatch& CoalitionScorer::copies(int64_t count) {
  auto found = copies_.find(count);
  if (found != copies_.end()) return found->second;
  // A few sizes kept, with twice max_union_nodes nodes in all: one holds up to max_union_nodes
  // nodes with their edges (hundreds of MB for a dense 3-hop subgraph), and the new masks of an
  // expansion vary in number.
  constexpr size_t kKeptSizes = 8;
  const auto kept_nodes = [&] {
    int64_t nodes = 0;
    for (const auto& kept : copies_) nodes += kept.first * num_nodes_;
    return nodes;
  };
  while (!copies_.empty() && (copies_.size() >= kKeptSizes ||
                              kept_nodes() + count * num_nodes_ > 2 * max_union_nodes_)) {
    copies_.erase(copies_.begin());
  }
  const gnn::Batch joined = gnn::make_batch(std::vector<gnn::Graph>(count, part_graph_));
  TargetBatch out;
  out.task = task_;
  out.graph = joined.graph;
  // The part's own normalisation in every copy (a node target's is the full graph's).
  out.adj = gnn::GcnAdjacency(joined.graph)
                .with_normalisation(edge_norm_.repeat({count}), self_norm_.repeat({count}));
  out.targets.assign(count, 0);
  out.part = joined.batch;
  out.node_offset = joined.node_offset;
  out.edge_offset = joined.edge_offset;
  if (task_ == gnn::Task::kNodeClassification) {
    out.target_pos = torch::arange(count, torch::kLong) * num_nodes_ + target_pos_;
  }
  return copies_.emplace(count, std::move(out)).first->second;
}

namespace {

// Remembered values kept per scorer (one target's search): past this many the memory is
// emptied and refilled; about 100 bytes each plus the mask's bits.
constexpr size_t kMaxRemembered = size_t{1} << 21;

// The mask's bits, 8 nodes a byte; false when an entry is neither 0 nor 1.
bool mask_key(const float* row, int64_t n, std::string& key) {
  key.assign((n + 7) / 8, '\0');
  bool binary = true;
  for (int64_t v0 = 0; v0 < n; v0 += 8) {
    unsigned bits = 0;
    for (int64_t v = v0; v < std::min(n, v0 + 8); ++v) {
      binary = binary && (row[v] == 0.0F || row[v] == 1.0F);
      bits |= static_cast<unsigned>(row[v] != 0.0F) << (v - v0);
    }
    key[v0 / 8] = static_cast<char>(bits);
  }
  return binary;
}

// The number of copies one pass of `count` masks evaluates: `count` rounded up to 8 steps per
// doubling (8..15 times a power of two), so that the unions of copies built for the passes come
// in few sizes and are reused, at most 1/8 of a pass spent on padding.
int64_t union_copies(int64_t count) {
  int64_t step = 1;
  while (count > 16 * step) step *= 2;
  return (count + step - 1) / step * step;
}

}  // namespace

torch::Tensor CoalitionScorer::values(const torch::Tensor& masks) {
  TORCH_CHECK(masks.dim() == 2 && masks.size(1) == num_nodes_,
              "CoalitionScorer::values: masks must be [R, ", num_nodes_, "], got ", masks.sizes());
  const torch::Tensor binary = masks.to(torch::kFloat).contiguous();
  const float* data = binary.data_ptr<float>();
  const int64_t rows = binary.size(0);
  rows_requested_ += rows;
  // Each row reads its remembered value; rows with a new mask are evaluated, each new mask once.
  auto out = torch::empty({rows}, torch::kDouble);
  double* result = out.data_ptr<double>();
  std::vector<int64_t> fresh_of_row(rows, -1);
  std::vector<int64_t> fresh_rows;
  std::unordered_map<std::string, int64_t> fresh_index;  // new mask → its place in fresh_rows
  std::string key;
  for (int64_t r = 0; r < rows; ++r) {
    TORCH_CHECK(mask_key(data + r * num_nodes_, num_nodes_, key),
                "CoalitionScorer::values: masks must be 0/1 (row ", r, ")");
    const auto known = remembered_.find(key);
    if (known != remembered_.end()) {
      result[r] = known->second;
      continue;
    }
    const auto [slot, added] = fresh_index.emplace(key, static_cast<int64_t>(fresh_rows.size()));
    if (added) fresh_rows.push_back(r);
    fresh_of_row[r] = slot->second;
  }
  if (fresh_rows.empty()) return out;
  const torch::Tensor fresh =
      evaluate(binary.index_select(0, torch::tensor(fresh_rows, torch::kLong))).contiguous();
  rows_evaluated_ += fresh.size(0);
  const double* fresh_values = fresh.data_ptr<double>();
  for (int64_t r = 0; r < rows; ++r) {
    if (fresh_of_row[r] >= 0) result[r] = fresh_values[fresh_of_row[r]];
  }
  if (remembered_.size() + fresh_index.size() > kMaxRemembered) remembered_.clear();
  for (auto& [mask, index] : fresh_index) remembered_.emplace(mask, fresh_values[index]);
  return out;
}

torch::Tensor CoalitionScorer::evaluate(const torch::Tensor& masks) {
  torch::NoGradGuard no_grad;
  const int64_t rows = masks.size(0);
  std::vector<torch::Tensor> out;
  for (int64_t r0 = 0; r0 < rows; r0 += max_copies_) {
    const int64_t count = std::min(max_copies_, rows - r0);
    const int64_t padded = std::min(max_copies_, union_copies(count));
    const TargetBatch& union_batch = copies(padded);
    torch::Tensor chunk = masks.slice(0, r0, r0 + count).to(torch::kFloat);
    if (padded > count) {
      chunk = torch::cat({chunk, torch::zeros({padded - count, num_nodes_}, torch::kFloat)});
    }
    const torch::Tensor flat = chunk.reshape({-1});
    torch::Tensor x = union_batch.graph.x();
    torch::Tensor edge_weight;
    if (building_ == SubgraphBuilding::kZeroFilling) {
      x = x * flat.unsqueeze(1);
    } else {
      edge_weight =
          flat.index_select(0, union_batch.adj.src()) * flat.index_select(0, union_batch.adj.dst());
    }
    const torch::Tensor logits = forward_targets(model_, union_batch, x, edge_weight).logits;
    out.push_back(torch::softmax(logits.slice(0, 0, count).to(torch::kDouble), 1)
                      .select(1, explained_class_)
                      .contiguous());
  }
  return out.empty() ? torch::zeros({0}, torch::kDouble) : torch::cat(out);
}

}  // namespace gnnx::explainers::detail
