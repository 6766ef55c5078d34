// Multi-task property training: missing labels are masked, ROC-AUC matches a naive count, the
// regression scale is folded into the head, and the single-task view keeps the probabilities.

#include <gnnx/gnn/error.h>
#include <gnnx/gnn/gcn_adjacency.h>
#include <gnnx/gnn/property_training.h>
#include <gtest/gtest.h>
#include <torch/types.h>
#include <torch/utils.h>

#include <cmath>
#include <limits>

namespace gnnx::gnn {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Paths of n nodes; feature = [1, n/10].
std::vector<Graph> paths(int count) {
  std::vector<Graph> graphs;
  for (int i = 0; i < count; ++i) {
    const int64_t n = 2 + i % 7;
    std::vector<int64_t> src, dst;
    for (int64_t k = 0; k + 1 < n; ++k) {
      src.insert(src.end(), {k, k + 1});
      dst.insert(dst.end(), {k + 1, k});
    }
    const int64_t e = static_cast<int64_t>(src.size());
    torch::Tensor x = torch::ones({n, 2});
    x.select(1, 1).fill_(static_cast<double>(n) / 10);
    graphs.emplace_back(
        n, torch::stack({torch::tensor(src).reshape({e}), torch::tensor(dst).reshape({e})}), x);
  }
  return graphs;
}

ModelSpec spec_for(int64_t tasks) {
  ModelSpec s;
  s.task = Task::kGraphClassification;
  s.in_features = 2;
  s.num_classes = tasks;
  s.hidden = 8;
  s.num_layers = 2;
  s.mlp_hidden = 8;
  return s;
}

// Trains a fresh model (weights seeded with `seed`) on `graphs` at lr 0.01.
PropertyResult train_fresh(const std::vector<Graph>& graphs, const torch::Tensor& y,
                           PropertyKind kind, uint64_t seed, int64_t epochs, int64_t batch_size) {
  torch::manual_seed(seed);
  auto model = make_model(spec_for(y.size(1)));
  TrainOptions o;
  o.epochs = epochs;
  o.lr = 0.01;
  o.batch_size = batch_size;
  return train_property_model(*model, graphs, y, kind, o);
}

TEST(PropertyTrainingTest, RocAucMatchesPairCount) {
  const std::vector<double> scores = {0.1, 0.4, 0.35, 0.8, 0.4, 0.9};
  const std::vector<double> labels = {0, 0, 1, 1, 1, 0};
  double wins = 0, pairs = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    for (size_t j = 0; j < scores.size(); ++j) {
      if (labels[i] == 1 && labels[j] == 0) {
        pairs += 1;
        wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
      }
    }
  }
  EXPECT_DOUBLE_EQ(binary_roc_auc(scores, labels), wins / pairs);
  EXPECT_TRUE(std::isnan(binary_roc_auc({0.1, 0.2}, {1, 1})));
}

TEST(PropertyTrainingTest, BinaryMultiTaskWithMissingLabelsLearns) {
  const auto graphs = paths(140);
  // Task 0: long paths; task 1: even length; every third task-1 label missing.
  torch::Tensor y = torch::empty({140, 2}, torch::kDouble);
  for (int i = 0; i < 140; ++i) {
    const int n = 2 + i % 7;
    y[i][0] = n >= 5 ? 1.0 : 0.0;
    y[i][1] = i % 3 == 0 ? kNaN : (n % 2 == 0 ? 1.0 : 0.0);
  }
  const PropertyResult r = train_fresh(graphs, y, PropertyKind::kBinary, 0, 60, 32);
  EXPECT_GT(r.test.task_scores[0], 0.9);
  EXPECT_EQ(r.train.num_labels + r.val.num_labels + r.test.num_labels, 140 * 2 - 47);
  EXPECT_FALSE(std::isnan(r.final_loss));
}

TEST(PropertyTrainingTest, RegressionOutputsLabelUnits) {
  const auto graphs = paths(140);
  torch::Tensor y = torch::empty({140, 1}, torch::kDouble);
  for (int i = 0; i < 140; ++i) y[i][0] = 100.0 + 10.0 * (2 + i % 7);  // far from 0, wide
  torch::manual_seed(0);
  auto model = make_model(spec_for(1));
  TrainOptions o;
  o.epochs = 80;
  o.lr = 0.01;
  o.batch_size = 32;
  const PropertyResult r = train_property_model(*model, graphs, y, PropertyKind::kRegression, o);
  EXPECT_LT(r.test.score, 10.0);  // RMSE well under one step of the label
  // The saved model predicts label units directly (standardisation folded into the head).
  const torch::Tensor pred = predict_graphs(*model, graphs);
  EXPECT_NEAR(pred.mean().item<double>(), y.mean().item<double>(), 10.0);
}

TEST(PropertyTrainingTest, SingleTaskViewKeepsProbabilities) {
  const auto graphs = paths(5);
  torch::manual_seed(0);
  auto model = make_model(spec_for(3));
  const torch::Tensor z = predict_graphs(*model, graphs);
  auto view = single_task_view(*model, 2, PropertyKind::kBinary);
  const torch::Tensor two = predict_graphs(*view, graphs);
  ASSERT_EQ(two.size(1), 2);
  EXPECT_TRUE(torch::allclose(torch::softmax(two, 1).select(1, 1), torch::sigmoid(z.select(1, 2)),
                              1e-5, 1e-6));
  auto reg = single_task_view(*model, 1, PropertyKind::kRegression);
  EXPECT_TRUE(
      torch::allclose(predict_graphs(*reg, graphs).select(1, 0), z.select(1, 1), 1e-5, 1e-6));
  EXPECT_THROW(single_task_view(*model, 3, PropertyKind::kBinary), InputError);
}

