#include <gnnx/explainers/graphmask.h>
#include <gnnx/explainers/layer_plan.h>
#include <gnnx/explainers/random_explainer.h>
#include <gnnx/explainers/target_batch.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/threads.h>
#include <gnnx/io/id_list.h>

#include "learned_masks.h"

#include <ATen/CPUGeneratorImpl.h>
#include <c10/util/StringUtil.h>
#include <torch/autograd.h>
#include <torch/nn/functional/activation.h>
#include <torch/nn/functional/normalization.h>
#include <torch/optim/adam.h>
#include <torch/optim/rmsprop.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gnnx::explainers {
namespace {

// The noise u stays inside [kNoiseEdge, 1 - kNoiseEdge], as PyG's uniform_(1e-6, 1 - 1e-6).
constexpr double kNoiseEdge = 1e-6;
// PyG clamps λ to [-2, 30] after each ascent step.
constexpr double kLambdaMin = -2.0;
constexpr double kLambdaMax = 30.0;
// Streams of the explainer's seed (target_seed mixes them like target ids); layer l's weights
// come from kWeightStream - l.
constexpr int64_t kNoiseStream = -1;
constexpr int64_t kWeightStream = -2;

/// What fit hands to every chunk: the trained gate networks and what training reached.
struct GraphMaskFit : FittedState {
  std::vector<GateNetwork> gates;  ///< one per message-passing layer
  int64_t fit_targets = 0;
  double first_loss = 0;
  double last_loss = 0;
  double last_constraint = 0;
  double lambda = 0;
};

std::string text(double v) { return c10::str(v); }

/// Each layer's input over the batch's union, no autograd, on the CPU: the node features for
/// layer 0, then each layer's output in the unmasked pass.
std::vector<torch::Tensor> layer_inputs(gnn::GnnModel& model, const TargetBatch& batch) {
  torch::NoGradGuard no_grad;
  const auto& x = batch.graph.x();
  const auto out = forward_targets(model, batch, x);
  std::vector<torch::Tensor> inputs = {x.to(torch::kFloat)};
  for (size_t l = 0; l + 1 < out.embeddings.size(); ++l) {
    inputs.push_back(out.embeddings[l].detach().cpu());
  }
  return inputs;
}

/// The targets' logits [T, C] with layer l's messages multiplied by masks[l] ([E] over the
/// union's edges; undefined = open). Node batches go through `plan` (each layer only where the
/// next reads it), graph batches through per-layer graphs over the whole union.
torch::Tensor masked_logits(gnn::GnnModel& model, const TargetBatch& batch, const LayerPlan* plan,
                            const std::vector<torch::Tensor>& masks) {
  const auto& x = batch.graph.x();
  if (plan != nullptr) {
    std::vector<torch::Tensor> used;
    for (const auto& m : masks) {
      used.push_back(m.defined() ? m.index_select(0, plan->used_edges()) : m);
    }
    return plan->target_logits_per_layer(x, used);
  }
  gnn::ForwardHooks hooks;
  for (const auto& m : masks) {
    gnn::LayerGraph layer;
    layer.adj = &batch.adj;
    layer.edge_mask = m;
    hooks.layer_graphs.push_back(std::move(layer));
  }
  return forward_targets(model, batch, x, {}, hooks).logits;
}

}  // namespace

GraphMaskOptions GraphMaskOptions::from(const MethodOptions& o) {
  GraphMaskOptions out;
  if (o.epochs) out.epochs(*o.epochs);
  if (o.lr) out.lr(*o.lr);
  // The size penalty's coefficient is GraphMask's penalty scaling (the expected L0 norm is its
  // size term).
  if (o.edge_size) out.penalty_scaling(*o.edge_size);
  if (o.fit_targets) out.fit_targets(*o.fit_targets);
  out.seed(o.seed);
  return out;
}

