// The issue's explanation-quality bars, end to end through the command line: `gnnx evaluate`
// with no --model trains the data set's default model (tools/cli/train_defaults.cpp) and runs
// GNNExplainer with its default options, seed 0. A change to either set of defaults that lowers
// the ground-truth AUC below the bar fails here (BA-Shapes has its own library-level test in
// gnnexplainer_test). Tree-Grid misses the issue's 0.90 (README, "Targets"); its bar here is
// the level reached (0.797), so a change that undoes the session-5 Laplacian (0.750) fails.

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "support/run_cli.h"
#include "support/temp_dir.h"

namespace gnnx {
namespace {

namespace fs = std::filesystem;

struct QualityBar {
  const char* dataset;
  double min_auc;
};

class ExplanationQualityTest : public ::testing::TestWithParam<QualityBar> {
 protected:
  gnnx::testing::TempDir temp_{"gnnx_quality_test_"};
  const fs::path dir_ = temp_.path();
};

TEST_P(ExplanationQualityTest, DefaultModelAndExplainerMeetTheBar) {
  const QualityBar bar = GetParam();
  const auto r = testing::run_gnnx(
      dir_,
      std::string("--threads 1 -q evaluate --method gnnexplainer --seed 0 --json --dataset ") +
          bar.dataset);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_GE(j.at("auc").get<double>(), bar.min_auc) << j.dump();
}

INSTANTIATE_TEST_SUITE_P(IssueTargets, ExplanationQualityTest,
                         ::testing::Values(QualityBar{"ba-community", 0.90},
                                           QualityBar{"tree-cycles", 0.95},
                                           QualityBar{"ba-2motifs", 0.90},
                                           QualityBar{"tree-grid", 0.78}),
                         [](const auto& info) {
                           std::string name = info.param.dataset;
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

}  // namespace
}  // namespace gnnx
