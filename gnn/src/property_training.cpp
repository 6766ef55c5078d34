// Masked multi-task training of graph property models (see property_training.h).

#include <gnnx/gnn/error.h>
#include <gnnx/gnn/property_training.h>
#include <gnnx/gnn/subgraph.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/adam.h>
#include <torch/types.h>
#include <torch/utils.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <random>

namespace gnnx::gnn {
namespace {

constexpr int64_t kEvalBatchGraphs = 1024;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void shuffle(std::vector<int64_t>& items, std::mt19937_64& rng) {
  for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[rng() % i]);
}

torch::ScalarType weight_dtype(const torch::nn::Module& model) {
  const auto params = model.parameters();
  return params.empty() ? torch::kFloat : params.front().scalar_type();
}

struct Prepared {
  torch::Tensor x, batch;
  GcnAdjacency adj;
  int64_t num_graphs = 0;
};

Prepared prepare(const std::vector<Graph>& graphs, const int64_t* ids, int64_t count,
                 torch::ScalarType dtype) {
  std::vector<Graph> members;
  members.reserve(count);
  for (int64_t i = 0; i < count; ++i) members.push_back(graphs[ids[i]].with_labels({}));
  const Batch b = make_batch(members);
  return {b.graph.x().to(dtype), b.batch, GcnAdjacency(b.graph), b.num_graphs()};
}

torch::Tensor predict_ids(GnnModel& model, const std::vector<Graph>& graphs,
                          const std::vector<int64_t>& ids) {
  torch::NoGradGuard no_grad;
  model.eval();
  const torch::ScalarType dtype = weight_dtype(model);
  std::vector<torch::Tensor> parts;
  for (size_t begin = 0; begin < ids.size(); begin += kEvalBatchGraphs) {
    const int64_t n = std::min<int64_t>(kEvalBatchGraphs, ids.size() - begin);
    const Prepared p = prepare(graphs, ids.data() + begin, n, dtype);
    parts.push_back(model.logits(p.x, p.adj, {}, p.batch, p.num_graphs).to(torch::kDouble));
  }
  if (parts.empty()) return torch::zeros({0, model.spec().num_classes}, torch::kDouble);
  return torch::cat(parts);
}

/// Masked loss over a batch: outputs and targets [B, T] (targets NaN where missing).
torch::Tensor masked_loss(const torch::Tensor& outputs, const torch::Tensor& targets,
                          PropertyKind kind) {
  const torch::Tensor mask = targets.isnan().logical_not();
  const torch::Tensor y =
      torch::where(mask, targets, torch::zeros_like(targets)).to(outputs.dtype());
  const torch::Tensor m = mask.to(outputs.dtype());
  torch::Tensor per;
  if (kind == PropertyKind::kBinary) {
    per = torch::nn::functional::binary_cross_entropy_with_logits(
        outputs, y,
        torch::nn::functional::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kNone));
  } else {
    per = (outputs - y).pow(2);
  }
  return (per * m).sum() / m.sum().clamp_min(1);
}

PropertyScores score(const torch::Tensor& outputs, const torch::Tensor& targets,
                     PropertyKind kind) {
  PropertyScores s;
  const int64_t n = targets.size(0), t = targets.size(1);
  const auto out = outputs.accessor<double, 2>();
  const auto tar = targets.accessor<double, 2>();
  double sum = 0, correct = 0;
  int64_t tasks_scored = 0;
  for (int64_t k = 0; k < t; ++k) {
    std::vector<double> scores, labels;
    double sq = 0;
    for (int64_t i = 0; i < n; ++i) {
      if (std::isnan(tar[i][k])) continue;
      scores.push_back(out[i][k]);
      labels.push_back(tar[i][k]);
      sq += (out[i][k] - tar[i][k]) * (out[i][k] - tar[i][k]);
      if (kind == PropertyKind::kBinary) correct += ((out[i][k] > 0) == (tar[i][k] > 0.5)) ? 1 : 0;
    }
    s.num_labels += static_cast<int64_t>(labels.size());
    double v = kNaN;
    if (!labels.empty()) {
      v = kind == PropertyKind::kBinary ? binary_roc_auc(scores, labels)
                                        : std::sqrt(sq / static_cast<double>(labels.size()));
    }
    s.task_scores.push_back(v);
    if (!std::isnan(v)) {
      sum += v;
      ++tasks_scored;
    }
  }
  s.score = tasks_scored ? sum / static_cast<double>(tasks_scored) : kNaN;
  s.accuracy = (kind == PropertyKind::kBinary && s.num_labels)
                   ? correct / static_cast<double>(s.num_labels)
                   : 0.0;
  return s;
}

