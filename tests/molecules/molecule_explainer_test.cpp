// MoleculeExplainer::explain_records: every record of a file once, in input order, skipped and
// unfeaturisable ones with their reason; the same numbers whatever the chunk size and the
// worker thread count. The model
// file carries its molecule facts in the model card.

#include <gnnx/gnn/model_file.h>
#include <gnnx/gnn/threads.h>
#include <gnnx/molecules/featurize.h>
#include <gnnx/molecules/molecule_explainer.h>
#include <gnnx/molecules/readers.h>
#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.h"

namespace gnnx::molecules {
namespace {

class MoleculeExplainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    torch::manual_seed(0);
    gnn::ModelSpec spec;
    spec.task = gnn::Task::kGraphClassification;
    spec.in_features = FeaturizerOptions::mutag().num_features();
    spec.num_classes = 1;
    spec.hidden = 8;
    spec.num_layers = 2;
    gnn::ModelCard card;
    card.property_kind = gnn::PropertyKind::kBinary;
    card.tasks = {"active"};
    card.featurisation = {"molecule", FeaturizerOptions::mutag().to_metadata()};
    gnn::save_model(model_, *gnn::make_model(spec), card);
    std::ofstream(csv_) << "smiles,id\nCCO,a\nnot_a_smiles,b\nC[Si](C)C,c\nc1ccccc1N,d\nCCCl,e\n";
  }

  std::vector<RecordExplanation> explain(int64_t batch, const MoleculeSet& set,
                                         const std::string& method = "saliency") {
    MoleculeExplainerOptions options;
    options.batch = batch;
    if (method == "gnnexplainer") options.method.epochs = 20;  // short: the comparison matters
    MoleculeExplainer explainer(model_, method, options);
    return explainer.explain_records(set);
  }

  gnnx::testing::TempDir temp_{"gnnx_molecule_explainer_test_"};
  const std::string model_ = (temp_.path() / "m.gnnx").string();
  const std::string csv_ = (temp_.path() / "m.csv").string();
};

TEST_F(MoleculeExplainerTest, ExplainRecordsKeepsInputOrderAndReasons) {
  ReadOptions read;
  read.id_column = "id";
  const MoleculeSet set = read_molecules(csv_, read);
  const std::vector<RecordExplanation> records = explain(/*batch=*/2, set);
  ASSERT_EQ(records.size(), 5u);
  for (size_t i = 0; i < records.size(); ++i) EXPECT_EQ(records[i].index, static_cast<int64_t>(i));
  EXPECT_TRUE(records[0].explanation.has_value());
  EXPECT_FALSE(records[1].explanation.has_value());  // unparsable
  EXPECT_EQ(records[1].record, nullptr);
  EXPECT_FALSE(records[2].explanation.has_value());  // Si: not a MUTAG element
  EXPECT_NE(records[2].error.find("Si"), std::string::npos) << records[2].error;
  EXPECT_EQ(records[3].id, "d");
  ASSERT_TRUE(records[3].explanation.has_value());
  EXPECT_EQ(records[3].explanation->atoms.size(), 7u);

  const std::vector<RecordExplanation> one_by_one = explain(/*batch=*/1, set);
  for (size_t i = 0; i < records.size(); ++i) {
    ASSERT_EQ(one_by_one[i].explanation.has_value(), records[i].explanation.has_value());
    if (!records[i].explanation) continue;
    EXPECT_NEAR(one_by_one[i].explanation->prediction, records[i].explanation->prediction, 1e-6);
  }
}

// Chunks go to gnnx's worker threads: every record's numbers, fragment and error are the same
// bits for 1 and 4 threads (GNNExplainer inside a worker keeps to its thread).
TEST_F(MoleculeExplainerTest, SameRecordsForAnyWorkerThreadCount) {
  std::ofstream csv(csv_);
  csv << "smiles\n";
  const char* smiles[] = {"CCO",
                          "c1ccccc1N",
                          "CC(=O)O",
                          "c1ccc2ccccc2c1",
                          "NCCO",
                          "C[Si](C)C",
                          "O=[N+]([O-])c1ccccc1",
                          "CCCl",
                          "C1CCCCC1",
                          "Oc1ccccc1",
                          "CC(N)C(=O)O",
                          "ClC(Cl)Cl",
                          "c1ccncc1",
                          "CCOCC",
                          "bad(",
                          "c1ccc(Br)cc1",
                          "CC#N",
                          "OCC(O)CO",
                          "c1ccc2[nH]ccc2c1",
                          "CCN(CC)CC"};
  for (const char* s : smiles) csv << s << "\n";
  csv.close();
  const MoleculeSet set = read_molecules(csv_, ReadOptions());
  for (const std::string method : {"saliency", "gnnexplainer"}) {
    const int before = gnn::worker_threads();
    std::vector<std::vector<RecordExplanation>> runs;
    for (int threads : {1, 4}) {
      gnn::set_worker_threads(threads);
      runs.push_back(explain(/*batch=*/3, set, method));
    }
    gnn::set_worker_threads(before);
    ASSERT_EQ(runs[0].size(), 20u);
    ASSERT_EQ(runs[1].size(), 20u);
    for (size_t i = 0; i < 20; ++i) {
      const RecordExplanation& a = runs[0][i];
      const RecordExplanation& b = runs[1][i];
      EXPECT_EQ(a.index, b.index);
      EXPECT_EQ(a.error, b.error) << method << " record " << i;
      ASSERT_EQ(a.explanation.has_value(), b.explanation.has_value()) << method << " " << i;
      if (!a.explanation) continue;
      EXPECT_EQ(a.explanation->prediction, b.explanation->prediction);
      EXPECT_EQ(a.explanation->atoms, b.explanation->atoms) << method << " record " << i;
      EXPECT_EQ(a.explanation->bonds, b.explanation->bonds) << method << " record " << i;
      EXPECT_EQ(a.explanation->fragment.smiles, b.explanation->fragment.smiles);
    }
    EXPECT_FALSE(runs[0][5].explanation.has_value());   // Si
    EXPECT_FALSE(runs[0][14].explanation.has_value());  // unparsable
  }
}

}  // namespace
}  // namespace gnnx::molecules