GateNetwork GateNetwork::init(int64_t in, int64_t hidden, uint64_t seed) {
  TORCH_CHECK(in >= 1 && hidden >= 1, "GateNetwork::init: widths must be >= 1, got ", in, ", ",
              hidden);
  auto gen = at::detail::createCPUGenerator(seed);
  // PyG's reset_parameters: fan_in is the sum of the inputs' widths (two here).
  const double a = std::sqrt(3.0) * std::sqrt(2.0 / static_cast<double>(2 * in + hidden));
  const double out_bound = 1.0 / std::sqrt(static_cast<double>(hidden));  // torch.nn.Linear
  GateNetwork g;
  g.w_source = at::empty({hidden, in}, torch::kFloat).uniform_(-a, a, gen).requires_grad_();
  g.w_target = at::empty({hidden, in}, torch::kFloat).uniform_(-a, a, gen).requires_grad_();
  g.ln_weight = torch::ones({2, hidden}).requires_grad_();
  g.ln_bias = torch::zeros({2, hidden}).requires_grad_();
  g.bias = torch::zeros({}).requires_grad_();
  g.w_out =
      at::empty({1, hidden}, torch::kFloat).uniform_(-out_bound, out_bound, gen).requires_grad_();
  g.b_out = at::empty({1}, torch::kFloat).uniform_(-out_bound, out_bound, gen).requires_grad_();
  return g;
}

torch::Tensor GateNetwork::logits(const torch::Tensor& h, const torch::Tensor& src,
                                  const torch::Tensor& dst) const {
  TORCH_CHECK(h.dim() == 2 && h.size(1) == w_source.size(1), "GateNetwork::logits: h must be [N, ",
              w_source.size(1), "], got ", h.sizes());
  TORCH_CHECK(src.dim() == 1 && dst.sizes() == src.sizes(),
              "GateNetwork::logits: src and dst must be [E] alike");
  namespace F = torch::nn::functional;
  const int64_t hidden = w_source.size(0);
  // One product per node, then gathered per edge (LayerNorm acts on each edge's row).
  const auto norm = [&](const torch::Tensor& rows, int64_t k) {
    return F::layer_norm(
        rows, F::LayerNormFuncOptions({hidden}).weight(ln_weight[k]).bias(ln_bias[k]).eps(1e-5));
  };
  const auto s = norm(h.matmul(w_source.t()).index_select(0, src), 0);
  const auto t = norm(h.matmul(w_target.t()).index_select(0, dst), 1);
  const auto hid = torch::relu((s + t + bias) / 2);
  return hid.matmul(w_out.t()).squeeze(1) + b_out;
}

torch::Tensor GraphMaskLoss::total(double penalty_scaling, const torch::Tensor& lambda) const {
  return penalty_scaling * penalty + torch::nn::functional::softplus(lambda) * constraint;
}

torch::Tensor graphmask_constraint(const torch::Tensor& target_logits,
                                   const std::vector<int64_t>& classes, double allowance) {
  TORCH_CHECK(
      target_logits.dim() == 2 && static_cast<int64_t>(classes.size()) == target_logits.size(0),
      "graphmask_constraint: logits [T, C] need one class per target, got ", target_logits.sizes(),
      " and ", classes.size(), " classes");
  const auto cls = torch::tensor(classes, torch::kLong).to(target_logits.device()).unsqueeze(1);
  const auto ce = -torch::log_softmax(target_logits, 1).gather(1, cls).squeeze(1);
  return torch::relu(ce - allowance).mean();
}