std::vector<int64_t> to_vector(const torch::Tensor& t) {
  const torch::Tensor c = t.contiguous();
  return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}

}  // namespace

std::string to_string(PropertyKind kind) {
  return kind == PropertyKind::kBinary ? "classification" : "regression";
}

PropertyKind parse_property_kind(const std::string& name) {
  if (name == "classification" || name == "binary") return PropertyKind::kBinary;
  if (name == "regression") return PropertyKind::kRegression;
  throw InputError("unknown property task '" + name + "' (valid: classification, regression)");
}

double binary_roc_auc(const std::vector<double>& scores, const std::vector<double>& labels) {
  TORCH_CHECK(scores.size() == labels.size(), "binary_roc_auc: ", scores.size(), " scores for ",
              labels.size(), " labels");
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  // Mann-Whitney U with average ranks for ties.
  double rank_sum = 0, positives = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && scores[order[j + 1]] == scores[order[i]]) ++j;
    const double rank = 0.5 * static_cast<double>(i + j) + 1;
    for (size_t k = i; k <= j; ++k) {
      if (labels[order[k]] > 0.5) {
        rank_sum += rank;
        positives += 1;
      }
    }
    i = j + 1;
  }
  const double negatives = static_cast<double>(scores.size()) - positives;
  if (positives == 0 || negatives == 0) return kNaN;
  return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

torch::Tensor predict_graphs(GnnModel& model, const std::vector<Graph>& graphs) {
  std::vector<int64_t> ids(graphs.size());
  std::iota(ids.begin(), ids.end(), 0);
  return predict_ids(model, graphs, ids);
}

