#include <gnnx/explainers/layer_plan.h>
#include <gnnx/explainers/pgexplainer.h>
#include <gnnx/explainers/random_explainer.h>
#include <gnnx/explainers/target_batch.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/threads.h>
#include <gnnx/io/id_list.h>

#include "edge_mask_step.h"
#include "edge_mlp_function.h"
#include "learned_masks.h"

#include <ATen/CPUGeneratorImpl.h>
#include <c10/util/StringUtil.h>
#include <torch/autograd.h>
#include <torch/optim/adam.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gnnx::explainers {
namespace {

constexpr double kClip = 2.0;  // element-wise gradient clipping, as the authors' notebooks
// The concrete noise u stays inside [kNoiseEdge, 1 - kNoiseEdge]: log u and log(1 - u) finite.
constexpr double kNoiseEdge = 1e-6;
// Streams of the explainer's seed (target_seed mixes them like target ids).
constexpr int64_t kWeightStream = -1;
constexpr int64_t kNoiseStream = -2;

/// What fit hands to every chunk: the trained MLP and what it was trained on.
struct PGExplainerFit : FittedState {
  EdgeMlp mlp;
  double input_scale = 1;  ///< the MLP reads z / input_scale (embedding_scale of the fit's z)
  int64_t fit_targets = 0;
  double first_loss = 0;
  double last_loss = 0;
};

/// The full graph's last-layer embeddings [N, D] (node task), no autograd, on the CPU.
torch::Tensor full_graph_embeddings(const ExplainCall& call) {
  torch::NoGradGuard no_grad;
  const torch::Device device = gnn::model_device(*call.model);
  gnn::ModelInput input;
  input.x = call.graph->x().to(device);
  input.adj = call.adj;
  return call.model->run(input).embeddings.back().detach().cpu();
}

/// The embeddings the MLP reads (node task: the full graph's [N, D]; graph task: the union's
/// [N_union, D], exact since graphs do not touch), no autograd, on the CPU.
torch::Tensor embeddings_for(const ExplainCall& call, const TargetBatch& batch) {
  if (batch.task == gnn::Task::kNodeClassification) return full_graph_embeddings(call);
  torch::NoGradGuard no_grad;
  return forward_targets(*call.model, batch, batch.graph.x()).embeddings.back().detach().cpu();
}

std::string text(double v) { return c10::str(v); }

/// The root mean square of the embeddings' entries (1 when they are all 0). The MLP reads
/// z / scale: a trained GNN's embeddings can be ~100 in size, and Glorot weights over them start
/// the edge logits at ±30, where the sigmoid's gradient (~1e-13) is zero in float and the masks
/// never move (BA-Shapes seeds 1 and 2: every edge 1e-12, AUC 0.5). The first layer can absorb
/// any scale, so the family of masks is the same; only the start is no longer saturated.
double embedding_scale(const torch::Tensor& z) {
  const double rms =
      z.numel() == 0 ? 0.0 : z.to(torch::kDouble).square().mean().sqrt().item<double>();
  return rms > 0 && std::isfinite(rms) ? rms : 1.0;
}

}  // namespace

PGExplainerOptions PGExplainerOptions::from(const MethodOptions& o) {
  PGExplainerOptions out;
  if (o.epochs) out.epochs(*o.epochs);
  if (o.lr) out.lr(*o.lr);
  if (o.edge_size) out.edge_size(*o.edge_size);
  if (o.edge_ent) out.edge_ent(*o.edge_ent);
  if (o.temperature_start) out.temperature_start(*o.temperature_start);
  if (o.temperature_end) out.temperature_end(*o.temperature_end);
  if (o.fit_targets) out.fit_targets(*o.fit_targets);
  out.symmetric_edges(o.symmetric_edges).seed(o.seed);
  return out;
}

EdgeRows edge_rows(const TargetBatch& batch) {
  const auto& ei = batch.graph.edge_index();
  EdgeRows rows;
  if (batch.task != gnn::Task::kNodeClassification) {
    rows.src = ei[0];
    rows.dst = ei[1];
    return rows;
  }
  rows.src = batch.node_id.index_select(0, ei[0]);
  rows.dst = batch.node_id.index_select(0, ei[1]);
  rows.target = torch::tensor(batch.targets, torch::kLong).index_select(0, batch.edge_part);
  return rows;
}

double pgexplainer_temperature(double start, double end, int64_t epoch, int64_t epochs) {
  TORCH_CHECK(start > 0 && end > 0 && epochs >= 1 && epoch >= 0 && epoch < epochs,
              "pgexplainer_temperature: needs start, end > 0 and 0 <= epoch < epochs, got ", start,
              ", ", end, ", ", epoch, ", ", epochs);
  return start * std::pow(end / start, static_cast<double>(epoch) / static_cast<double>(epochs));
}

