// MoleculeExplainer's batch explain() and explain_records: one result or one error per molecule
// (every record of a file once), in input order, unfeaturisable ones with their reason; the same
// numbers whatever the chunk size and the worker thread count; class names from the model card.
// The model file carries its molecule facts in the model card.

#include <gnnx/gnn/model_file.h>
#include <gnnx/gnn/threads.h>
#include <gnnx/molecules/featurize.h>
#include <gnnx/molecules/molecule_explainer.h>
#include <gnnx/molecules/readers.h>
#include <gtest/gtest.h>

#include <GraphMol/ROMol.h>
#include <gnnx/gnn/error.h>
#include <gnnx/molecules/parse.h>

#include <fstream>
#include <memory>
#include <optional>
#include <utility>

#include "support/temp_dir.h"

namespace gnnx::molecules {
namespace {

class MoleculeExplainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    save_model(model_, {});
    std::ofstream(csv_) << "smiles,id\nCCO,a\nnot_a_smiles,b\nC[Si](C)C,c\nc1ccccc1N,d\nCCCl,e\n";
  }

  /// A MUTAG-featurised binary model with one task "active", naming its classes `class_names`.
  static void save_model(const std::string& path, const std::vector<std::string>& class_names) {
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
    card.class_names = class_names;
    gnn::save_model(path, *gnn::make_model(spec), card);
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

// Issue 19: the batch explain() threw at the first molecule it could not featurise (34 of 200 NCI
// records on a MUTAG model), so pipelines fell back to one molecule at a time. Now: one result
// per molecule, in order, an error where there is no explanation, and the molecules that
// featurise batched together (the chunks hold only them: progress counts 2 + 1 of 3).
TEST_F(MoleculeExplainerTest, BatchExplainGivesOneResultOrErrorPerMoleculeInOrder) {
  std::vector<std::unique_ptr<RDKit::ROMol>> owned;
  std::vector<const RDKit::ROMol*> mols;
  for (const char* smiles : {"CCO", "C[Si](C)C", "c1ccccc1N", "", "CCCl", "CCS"}) {
    if (std::string(smiles).empty()) {
      mols.push_back(nullptr);
      continue;
    }
    owned.push_back(smiles_to_mol(smiles));
    mols.push_back(owned.back().get());
  }
  MoleculeExplainerOptions options;
  options.batch = 2;
  MoleculeExplainer explainer(model_, "saliency", options);
  const int before = gnn::worker_threads();
  gnn::set_worker_threads(1);  // progress calls in chunk order
  std::vector<std::pair<int64_t, int64_t>> progress;
  const std::vector<MoleculeResult> results = explainer.explain(
      mols, [&](int64_t done, int64_t total) { progress.emplace_back(done, total); });
  gnn::set_worker_threads(before);

  ASSERT_EQ(results.size(), 6u);
  for (const size_t i : std::vector<size_t>{0, 2, 4}) {
    ASSERT_TRUE(results[i].explanation.has_value()) << i << ": " << results[i].error;
    EXPECT_TRUE(results[i].error.empty()) << i;
    const MoleculeExplanation alone = explainer.explain(*mols[i]);
    ASSERT_EQ(results[i].explanation->atoms.size(), alone.atoms.size()) << i;
    for (size_t a = 0; a < alone.atoms.size(); ++a) {
      EXPECT_NEAR(results[i].explanation->atoms[a], alone.atoms[a], 1e-6) << i;
    }
    EXPECT_NEAR(results[i].explanation->prediction, alone.prediction, 1e-6) << i;
  }
  EXPECT_EQ(results[0].explanation->atoms.size(), 3u);
  EXPECT_EQ(results[2].explanation->atoms.size(), 7u);
  for (const size_t i : std::vector<size_t>{1, 3, 5})
    EXPECT_FALSE(results[i].explanation.has_value()) << i;
  EXPECT_NE(results[1].error.find("Si"), std::string::npos) << results[1].error;
  EXPECT_NE(results[3].error.find("null"), std::string::npos) << results[3].error;
  EXPECT_NE(results[5].error.find("atom 2 is S"), std::string::npos) << results[5].error;
  EXPECT_EQ(progress, (std::vector<std::pair<int64_t, int64_t>>{{2, 3}, {3, 3}}));

  // One molecule alone still throws, naming the element.
  try {
    explainer.explain(*mols[1]);
    ADD_FAILURE() << "Si was explained with a MUTAG featuriser";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("Si"), std::string::npos) << e.what();
  }
  // The overload for molecules already featurised: the lists must match.
  EXPECT_THROW(explainer.explain(mols, std::vector<MolGraph>{}), InputError);
}

// Issue 19 (speed): the prediction now comes from the explainer's own forward pass
// (Explanation::logits) instead of a prediction pass of MoleculeExplainer's own, and saliency and
// Grad-CAM take it from their gradient pass instead of a separate no-grad one. Every molecule's
// prediction must stay bit for bit that of a separate prediction pass (predict()), and the
// explained class its arg-max, for each kind of method: a gradient pass that also predicts
// (saliency, grad-cam), a mask optimisation (gnnexplainer), a perturbation (occlusion), and a
// method without gradients (random); in chunks of 3 and one at a time.
TEST_F(MoleculeExplainerTest, PredictionIsTheSeparatePredictionPassBitForBit) {
  std::vector<std::unique_ptr<RDKit::ROMol>> owned;
  std::vector<const RDKit::ROMol*> mols;
  for (const char* smiles : {"CCO", "c1ccccc1N", "CC(=O)O", "O=[N+]([O-])c1ccccc1", "NCCO",
                             "c1ccc2ccccc2c1", "ClC(Cl)Cl", "OCC(O)CO"}) {
    owned.push_back(smiles_to_mol(smiles));
    mols.push_back(owned.back().get());
  }
  for (const std::string method : {"saliency", "grad-cam", "gnnexplainer", "occlusion", "random"}) {
    for (const int64_t batch : {3, 1}) {
      MoleculeExplainerOptions options;
      options.batch = batch;
      options.method.epochs = 5;  // gnnexplainer: short, the prediction is what is compared
      MoleculeExplainer explainer(model_, method, options);
      const std::vector<double> predicted = explainer.predict(mols);
      const std::vector<MoleculeResult> results = explainer.explain(mols);
      ASSERT_EQ(results.size(), mols.size());
      ASSERT_EQ(predicted.size(), mols.size());
      for (size_t i = 0; i < mols.size(); ++i) {
        ASSERT_TRUE(results[i].explanation.has_value()) << method << " " << i;
        const MoleculeExplanation& e = *results[i].explanation;
        EXPECT_EQ(e.prediction, predicted[i]) << method << " batch " << batch << " molecule " << i;
        EXPECT_EQ(e.predicted_class, predicted[i] > 0.5 ? 1 : 0) << method << " " << i;
        EXPECT_EQ(e.explained_class, e.predicted_class) << method << " " << i;
      }
    }
  }
}

// GNNExplainer on molecules runs at the molecule defaults (method_defaults.h) unless the caller
// sets lr or edge_size; other methods' options are left alone.
TEST_F(MoleculeExplainerTest, GnnExplainerUsesTheMoleculeDefaultsUnlessGiven) {
  // Fresh options for each call (GCC 12 warns, wrongly, on copying an empty optional<string>).
  const explainers::MethodOptions filled = with_molecule_defaults("gnnexplainer", {});
  EXPECT_EQ(filled.lr, kMoleculeGnnExplainerLr);
  EXPECT_EQ(filled.edge_size, kMoleculeGnnExplainerEdgeSize);
  explainers::MethodOptions given;
  given.lr = 0.5;
  const explainers::MethodOptions kept = with_molecule_defaults("gnnexplainer", std::move(given));
  EXPECT_EQ(kept.lr, 0.5);
  EXPECT_EQ(kept.edge_size, kMoleculeGnnExplainerEdgeSize);
  for (const char* other : {"pgexplainer", "cf-gnnexplainer", "graphmask", "saliency"}) {
    const explainers::MethodOptions untouched = with_molecule_defaults(other, {});
    EXPECT_FALSE(untouched.lr.has_value()) << other;
    EXPECT_FALSE(untouched.edge_size.has_value()) << other;
  }
  EXPECT_STREQ(kDefaultMoleculeMethod, "guided-backprop");

  // Through the explainer: no options = the molecule defaults spelt out, and not the synthetic
  // defaults (lr 0.1, edge size 0.005).
  const auto mol = smiles_to_mol("O=[N+]([O-])c1ccc(N)cc1");
  auto atoms = [&](std::optional<double> lr, std::optional<double> edge_size) {
    MoleculeExplainerOptions options;
    options.method.epochs = 30;
    options.method.lr = lr;
    options.method.edge_size = edge_size;
    return MoleculeExplainer(model_, "gnnexplainer", options).explain(*mol).atoms;
  };
  const std::vector<double> by_default = atoms(std::nullopt, std::nullopt);
  EXPECT_EQ(by_default, atoms(kMoleculeGnnExplainerLr, kMoleculeGnnExplainerEdgeSize));
  EXPECT_NE(by_default, atoms(0.1, 0.005));
}

// Issue 19: "label=1: P(1) = 0.091 | explaining class 0" read as the opposite of its meaning on
// Mutagenicity. The model file's class names reach every explanation and its legend.
TEST_F(MoleculeExplainerTest, ClassNamesComeFromTheModelFile) {
  const std::string named = (temp_.path() / "named.gnnx").string();
  save_model(named, {"inactive", "active"});
  MoleculeExplainer explainer(named, "saliency");
  EXPECT_EQ(explainer.class_names(), (std::vector<std::string>{"inactive", "active"}));
  const auto mol = smiles_to_mol("c1ccccc1N");
  const MoleculeExplanation e = explainer.explain(*mol);
  ASSERT_TRUE(e.explained_class == 0 || e.explained_class == 1);
  const std::string name = e.explained_class == 0 ? "inactive" : "active";
  EXPECT_EQ(e.explained_class_name, name);
  EXPECT_EQ(e.predicted_class_name, e.predicted_class == 0 ? "inactive" : "active");
  EXPECT_NE(e.legend.find("active: P(active) = "), std::string::npos) << e.legend;
  EXPECT_NE(e.legend.find("explaining '" + name + "'"), std::string::npos) << e.legend;
  // Without names: class numbers, as before.
  const MoleculeExplanation plain = MoleculeExplainer(model_, "saliency").explain(*mol);
  EXPECT_TRUE(plain.explained_class_name.empty());
  EXPECT_NE(plain.legend.find("explaining class "), std::string::npos) << plain.legend;
  // A binary model naming three classes is refused.
  const std::string three = (temp_.path() / "three.gnnx").string();
  save_model(three, {"a", "b", "c"});
  EXPECT_THROW(MoleculeExplainer(three, "saliency"), InputError);
}

}  // namespace
}  // namespace gnnx::molecules
