// XGNN on molecules: the RDKit valence rule, SMILES of generated graphs, and a generator run
// that must never return a molecule RDKit cannot sanitise.

#include <GraphMol/RWMol.h>
#include <gnnx/explainers/xgnn.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/models.h>
#include <gnnx/molecules/featurize.h>
#include <gnnx/molecules/xgnn_molecule_rules.h>
#include <gtest/gtest.h>
#include <torch/types.h>
#include <torch/utils.h>

namespace gnnx::molecules {
namespace {

const std::vector<std::string> kMutag = {"C", "N", "O", "F", "I", "Cl", "Br"};

std::vector<std::string> elements_of(const explainers::GeneratedGraph& g) {
  std::vector<std::string> out;
  for (int64_t t : g.types) out.push_back(kMutag[t]);
  return out;
}

TEST(XgnnMoleculeRules, ValenceFromRdkitSanitisation) {
  const BondList star4 = {{0, 1}, {0, 2}, {0, 3}, {0, 4}};
  EXPECT_TRUE(molecule_sanitizes({"C", "C", "C", "C", "C"}, star4));           // neopentane
  EXPECT_FALSE(molecule_sanitizes({"N", "C", "C", "C", "C"}, star4));          // neutral N, 4 bonds
  EXPECT_TRUE(molecule_sanitizes({"O", "C", "C"}, {{0, 1}, {0, 2}, {1, 2}}));  // oxirane
  EXPECT_FALSE(molecule_sanitizes({"F", "C", "C"}, {{0, 1}, {0, 2}}));
  EXPECT_NE(sanitization_problem({"Cl", "C", "C"}, {{0, 1}, {0, 2}}).find("valence"),
            std::string::npos);
  EXPECT_EQ(sanitization_problem({"C", "O"}, {{0, 1}}), "");
  EXPECT_EQ(generated_smiles({"C", "O"}, {{0, 1}}), "CO");
  EXPECT_EQ(generated_smiles({"O", "C", "C", "C", "C", "C"},
                             {{1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 1}, {0, 1}}),
            "OC1CCCC1");
  EXPECT_THROW(generated_smiles({"F", "C", "C"}, {{0, 1}, {0, 2}}), InputError);
  EXPECT_THROW(single_bond_molecule({"Xx"}, {}), InputError);
  EXPECT_THROW(single_bond_molecule({"C"}, {{0, 1}}), InputError);
}

// Regression test: RDKit sanitises hypervalent I (3 or 5 bonds), Cl, Br and 5-bonded N, and a
// MUTAG generator filled its molecules with them (p = 1.0 for I clusters the classifier had
// never seen). The rule allows each element's default valence only, as in every MUTAG molecule.
TEST(XgnnMoleculeRules, RejectsHypervalentAtomsThatRdkitAccepts) {
  const BondList star3 = {{0, 1}, {0, 2}, {0, 3}};
  EXPECT_NE(sanitization_problem({"I", "C", "C", "C"}, star3).find("hypervalent"),
            std::string::npos);
  EXPECT_FALSE(molecule_sanitizes({"Br", "C", "C"}, {{0, 1}, {0, 2}}));
  EXPECT_FALSE(molecule_sanitizes({"Cl", "C", "C", "C"}, star3));
  EXPECT_TRUE(molecule_sanitizes({"I", "C"}, {{0, 1}}));
  EXPECT_TRUE(molecule_sanitizes({"N", "O", "O", "C"}, star3));    // nitro, single-bond view
  EXPECT_NO_THROW(generated_smiles({"I", "C", "C", "C"}, star3));  // RDKit itself accepts it
}

TEST(XgnnMoleculeRules, FeaturizesLikeTheMutagGraphs) {
  const gnn::Graph g =
      featurize_generated({"C", "N", "O"}, {{0, 1}, {1, 2}}, FeaturizerOptions::mutag());
  EXPECT_EQ(g.num_nodes(), 3);
  EXPECT_EQ(g.num_edges(), 4);
  ASSERT_EQ(g.num_features(), 7);
  EXPECT_TRUE(torch::equal(g.x().argmax(1), torch::tensor({0, 1, 2}, torch::kLong)));
}

TEST(XgnnMoleculeRules, GridPictureIsAPng) {
  const std::string png =
      draw_molecule_grid({"CO", "CCN"}, {"p = 0.9", "p = 0.8"}, 5, ImageFormat::kPng);
  ASSERT_GT(png.size(), 8U);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  EXPECT_THROW(draw_molecule_grid({"CO"}, {}, 5, ImageFormat::kPng), InputError);
}

TEST(XgnnMolecules, GeneratorNeverReturnsAnInvalidMolecule) {
  gnn::ModelSpec spec;
  spec.task = gnn::Task::kGraphClassification;
  spec.in_features = 7;
  spec.num_classes = 2;
  torch::manual_seed(3);
  auto model = gnn::make_model(spec);  // an untrained classifier: any target will do
  int64_t rule_calls = 0, rule_rejections = 0;
  const explainers::GraphRule valence = [&](const explainers::GeneratedGraph& g) {
    ++rule_calls;
    const bool ok = molecule_sanitizes(elements_of(g), g.edges);
    rule_rejections += ok ? 0 : 1;
    return ok;
  };
  const FeaturizerOptions mutag = FeaturizerOptions::mutag();
  const explainers::GraphFeaturizer featurizer = [&](const explainers::GeneratedGraph& g) {
    return featurize_generated(elements_of(g), g.edges, mutag);
  };
  explainers::XgnnOptions o;
  o.max_nodes = 8;
  o.max_steps = 20;
  o.iterations = 15;
  o.rollouts = 3;
  o.generation_episodes = 30;
  o.num_results = 10;
  const explainers::XgnnResult r =
      explainers::run_xgnn(*model, 1, kMutag, featurizer, {valence}, o);
  EXPECT_GT(rule_rejections, 0) << "the test should exercise the rule";
  ASSERT_FALSE(r.graphs.empty());
  for (const auto& scored : r.graphs) {
    EXPECT_EQ(scored.graph.num_nodes(), 8);
    EXPECT_NO_THROW(generated_smiles(elements_of(scored.graph), scored.graph.edges));
  }
}

// Regression test: with the default valences most actions on a 15-atom molecule are invalid,
// and episodes of the reference's 30 actions returned no 15-atom molecule at all.
TEST(XgnnMolecules, FifteenAtomMoleculesGrowWithTheDefaultStepCount) {
  EXPECT_EQ(explainers::default_max_steps(6), 30);
  EXPECT_EQ(explainers::default_max_steps(15), 60);
  gnn::ModelSpec spec;
  spec.task = gnn::Task::kGraphClassification;
  spec.in_features = 7;
  spec.num_classes = 2;
  torch::manual_seed(3);
  auto model = gnn::make_model(spec);
  const explainers::GraphRule valence = [](const explainers::GeneratedGraph& g) {
    return molecule_sanitizes(elements_of(g), g.edges);
  };
  const FeaturizerOptions mutag = FeaturizerOptions::mutag();
  const explainers::GraphFeaturizer featurizer = [&](const explainers::GeneratedGraph& g) {
    return featurize_generated(elements_of(g), g.edges, mutag);
  };
  explainers::XgnnOptions o;
  o.max_nodes = 15;
  o.max_steps = explainers::default_max_steps(o.max_nodes);
  o.iterations = 10;
  o.rollouts = 2;
  o.generation_episodes = 100;
  const explainers::XgnnResult r =
      explainers::run_xgnn(*model, 1, kMutag, featurizer, {valence}, o);
  ASSERT_GE(r.graphs.size(), 5U);
  for (const auto& scored : r.graphs) {
    EXPECT_EQ(scored.graph.num_nodes(), 15);
    EXPECT_TRUE(molecule_sanitizes(elements_of(scored.graph), scored.graph.edges));
  }
}

}  // namespace
}  // namespace gnnx::molecules