torch::Tensor concrete_sample(const torch::Tensor& logits, const torch::Tensor& uniform,
                              double temperature) {
  TORCH_CHECK(logits.sizes() == uniform.sizes(), "concrete_sample: logits ", logits.sizes(),
              " and uniform ", uniform.sizes(), " differ in shape");
  TORCH_CHECK(temperature > 0, "concrete_sample: temperature must be > 0, got ", temperature);
  const auto noise = torch::log(uniform) - torch::log1p(-uniform);
  return torch::sigmoid((noise + logits) / temperature);
}

EdgeMlp EdgeMlp::glorot(int64_t in, int64_t hidden, uint64_t seed) {
  TORCH_CHECK(in >= 1 && hidden >= 1, "EdgeMlp::glorot: widths must be >= 1, got ", in, ", ",
              hidden);
  auto gen = at::detail::createCPUGenerator(seed);
  const auto uniform = [&](int64_t rows, int64_t cols) {
    const double a = std::sqrt(6.0 / static_cast<double>(rows + cols));
    return at::empty({rows, cols}, torch::kFloat).uniform_(-a, a, gen);
  };
  EdgeMlp mlp;
  mlp.w1 = uniform(hidden, in).requires_grad_();
  mlp.b1 = torch::zeros({hidden}).requires_grad_();
  mlp.w2 = uniform(1, hidden).requires_grad_();
  mlp.b2 = torch::zeros({1}).requires_grad_();
  return mlp;
}

torch::Tensor EdgeMlp::edge_logits(const torch::Tensor& z, const torch::Tensor& src,
                                   const torch::Tensor& dst, const torch::Tensor& target) const {
  TORCH_CHECK(z.dim() == 2, "EdgeMlp::edge_logits: z must be [N, D], got ", z.sizes());
  const int64_t d = z.size(1);
  const int64_t blocks = target.defined() ? 3 : 2;
  TORCH_CHECK(w1.dim() == 2 && w1.size(1) == blocks * d, "EdgeMlp::edge_logits: w1 must be [H, ",
              blocks * d, "] for ", blocks, " embeddings of width ", d, ", got ", w1.sizes());
  TORCH_CHECK(src.dim() == 1 && dst.sizes() == src.sizes() &&
                  (!target.defined() || target.sizes() == src.sizes()),
              "EdgeMlp::edge_logits: src, dst (and target) must be [E] alike");
  // [z_u, z_v, z_i] W1ᵀ = z_u W1_uᵀ + z_v W1_vᵀ + z_i W1_iᵀ: one product per node, then the
  // rest per edge in one fused pass (edge_mlp_function.h).
  const auto block = [&](int64_t k) { return z.matmul(w1.slice(1, k * d, (k + 1) * d).t()); };
  return detail::edge_mlp_logits(block(0), block(1), target.defined() ? block(2) : torch::Tensor(),
                                 b1, w2, b2, src, dst, target);
}

PGExplainerLoss pgexplainer_loss(const torch::Tensor& target_logits,
                                 const std::vector<int64_t>& classes, const torch::Tensor& mask,
                                 const torch::Tensor& edge_part, double edge_size,
                                 double edge_ent) {
  const int64_t parts = target_logits.size(0);
  TORCH_CHECK(target_logits.dim() == 2 && static_cast<int64_t>(classes.size()) == parts,
              "pgexplainer_loss: logits [T, C] need one class per target, got ",
              target_logits.sizes(), " and ", classes.size(), " classes");
  TORCH_CHECK(mask.dim() == 1 && edge_part.sizes() == mask.sizes(),
              "pgexplainer_loss: mask and edge_part must be [E] alike");
  const auto cls = torch::tensor(classes, torch::kLong).to(target_logits.device()).unsqueeze(1);
  PGExplainerLoss loss;
  loss.prediction = -torch::log_softmax(target_logits, 1).gather(1, cls).sum();
  loss.size = edge_size * mask.sum();
  const auto m = 0.99 * mask + 0.005;
  const auto entropy = -m * torch::log(m) - (1 - m) * torch::log(1 - m);
  const auto per_part = torch::bincount(edge_part, /*weights=*/{}, parts).clamp_min(1);
  const auto weight = per_part.index_select(0, edge_part).to(mask.scalar_type()).reciprocal();
  loss.entropy = edge_ent * (entropy * weight).sum();
  return loss;
}

