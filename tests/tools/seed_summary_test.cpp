// `gnnx evaluate --seeds K` (tools/cli/seed_summary.h): mean and sample standard deviation over
// the seeds, grouped by method, against values worked out by hand.

#include "cli/seed_summary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace gnnx::tools {
namespace {

using benchmarks::MethodScores;

TEST(SeedSummaryTest, MeanAndSampleStandardDeviationByHand) {
  // 0.90, 0.94, 0.98: mean 0.94, squared deviations 0.0016 + 0 + 0.0016, / (3 - 1) = 0.0016.
  const MeanSd m = mean_sd({0.90, 0.94, 0.98});
  EXPECT_EQ(m.n, 3);
  EXPECT_NEAR(m.mean, 0.94, 1e-12);
  EXPECT_NEAR(m.sd, 0.04, 1e-12);
  // A seed without the score (NaN) is left out, not counted as 0.
  const MeanSd gap = mean_sd({0.5, std::numeric_limits<double>::quiet_NaN(), 0.7});
  EXPECT_EQ(gap.n, 2);
  EXPECT_NEAR(gap.mean, 0.6, 1e-12);
  EXPECT_NEAR(gap.sd, std::sqrt(0.02), 1e-12);
  const MeanSd one = mean_sd({0.8});
  EXPECT_DOUBLE_EQ(one.mean, 0.8);
  EXPECT_TRUE(std::isnan(one.sd)) << "no spread from one seed";
  EXPECT_TRUE(std::isnan(mean_sd({}).mean));
  // Equal values far from zero: no spread beyond rounding (two passes; the one-pass formula
  // sum(x^2) - n mean^2 cancels catastrophically here and gives about 1 or NaN).
  EXPECT_LT(mean_sd({1e8 + 0.1, 1e8 + 0.1, 1e8 + 0.1}).sd, 1e-7);
}

MethodScores scores(const std::string& method, double auc, const std::string& error = "") {
  MethodScores r;
  r.method = method;
  r.auc = auc;
  r.error = error;
  return r;
}

TEST(SeedSummaryTest, GroupsEverySeedsRowsByMethod) {
  const std::vector<std::vector<MethodScores>> runs = {
      {scores("saliency", 0.9), scores("cam", NAN, "")},
      {scores("saliency", 0.8), scores("cam", NAN, "cam: needs a readout")},
  };
  const std::vector<SeedSummary> s = summarise_seeds(runs);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].method, "saliency");
  ASSERT_EQ(s[0].per_seed.size(), 2u);
  EXPECT_DOUBLE_EQ(s[0].per_seed[1].auc, 0.8);
  EXPECT_TRUE(s[0].error.empty());
  EXPECT_EQ(s[1].error, "cam: needs a readout") << "a method failing on any seed says why";
  EXPECT_TRUE(summarise_seeds({}).empty());
}

TEST(SeedSummaryTest, MetricsReadTheirOwnFields) {
  MethodScores r = scores("x", 0.75);
  r.auc_own = 0.5;
  r.fidelity.sparsity = 0.25;
  r.seconds = 3;
  r.flip_rate = 0.125;
  r.cf_size = 1.5;
  const std::map<std::string, double> expected = {{"auc", 0.75},        {"auc_own_motif", 0.5},
                                                  {"sparsity", 0.25},   {"seconds", 3},
                                                  {"flip_rate", 0.125}, {"cf_size", 1.5}};
  bool flip_seen = false;
  for (const SeedMetric& m : seed_metrics(benchmarks::Family::kSynthetic)) {
    const std::string name = m.json;
    const auto it = expected.find(name);
    if (it != expected.end()) {
      EXPECT_DOUBLE_EQ(m.value(r), it->second) << name;
    }
    flip_seen = flip_seen || name == "flip_rate";
  }
  EXPECT_TRUE(flip_seen) << "--seeds averages the counterfactual flip rate";
  ASSERT_EQ(seed_metrics(benchmarks::Family::kMolecule).size(), 4u);
  EXPECT_STREQ(seed_metrics(benchmarks::Family::kMolecule)[0].json, "auc");
}

}  // namespace
}  // namespace gnnx::tools
