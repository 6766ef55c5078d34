// Explanation files as CSV (gnnx/explainers/explanation_csv.h): one row per target and edge.

#include "explainers/toy_explanations.h"

#include <gnnx/explainers/explanation_csv.h>
#include <gnnx/io/csv.h>
#include <gtest/gtest.h>

#include <string>

namespace gnnx::explainers {
namespace {

using gnnx::testing::toy_asymmetric_explanation;
using gnnx::testing::toy_explanation;
using gnnx::testing::toy_graph;

constexpr char kHeader[] = "target,edge_id,source,destination,importance,rank,undirected,deleted\n";

TEST(ExplanationCsvTest, OneRowPerUndirectedEdgeWithItsRank) {
  EXPECT_EQ(explanations_to_csv({toy_explanation()}, {toy_graph()}),
            std::string(kHeader) +
                "2,0,0,1,0.123457,4,true,\n"
                "2,2,1,2,0.5,2,true,\n"
                "2,4,0,2,0.25,3,true,\n"
                "2,6,2,3,0.75,1,true,\n");
  EXPECT_EQ(explanations_to_csv({toy_explanation()}, {toy_graph()}, /*precision=*/2),
            std::string(kHeader) +
                "2,0,0,1,0.12,4,true,\n"
                "2,2,1,2,0.5,2,true,\n"
                "2,4,0,2,0.25,3,true,\n"
                "2,6,2,3,0.75,1,true,\n");
}

TEST(ExplanationCsvTest, RowsAreEveryExplanationsEdges) {
  // 4 undirected pairs, then the asymmetric mask's 8 directed edges.
  const std::string text =
      explanations_to_csv({toy_explanation(), toy_asymmetric_explanation()}, {toy_graph()});
  const auto records = io::read_csv(text, "explanations.csv");
  ASSERT_EQ(records.size(), 1u + 4u + 8u);
  EXPECT_EQ(records[0].fields,
            (std::vector<std::string>{"target", "edge_id", "source", "destination", "importance",
                                      "rank", "undirected", "deleted"}));
  for (size_t r = 5; r < records.size(); ++r) {
    ASSERT_EQ(records[r].fields.size(), 8u);
    EXPECT_EQ(records[r].fields[6], "false") << r;
  }
  EXPECT_EQ(records[6].fields,
            (std::vector<std::string>{"2", "1", "1", "0", "0.9", "1", "false", ""}));
}

TEST(ExplanationCsvTest, NoEdgeMaskLeavesImportanceAndRankEmpty) {
  Explanation e = toy_explanation();
  e.edge_mask = torch::Tensor();
  const auto records = io::read_csv(explanations_to_csv({e}, {toy_graph()}), "e.csv");
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"2", "0", "0", "1", "", "", "true", ""}));
}

TEST(ExplanationCsvTest, CounterfactualMarksTheDeletedEdges) {
  // toy_graph's pair 1-2 is edges 2 and 3: deleting it marks its one undirected row, and only it.
  Explanation e = toy_explanation();
  Counterfactual cf;
  cf.flipped = true;
  cf.size = 1;
  cf.deleted_edges = torch::tensor({3, 2}, torch::kLong);  // unsorted on purpose
  e.counterfactual = cf;
  const auto records = io::read_csv(explanations_to_csv({e}, {toy_graph()}), "e.csv");
  ASSERT_EQ(records.size(), 5u);
  std::vector<std::string> deleted;
  for (size_t r = 1; r < records.size(); ++r) deleted.push_back(records[r].fields[7]);
  EXPECT_EQ(deleted, (std::vector<std::string>{"false", "true", "false", "false"}));

  e.counterfactual->flipped = false;  // none found: nothing to mark
  e.counterfactual->deleted_edges = torch::empty({0}, torch::kLong);
  const auto none = io::read_csv(explanations_to_csv({e}, {toy_graph()}), "e.csv");
  for (size_t r = 1; r < none.size(); ++r) EXPECT_EQ(none[r].fields[7], "") << r;
}

}  // namespace
}  // namespace gnnx::explainers