PGExplainerLoss pgexplainer_step_loss(gnn::GnnModel& model, const TargetBatch& batch,
                                      const EdgeMlp& mlp, const torch::Tensor& embeddings,
                                      const std::vector<int64_t>& classes,
                                      const torch::Tensor& uniform, double temperature,
                                      const torch::Tensor& reverse,
                                      const PGExplainerOptions& options, const LayerPlan* plan) {
  const EdgeRows rows = edge_rows(batch);
  const auto logits = mlp.edge_logits(embeddings, rows.src, rows.dst, rows.target);
  const auto mask = concrete_sample(logits, uniform, temperature);
  const auto read = reverse.defined() ? (mask + mask.index_select(0, reverse)) / 2 : mask;
  const auto& x = batch.graph.x();
  const auto target_logits =
      plan ? plan->target_logits_of_used(x, read.index_select(0, plan->used_edges()))
           : explainers::target_logits(model, batch, x, read);
  return pgexplainer_loss(target_logits, classes, mask, batch.edge_part, options.edge_size(),
                          options.edge_ent());
}

PGExplainer::PGExplainer(PGExplainerOptions options, TargetOptions target)
    : Explainer(std::move(target)), options_(std::move(options)) {
  const auto& o = options_;
  if (o.epochs() < 1 || !(o.lr() > 0) || !std::isfinite(o.lr()) || o.hidden() < 1) {
    throw InputError("pgexplainer: epochs and hidden must be >= 1 and lr a finite number > 0");
  }
  for (double t : {o.temperature_start(), o.temperature_end()}) {
    if (!(t > 0) || !std::isfinite(t)) {
      throw InputError("pgexplainer: temperatures must be finite and > 0, got " + text(t));
    }
  }
  for (double c : {o.edge_size(), o.edge_ent()}) {
    if (!(c >= 0) || !std::isfinite(c)) {
      throw InputError(
          "pgexplainer: the size and entropy coefficients must be finite and >= 0, "
          "got " +
          text(c));
    }
  }
  if (!o.fit_targets().empty()) {
    const std::string problem = io::id_list_problem(o.fit_targets());
    if (!problem.empty()) throw InputError("pgexplainer: --fit-targets: " + problem);
  }
}

std::shared_ptr<const FittedState> PGExplainer::fit(const ExplainCall& call,
                                                    const std::vector<int64_t>& targets,
                                                    const std::vector<int64_t>& classes) const {
  if (trained_) return trained_;
  const detail::FitSet fit =
      detail::fit_set(call, options_.fit_targets(), targets, classes,
                      [&](const std::vector<int64_t>& ids) { return resolve_classes(call, ids); });
  const std::vector<int64_t>& ids = fit.ids;
  const std::vector<int64_t>& labels = fit.classes;
  auto out = std::make_shared<PGExplainerFit>();
  out->fit_targets = static_cast<int64_t>(ids.size());
  gnn::run_in_threads(1, [&](int64_t) {
    gnn::GnnModel& model = *call.model;
    detail::FrozenParameters frozen(model);
    const TargetBatch batch = call.make_batch(ids);
    const std::vector<int64_t> explained = predict_targets(model, batch, labels).classes;
    const torch::Tensor raw = embeddings_for(call, batch);
    out->input_scale = embedding_scale(raw);
    const torch::Tensor z = raw / out->input_scale;
    const int64_t blocks = call.task == gnn::Task::kNodeClassification ? 3 : 2;
    out->mlp = EdgeMlp::glorot(blocks * z.size(1), options_.hidden(),
                               target_seed(options_.seed(), kWeightStream));
    const torch::Tensor reverse =
        options_.symmetric_edges() ? detail::reverse_edges(batch.graph) : torch::Tensor();
    std::optional<LayerPlan> plan;
    if (batch.task == gnn::Task::kNodeClassification && model.describe().layer_graphs) {
      plan.emplace(model, batch);
    }
    torch::optim::Adam adam(out->mlp.parameters(), torch::optim::AdamOptions(options_.lr()));
    auto gen = at::detail::createCPUGenerator(target_seed(options_.seed(), kNoiseStream));
    const int64_t num_edges = batch.graph.num_edges();
    for (int64_t epoch = 0; epoch < options_.epochs(); ++epoch) {
      const double temperature = pgexplainer_temperature(
          options_.temperature_start(), options_.temperature_end(), epoch, options_.epochs());
      const auto uniform = at::empty({num_edges}, z.options())
                               .uniform_(0, 1, gen)
                               .clamp_(kNoiseEdge, 1 - kNoiseEdge);
      const auto loss =
          pgexplainer_step_loss(model, batch, out->mlp, z, explained, uniform, temperature, reverse,
                                options_, plan ? &*plan : nullptr)
              .total();
      adam.zero_grad();
      loss.backward();
      for (auto& p : out->mlp.parameters()) {
        if (p.grad().defined()) p.grad().clamp_(-kClip, kClip);
      }
      adam.step();
      const double value = loss.item<double>();
      if (epoch == 0) out->first_loss = value;
      out->last_loss = value;
    }
  });
  return out;
}

