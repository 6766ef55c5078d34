// GNN-LRP (Schnake et al., "Higher-Order Explanations of Graph Neural Networks via Relevant
// Walks", IEEE TPAMI 2021): LRP's relevance handed down walk by walk (gnn_lrp.h).
//
// The partial walks of every target form one pool. A partial walk at layer l holds the node it
// has reached at layer l's output and the relevance of that node's row [Z]; one step through
// layer l hands it to the row's terms, which are the node's own term and one message per
// in-edge (the walk's "slots"), by the rule over exactly those terms: z of the row is the sum of
// its slots' contributions, so the denominators are LRP's, and each slot's relevance starts a
// longer partial walk at the slot's source node. The work of a step is proportional to the
// slots of the walks, not to the graph. All arithmetic in float64.

#include <gnnx/explainers/gnn_lrp.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "layer_terms.h"
#include "machinery.h"
#include "relevance_head.h"
#include "relevance_rules.h"

namespace gnnx::explainers {
namespace {

using detail::RelevanceRule;

/// Slots a step handles at once: bounds the memory of one relevance step (a few [slots, width]
/// float64 tensors per head).
constexpr int64_t kMaxSlotsPerStep = int64_t{1} << 16;

/// Walks under way, or complete: row p is one walk.
struct WalkPool {
  /// [P, L+1] int64: column c is the walk's node at layer c's input (column L: at the last
  /// layer's output); -1 above the layer where the walk's relevance entered, and below the
  /// layer the walk has reached.
  torch::Tensor nodes;
  /// [P, L] int64: the edge of layer c's step, -1 for a self-step or a step not taken yet.
  torch::Tensor edges;
  torch::Tensor relevance;  ///< [P, D] the relevance of the reached node's row