GraphMask::GraphMask(GraphMaskOptions options, TargetOptions target)
    : Explainer(std::move(target)), options_(std::move(options)) {
  const auto& o = options_;
  if (o.epochs() < 1) throw InputError("graphmask: epochs must be >= 1");
  for (double lr : {o.lr(), o.lambda_lr()}) {
    if (!(lr > 0) || !std::isfinite(lr)) {
      throw InputError("graphmask: learning rates must be finite and > 0, got " + text(lr));
    }
  }
  if (!(o.penalty_scaling() >= 0 && o.penalty_scaling() <= 10)) {
    throw InputError("graphmask: penalty scaling must be in [0, 10], got " +
                     text(o.penalty_scaling()));
  }
  if (!(o.allowance() >= 0 && o.allowance() <= 1)) {
    throw InputError("graphmask: allowance must be in [0, 1], got " + text(o.allowance()));
  }
  if (!(o.init_lambda() >= 0 && o.init_lambda() <= 1)) {
    throw InputError("graphmask: init_lambda must be in [0, 1], got " + text(o.init_lambda()));
  }
  try {
    o.hard_concrete().check();
  } catch (const c10::Error& e) {
    throw InputError(std::string("graphmask: ") + e.what_without_backtrace());
  }
  if (!o.fit_targets().empty()) {
    const std::string problem = io::id_list_problem(o.fit_targets());
    if (!problem.empty()) throw InputError("graphmask: --fit-targets: " + problem);
  }
}

std::shared_ptr<const FittedState> GraphMask::fit(const ExplainCall& call,
                                                  const std::vector<int64_t>& targets,
                                                  const std::vector<int64_t>& classes) const {
  const detail::FitSet fit =
      detail::fit_set(call, options_.fit_targets(), targets, classes,
                      [&](const std::vector<int64_t>& ids) { return resolve_classes(call, ids); });
  const std::vector<int64_t>& ids = fit.ids;
  const std::vector<int64_t>& labels = fit.classes;
  auto out = std::make_shared<GraphMaskFit>();
  out->fit_targets = static_cast<int64_t>(ids.size());
  const auto& o = options_;
  gnn::run_in_threads(1, [&](int64_t) {
    gnn::GnnModel& model = *call.model;
    detail::FrozenParameters frozen(model);
    const TargetBatch batch = call.make_batch(ids);
    const std::vector<int64_t> explained = predict_targets(model, batch, labels).classes;
    const std::vector<torch::Tensor> inputs = layer_inputs(model, batch);
    const auto description = model.describe();
    const int64_t layers = description.num_layers();
    for (int64_t l = 0; l < layers; ++l) {
      out->gates.push_back(GateNetwork::init(inputs[l].size(1), description.layers[l].out_features,
                                             target_seed(o.seed(), kWeightStream - l)));
    }
    std::optional<LayerPlan> plan;
    if (batch.task == gnn::Task::kNodeClassification && description.layer_graphs) {
      plan.emplace(model, batch);
    }
    const auto& ei = batch.graph.edge_index();
    const torch::Tensor src = ei[0], dst = ei[1];
    const int64_t num_edges = batch.graph.num_edges();
    // One Adam over every gate network: a layer's parameters get gradients (and Adam steps)
    // from the phase in which it joins, as PyG's requires_grad switch does.
    std::vector<torch::Tensor> params;
    for (const auto& g : out->gates) {
      for (const auto& p : g.parameters()) params.push_back(p);
    }
    torch::optim::Adam adam(params, torch::optim::AdamOptions(o.lr()));
    auto lambda = torch::full({}, o.init_lambda(), torch::kFloat).requires_grad_();
    torch::optim::RMSprop rmsprop({lambda},
                                  torch::optim::RMSpropOptions(o.lambda_lr()).centered(true));
    auto gen = at::detail::createCPUGenerator(target_seed(o.seed(), kNoiseStream));
    bool first = true;
    for (int64_t layer = layers - 1; layer >= 0; --layer) {
      for (int64_t epoch = 0; epoch < o.epochs(); ++epoch) {
        // Noise for every layer each step, trained or not, so the draws do not depend on the
        // phase.
        const auto uniform = at::empty({layers, num_edges}, torch::kFloat)
                                 .uniform_(0, 1, gen)
                                 .clamp_(kNoiseEdge, 1 - kNoiseEdge);
        std::vector<torch::Tensor> masks(layers);
        GraphMaskLoss loss;
        loss.penalty = torch::zeros({});
        for (int64_t l = layer; l < layers; ++l) {
          const auto sample = hard_concrete_sample(out->gates[l].logits(inputs[l], src, dst),
                                                   uniform[l], o.hard_concrete());
          masks[l] = o.straight_through()
                         ? straight_through_gates(sample.gate, batch.edge_part, batch.num_parts())
                         : sample.gate;
          loss.penalty = loss.penalty + sample.penalty.mean();
        }
        loss.constraint = graphmask_constraint(
            masked_logits(model, batch, plan ? &*plan : nullptr, masks), explained, o.allowance());
        const auto total = loss.total(o.penalty_scaling(), lambda);
        adam.zero_grad();
        rmsprop.zero_grad();
        total.backward();
        adam.step();
        // Gradient ascent on λ: the constraint's weight grows while it is violated.
        lambda.mutable_grad().neg_();
        rmsprop.step();
        {
          torch::NoGradGuard no_grad;
          lambda.clamp_(kLambdaMin, kLambdaMax);
        }
        const double value = total.item<double>();
        if (first) out->first_loss = value;
        first = false;
        out->last_loss = value;
        out->last_constraint = loss.constraint.item<double>();
      }
    }
    out->lambda = lambda.item<double>();
  });
  return out;
}

