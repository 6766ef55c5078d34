// Supervised training: stratified split, full-batch (node task) or mini-batch (graph task) Adam,
// model selection on validation accuracy.

#include <gnnx/gnn/error.h>
#include <gnnx/gnn/subgraph.h>
#include <gnnx/gnn/training.h>
#include <gnnx/io/tensor_vector.h>

#include <torch/nn/functional/loss.h>
#include <torch/optim/adam.h>
#include <torch/types.h>
#include <torch/utils.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <tuple>

namespace gnnx::gnn {

namespace {

/// Graphs per batch when evaluating: bigger than training batches because no gradient is kept.
constexpr int64_t kEvalBatchGraphs = 1024;

/// Fisher-Yates with `rng() % n`: std::shuffle's use of the generator is left to the standard
/// library, and seeded runs must give the same split with libstdc++ and libc++ alike. The
/// modulo bias of a 64-bit draw is negligible for any realistic n.
void shuffle(std::vector<int64_t>& items, std::mt19937_64& rng) {
  for (size_t i = items.size(); i > 1; --i) {
    std::swap(items[i - 1], items[rng() % i]);
  }
}

torch::Tensor sorted_tensor(std::vector<int64_t> items) {
  std::sort(items.begin(), items.end());
  return torch::tensor(items, torch::kLong);
}

void check_options(const char* fn, const TrainOptions& o) {
  auto bad = [&](const std::string& what) { throw InputError(std::string(fn) + ": " + what); };
  if (o.epochs < 1) bad(c10::str("epochs must be >= 1, got ", o.epochs));
  if (!(o.lr > 0)) bad(c10::str("lr must be > 0, got ", o.lr));
  if (!(o.weight_decay >= 0)) bad(c10::str("weight_decay must be >= 0, got ", o.weight_decay));
  if (o.batch_size < 1) bad(c10::str("batch_size must be >= 1, got ", o.batch_size));
  if (!(o.edge_dropout >= 0 && o.edge_dropout < 1)) {
    bad(c10::str("edge_dropout must be in [0, 1), got ", o.edge_dropout));
  }
}

/// options.split when given (checked against `count` items), else the stratified split.
Split choose_split(const char* fn, const TrainOptions& o, const torch::Tensor& labels) {
  if (!o.split) return stratified_split(labels, o.train_fraction, o.val_fraction, o.seed);
  const int64_t count = labels.numel();
  std::vector<char> seen(static_cast<size_t>(count), 0);
  Split out;
  for (auto [part, given, name] : {std::tuple{&out.train, &o.split->train, "train"},
                                   std::tuple{&out.val, &o.split->val, "val"},
                                   std::tuple{&out.test, &o.split->test, "test"}}) {
    const torch::Tensor ids = given->defined() ? given->to(torch::kCPU, torch::kLong).reshape({-1})
                                               : torch::zeros({0}, torch::kLong);
    for (const int64_t id : io::to_vector<int64_t>(ids)) {
      if (id < 0 || id >= count) {
        throw InputError(c10::str(fn, ": the given split's ", name, " part holds id ", id,
                                  ", outside [0, ", count, ")"));
      }
      if (seen[id]++) {
        throw InputError(c10::str(fn, ": id ", id, " is in more than one part of the split"));
      }
    }
    *part = std::get<0>(ids.sort());
  }
  if (out.train.numel() == 0) throw InputError(c10::str(fn, ": the given split has no train part"));
  return out;
}

/// DropEdge's weights for one training step: [E] of 0 (dropped) and 1, drawn on the CPU from
/// torch's generator (so the draws do not depend on the device), or undefined when off.
torch::Tensor drop_edges(int64_t num_edges, double p, torch::ScalarType dtype,
                         torch::Device device) {
  if (p <= 0) return {};
  return torch::bernoulli(torch::full({num_edges}, 1.0 - p, torch::kDouble)).to(device, dtype);
}

/// Throws InputError unless labels lie in [0, num_classes).
void check_label_range(const char* fn, const torch::Tensor& labels, int64_t num_classes) {
  if (labels.numel() == 0) return;
  const int64_t lo = labels.min().item<int64_t>();
  const int64_t hi = labels.max().item<int64_t>();
  if (lo < 0 || hi >= num_classes) {
    throw InputError(c10::str(fn, ": labels must lie in [0, ", num_classes, ") for a model of ",
                              num_classes, " classes, got [", lo, ", ", hi, "]"));
  }
}

void check_task(const char* fn, const GnnModel& model, Task task) {
  if (model.spec().task != task) {
    throw InputError(c10::str(fn, ": the model is a ", to_string(model.spec().task),
                              " classifier, expected a ", to_string(task), " classifier"));
  }
}

/// `which` names the graph in the message ("the graph", "graph 3").
void check_feature_width(const char* fn, const GnnModel& model, const std::string& which,
                         int64_t num_features) {
  if (num_features != model.spec().in_features) {
    throw InputError(c10::str(fn, ": ", which, " has ", num_features,
                              " node features but the model expects ", model.spec().in_features));
  }
}

/// What model selection compares: higher accuracy wins, lower loss breaks ties, so that once
/// validation accuracy saturates (small validation sets) the kept weights still improve.
struct Score {
  double accuracy = -1;
  double loss = std::numeric_limits<double>::infinity();
  bool better_than(const Score& other) const {
    return accuracy > other.accuracy || (accuracy == other.accuracy && loss < other.loss);
  }
};

/// Deep copy of every parameter and buffer, in the model's (stable) order.
std::vector<torch::Tensor> snapshot(const torch::nn::Module& model) {
  std::vector<torch::Tensor> copy;
  for (const auto& p : model.parameters()) copy.push_back(p.detach().clone());
  for (const auto& b : model.buffers()) copy.push_back(b.detach().clone());
  return copy;
}

void restore(torch::nn::Module& model, const std::vector<torch::Tensor>& copy) {
  torch::NoGradGuard no_grad;
  size_t i = 0;
  for (auto& p : model.parameters()) p.copy_(copy.at(i++));
  for (auto& b : model.buffers()) b.copy_(copy.at(i++));
}

/// dtype of the model's weights, which inputs are converted to.
torch::ScalarType weight_dtype(const torch::nn::Module& model) {
  const auto params = model.parameters();
  return params.empty() ? torch::kFloat : params.front().scalar_type();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// --- graph task helpers --------------------------------------------------------------------

/// A batch of graphs ready for the model: the block-diagonal graph's adjacency built once.
struct PreparedBatch {
  torch::Tensor x;
  GcnAdjacency adj;
  torch::Tensor batch;
  int64_t num_graphs = 0;
  torch::Tensor labels;  ///< [num_graphs]
};

PreparedBatch prepare(const std::vector<Graph>& graphs, const std::vector<int64_t>& ids,
                      const torch::Tensor& labels, torch::ScalarType dtype, torch::Device device) {
  std::vector<Graph> members;
  members.reserve(ids.size());
  for (int64_t id : ids) members.push_back(graphs[id]);
  Batch b = make_batch(members);
  PreparedBatch out;
  out.x = b.graph.x().to(device, dtype);
  out.adj = GcnAdjacency(b.graph);
  out.batch = b.batch.to(device);
  out.num_graphs = b.num_graphs();
  out.labels = labels.index_select(0, torch::tensor(ids, torch::kLong)).to(device);
  return out;
}

/// The eval batches of one part of the split, in chunks of kEvalBatchGraphs.
std::vector<PreparedBatch> prepare_eval(const std::vector<Graph>& graphs, const torch::Tensor& part,
                                        const torch::Tensor& labels, torch::ScalarType dtype,
                                        torch::Device device) {
  const auto* ids = part.data_ptr<int64_t>();
  std::vector<PreparedBatch> batches;
  for (int64_t begin = 0; begin < part.numel(); begin += kEvalBatchGraphs) {
    const int64_t end = std::min(part.numel(), begin + kEvalBatchGraphs);
    batches.push_back(
        prepare(graphs, std::vector<int64_t>(ids + begin, ids + end), labels, dtype, device));
  }
  return batches;
}

/// Accuracy and mean loss over prepared batches, in eval mode without gradients.
Score evaluate(GnnModel& model, const std::vector<PreparedBatch>& batches) {
  torch::NoGradGuard no_grad;
  model.eval();
  double correct = 0, loss_sum = 0;
  int64_t count = 0;
  for (const auto& b : batches) {
    const torch::Tensor logits = model.logits(b.x, b.adj, {}, b.batch, b.num_graphs);
    const int64_t n = b.labels.numel();
    correct += accuracy(logits, b.labels) * static_cast<double>(n);
    loss_sum += torch::nn::functional::cross_entropy(logits, b.labels).item<double>() *
                static_cast<double>(n);
    count += n;
  }
  Score s;
  s.accuracy = count ? correct / static_cast<double>(count) : 0.0;
  s.loss = count ? loss_sum / static_cast<double>(count) : 0.0;
  return s;
}

}  // namespace

Split stratified_split(const torch::Tensor& labels, double train_fraction, double val_fraction,
                       uint64_t seed) {
  if (!labels.defined() || labels.dim() != 1 || !at::isIntegralType(labels.scalar_type(), false)) {
    throw InputError("stratified_split: labels must be a 1-d integer tensor");
  }
  if (!(train_fraction > 0 && train_fraction <= 1)) {
    throw InputError(
        c10::str("stratified_split: train_fraction must be in (0, 1], got ", train_fraction));
  }
  if (!(val_fraction >= 0 && val_fraction < 1)) {
    throw InputError(
        c10::str("stratified_split: val_fraction must be in [0, 1), got ", val_fraction));
  }
  if (train_fraction + val_fraction > 1 + 1e-9) {
    throw InputError(c10::str("stratified_split: train_fraction + val_fraction must be <= 1, got ",
                              train_fraction, " + ", val_fraction));
  }

  const torch::Tensor y = labels.to(torch::kCPU, torch::kLong).contiguous();
  const auto* values = y.data_ptr<int64_t>();
  std::map<int64_t, std::vector<int64_t>> by_class;  // ordered: classes drawn in label order
  for (int64_t i = 0; i < y.numel(); ++i) by_class[values[i]].push_back(i);

  std::mt19937_64 rng(seed);
  std::vector<int64_t> train, val, test;
  for (auto& [label, items] : by_class) {
    shuffle(items, rng);
    const auto n = static_cast<int64_t>(items.size());
    // Every class that has a sample gets one in training, however small the fraction.
    const int64_t n_train = std::clamp<int64_t>(std::llround(train_fraction * n), 1, n);
    const int64_t n_val = std::min<int64_t>(std::llround(val_fraction * n), n - n_train);
    train.insert(train.end(), items.begin(), items.begin() + n_train);
    val.insert(val.end(), items.begin() + n_train, items.begin() + n_train + n_val);
    test.insert(test.end(), items.begin() + n_train + n_val, items.end());
  }
  return Split{sorted_tensor(std::move(train)), sorted_tensor(std::move(val)),
               sorted_tensor(std::move(test))};
}

double accuracy(const torch::Tensor& logits, const torch::Tensor& labels) {
  TORCH_CHECK(logits.dim() == 2, "accuracy: logits must be [N, C], got ", logits.sizes());
  TORCH_CHECK(labels.dim() == 1 && labels.size(0) == logits.size(0),
              "accuracy: labels must be [N] with N = ", logits.size(0), ", got ", labels.sizes());
  if (labels.numel() == 0) return 0.0;
  const torch::Tensor hits = logits.argmax(/*dim=*/1).eq(labels.to(logits.device(), torch::kLong));
  return hits.sum().item<double>() / static_cast<double>(labels.numel());
}

TrainResult train_node_classifier(GnnModel& model, const Graph& graph,
                                  const TrainOptions& options) {
  constexpr const char* kFn = "train_node_classifier";
  const auto start = std::chrono::steady_clock::now();
  check_options(kFn, options);
  check_task(kFn, model, Task::kNodeClassification);
  check_feature_width(kFn, model, "the graph", graph.num_features());
  const torch::Tensor& y_raw = graph.y();
  if (!y_raw.defined() || y_raw.dim() != 1 || y_raw.size(0) != graph.num_nodes()) {
    throw InputError(c10::str(kFn, ": the graph needs one label per node (y of shape [",
                              graph.num_nodes(), "])"));
  }
  const torch::Tensor y = y_raw.to(torch::kLong);
  check_label_range(kFn, y, model.spec().num_classes);

  torch::manual_seed(options.seed);
  TrainResult result;
  result.split = choose_split(kFn, options, y);
  // Training runs on the model's device; result.split stays on the CPU.
  const torch::Device device = model_device(model);
  const Split split{result.split.train.to(device), result.split.val.to(device),
                    result.split.test.to(device)};
  const torch::Tensor y_on = y.to(device);
  const torch::Tensor y_train = y_on.index_select(0, split.train);
  const torch::Tensor y_val = y_on.index_select(0, split.val);
  // Without a validation set, selection falls back to the training set.
  const torch::Tensor& select_ids = split.val.numel() ? split.val : split.train;
  const torch::Tensor y_select = y_on.index_select(0, select_ids);

  const torch::Tensor x = graph.x().to(device, weight_dtype(model));
  const GcnAdjacency adj(graph);
  torch::optim::Adam optimizer(
      model.parameters(), torch::optim::AdamOptions(options.lr).weight_decay(options.weight_decay));

  Score best;
  std::vector<torch::Tensor> best_weights;
  for (int64_t epoch = 1; epoch <= options.epochs; ++epoch) {
    model.train();
    optimizer.zero_grad();
    const torch::Tensor kept =
        drop_edges(adj.num_edges(), options.edge_dropout, x.scalar_type(), device);
    const torch::Tensor loss = torch::nn::functional::cross_entropy(
        model.logits(x, adj, kept).index_select(0, split.train), y_train);
    loss.backward();
    optimizer.step();
    result.final_loss = loss.item<double>();

    double val_accuracy = 0;
    {
      torch::NoGradGuard no_grad;
      model.eval();
      const torch::Tensor logits = model.logits(x, adj);
      const torch::Tensor select_logits = logits.index_select(0, select_ids);
      Score score;
      score.accuracy = accuracy(select_logits, y_select);
      score.loss =
          select_ids.numel()
              ? torch::nn::functional::cross_entropy(select_logits, y_select).item<double>()
              : 0.0;
      val_accuracy = accuracy(logits.index_select(0, split.val), y_val);
      if (score.better_than(best)) {
        best = score;
        best_weights = snapshot(model);
        result.best_epoch = epoch;
      }
    }
    if (options.on_epoch) options.on_epoch(epoch, options.epochs, result.final_loss, val_accuracy);
  }

  restore(model, best_weights);
  model.eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor logits = model.logits(x, adj);
  result.train_accuracy = accuracy(logits.index_select(0, split.train), y_train);
  result.val_accuracy = accuracy(logits.index_select(0, split.val), y_val);
  result.test_accuracy =
      accuracy(logits.index_select(0, split.test), y_on.index_select(0, split.test));
  result.seconds = seconds_since(start);
  return result;
}

TrainResult train_graph_classifier(GnnModel& model, const std::vector<Graph>& graphs,
                                   const TrainOptions& options) {
  constexpr const char* kFn = "train_graph_classifier";
  const auto start = std::chrono::steady_clock::now();
  check_options(kFn, options);
  check_task(kFn, model, Task::kGraphClassification);
  if (graphs.empty()) throw InputError(c10::str(kFn, ": no graphs to train on"));
  std::vector<int64_t> label_values;
  label_values.reserve(graphs.size());
  for (size_t i = 0; i < graphs.size(); ++i) {
    const Graph& g = graphs[i];
    check_feature_width(kFn, model, c10::str("graph ", i), g.num_features());
    if (!g.y().defined() || g.y().numel() != 1) {
      throw InputError(c10::str(kFn, ": graph ", i, " has no graph label (y must hold one value)"));
    }
    label_values.push_back(g.y().reshape({}).to(torch::kLong).item<int64_t>());
  }
  const torch::Tensor labels = torch::tensor(label_values, torch::kLong);
  check_label_range(kFn, labels, model.spec().num_classes);

  torch::manual_seed(options.seed);
  TrainResult result;
  result.split = choose_split(kFn, options, labels);
  const Split& split = result.split;
  const torch::ScalarType dtype = weight_dtype(model);
  const torch::Device device = model_device(model);
  const torch::Tensor& select_part = split.val.numel() ? split.val : split.train;
  const std::vector<PreparedBatch> select_batches =
      prepare_eval(graphs, select_part, labels, dtype, device);

  // A stream of its own, so that the epoch order does not repeat the split's draws.
  std::mt19937_64 rng(options.seed ^ 0x9E3779B97F4A7C15ull);
  std::vector<int64_t> order = io::to_vector<int64_t>(split.train);
  torch::optim::Adam optimizer(
      model.parameters(), torch::optim::AdamOptions(options.lr).weight_decay(options.weight_decay));

  Score best;
  std::vector<torch::Tensor> best_weights;
  for (int64_t epoch = 1; epoch <= options.epochs; ++epoch) {
    shuffle(order, rng);
    model.train();
    double loss_sum = 0;
    for (size_t begin = 0; begin < order.size(); begin += options.batch_size) {
      const size_t end = std::min(order.size(), begin + static_cast<size_t>(options.batch_size));
      const PreparedBatch b =
          prepare(graphs, std::vector<int64_t>(order.begin() + begin, order.begin() + end), labels,
                  dtype, device);
      optimizer.zero_grad();
      const torch::Tensor kept = drop_edges(b.adj.num_edges(), options.edge_dropout, dtype, device);
      const torch::Tensor loss = torch::nn::functional::cross_entropy(
          model.logits(b.x, b.adj, kept, b.batch, b.num_graphs), b.labels);
      loss.backward();
      optimizer.step();
      loss_sum += loss.item<double>() * static_cast<double>(end - begin);
    }
    result.final_loss = loss_sum / static_cast<double>(order.size());

    const Score score = evaluate(model, select_batches);
    if (score.better_than(best)) {
      best = score;
      best_weights = snapshot(model);
      result.best_epoch = epoch;
    }
    const double val_accuracy = split.val.numel() ? score.accuracy : 0.0;
    if (options.on_epoch) options.on_epoch(epoch, options.epochs, result.final_loss, val_accuracy);
  }

  restore(model, best_weights);
  result.train_accuracy =
      evaluate(model, prepare_eval(graphs, split.train, labels, dtype, device)).accuracy;
  result.val_accuracy =
      evaluate(model, prepare_eval(graphs, split.val, labels, dtype, device)).accuracy;
  result.test_accuracy =
      evaluate(model, prepare_eval(graphs, split.test, labels, dtype, device)).accuracy;
  model.eval();
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace gnnx::gnn