namespace {

void require_task(const gnn::GnnModel& model, gnn::Task task) {
  if (model.spec().task != task) {
    throw InputError("pgexplainer: training on " + gnn::to_string(task) + " targets needs a " +
                     gnn::to_string(task) + "-classification model, got a " +
                     gnn::to_string(model.spec().task) + "-classification model");
  }
}

}  // namespace

PGExplainer PGExplainer::trained_on_nodes(gnn::GnnModel& model, const gnn::Graph& graph,
                                          const std::vector<int64_t>& nodes) const {
  require_task(model, gnn::Task::kNodeClassification);
  const ScopedEvalMode eval(model);
  const gnn::GcnAdjacency adj(graph);
  ExplainCall call;
  call.model = &model;
  call.task = gnn::Task::kNodeClassification;
  call.graph = &graph;
  call.adj = &adj;
  PGExplainer out = *this;
  out.options_.fit_targets("");
  out.trained_ = out.fit(call, nodes, resolve_classes(call, nodes));
  return out;
}

PGExplainer PGExplainer::trained_on_graphs(gnn::GnnModel& model,
                                           const std::vector<gnn::Graph>& graphs,
                                           const std::vector<int64_t>& indices) const {
  require_task(model, gnn::Task::kGraphClassification);
  const ScopedEvalMode eval(model);
  ExplainCall call;
  call.model = &model;
  call.task = gnn::Task::kGraphClassification;
  call.graphs = &graphs;
  PGExplainer out = *this;
  out.options_.fit_targets("");
  out.trained_ = out.fit(call, indices, resolve_classes(call, indices));
  return out;
}

std::vector<Explanation> PGExplainer::explain_batch(const ExplainCall& call,
                                                    const TargetBatch& batch,
                                                    const std::vector<int64_t>& classes,
                                                    const ChunkProgress& progress) const {
  const auto* fitted = dynamic_cast<const PGExplainerFit*>(call.fitted.get());
  TORCH_INTERNAL_ASSERT(fitted != nullptr, "pgexplainer: explain_batch before fit");
  if (batch.num_parts() == 0) return {};
  std::vector<Explanation> out;
  gnn::run_in_threads(1, [&](int64_t) {
    gnn::GnnModel& model = *call.model;
    const TargetPrediction prediction = predict_targets(model, batch, classes);
    torch::NoGradGuard no_grad;
    const auto z = embeddings_for(call, batch) / fitted->input_scale;
    const EdgeRows rows = edge_rows(batch);
    auto mask = torch::sigmoid(fitted->mlp.edge_logits(z, rows.src, rows.dst, rows.target));
    if (options_.symmetric_edges()) {
      mask = (mask + mask.index_select(0, detail::reverse_edges(batch.graph))) / 2;
    }
    const auto node_mask = detail::max_incident_edge_mask(batch.graph, mask);
    out = split_explanations(batch, name(), prediction.logits, prediction.classes, mask, node_mask);
  });
  const auto& o = options_;
  for (auto& e : out) {
    e.options = {{"epochs", std::to_string(o.epochs())},
                 {"lr", text(o.lr())},
                 {"edge_size", text(o.edge_size())},
                 {"edge_ent", text(o.edge_ent())},
                 {"temperature_start", text(o.temperature_start())},
                 {"temperature_end", text(o.temperature_end())},
                 {"hidden", std::to_string(o.hidden())},
                 {"symmetric_edges", o.symmetric_edges() ? "true" : "false"},
                 {"fit_targets", trained_                  ? "given to trained_on_*"
                                 : o.fit_targets().empty() ? "the explained"
                                                           : o.fit_targets()},
                 {"mode", target_options().mode() == ExplainMode::kModel ? "model" : "phenomenon"},
                 {"explained_class", std::to_string(target_options().explained_class())},
                 {"seed", std::to_string(o.seed())}};
    e.diagnostics = {{"fit_targets", static_cast<double>(fitted->fit_targets)},
                     {"fit_loss_first", fitted->first_loss},
                     {"fit_loss_last", fitted->last_loss}};
  }
  progress(1, 1);
  return out;
}

}  // namespace gnnx::explainers