  int64_t size() const { return nodes.size(0); }
  WalkPool select(const torch::Tensor& rows) const {
    return {nodes.index_select(0, rows), edges.index_select(0, rows),
            relevance.index_select(0, rows)};
  }
  WalkPool slice(int64_t begin, int64_t end) const {
    return {nodes.slice(0, begin, end), edges.slice(0, begin, end), relevance.slice(0, begin, end)};
  }
};

WalkPool empty_pool(int64_t layers, int64_t width) {
  return {torch::empty({0, layers + 1}, torch::kLong), torch::empty({0, layers}, torch::kLong),
          torch::empty({0, width}, torch::kDouble)};
}

WalkPool concat(const WalkPool& a, const WalkPool& b) {
  if (a.size() == 0) return b;
  if (b.size() == 0) return a;
  return {torch::cat({a.nodes, b.nodes}), torch::cat({a.edges, b.edges}),
          torch::cat({a.relevance, b.relevance})};
}

/// The rows of `pool` whose relevance is not all zero (a zero row hands nothing down).
WalkPool nonzero_walks(const WalkPool& pool) {
  return pool.select((pool.relevance != 0).any(1).nonzero().reshape({-1}));
}

/// Positions of the k rows with the largest score in each part (ties: the earlier row), part by
/// part.
torch::Tensor top_per_part(const torch::Tensor& part, const torch::Tensor& score, int64_t k,
                           int64_t parts) {
  auto order =
      std::get<1>(score.sort(/*stable=*/c10::optional<bool>(true), /*dim=*/0, /*descending=*/true));
  order = order.index_select(0, std::get<1>(part.index_select(0, order).sort(
                                    /*stable=*/c10::optional<bool>(true), /*dim=*/0)));
  const auto sorted_part = part.index_select(0, order);
  const auto counts = torch::bincount(sorted_part, /*weights=*/{}, /*minlength=*/parts);
  const auto first = counts.cumsum(0) - counts;
  const auto rank = torch::arange(order.size(0), torch::kLong) - first.index_select(0, sorted_part);
  return order.masked_select(rank < k);
}

/// What one step of some walks through a layer gives.
struct StepResult {
  WalkPool walks;                   ///< the longer walks (zero rows included)
  torch::Tensor edge_features;      ///< [Q] GINE: relevance that ended in each slot's edge features
  torch::Tensor edge_feature_node;  ///< [Q] the node of the walk it left (for its part)
};

StepResult step(const detail::LayerTerms& t, const gnn::GcnAdjacency& adj, const WalkPool& walks,
                int64_t layer, const RelevanceRule& rule) {
  const auto node = walks.nodes.select(1, layer + 1).contiguous();
  const detail::Slots slots = detail::slots_of(adj, node);
  torch::Tensor r_z = walks.relevance;
  if (!t.mlp.empty()) {
    r_z = detail::through_dense_layers(t.mlp, t.mlp_input.index_select(0, node), r_z, rule);
  }
  const auto messages = t.messages.index_select(0, slots.edge);
  const auto r = detail::relevance_step(detail::slot_stage(t, slots),
                                        {t.a.index_select(0, node), messages}, t.bias, r_z, rule);
  torch::Tensor to_source = r[1];
  StepResult out;
  if (t.edge_features.defined()) {
    const detail::MessageRelevance split = detail::message_relevance(t, slots, r[1], rule);
    to_source = split.to_source;
    out.edge_features = split.edge_features;
    out.edge_feature_node = node.index_select(0, slots.row);
  }
  // The own term continues at the same node (a self-step), each message at its source.
  const auto parents = torch::cat({torch::arange(walks.size(), torch::kLong), slots.row});
  out.walks = walks.select(parents);
  out.walks.nodes.select(1, layer).copy_(torch::cat({node, slots.source}));
  out.walks.edges.select(1, layer).copy_(
      torch::cat({torch::full({walks.size()}, -1, torch::kLong), slots.edge}));
  out.walks.relevance = torch::cat({r[0], to_source});
  return out;
}

/// Ranges [begin, end) of `walks` whose slots stay under kMaxSlotsPerStep (at least one walk).
std::vector<std::pair<int64_t, int64_t>> chunks(const gnn::GcnAdjacency& adj,
                                                const torch::Tensor& node) {
  const auto& rowptr = adj.csr().rowptr;
  const auto slots = (rowptr.index_select(0, node + 1) - rowptr.index_select(0, node) + 1);
  const auto total = slots.cumsum(0);
  const auto acc = total.accessor<int64_t, 1>();
  std::vector<std::pair<int64_t, int64_t>> out;
  int64_t begin = 0;
  const int64_t n = node.size(0);
  while (begin < n) {
    const int64_t before = begin == 0 ? 0 : acc[begin - 1];
    int64_t end = begin + 1;
    while (end < n && acc[end] - before <= kMaxSlotsPerStep) ++end;
    out.emplace_back(begin, end);
    begin = end;
  }
  return out;
}

/// What the complete walks add up to, gathered chunk by chunk.
struct Totals {
  torch::Tensor node;           ///< [N]
  torch::Tensor edge;           ///< [E]
  torch::Tensor features;       ///< [N, F]
  torch::Tensor walks;          ///< [T] walks with nonzero relevance
  torch::Tensor relevance;      ///< [T] Σ_W R_W
  torch::Tensor pruned;         ///< [T]
  torch::Tensor edge_features;  ///< [T] GINE's edge-feature share
  WalkPool best;                ///< the most relevant complete walks of each part so far
};

void add_complete(Totals& totals, const WalkPool& walks, const TargetBatch& batch,
                  int64_t top_walks) {
  if (walks.size() == 0) return;
  const auto rho = walks.relevance.sum(1);
  const auto start = walks.nodes.select(1, 0).contiguous();
  const auto part = batch.part.index_select(0, start);
  totals.features.index_add_(0, start, walks.relevance);
  totals.walks.index_add_(0, part, torch::ones_like(rho));
  totals.relevance.index_add_(0, part, rho);
  const auto on = walks.nodes >= 0;
  const auto share = rho / on.sum(1).to(torch::kDouble);
  totals.node.index_add_(0, walks.nodes.masked_select(on),
                         share.unsqueeze(1).expand_as(walks.nodes).masked_select(on));
  const auto traversed = walks.edges >= 0;
  totals.edge.index_add_(0, walks.edges.masked_select(traversed),
                         rho.unsqueeze(1).expand_as(walks.edges).masked_select(traversed));
  if (top_walks > 0) {
    WalkPool scored = walks;
    scored.relevance = rho.unsqueeze(1);
    const WalkPool pool = concat(totals.best, scored);
    const auto pool_part = batch.part.index_select(0, pool.nodes.select(1, 0).contiguous());
    totals.best = pool.select(
        top_per_part(pool_part, pool.relevance.squeeze(1).abs(), top_walks, batch.num_parts()));
  }
}

/// Each part's walks in `best` as Explanation::walks (union positions), most relevant first.
std::vector<std::vector<Walk>> listed_walks(const WalkPool& best, const TargetBatch& batch) {
  std::vector<std::vector<Walk>> out(batch.num_parts());
  const auto nodes = best.nodes.accessor<int64_t, 2>();
  const auto rho = best.relevance.accessor<double, 2>();
  const auto part = batch.part.accessor<int64_t, 1>();
  // top_per_part left them part by part, best first.
  for (int64_t p = 0; p < best.size(); ++p) {
    Walk w;
    for (int64_t c = 0; c < best.nodes.size(1) && nodes[p][c] >= 0; ++c) {
      w.nodes.push_back(nodes[p][c]);
    }
    w.relevance = rho[p][0];
    out[part[w.nodes.front()]].push_back(std::move(w));
  }
  return out;
}

}  // namespace

LrpOptions GnnLrpOptions::rules() const {
  return LrpOptions().rule(rule_).epsilon(epsilon_).alpha(alpha_).gamma(gamma_);
}

GnnLrpOptions GnnLrpOptions::from(const MethodOptions& options) {
  GnnLrpOptions out;
  if (options.lrp_rule) out.rule(*options.lrp_rule);
  if (options.epsilon) out.epsilon(*options.epsilon);
  if (options.alpha) out.alpha(*options.alpha);
  if (options.gamma) out.gamma(*options.gamma);
  if (options.walks_per_layer) out.walks_per_layer(*options.walks_per_layer);
  if (options.top_walks) out.top_walks(*options.top_walks);
  return out;
}

GnnLrp::GnnLrp(GnnLrpOptions options, TargetOptions target)
    : GradientExplainer(std::move(target)), options_(options) {
  TORCH_CHECK(options_.walks_per_layer() >= 0, "GnnLrp: walks_per_layer must be >= 0, got ",
              options_.walks_per_layer());
  TORCH_CHECK(options_.top_walks() >= 0, "GnnLrp: top_walks must be >= 0, got ",
              options_.top_walks());
}

void GnnLrp::check_model(const gnn::GnnModel& model) const {
  detail::require_linear_paths(model, name());
}

GradientExplainer::Attribution GnnLrp::attribute(gnn::GnnModel& model, const TargetBatch& batch,
                                                 const torch::Tensor& classes,
                                                 const ChunkProgress& progress) const {
  torch::NoGradGuard no_grad;
  const RelevanceRule rule = detail::relevance_rule(options_.rules());
  const detail::HeadRelevance top = detail::relevance_from_head(model, batch, classes, rule);
  const int64_t layers = static_cast<int64_t>(top.outputs.size());
  const int64_t parts = batch.num_parts();
  const int64_t keep = options_.walks_per_layer();
  const auto& adj = batch.adj;

  Totals totals;
  totals.node = torch::zeros({batch.graph.num_nodes()}, torch::kDouble);
  totals.edge = torch::zeros({batch.graph.num_edges()}, torch::kDouble);
  totals.features = torch::zeros_like(top.x);
  totals.walks = torch::zeros({parts}, torch::kDouble);
  totals.relevance = torch::zeros({parts}, torch::kDouble);
  totals.pruned = torch::zeros({parts}, torch::kDouble);
  totals.edge_features = torch::zeros({parts}, torch::kDouble);
  totals.best = empty_pool(layers, 1);
  auto all_walks = torch::zeros({batch.graph.num_nodes()}, torch::kDouble);  // per node, above

  bool edge_features = false;  // some layer reads edge features (GINE)
  const torch::Device device = gnn::model_device(model);
  WalkPool pool = empty_pool(layers, top.outputs.back().size(1));
  for (int64_t l = layers - 1; l >= 0; --l) {
    // Relevance the head hands to this layer's output starts walks here (every node's rows for
    // graph tasks; the target's, for a head reading this layer).
    const auto& entering = top.from_head[l];
    const auto starts = (entering != 0).any(1).nonzero().reshape({-1});
    WalkPool fresh = empty_pool(layers, entering.size(1));
    fresh.nodes = torch::full({starts.size(0), layers + 1}, -1, torch::kLong);
    fresh.nodes.select(1, l + 1).copy_(starts);
    fresh.edges = torch::full({starts.size(0), layers}, -1, torch::kLong);
    fresh.relevance = entering.index_select(0, starts);
    pool = concat(pool, fresh);
    all_walks += (entering != 0).any(1).to(torch::kDouble);

    const auto& a = l == 0 ? top.x : top.outputs[l - 1];
    const gnn::LayerPaths paths = model.layer_paths(
        l, l == 0 ? batch.graph.x().to(device) : top.forward.embeddings[l - 1], adj);
    const detail::LayerTerms terms = detail::layer_terms(paths, a, adj);
    edge_features = edge_features || terms.edge_features.defined();
    // Walks through every slot: the own term where there is one, and each in-edge.
    all_walks =
        all_walks * terms.has_self +
        torch::zeros_like(all_walks).index_add(0, adj.src(), all_walks.index_select(0, adj.dst()));

    WalkPool next = empty_pool(layers, a.size(1));
    const auto current = pool.nodes.select(1, l + 1).contiguous();
    for (const auto& [begin, end] : chunks(adj, current)) {
      StepResult s = step(terms, adj, pool.slice(begin, end), l, rule);
      if (s.edge_features.defined()) {
        totals.edge_features.index_add_(0, batch.part.index_select(0, s.edge_feature_node),
                                        s.edge_features);
      }
      const WalkPool longer = nonzero_walks(s.walks);
      if (l == 0) {
        add_complete(totals, longer, batch, options_.top_walks());
        continue;
      }
      next = concat(next, longer);
      if (keep > 0) {
        // Keep each part's `keep` most relevant partial walks; what the others hold is dropped.
        const auto part = batch.part.index_select(0, next.nodes.select(1, l).contiguous());
        const auto held = next.relevance.sum(1);
        const auto kept = top_per_part(part, held.abs(), keep, parts);
        auto dropped = torch::ones({next.size()}, torch::kBool).index_fill(0, kept, false);
        totals.pruned.index_add_(0, part.masked_select(dropped), held.masked_select(dropped));
        next = next.select(kept);
      }
    }
    pool = next;
    progress(layers - l, layers);
  }

  Attribution out;
  out.node_scores = totals.node.to(torch::kFloat);
  out.edge_scores = totals.edge.to(torch::kFloat);
  out.feature_scores = totals.features.to(torch::kFloat);
  out.walks = listed_walks(totals.best, batch);
  out.diagnostics = {
      {"walks", totals.walks},
      {"walks_all", detail::part_sum(batch, all_walks.unsqueeze(1)).squeeze(1)},
      {"relevance_pruned", totals.pruned},
      {"relevance_absorbed", top.logit - totals.relevance - totals.pruned - totals.edge_features},
      {"explained_logit", top.logit}};
  if (edge_features) out.diagnostics["relevance_edge_features"] = totals.edge_features;
  out.options = detail::rule_options(options_.rules());
  out.options["walks_per_layer"] = std::to_string(keep);
  out.options["top_walks"] = std::to_string(options_.top_walks());
  return out;
}

}  // namespace gnnx::explainers
