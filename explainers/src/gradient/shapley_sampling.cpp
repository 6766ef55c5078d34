// Shapley value sampling (Štrumbelj & Kononenko: "An Efficient Explanation of Individual
// Classifications using Game Theory", JMLR 2010), as Captum's ShapleyValueSampling computes it:
// random permutations of the players, each player's marginal contribution in permutation order,
// averaged. The coalitions of one permutation run as copies of the union in few forward passes.

#include <gnnx/explainers/attribution_methods.h>
#include <gnnx/explainers/layer_plan.h>
#include <gnnx/gnn/error.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "machinery.h"

namespace gnnx::explainers {
namespace {

enum class Players { kNodes, kEdges };

const torch::Tensor& offsets_of(const TargetBatch& batch, Players kind) {
  return kind == Players::kNodes ? batch.node_offset : batch.edge_offset;
}

// One forward pass of a game: coalitions first .. first + copies − 1 (that many players of the
// permutation present) of the parts with at least `first` players, on a union of those parts.
struct Pass {
  int64_t first = 0;
  int64_t copies = 0;
  torch::Tensor parts;  ///< [T'] int64, ascending part ids of the game's batch
  detail::PartSubset subset;
};

// The passes that evaluate coalitions 0 .. n_t of every part t: a part leaves once its last
// coalition is done, so large parts do not drag small ones along.
std::vector<Pass> plan_passes(const TargetBatch& batch, Players kind) {
  const auto sizes = detail::part_sizes(offsets_of(batch, kind));
  const int64_t most = sizes.empty() ? -1 : *std::max_element(sizes.begin(), sizes.end());
  std::vector<Pass> out;
  std::vector<int64_t> previous;
  for (int64_t first = 0; first <= most;) {
    std::vector<int64_t> active;
    for (int64_t t = 0; t < static_cast<int64_t>(sizes.size()); ++t) {
      if (sizes[t] >= first) active.push_back(t);
    }
    Pass p;
    p.first = first;
    p.parts = torch::tensor(active, torch::kLong);
    p.subset = !out.empty() && active == previous ? out.back().subset
                                                  : detail::select_parts(batch, active);
    const auto& g = p.subset.batch.graph;
    const int64_t size = std::max<int64_t>(1, g.num_nodes() + g.num_edges());
    p.copies =
        std::clamp<int64_t>(ShapleySampling::kMaxElementsPerPass / size, 1, most - first + 1);
    first += p.copies;
    previous = std::move(active);
    out.push_back(std::move(p));
  }
  return out;
}

// y_c of the coalition of the first k players of each part's permutation (rank [players]: each
// player's position in its part's permutation): [max players + 1, T] float64.
torch::Tensor coalition_values(gnn::GnnModel& model, const TargetBatch& batch,
                               const std::vector<Pass>& passes, const torch::Tensor& rank,
                               Players kind, const torch::Tensor& classes,
                               const std::function<void()>& on_pass) {
  torch::NoGradGuard no_grad;
  const int64_t rows = passes.empty() ? 0 : passes.back().first + passes.back().copies;
  auto values = torch::zeros({rows, batch.num_parts()}, torch::kDouble);
  for (const Pass& pass : passes) {
    const TargetBatch& sub = pass.subset.batch;
    const TargetBatch stacked = detail::stack_copies(sub, pass.copies);
    const auto& origin =
        kind == Players::kNodes ? pass.subset.node_origin : pass.subset.edge_origin;
    const auto k = torch::arange(pass.first, pass.first + pass.copies, torch::kLong);
    // present[c][p]: player p of the subset is among the first first + c of its permutation.
    const auto present =
        (rank.index_select(0, origin).unsqueeze(0) < k.unsqueeze(1)).to(sub.graph.x().dtype());
    torch::Tensor x = stacked.graph.x();
    torch::Tensor w = detail::ones_edge_mask(stacked, x);
    if (kind == Players::kNodes) {
      x = x * present.reshape({-1, 1});
    } else {
      w = present.reshape({-1});
    }
    const auto logits = forward_targets(model, stacked, x, w).logits;
    const auto part_classes = classes.index_select(0, pass.parts).repeat({pass.copies});
    const auto picked = logits.gather(1, part_classes.unsqueeze(1))
                            .squeeze(1)
                            .to(torch::kDouble)
                            .reshape({pass.copies, -1});
    values.slice(0, pass.first, pass.first + pass.copies).index_copy_(1, pass.parts, picked);
    on_pass();
  }
  return values;
}

// Where a part's permutations come from: a draw per (sample, part).
using Permutation = std::function<torch::Tensor(int64_t part, int64_t players)>;

// The mean over `samples` permutations of each player's marginal contribution: [players].
torch::Tensor play(gnn::GnnModel& model, const TargetBatch& batch, const torch::Tensor& classes,
                   Players kind, int64_t samples, const Permutation& permutation,
                   const std::function<void()>& on_pass) {
  const auto offsets = offsets_of(batch, kind).contiguous();
  const int64_t* off = offsets.data_ptr<int64_t>();
  const auto& part_of = kind == Players::kNodes ? batch.part : batch.edge_part;
  const int64_t players =
      kind == Players::kNodes ? batch.graph.num_nodes() : batch.graph.num_edges();
  const int64_t parts = batch.num_parts();
  const std::vector<Pass> passes = plan_passes(batch, kind);
  auto scores = torch::zeros({players}, torch::kDouble);
  for (int64_t s = 0; s < samples; ++s) {
    auto rank = torch::empty({players}, torch::kLong);
    for (int64_t t = 0; t < parts; ++t) {
      const int64_t n = off[t + 1] - off[t];
      rank.index_put_({permutation(t, n) + off[t]}, torch::arange(n, torch::kLong));
    }
    const auto flat =
        coalition_values(model, batch, passes, rank, kind, classes, on_pass).reshape({-1});
    // Player at position r of part t's permutation: value(r + 1 players) − value(r players).
    scores += flat.index_select(0, (rank + 1) * parts + part_of) -
              flat.index_select(0, rank * parts + part_of);
  }
  return scores / static_cast<double>(samples);
}

int64_t passes_per_sample(const TargetBatch& batch, Players kind) {
  return static_cast<int64_t>(plan_passes(batch, kind).size());
}

int64_t factorial(int64_t n) { return n <= 1 ? 1 : n * factorial(n - 1); }

}  // namespace

ShapleySamplingOptions ShapleySamplingOptions::from(const MethodOptions& options) {
  ShapleySamplingOptions out;
  if (options.samples) out.samples(*options.samples);
  out.seed(options.seed);
  return out;
}

ShapleySampling::ShapleySampling(ShapleySamplingOptions options, TargetOptions target)
    : GradientExplainer(std::move(target)), options_(options) {
  if (options_.samples() < 1) {
    throw InputError("shapley-sampling: samples must be >= 1, got " +
                     std::to_string(options_.samples()));
  }
}

GradientExplainer::Attribution ShapleySampling::attribute(gnn::GnnModel& model,
                                                          const TargetBatch& batch,
                                                          const torch::Tensor& classes,
                                                          const ChunkProgress& progress) const {
  // Node classifiers: only the edges some layer reads are players (the others change no value).
  std::unique_ptr<detail::PartSubset> used;
  if (batch.task == gnn::Task::kNodeClassification && model.describe().layer_graphs) {
    const auto keep = torch::zeros({batch.graph.num_edges()}, torch::kBool)
                          .index_fill(0, LayerPlan(model, batch).used_edges(), true);
    used = std::make_unique<detail::PartSubset>(detail::select_edges(batch, keep));
  }
  const TargetBatch& played = used ? used->batch : batch;

  // Exhaustive: (most players of a part)! permutations per game, a multiple of every part's n!,
  // so that each part runs through its permutations equally often.
  const auto samples_of = [&](Players kind) {
    if (!options_.exhaustive()) return options_.samples();
    const auto sizes = detail::part_sizes(offsets_of(played, kind));
    const int64_t most = sizes.empty() ? 0 : *std::max_element(sizes.begin(), sizes.end());
    if (most > ShapleySamplingOptions::kMaxExhaustivePlayers) {
      throw InputError("shapley-sampling: exhaustive enumeration needs at most " +
                       std::to_string(ShapleySamplingOptions::kMaxExhaustivePlayers) +
                       " players per part, got " + std::to_string(most));
    }
    return factorial(most);
  };
  const int64_t node_samples = samples_of(Players::kNodes);
  const int64_t edge_samples = samples_of(Players::kEdges);
  std::vector<std::vector<int64_t>> next(played.num_parts());  // exhaustive: each part's next
  const int64_t passes = node_samples * passes_per_sample(played, Players::kNodes) +
                         edge_samples * passes_per_sample(played, Players::kEdges);
  int64_t done = 0;
  const std::function<void()> on_pass = [&] { progress(++done, passes); };

  auto generators = detail::part_generators(played, options_.seed());
  const Permutation permutation = [&](int64_t part, int64_t players) -> torch::Tensor {
    if (!options_.exhaustive()) {
      return torch::randperm(players, generators[part], torch::kLong);
    }
    auto& order = next[part];
    if (static_cast<int64_t>(order.size()) != players) {
      order.resize(players);
      std::iota(order.begin(), order.end(), int64_t{0});
    }
    const auto out = torch::tensor(order, torch::kLong);
    std::next_permutation(order.begin(), order.end());  // wraps to the first after the last
    return out;
  };
  // Every part draws its node permutations, then its edge permutations, from its own stream.
  Attribution a;
  a.node_scores = play(model, played, classes, Players::kNodes, node_samples, permutation, on_pass);
  for (auto& order : next) order.clear();
  const auto edge_scores =
      play(model, played, classes, Players::kEdges, edge_samples, permutation, on_pass);
  if (used) {
    a.edge_scores = torch::zeros({batch.graph.num_edges()}, torch::kDouble)
                        .index_put_({used->edge_origin}, edge_scores);
  } else {
    a.edge_scores = edge_scores;
  }
  a.options = {
      {"samples", options_.exhaustive() ? "all permutations" : std::to_string(options_.samples())},
      {"seed", std::to_string(options_.seed())},
      {"absent", "node: features 0; edge: mask 0"}};
  return a;
}

}  // namespace gnnx::explainers