PropertyResult train_property_model(GnnModel& model, const std::vector<Graph>& graphs,
                                    const torch::Tensor& targets_in, PropertyKind kind,
                                    const TrainOptions& options, const Split* split) {
  constexpr const char* kFn = "train_property_model";
  const auto start = std::chrono::steady_clock::now();
  if (model.spec().task != Task::kGraphClassification) {
    throw InputError(c10::str(kFn, ": the model must be a graph model"));
  }
  if (graphs.empty()) throw InputError(c10::str(kFn, ": no graphs to train on"));
  if (options.epochs < 1 || !(options.lr > 0) || options.batch_size < 1 ||
      !(options.weight_decay >= 0)) {
    throw InputError(c10::str(kFn, ": invalid options (epochs ", options.epochs, ", lr ",
                              options.lr, ", batch_size ", options.batch_size, ")"));
  }
  const auto g = static_cast<int64_t>(graphs.size());
  const int64_t t = model.spec().num_classes;
  if (!targets_in.defined() || targets_in.dim() != 2 || targets_in.size(0) != g ||
      targets_in.size(1) != t) {
    throw InputError(c10::str(kFn, ": targets must be [", g, ", ", t, "] for ", g,
                              " graphs and a model of ", t, " outputs"));
  }
  for (int64_t i = 0; i < g; ++i) {
    if (graphs[i].num_features() != model.spec().in_features) {
      throw InputError(c10::str(kFn, ": graph ", i, " has ", graphs[i].num_features(),
                                " node features but the model expects ", model.spec().in_features));
    }
  }
  const torch::Tensor targets = targets_in.to(torch::kDouble).contiguous();
  const torch::Tensor known = targets.isnan().logical_not();
  if (kind == PropertyKind::kBinary) {
    const torch::Tensor bad = known.logical_and(targets.ne(0)).logical_and(targets.ne(1));
    if (bad.any().item<bool>()) {
      throw InputError(c10::str(kFn, ": binary labels must be 0 or 1"));
    }
  }

  torch::manual_seed(options.seed);
  PropertyResult result;
  if (split != nullptr) {
    for (const torch::Tensor* part : {&split->train, &split->val, &split->test}) {
      if (!part->defined() || part->dim() != 1 ||
          (part->numel() > 0 &&
           (part->min().item<int64_t>() < 0 || part->max().item<int64_t>() >= g))) {
        throw InputError(c10::str(kFn, ": every split index must be in [0, ", g, ")"));
      }
    }
    if (split->train.numel() == 0) {
      throw InputError(c10::str(kFn, ": the split has no training graph"));
    }
    result.split = Split{split->train.to(torch::kLong), split->val.to(torch::kLong),
                         split->test.to(torch::kLong)};
  } else {
    result.split = stratified_split(torch::zeros({g}, torch::kLong), options.train_fraction,
                                    options.val_fraction, options.seed);
  }
  const std::vector<int64_t> train_ids = to_vector(result.split.train);
  const std::vector<int64_t> val_ids = to_vector(result.split.val);
  const std::vector<int64_t> test_ids = to_vector(result.split.test);
  const torch::Tensor train_targets = targets.index_select(0, result.split.train);

  // Standardise regression targets with the training labels' mean and standard deviation.
  torch::Tensor mean = torch::zeros({t}, torch::kDouble), stdev = torch::ones({t}, torch::kDouble);
  for (int64_t k = 0; k < t; ++k) {
    const torch::Tensor col = train_targets.select(1, k);
    const torch::Tensor vals = col.masked_select(col.isnan().logical_not());
    if (vals.numel() == 0) {
      throw InputError(c10::str(kFn, ": task ", k, " has no label in the training part"));
    }
    if (kind == PropertyKind::kRegression) {
      mean[k] = vals.mean();
      const double s = vals.numel() > 1 ? vals.std().item<double>() : 1.0;
      stdev[k] = s > 1e-12 ? s : 1.0;
    }
  }
  const torch::Tensor scaled = (targets - mean) / stdev;
  const torch::ScalarType dtype = weight_dtype(model);

  // Regression outputs are compared in label units: unscale before scoring.
  auto unscale = [&](const torch::Tensor& out) {
    return kind == PropertyKind::kRegression ? out * stdev + mean : out;
  };
  auto part_scores = [&](const std::vector<int64_t>& ids, const torch::Tensor& part) {
    return score(unscale(predict_ids(model, graphs, ids)), targets.index_select(0, part), kind);
  };
  const std::vector<int64_t>& select_ids = val_ids.empty() ? train_ids : val_ids;
  const torch::Tensor& select_part = val_ids.empty() ? result.split.train : result.split.val;

  std::mt19937_64 rng(options.seed ^ 0x9E3779B97F4A7C15ull);
  std::vector<int64_t> order = train_ids;
  torch::optim::Adam optimizer(
      model.parameters(), torch::optim::AdamOptions(options.lr).weight_decay(options.weight_decay));
  double best = -std::numeric_limits<double>::infinity();
  double best_loss = std::numeric_limits<double>::infinity();
  std::vector<torch::Tensor> best_weights;
  for (int64_t epoch = 1; epoch <= options.epochs; ++epoch) {
    shuffle(order, rng);
    model.train();
    double loss_sum = 0;
    for (size_t begin = 0; begin < order.size(); begin += options.batch_size) {
      const int64_t n = std::min<int64_t>(options.batch_size, order.size() - begin);
      const Prepared b = prepare(graphs, order.data() + begin, n, dtype);
      const torch::Tensor y = scaled.index_select(
          0, torch::tensor(std::vector<int64_t>(order.begin() + begin, order.begin() + begin + n),
                           torch::kLong));
      optimizer.zero_grad();
      const torch::Tensor loss =
          masked_loss(model.logits(b.x, b.adj, {}, b.batch, b.num_graphs), y, kind);
      loss.backward();
      optimizer.step();
      loss_sum += loss.item<double>() * static_cast<double>(n);
    }
    result.final_loss = loss_sum / static_cast<double>(order.size());
    const torch::Tensor select_out = predict_ids(model, graphs, select_ids);
    const PropertyScores s = score(unscale(select_out), targets.index_select(0, select_part), kind);
    double value = kind == PropertyKind::kBinary ? s.score : -s.score;
    if (std::isnan(value)) value = -result.final_loss;  // no usable validation labels
    // Ties (frequent for the ROC-AUC of a small validation part, which reaches its maximum
    // long before the logits are calibrated): the lower validation loss wins.
    const double select_loss =
        masked_loss(select_out, scaled.index_select(0, select_part), kind).item<double>();
    if (value > best || (value == best && select_loss < best_loss)) {
      best = value;
      best_loss = select_loss;
      best_weights.clear();
      for (const auto& p : model.parameters()) best_weights.push_back(p.detach().clone());
      result.best_epoch = epoch;
    }
    if (options.on_epoch) {
      options.on_epoch(epoch, options.epochs, result.final_loss, std::isnan(s.score) ? 0 : s.score);
    }
  }
  {
    torch::NoGradGuard no_grad;
    size_t i = 0;
    for (auto& p : model.parameters()) p.copy_(best_weights.at(i++));
    if (kind == PropertyKind::kRegression) {
      // Fold the standardisation into the head: y = W' h + b' with W' = s W, b' = s b + mean.
      auto* graph_model = dynamic_cast<GraphClassifier*>(&model);
      if (graph_model == nullptr) {
        throw InputError(c10::str(kFn, ": regression needs a GraphClassifier"));
      }
      auto& head = graph_model->head;
      const torch::Tensor s = stdev.to(head->weight.dtype());
      head->weight.mul_(s.unsqueeze(1));
      head->bias.mul_(s).add_(mean.to(head->bias.dtype()));
      mean.zero_();
      stdev.fill_(1);
    }
  }
  result.train = part_scores(train_ids, result.split.train);
  result.val = part_scores(val_ids, result.split.val);
  result.test = part_scores(test_ids, result.split.test);
  model.eval();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::vector<Split> kfold_splits(const torch::Tensor& labels, int64_t folds, double val_fraction,
                                uint64_t seed) {
  constexpr const char* kFn = "kfold_splits";
  if (!labels.defined() || labels.dim() != 1 || !at::isIntegralType(labels.scalar_type(), false)) {
    throw InputError(c10::str(kFn, ": labels must be a 1-d integer tensor"));
  }
  const int64_t n = labels.numel();
  if (folds < 2 || folds > n) {
    throw InputError(
        c10::str(kFn, ": folds must be in [2, ", n, "] for ", n, " items, got ", folds));
  }
  if (!(val_fraction >= 0 && val_fraction < 1.0 - 1.0 / static_cast<double>(folds))) {
    throw InputError(
        c10::str(kFn, ": val_fraction must be in [0, 1 - 1/folds), got ", val_fraction));
  }
  const torch::Tensor y = labels.to(torch::kCPU, torch::kLong).contiguous();
  const auto* values = y.data_ptr<int64_t>();
  std::map<int64_t, std::vector<int64_t>> by_class;  // ordered: classes dealt in label order
  for (int64_t i = 0; i < n; ++i) by_class[values[i]].push_back(i);
  std::mt19937_64 rng(seed);
  std::vector<int64_t> fold_of(n);
  int64_t next = 0;  // round-robin across classes too, so fold sizes differ by at most one
  for (auto& [label, items] : by_class) {
    shuffle(items, rng);
    for (int64_t item : items) fold_of[item] = next++ % folds;
  }
  // Validation takes val_fraction of all items out of the k-1 training folds.
  const double val_of_rest = val_fraction * static_cast<double>(folds) / (folds - 1.0);
  std::vector<Split> splits;
  for (int64_t k = 0; k < folds; ++k) {
    std::vector<int64_t> rest, test;
    for (int64_t i = 0; i < n; ++i) (fold_of[i] == k ? test : rest).push_back(i);
    const torch::Tensor rest_ids = torch::tensor(rest, torch::kLong);
    const Split inner = stratified_split(y.index_select(0, rest_ids), 1.0 - val_of_rest,
                                         val_of_rest, seed + 1 + static_cast<uint64_t>(k));
    // Inner indices are positions in `rest`; the inner split's own test part (empty up to
    // rounding) joins training.
    const torch::Tensor train =
        std::get<0>(torch::sort(rest_ids.index_select(0, torch::cat({inner.train, inner.test}))));
    splits.push_back(
        Split{train, rest_ids.index_select(0, inner.val), torch::tensor(test, torch::kLong)});
  }
  return splits;
}

std::shared_ptr<GnnModel> single_task_view(const GnnModel& model, int64_t task, PropertyKind kind) {
  const auto* source = dynamic_cast<const GraphClassifier*>(&model);
  if (source == nullptr) throw InputError("single_task_view: not a graph model");
  const int64_t t = model.spec().num_classes;
  if (task < 0 || task >= t) {
    throw InputError(
        c10::str("task ", task, " is out of range: the model has ", t, " task", t == 1 ? "" : "s"));
  }
  ModelSpec spec = model.spec();
  spec.num_classes = kind == PropertyKind::kBinary ? 2 : 1;
  auto view = make_model(spec);
  view->to(weight_dtype(model));
  torch::NoGradGuard no_grad;
  const auto from = source->named_parameters();
  for (auto& item : view->named_parameters()) {
    const torch::Tensor& src = from[item.key()];
    torch::Tensor dst = item.value();
    if (item.key() == "head.weight" || item.key() == "head.bias") {
      const torch::Tensor row = src.select(0, task);
      if (kind == PropertyKind::kBinary) {
        // [-z/2, z/2]: the same softmax as [0, z], and class 0 has a gradient of its own.
        dst.select(0, 0).copy_(row * -0.5);
        dst.select(0, 1).copy_(row * 0.5);
      } else {
        dst.select(0, 0).copy_(row);
      }
    } else {
      dst.copy_(src);
    }
  }
  view->eval();
  return view;
}

}  // namespace gnnx::gnn