std::vector<Explanation> GraphMask::explain_batch(const ExplainCall& call, const TargetBatch& batch,
                                                  const std::vector<int64_t>& classes,
                                                  const ChunkProgress& progress) const {
  const auto* fitted = dynamic_cast<const GraphMaskFit*>(call.fitted.get());
  TORCH_INTERNAL_ASSERT(fitted != nullptr, "graphmask: explain_batch before fit");
  if (batch.num_parts() == 0) return {};
  std::vector<Explanation> out;
  gnn::run_in_threads(1, [&](int64_t) {
    gnn::GnnModel& model = *call.model;
    const TargetPrediction prediction = predict_targets(model, batch, classes);
    const std::vector<torch::Tensor> inputs = layer_inputs(model, batch);
    torch::NoGradGuard no_grad;
    const auto& ei = batch.graph.edge_index();
    auto mask = torch::zeros({batch.graph.num_edges()});
    for (size_t l = 0; l < fitted->gates.size(); ++l) {
      mask += hard_concrete_mean_gate(fitted->gates[l].logits(inputs[l], ei[0], ei[1]),
                                      options_.hard_concrete());
    }
    mask /= static_cast<double>(fitted->gates.size());
    const auto node_mask = detail::max_incident_edge_mask(batch.graph, mask);
    out = split_explanations(batch, name(), prediction.logits, prediction.classes, mask, node_mask);
  });
  const auto& o = options_;
  const auto& hc = o.hard_concrete();
  for (auto& e : out) {
    e.options = {{"epochs", std::to_string(o.epochs())},
                 {"lr", text(o.lr())},
                 {"penalty_scaling", text(o.penalty_scaling())},
                 {"allowance", text(o.allowance())},
                 {"init_lambda", text(o.init_lambda())},
                 {"lambda_lr", text(o.lambda_lr())},
                 {"beta", text(hc.beta())},
                 {"gamma", text(hc.gamma())},
                 {"zeta", text(hc.zeta())},
                 {"loc_bias", text(hc.loc_bias())},
                 {"straight_through", o.straight_through() ? "true" : "false"},
                 {"fit_targets", o.fit_targets().empty() ? "the explained" : o.fit_targets()},
                 {"mode", target_options().mode() == ExplainMode::kModel ? "model" : "phenomenon"},
                 {"explained_class", std::to_string(target_options().explained_class())},
                 {"seed", std::to_string(o.seed())}};
    e.diagnostics = {{"fit_targets", static_cast<double>(fitted->fit_targets)},
                     {"fit_loss_first", fitted->first_loss},
                     {"fit_loss_last", fitted->last_loss},
                     {"fit_constraint_last", fitted->last_constraint},
                     {"fit_lambda", fitted->lambda}};
  }
  progress(1, 1);
  return out;
}

}  // namespace gnnx::explainers
