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
  torch::manual_seed(0);
  auto model = make_model(spec_for(2));
  TrainOptions o;
  o.epochs = 60;
  o.lr = 0.01;
  o.batch_size = 32;
  const PropertyResult r = train_property_model(*model, graphs, y, PropertyKind::kBinary, o);
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

}  // namespace
}  // namespace gnnx::gnn
