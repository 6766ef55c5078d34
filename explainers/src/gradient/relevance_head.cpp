// The relevance that the head and the readout hand to each layer's output (relevance_head.h).

#include "relevance_head.h"

#include <gnnx/gnn/error.h>
#include <gnnx/gnn/max_readout.h>

#include <c10/util/StringUtil.h>

#include "machinery.h"

namespace gnnx::explainers::detail {
namespace {

/// x Wᵀ, the torch::nn::Linear convention of DenseLayer (bias apart).
LinearStage dense_stage(const torch::Tensor& weight) {
  const auto w = to_double(weight);
  return [w](const std::vector<torch::Tensor>& in, WeightPart part) {
    return torch::matmul(in[0], weight_part(w, part).t());
  };
}

/// Sum or mean readout of rows [N, D] into their parts [T, D]: coefficients 1 or 1/N_t, no
/// negative part.
LinearStage pooling_stage(const TargetBatch& batch, gnn::Readout readout) {
  const auto counts =
      torch::zeros({batch.num_parts()}, torch::kDouble)
          .index_add(0, batch.part, torch::ones({batch.part.size(0)}, torch::kDouble))
          .clamp_min(1)
          .unsqueeze(1);
  return [&batch, readout, counts](const std::vector<torch::Tensor>& in, WeightPart part) {
    auto pooled = torch::zeros({batch.num_parts(), in[0].size(1)}, in[0].options());
    if (part == WeightPart::kNegative) return pooled;
    pooled = pooled.index_add(0, batch.part, in[0]);
    return readout == gnn::Readout::kMean ? pooled / counts : pooled;
  };
}

}  // namespace

void require_linear_paths(const gnn::GnnModel& model, const std::string& method) {
  const gnn::ModelDescription d = model.describe();
  for (const auto& layer : d.layers) {
    if (!layer.linear_paths) {
      throw InputError(method + " does not apply to " + layer.kind +
                       " layers that the model does not describe as linear paths "
                       "(GnnModel::layer_paths): relevance is handed down along them");
    }
  }
  if (!d.relu_rules && !d.fixed_attention) {
    throw InputError(method +
                     ": needs a model whose every nonlinearity is a ReLU (LRP passes relevance "
                     "through them unchanged) or attention it can hold fixed");
  }
}

RelevanceRule relevance_rule(const LrpOptions& options) {
  RelevanceRule rule;
  switch (options.rule()) {
    case LrpRule::kEpsilon:
      rule.kind = RelevanceRule::Kind::kEpsilon;
      break;
    case LrpRule::kAlphaBeta:
      rule.kind = RelevanceRule::Kind::kAlphaBeta;
      break;
    case LrpRule::kGamma:
      rule.kind = RelevanceRule::Kind::kGamma;
      break;
  }
  rule.epsilon = options.epsilon();
  rule.alpha = options.alpha();
  rule.gamma = options.gamma();
  return rule;
}

std::map<std::string, std::string> rule_options(const LrpOptions& options) {
  std::map<std::string, std::string> out = {{"lrp_rule", to_string(options.rule())}};
  switch (options.rule()) {
    case LrpRule::kEpsilon:
      out["epsilon"] = c10::str(options.epsilon());
      break;
    case LrpRule::kAlphaBeta:
      out["alpha"] = c10::str(options.alpha());
      out["beta"] = c10::str(options.alpha() - 1);
      break;
    case LrpRule::kGamma:
      out["gamma"] = c10::str(options.gamma());
      break;
  }
  return out;
}

torch::Tensor through_dense_layers(const std::vector<gnn::DenseLayer>& layers,
                                   const torch::Tensor& input, torch::Tensor relevance,
                                   const RelevanceRule& rule) {
  std::vector<torch::Tensor> inputs = {input};
  for (size_t k = 0; k + 1 < layers.size(); ++k) {
    auto z = torch::matmul(inputs.back(), to_double(layers[k].weight).t());
    if (layers[k].bias.defined()) z = z + to_double(layers[k].bias);
    inputs.push_back(torch::relu(z));
  }
  for (size_t k = layers.size(); k-- > 0;) {
    relevance = relevance_step(dense_stage(layers[k].weight), {inputs[k]},
                               to_double(layers[k].bias), relevance, rule)[0];
  }
  return relevance;
}

HeadRelevance relevance_from_head(gnn::GnnModel& model, const TargetBatch& batch,
                                  const torch::Tensor& classes, const RelevanceRule& rule) {
  torch::NoGradGuard no_grad;
  HeadRelevance out;
  const gnn::ModelDescription d = model.describe();
  out.forward = forward_targets(model, batch, batch.graph.x());
  const int64_t layers = d.num_layers();
  for (const auto& h : out.forward.embeddings) out.outputs.push_back(to_double(h));
  out.x = to_double(batch.graph.x());
  const auto& f = out.outputs;

  // The head's input [T, D]: the target rows (node task) or the readout (graph task).
  const bool pooled = d.task == gnn::Task::kGraphClassification;
  const bool all_layers = d.head_input == gnn::HeadInput::kConcatenatedLayers ||
                          d.head_input == gnn::HeadInput::kReadoutOfConcatenatedLayers;
  const auto rows = all_layers ? torch::cat(f, 1) : f.back();  // [N, D]
  const auto head_input = pooled ? gnn::readout(rows, batch.part, batch.num_parts(), d.readout)
                                 : rows.index_select(0, batch.target_pos);

  // The explained logit, recomputed in float64: the relevance the head starts from.
  const std::vector<gnn::DenseLayer> head = model.head_layers();
  torch::Tensor h = head_input;
  for (size_t k = 0; k < head.size(); ++k) {
    h = torch::matmul(h, to_double(head[k].weight).t());
    if (head[k].bias.defined()) h = h + to_double(head[k].bias);
    if (k + 1 < head.size()) h = torch::relu(h);
  }
  const auto logit = h.gather(1, classes.unsqueeze(1));  // [T, 1]
  out.logit = logit.squeeze(1);
  const auto r_logits = torch::zeros_like(h).scatter(1, classes.unsqueeze(1), logit);
  const auto r_head = through_dense_layers(head, head_input, r_logits, rule);  // [T, D]

  // Down to each node's rows.
  torch::Tensor r_rows;
  if (!pooled) {
    r_rows = torch::zeros_like(rows).index_add(0, batch.target_pos, r_head);
  } else if (d.readout == gnn::Readout::kMax) {
    // The arg-max node takes its unit's relevance; tied maxima share it by the model's own rule
    // (max_readout.h).
    r_rows = gnn::max_readout_shares(rows, batch.part, batch.num_parts(), head_input) *
             r_head.index_select(0, batch.part);
  } else {
    r_rows = relevance_step(pooling_stage(batch, d.readout), {rows}, {}, r_head, rule)[0];
  }
  out.from_head.resize(layers);
  const int64_t hidden = f.back().size(1);
  for (int64_t l = 0; l < layers; ++l) {
    if (all_layers) {
      out.from_head[l] = r_rows.slice(1, l * hidden, (l + 1) * hidden);
    } else {
      out.from_head[l] = l + 1 == layers ? r_rows : torch::zeros_like(f[l]);
    }
  }
  return out;
}

}  // namespace gnnx::explainers::detail