TEST(PropertyTrainingTest, RejectsBadLabels) {
  const auto graphs = paths(10);
  auto model = make_model(spec_for(1));
  TrainOptions o;
  o.epochs = 1;
  EXPECT_THROW(train_property_model(*model, graphs, torch::full({10, 1}, 2.0, torch::kDouble),
                                    PropertyKind::kBinary, o),
               InputError);
  EXPECT_THROW(train_property_model(*model, graphs, torch::zeros({9, 1}, torch::kDouble),
                                    PropertyKind::kBinary, o),
               InputError);
}

TEST(PropertyTrainingTest, KfoldSplitsAreStratifiedAndCoverEveryItemOnce) {
  // 30 of class 0, 12 of class 1.
  std::vector<int64_t> labels(42, 0);
  for (int i = 30; i < 42; ++i) labels[i] = 1;
  const torch::Tensor y = torch::tensor(labels, torch::kLong);
  const std::vector<Split> folds = kfold_splits(y, 6, 0.1, 7);
  ASSERT_EQ(folds.size(), 6U);
  std::vector<int> tested(42, 0);
  for (const Split& s : folds) {
    EXPECT_EQ(s.test.numel(), 7);
    // Each fold keeps the class proportions: 5 of class 0 and 2 of class 1.
    EXPECT_EQ(y.index_select(0, s.test).sum().item<int64_t>(), 2);
    EXPECT_EQ(s.train.numel() + s.val.numel() + s.test.numel(), 42);
    EXPECT_NEAR(static_cast<double>(s.val.numel()), 0.1 * 42, 1.0);
    const torch::Tensor all = std::get<0>(torch::sort(torch::cat({s.train, s.val, s.test})));
    EXPECT_TRUE(torch::equal(all, torch::arange(42, torch::kLong)));  // disjoint, complete
    for (int64_t i : std::vector<int64_t>(s.test.data_ptr<int64_t>(),
                                          s.test.data_ptr<int64_t>() + s.test.numel())) {
      ++tested[i];
    }
  }
  for (int count : tested) EXPECT_EQ(count, 1);
  const std::vector<Split> again = kfold_splits(y, 6, 0.1, 7);
  EXPECT_TRUE(torch::equal(again[3].val, folds[3].val));
  EXPECT_THROW(kfold_splits(y, 1, 0.1, 0), InputError);
  EXPECT_THROW(kfold_splits(y, 43, 0.1, 0), InputError);
  EXPECT_THROW(kfold_splits(y, 6, 0.9, 0), InputError);
  EXPECT_THROW(kfold_splits(torch::zeros({4}), 2, 0.1, 0), InputError);
}

TEST(PropertyTrainingTest, TrainsOnTheSplitItIsGiven) {
  const auto graphs = paths(40);
  torch::Tensor y = torch::empty({40, 1}, torch::kDouble);
  for (int i = 0; i < 40; ++i) y[i][0] = (2 + i % 7) >= 5 ? 1.0 : 0.0;
  const Split split{torch::arange(0, 30, torch::kLong), torch::arange(30, 35, torch::kLong),
                    torch::arange(35, 40, torch::kLong)};
  torch::manual_seed(0);
  auto model = make_model(spec_for(1));
  TrainOptions o;
  o.epochs = 2;
  const PropertyResult r =
      train_property_model(*model, graphs, y, PropertyKind::kBinary, o, &split);
  EXPECT_TRUE(torch::equal(r.split.test, split.test));
  EXPECT_EQ(r.train.num_labels, 30);
  EXPECT_EQ(r.test.num_labels, 5);
  const Split bad{torch::tensor({0, 40}, torch::kLong), split.val, split.test};
  EXPECT_THROW(train_property_model(*model, graphs, y, PropertyKind::kBinary, o, &bad), InputError);
}

// Regression test for MUTAG: the validation ROC-AUC of a small part reaches its maximum within
// a few epochs, while the logits are still uncalibrated (every graph on the majority side).
// Ties must go to the epoch with the lower validation loss, not to the first one.
TEST(PropertyTrainingTest, ValidationAucTiesGoToTheLowerLoss) {
  const auto graphs = paths(70);
  torch::Tensor y = torch::empty({70, 1}, torch::kDouble);
  for (int i = 0; i < 70; ++i) y[i][0] = (2 + i % 7) >= 4 ? 1.0 : 0.0;  // separable
  const PropertyResult r = train_fresh(graphs, y, PropertyKind::kBinary, 1, 150, 16);
  ASSERT_DOUBLE_EQ(r.val.score, 1.0);  // the AUC ties at its maximum
  EXPECT_GT(r.best_epoch, 10);
  EXPECT_DOUBLE_EQ(r.val.accuracy, 1.0);
}

}  // namespace
}  // namespace gnnx::gnn
