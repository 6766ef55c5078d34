#include <gnnx/gnn/error.h>
#include <gnnx/gnn/training.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <string>

namespace gnnx::gnn {
namespace {

class TrainingTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(0); }
};

std::vector<int64_t> to_vector(const torch::Tensor& t) {
  return {t.data_ptr<int64_t>(), t.data_ptr<int64_t>() + t.numel()};
}

/// Two communities of `n_per_class` nodes (rings with a chord), joined by one edge; each node's
/// features are its class one-hot plus noise, so the classes are separable.
Graph two_communities(int64_t n_per_class, uint64_t seed) {
  const int64_t n = 2 * n_per_class;
  std::vector<int64_t> src, dst;
  auto add = [&](int64_t u, int64_t v) {
    src.insert(src.end(), {u, v});
    dst.insert(dst.end(), {v, u});
  };
  for (int64_t c = 0; c < 2; ++c) {
    const int64_t base = c * n_per_class;
    for (int64_t i = 0; i < n_per_class; ++i) add(base + i, base + (i + 1) % n_per_class);
    add(base, base + n_per_class / 2);
  }
  add(0, n_per_class);
  torch::manual_seed(seed);
  const auto y = torch::arange(n, torch::kLong).div(n_per_class, "floor");
  const auto x = torch::one_hot(y, 2).to(torch::kFloat) * 2 + 0.3 * torch::randn({n, 2});
  return Graph(n, torch::stack({torch::tensor(src), torch::tensor(dst)}),
               torch::cat({x, torch::randn({n, 1})}, 1), y);
}

/// Rings (class 0) and stars (class 1) of 4..7 nodes. Features: the one-hot degree (1, 2, 3 or
/// more), so only structure tells the classes apart.
std::vector<Graph> rings_and_stars(int64_t count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Graph> graphs;
  for (int64_t i = 0; i < count; ++i) {
    const int64_t n = 4 + static_cast<int64_t>(rng() % 4);
    const bool star = i % 2 == 1;
    std::vector<int64_t> src, dst;
    for (int64_t k = star ? 1 : 0; k < n; ++k) {
      const int64_t u = star ? 0 : k, v = star ? k : (k + 1) % n;
      src.insert(src.end(), {u, v});
      dst.insert(dst.end(), {v, u});
    }
    const auto degree = torch::bincount(torch::tensor(dst), {}, n).clamp(1, 3) - 1;
    const auto x = torch::one_hot(degree, 3).to(torch::kFloat);
    graphs.emplace_back(n, torch::stack({torch::tensor(src), torch::tensor(dst)}), x,
                        torch::tensor({star ? 1 : 0}, torch::kLong));
  }
  return graphs;
}

ModelSpec node_spec(double dropout = 0.0) {
  ModelSpec spec;
  spec.in_features = 3;
  spec.num_classes = 2;
  spec.hidden = 8;
  spec.num_layers = 2;
  spec.dropout = dropout;
  return spec;
}

ModelSpec graph_spec() {
  ModelSpec spec;
  spec.task = Task::kGraphClassification;
  spec.in_features = 3;
  spec.num_classes = 2;
  spec.hidden = 16;
  spec.num_layers = 2;
  spec.readout = Readout::kMean;
  return spec;
}

// --- stratified_split --------------------------------------------------------------------------

TEST_F(TrainingTest, StratifiedSplitKeepsClassProportions) {
  const auto labels =
      torch::cat({torch::zeros({100}, torch::kLong), torch::ones({50}, torch::kLong)});
  const Split s = stratified_split(labels, 0.8, 0.1, /*seed=*/3);
  EXPECT_EQ(s.train.numel(), 120);
  EXPECT_EQ(s.val.numel(), 15);
  EXPECT_EQ(s.test.numel(), 15);
  EXPECT_EQ(labels.index_select(0, s.train).sum().item<int64_t>(), 40);  // class 1 in train
  EXPECT_EQ(labels.index_select(0, s.val).sum().item<int64_t>(), 5);
  std::set<int64_t> all;
  for (const auto& part : {s.train, s.val, s.test}) {
    const auto v = to_vector(part);
    EXPECT_TRUE(std::is_sorted(v.begin(), v.end()));
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), 150u);  // disjoint and covering
}

TEST_F(TrainingTest, StratifiedSplitIsDeterministicInTheSeed) {
  const auto labels = torch::randint(0, 4, {200}, torch::kLong);
  const Split a = stratified_split(labels, 0.6, 0.2, 11);
  const Split b = stratified_split(labels, 0.6, 0.2, 11);
  const Split c = stratified_split(labels, 0.6, 0.2, 12);
  EXPECT_TRUE(torch::equal(a.train, b.train));
  EXPECT_TRUE(torch::equal(a.val, b.val));
  EXPECT_TRUE(torch::equal(a.test, b.test));
  EXPECT_FALSE(torch::equal(a.train, c.train));
}

