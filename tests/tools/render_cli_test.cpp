// `gnnx explain --render`: the drawing of a BA-Shapes node from the command line, with its
// colour bar and, with --show-truth, the planted house outlined. What the layout looks like is
// tested in tests/explainers/render_graphviz_test.cpp; this is the command's side.

#include <gtest/gtest.h>

#include "support/run_cli.h"
#include "support/temp_dir.h"

#include <cstdlib>
#include <string>

namespace {

using RunResult = gnnx::testing::CliResult;

class RenderCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("command -v neato >/dev/null 2>&1") != 0) GTEST_SKIP() << "no neato on PATH";
    ASSERT_EQ(run("-q --threads 1 train --dataset ba-shapes --epochs 5 --out m.gnnx").exit_code, 0);
  }
  RunResult run(const std::string& args) { return gnnx::testing::run_gnnx(temp_.path(), args); }
  /// The drawing's text after explaining node 400 (a house's first node) with saliency and the
  /// drawing flags given.
  std::string draw_node_400(const std::string& drawing, const std::string& file) {
    const RunResult r =
        run("-q --threads 1 explain --model m.gnnx --method saliency --nodes 400 --out e.json " +
            drawing);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return gnnx::testing::read_whole_file(temp_.path() / file);
  }

  gnnx::testing::TempDir temp_{"gnnx_render_cli_test_"};
};

TEST_F(RenderCliTest, DrawingHasAColourBarAndNoTruthUnlessAsked) {
  const std::string svg = draw_node_400("--render x.svg", "x.svg");
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("edge importance"), std::string::npos);
  EXPECT_EQ(svg.find("ground truth"), std::string::npos);
}

TEST_F(RenderCliTest, ShowTruthOutlinesTheHouse) {
  const std::string dot = draw_node_400("--render x.dot --show-truth", "x.dot");
  EXPECT_NE(dot.find("ground truth"), std::string::npos) << dot;
  // Node 400's house: 400-404, its edges cased in blue whatever their importance.
  for (const std::string node : {"\"401\"", "\"402\"", "\"403\"", "\"404\""}) {
    const auto at = dot.find("[label=" + node);
    ASSERT_NE(at, std::string::npos) << node << "\n" << dot;
    EXPECT_NE(dot.substr(at, dot.find('\n', at) - at).find("dashed"), std::string::npos) << node;
  }
  EXPECT_NE(dot.find("color=\"#2166ac:"), std::string::npos) << dot;
}

}  // namespace
