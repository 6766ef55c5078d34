// The chance level `gnnx train` warns about (benchmarks/chance_level.h): the majority-class rate
// of the validation part for classifiers, ROC-AUC 0.55 for binary property models, and no
// verdict where there is nothing to compare.

#include <gnnx/benchmarks/chance_level.h>

#include <gtest/gtest.h>

#include <cmath>

namespace gnnx::benchmarks {
namespace {

TEST(ChanceLevelTest, MajorityClassRateIsTheShareOfTheCommonestLabel) {
  EXPECT_DOUBLE_EQ(majority_class_rate(torch::tensor({0, 0, 1, 2}, torch::kLong)), 0.5);
  EXPECT_DOUBLE_EQ(majority_class_rate(torch::tensor({3, 3, 3}, torch::kLong)), 1.0);
  EXPECT_DOUBLE_EQ(majority_class_rate(torch::tensor({1, 0, 1, 1, 0}, torch::kLong)), 0.6);
  EXPECT_DOUBLE_EQ(majority_class_rate(torch::empty({0}, torch::kLong)), 0.0);
}

/// One node-task graph with labels `y` and a result whose validation part is `val`.
struct NodeCase {
  datasets::Dataset ds;
  gnn::TrainResult result;
};

NodeCase node_case(const std::vector<int64_t>& y, const std::vector<int64_t>& val,
                   double val_accuracy) {
  NodeCase c;
  const auto n = static_cast<int64_t>(y.size());
  c.ds.task = gnn::Task::kNodeClassification;
  c.ds.graphs.emplace_back(n, torch::zeros({2, 0}, torch::kLong), torch::ones({n, 1}),
                           torch::tensor(y, torch::kLong));
  c.result.split.val = torch::tensor(val, torch::kLong);
  c.result.val_accuracy = val_accuracy;
  return c;
}

TEST(ChanceLevelTest, ClassifierAtOrBelowTheValidationMajorityIsAtChance) {
  // Validation nodes 0-3 hold labels 0, 0, 0, 1: always answering 0 scores 0.75. The other
  // nodes (all label 1) are not in the validation part and do not count.
  const std::vector<int64_t> y = {0, 0, 0, 1, 1, 1, 1, 1};
  for (double acc : {0.25, 0.75}) {
    const NodeCase c = node_case(y, {0, 1, 2, 3}, acc);
    const auto chance = classifier_chance(c.result, c.ds);
    ASSERT_TRUE(chance.has_value());
    EXPECT_EQ(chance->metric, "accuracy");
    EXPECT_DOUBLE_EQ(chance->chance, 0.75);
    EXPECT_TRUE(chance->at_chance) << acc;
    EXPECT_NE(chance_warning(*chance).find("chance level"), std::string::npos);
  }
  const NodeCase good = node_case(y, {0, 1, 2, 3}, 1.0);
  EXPECT_FALSE(classifier_chance(good.result, good.ds)->at_chance);
}

TEST(ChanceLevelTest, GraphTaskCountsOneLabelPerGraph) {
  datasets::Dataset ds;
  ds.task = gnn::Task::kGraphClassification;
  for (int64_t label : {0, 1, 1, 1}) {
    ds.graphs.emplace_back(1, torch::zeros({2, 0}, torch::kLong), torch::ones({1, 1}),
                           torch::tensor({label}, torch::kLong));
  }
  gnn::TrainResult result;
  result.split.val = torch::tensor({0, 1}, torch::kLong);  // labels 0 and 1: chance 0.5
  result.val_accuracy = 0.5;
  const auto chance = classifier_chance(result, ds);
  ASSERT_TRUE(chance.has_value());
  EXPECT_DOUBLE_EQ(chance->chance, 0.5);
  EXPECT_TRUE(chance->at_chance);
}

TEST(ChanceLevelTest, NoVerdictWithoutAValidationPart) {
  NodeCase c = node_case({0, 1}, {}, 0.0);
  EXPECT_FALSE(classifier_chance(c.result, c.ds).has_value());
  c.result.split.val = torch::Tensor();
  EXPECT_FALSE(classifier_chance(c.result, c.ds).has_value());
}

TEST(ChanceLevelTest, PropertyModelsAtRocAuc055OrBelow) {
  gnn::PropertyScores val;
  val.score = 0.55;
  const auto at = property_chance(val, gnn::PropertyKind::kBinary);
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->metric, "roc_auc");
  EXPECT_TRUE(at->at_chance);
  val.score = 0.35;  // worse than random is at chance too
  EXPECT_TRUE(property_chance(val, gnn::PropertyKind::kBinary)->at_chance);
  val.score = 0.551;
  EXPECT_FALSE(property_chance(val, gnn::PropertyKind::kBinary)->at_chance);
  val.score = NAN;  // no usable validation label
  EXPECT_FALSE(property_chance(val, gnn::PropertyKind::kBinary).has_value());
  val.score = 0.1;  // an RMSE has no chance level here
  EXPECT_FALSE(property_chance(val, gnn::PropertyKind::kRegression).has_value());
}

}  // namespace
}  // namespace gnnx::benchmarks