TEST_F(TrainingTest, StratifiedSplitPutsEveryClassInTraining) {
  const auto labels = torch::tensor({0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2}, torch::kLong);
  const Split s = stratified_split(labels, 0.1, 0.1, 0);
  const auto train_labels = to_vector(labels.index_select(0, s.train));
  EXPECT_EQ(std::set<int64_t>(train_labels.begin(), train_labels.end()),
            (std::set<int64_t>{0, 1, 2}));
}

TEST_F(TrainingTest, StratifiedSplitRejectsBadFractions) {
  const auto labels = torch::zeros({10}, torch::kLong);
  EXPECT_THROW(stratified_split(labels, 0.0, 0.1, 0), InputError);
  EXPECT_THROW(stratified_split(labels, 0.8, 0.3, 0), InputError);
  EXPECT_THROW(stratified_split(labels, 0.8, -0.1, 0), InputError);
  EXPECT_THROW(stratified_split(torch::zeros({10}), 0.8, 0.1, 0), InputError);  // float labels
}

TEST_F(TrainingTest, AccuracyCountsArgMaxHits) {
  const auto logits = torch::tensor({{1.0, 0.0}, {0.0, 1.0}, {2.0, 3.0}, {5.0, 1.0}});
  EXPECT_DOUBLE_EQ(accuracy(logits, torch::tensor({0, 1, 0, 1}, torch::kLong)), 0.5);
  EXPECT_DOUBLE_EQ(accuracy(torch::zeros({0, 2}), torch::zeros({0}, torch::kLong)), 0.0);
  EXPECT_THROW(accuracy(logits, torch::zeros({3}, torch::kLong)), c10::Error);
}

// --- node classification -----------------------------------------------------------------------

TEST_F(TrainingTest, NodeClassifierLearnsASeparableProblem) {
  const Graph g = two_communities(12, /*seed=*/1);
  auto model = make_model(node_spec());
  TrainOptions options;
  options.epochs = 150;
  options.lr = 0.02;
  std::vector<int64_t> epochs_seen;
  options.on_epoch = [&](int64_t epoch, int64_t total, double loss, double val) {
    EXPECT_EQ(total, 150);
    EXPECT_TRUE(std::isfinite(loss));
    EXPECT_GE(val, 0.0);
    epochs_seen.push_back(epoch);
  };
  const TrainResult r = train_node_classifier(*model, g, options);
  EXPECT_EQ(r.train_accuracy, 1.0);
  EXPECT_EQ(r.val_accuracy, 1.0);
  EXPECT_EQ(epochs_seen.size(), 150u);
  EXPECT_EQ(epochs_seen.front(), 1);
  EXPECT_EQ(epochs_seen.back(), 150);
  EXPECT_GE(r.best_epoch, 1);
  EXPECT_LE(r.best_epoch, 150);
  EXPECT_EQ(r.split.train.numel() + r.split.val.numel() + r.split.test.numel(), 24);
  EXPECT_FALSE(model->is_training());
}

TEST_F(TrainingTest, NodeTrainingIsDeterministicInTheSeed) {
  const Graph g = two_communities(10, /*seed=*/2);
  TrainOptions options;
  options.epochs = 20;
  options.lr = 0.01;
  options.seed = 5;
  auto run = [&] {
    torch::manual_seed(42);
    auto model = make_model(node_spec(/*dropout=*/0.3));
    const TrainResult r = train_node_classifier(*model, g, options);
    return std::make_pair(model, r);
  };
  const auto [a, ra] = run();
  const auto [b, rb] = run();
  for (const auto& p : a->named_parameters()) {
    EXPECT_TRUE(torch::equal(p.value(), b->named_parameters()[p.key()])) << p.key();
  }
  EXPECT_EQ(ra.final_loss, rb.final_loss);
  EXPECT_EQ(ra.best_epoch, rb.best_epoch);
}

TEST_F(TrainingTest, EdgeDropoutIsSeededAndChangesOnlyTraining) {
  const Graph g = two_communities(10, /*seed=*/6);
  TrainOptions options;
  options.epochs = 20;
  options.lr = 0.01;
  options.seed = 5;
  auto run = [&](double edge_dropout) {
    options.edge_dropout = edge_dropout;
    torch::manual_seed(42);
    auto model = make_model(node_spec());
    train_node_classifier(*model, g, options);
    return model;
  };
  const auto a = run(0.3);
  const auto b = run(0.3);
  const auto plain = run(0.0);
  const torch::Tensor w = a->named_parameters()["conv0.weight"];
  EXPECT_TRUE(torch::equal(w, b->named_parameters()["conv0.weight"]));
  EXPECT_FALSE(torch::equal(w, plain->named_parameters()["conv0.weight"]));
  for (double bad : {-0.1, 1.0}) {
    options.edge_dropout = bad;
    EXPECT_THROW(train_node_classifier(*make_model(node_spec()), g, options), InputError);
  }
}

TEST_F(TrainingTest, BestValidationEpochIsRestored) {
  const Graph g = two_communities(10, /*seed=*/3);
  auto model = make_model(node_spec());
  TrainOptions options;
  options.epochs = 30;
  options.lr = 0.05;
  std::vector<double> val_history;
  options.on_epoch = [&](int64_t, int64_t, double, double val) { val_history.push_back(val); };
  const TrainResult r = train_node_classifier(*model, g, options);
  // The reported validation accuracy is that of the restored weights, the best seen.
  EXPECT_EQ(r.val_accuracy, *std::max_element(val_history.begin(), val_history.end()));
  EXPECT_EQ(r.val_accuracy, val_history.at(r.best_epoch - 1));
}

TEST_F(TrainingTest, NodeTrainingRejectsBadInput) {
  const Graph g = two_communities(6, /*seed=*/4);
  TrainOptions options;
  options.epochs = 1;
  auto model = make_model(node_spec());
  EXPECT_THROW(train_node_classifier(*model, g.with_labels({}), options), InputError);
  EXPECT_THROW(train_node_classifier(*model, g.with_features(torch::ones({12, 4})), options),
               InputError);
  auto graph_model = make_model(graph_spec());
  EXPECT_THROW(train_node_classifier(*graph_model, g, options), InputError);
  ModelSpec one_class = node_spec();
  one_class.num_classes = 1;
  EXPECT_THROW(train_node_classifier(*make_model(one_class), g, options), InputError);
  options.epochs = 0;
  EXPECT_THROW(train_node_classifier(*model, g, options), InputError);
}

// A split the data gives (a labels file's split column) replaces the stratified one; nodes in
// no part are not used, and a split that cannot be one is refused.
TEST_F(TrainingTest, GivenSplitIsUsedAndChecked) {
  const Graph g = two_communities(6, /*seed=*/4);
  TrainOptions options;
  options.epochs = 2;
  const auto ids = [](const std::vector<int64_t>& v) { return torch::tensor(v, torch::kLong); };
  options.split = Split{ids({7, 0, 1, 6}), ids({2, 8}), ids({3})};
  auto model = make_model(node_spec());
  const TrainResult r = train_node_classifier(*model, g, options);
  EXPECT_EQ(to_vector(r.split.train), (std::vector<int64_t>{0, 1, 6, 7}));  // sorted
  EXPECT_EQ(to_vector(r.split.val), (std::vector<int64_t>{2, 8}));
  EXPECT_EQ(to_vector(r.split.test), (std::vector<int64_t>{3}));

  auto expect_refused = [&](Split split, const std::string& needle) {
    options.split = std::move(split);
    try {
      train_node_classifier(*make_model(node_spec()), g, options);
      ADD_FAILURE() << "no error, expected " << needle;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_refused(Split{ids({0, 1}), ids({1}), ids({})}, "id 1 is in more than one part");
  expect_refused(Split{ids({0, 12}), ids({}), ids({})}, "holds id 12, outside [0, 12)");
  expect_refused(Split{ids({}), ids({1}), ids({2})}, "no train part");
}

// --- graph classification ----------------------------------------------------------------------

TEST_F(TrainingTest, GraphClassifierLearnsRingsFromStars) {
  const auto graphs = rings_and_stars(40, /*seed=*/1);
  auto model = make_model(graph_spec());
  TrainOptions options;
  options.epochs = 20;
  options.lr = 0.02;
  options.batch_size = 8;
  int64_t calls = 0;
  options.on_epoch = [&](int64_t, int64_t, double, double) { ++calls; };
  const TrainResult r = train_graph_classifier(*model, graphs, options);
  EXPECT_EQ(r.train_accuracy, 1.0);
  EXPECT_EQ(calls, 20);
  EXPECT_EQ(r.split.train.numel(), 32);
}

TEST_F(TrainingTest, GraphTrainingIsDeterministicInTheSeed) {
  const auto graphs = rings_and_stars(20, /*seed=*/2);
  TrainOptions options;
  options.epochs = 5;
  options.lr = 0.01;
  options.batch_size = 3;
  options.seed = 9;
  auto run = [&] {
    torch::manual_seed(1);
    ModelSpec spec = graph_spec();
    spec.dropout = 0.2;
    spec.mlp_hidden = 4;
    auto model = make_model(spec);
    train_graph_classifier(*model, graphs, options);
    return model;
  };
  const auto a = run();
  const auto b = run();
  for (const auto& p : a->named_parameters()) {
    EXPECT_TRUE(torch::equal(p.value(), b->named_parameters()[p.key()])) << p.key();
  }
}

TEST_F(TrainingTest, GraphTrainingRejectsBadInput) {
  auto graphs = rings_and_stars(6, /*seed=*/3);
  TrainOptions options;
  options.epochs = 1;
  auto model = make_model(graph_spec());
  EXPECT_THROW(train_graph_classifier(*model, {}, options), InputError);
  auto unlabelled = graphs;
  unlabelled[2] = unlabelled[2].with_labels({});
  EXPECT_THROW(train_graph_classifier(*model, unlabelled, options), InputError);
  auto wide = graphs;
  wide[1] = wide[1].with_features(torch::ones({wide[1].num_nodes(), 4}));
  EXPECT_THROW(train_graph_classifier(*model, wide, options), InputError);
  auto node_model = make_model(node_spec());
  EXPECT_THROW(train_graph_classifier(*node_model, graphs, options), InputError);
}

}  // namespace
}  // namespace gnnx::gnn
