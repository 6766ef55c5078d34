// XGNN chemistry (molecules/xgnn_chemistry.h): the named rules, what is learned from training
// molecules, aromaticity and nitro perception of skeletons, and fingerprint neighbours.

#include <gnnx/gnn/error.h>
#include <gnnx/molecules/xgnn_chemistry.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

namespace gnnx::molecules {
namespace {

// A ring of `n` carbons, atoms 0..n-1.
Skeleton carbon_ring(int64_t n) {
  Skeleton m;
  for (int64_t i = 0; i < n; ++i) {
    m.elements.push_back("C");
    m.bonds.push_back({i, (i + 1) % n});
  }
  return m;
}

// Nitrobenzene's skeleton: a six-carbon ring, N on atom 0, two terminal O on the N.
Skeleton nitrobenzene() {
  Skeleton m = carbon_ring(6);
  m.elements.insert(m.elements.end(), {"N", "O", "O"});
  m.bonds.insert(m.bonds.end(), {{0, 6}, {6, 7}, {6, 8}});
  return m;
}

TEST(XgnnChemistryRules, NamesRoundTripAndUnknownNamesAreRefused) {
  for (ChemRule r : all_chem_rules()) EXPECT_EQ(parse_chem_rule(to_string(r)), r);
  EXPECT_EQ(chem_rules_without({}).size(), all_chem_rules().size());
  EXPECT_TRUE(chem_rules_without({"all"}).empty());
  const std::vector<ChemRule> some = chem_rules_without({"o-o", "aromatic"});
  EXPECT_EQ(some.size(), all_chem_rules().size() - 2);
  EXPECT_EQ(std::count(some.begin(), some.end(), ChemRule::kPeroxide), 0);
  try {
    chem_rules_without({"no-such-rule"});
    FAIL() << "an unknown rule name must throw";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'no-such-rule'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("seen-bonds"), std::string::npos) << "lists the names";
  }
}

TEST(XgnnChemistryRules, FactsOfSkeletons) {
  const SkeletonFacts benzene = skeleton_facts(carbon_ring(6));
  EXPECT_TRUE(benzene.ring());
  EXPECT_EQ(benzene.ring_sizes(), std::set<int64_t>({6}));
  // Naphthalene: two fused six-rings; the shared bond's smallest ring is 6 as well.
  Skeleton naphthalene = carbon_ring(6);
  for (int i = 0; i < 4; ++i) naphthalene.elements.push_back("C");
  naphthalene.bonds.insert(naphthalene.bonds.end(), {{0, 6}, {6, 7}, {7, 8}, {8, 9}, {9, 1}});
  EXPECT_EQ(skeleton_facts(naphthalene).ring_sizes(), std::set<int64_t>({6}));
  const SkeletonFacts chain = skeleton_facts({{"C", "C", "O"}, {{0, 1}, {1, 2}}});
  EXPECT_FALSE(chain.ring());
  EXPECT_EQ(chain.ring_size_of_bond, std::vector<int64_t>({0, 0}));
  EXPECT_TRUE(skeleton_facts({{"C", "O", "O"}, {{0, 1}, {1, 2}}}).o_o);
  EXPECT_FALSE(skeleton_facts({{"C", "O", "O"}, {{0, 1}, {1, 2}}}).n_o_o);
  EXPECT_TRUE(skeleton_facts({{"N", "O", "O"}, {{0, 1}, {1, 2}}}).n_o_o);
  EXPECT_TRUE(skeleton_facts(nitrobenzene()).nitro);
  EXPECT_FALSE(skeleton_facts({{"C", "N", "O", "O"}, {{0, 1}, {1, 2}}}).nitro);  // 2 bonds on N
  // Oxirane alone is a 3-ring but not fused; a cyclopropane sharing a bond with a cyclobutane
  // (bicyclo[2.1.0]pentane) and a spiro one are.
  EXPECT_FALSE(skeleton_facts({{"C", "C", "O"}, {{0, 1}, {1, 2}, {2, 0}}}).fused_three_ring);
  const Skeleton bicyclo{{"C", "C", "C", "C", "C"},
                         {{0, 1}, {1, 2}, {2, 0}, {1, 3}, {3, 4}, {4, 2}}};
  EXPECT_TRUE(skeleton_facts(bicyclo).fused_three_ring);
  const Skeleton spiro{{"C", "C", "C", "C", "C"}, {{0, 1}, {1, 2}, {2, 0}, {0, 3}, {3, 4}, {4, 0}}};
  EXPECT_TRUE(skeleton_facts(spiro).fused_three_ring);
  EXPECT_THROW(skeleton_facts({{"C"}, {{0, 1}}}), InputError);
}

TEST(XgnnChemistryRules, LearnedFromTrainingMoleculesAndCheckedByName) {
  const ChemistryProfile p = learn_chemistry({nitrobenzene(), {{"C", "Cl"}, {{0, 1}}}});
  EXPECT_EQ(p.molecules, 2);
  EXPECT_TRUE(p.bonded("N", "C"));
  EXPECT_TRUE(p.bonded("Cl", "C"));
  EXPECT_FALSE(p.bonded("O", "O"));
  EXPECT_EQ(p.ring_sizes, std::set<int64_t>({6}));
  const auto unseen = unseen_bonds(p, {"C", "N", "O", "Cl"});
  EXPECT_NE(std::find(unseen.begin(), unseen.end(), std::pair<std::string, std::string>("Cl", "O")),
            unseen.end());
  EXPECT_EQ(std::find(unseen.begin(), unseen.end(), std::pair<std::string, std::string>("C", "N")),
            unseen.end());

  const std::vector<ChemRule> all = all_chem_rules();
  EXPECT_EQ(chem_rule_problem(all, p, nitrobenzene()), "");
  // C-O is bonded in neither training molecule.
  EXPECT_NE(chem_rule_problem(all, p, {{"C", "O"}, {{0, 1}}}).find("seen-bonds: a C-O bond"),
            std::string::npos);
  EXPECT_NE(chem_rule_problem(all, p, {{"C", "Cl", "O"}, {{0, 1}, {1, 2}}}).find("seen-bonds"),
            std::string::npos);
  // O-O with seen-bonds off: the o-o rule alone refuses it.
  const std::vector<ChemRule> no_seen = chem_rules_without({"seen-bonds"});
  EXPECT_NE(chem_rule_problem(no_seen, p, {{"C", "O", "O"}, {{0, 1}, {1, 2}}}).find("o-o"),
            std::string::npos);
  EXPECT_NE(chem_rule_problem(chem_rules_without({"seen-bonds", "o-o"}), p,
                              {{"N", "O", "O"}, {{0, 1}, {1, 2}}})
                .find("n-o-o"),
            std::string::npos);
  EXPECT_NE(chem_rule_problem(no_seen, p, carbon_ring(5)).find("ring-sizes: a 5-membered"),
            std::string::npos);
  EXPECT_EQ(chem_rule_problem(chem_rules_without({"ring-sizes"}), p, carbon_ring(5)), "");
  const Skeleton bicyclo{{"C", "C", "C", "C", "C"},
                         {{0, 1}, {1, 2}, {2, 0}, {1, 3}, {3, 4}, {4, 2}}};
  EXPECT_NE(chem_rule_problem(chem_rules_without({"ring-sizes"}), p, bicyclo).find("fused-3-ring"),
            std::string::npos);
  // Learned: once a training molecule has a peroxide, the o-o rule allows one.
  const ChemistryProfile with_peroxide =
      learn_chemistry({{{"C", "O", "O", "C"}, {{0, 1}, {1, 2}, {2, 3}}}});
  EXPECT_EQ(chem_rule_problem(all, with_peroxide, {{"C", "O", "O", "C"}, {{0, 1}, {1, 2}, {2, 3}}}),
            "");
  EXPECT_EQ(chem_rule_problem(chem_rules_without({"all"}), p, {{"O", "O"}, {{0, 1}}}), "");
}

// Element counts: the most atoms of each element one training molecule has (nitrobenzene: 6 C,
// 1 N, 2 O; chloromethane: 1 Cl) bound every element; an element no molecule has is refused.
TEST(XgnnChemistryRules, ElementCountsAreBoundedByTheTrainingMolecules) {
  const ChemistryProfile p = learn_chemistry({nitrobenzene(), {{"C", "Cl"}, {{0, 1}}}});
  EXPECT_EQ(p.max_element_count,
            (std::map<std::string, int64_t>{{"C", 6}, {"Cl", 1}, {"N", 1}, {"O", 2}}));
  const std::vector<ChemRule> counts_only = {ChemRule::kElementCounts};
  EXPECT_EQ(chem_rule_problem(counts_only, p, {{"C", "Cl"}, {{0, 1}}}), "");
  EXPECT_EQ(chem_rule_problem(counts_only, p, carbon_ring(6)), "");
  EXPECT_EQ(chem_rule_problem(counts_only, p, carbon_ring(7))
                .find("element-counts: 7 C atoms, more than any training molecule has (at most 6)"),
            0u);
  // The halogen clusters the MUTAG classifier rewards: two Cl on one carbon.
  EXPECT_EQ(chem_rule_problem(counts_only, p, {{"Cl", "C", "Cl"}, {{0, 1}, {1, 2}}})
                .find("element-counts: 2 Cl atoms"),
            0u);
  // An element no training molecule has.
  EXPECT_EQ(chem_rule_problem(counts_only, p, {{"C", "Br"}, {{0, 1}}}),
            "element-counts: 1 Br atom, more than any training molecule has (at most 0)");
  EXPECT_EQ(chem_rule_problem(chem_rules_without({"element-counts"}), p,
                              {{"Cl", "C", "Cl"}, {{0, 1}, {1, 2}}}),
            "");
}

TEST(XgnnChemistryPerception, AromaticRingsAndNitroGroups) {
  EXPECT_EQ(perceived_smiles(carbon_ring(6)), "c1ccccc1");
  EXPECT_EQ(perceived_smiles(carbon_ring(6), /*perceive=*/false), "C1CCCCC1");
  EXPECT_EQ(perceived_smiles(nitrobenzene()), "O=[N+]([O-])c1ccccc1");
  // Pyridine: the ring N takes a double bond too.
  Skeleton pyridine = carbon_ring(6);
  pyridine.elements[0] = "N";
  EXPECT_EQ(perceived_smiles(pyridine), "c1ccncc1");
  // A ring carbon with four bonds has no free valence: cyclohexane stays saturated there.
  Skeleton gem = carbon_ring(6);
  gem.elements.insert(gem.elements.end(), {"C", "C"});
  gem.bonds.insert(gem.bonds.end(), {{0, 6}, {0, 7}});
  const MoleculeTraits t = molecule_traits(gem);
  EXPECT_TRUE(t.ring);
  EXPECT_FALSE(t.aromatic_ring);
  const MoleculeTraits n = molecule_traits(nitrobenzene());
  EXPECT_TRUE(n.ring && n.aromatic_ring && n.nitro);
  EXPECT_THROW(perceived_smiles({{"F", "C", "C"}, {{0, 1}, {0, 2}}}), InputError);
}

// Regression test: one matching over every ring bond wrote MUTAG's molecule #22 (a nitro-iodo-
// fluorene) as O=[N+]([O-])C1=CC2C=c3cc(I)ccc3=C2C=C1: a double bond in the 5-membered ring and
// a benzene ring left non-aromatic. 6-membered rings are matched first.
TEST(XgnnChemistryPerception, FluoreneKeepsBothBenzeneRingsAromatic) {
  // Atoms 0-5 and 7-12: two six-carbon rings; atom 6: the CH2 of the 5-membered ring, which
  // joins atom 0 and atom 7; bond 5-8 closes the 5-membered ring 0-5-8-7-6.
  Skeleton fluorene;
  fluorene.elements.assign(13, "C");
  fluorene.bonds = {{0, 1},  {1, 2},   {2, 3},   {3, 4},  {4, 5}, {5, 0}, {7, 8}, {8, 9},
                    {9, 10}, {10, 11}, {11, 12}, {12, 7}, {0, 6}, {6, 7}, {5, 8}};
  EXPECT_EQ(skeleton_facts(fluorene).ring_sizes(), std::set<int64_t>({5, 6}));
  const std::string smiles = perceived_smiles(fluorene);
  EXPECT_EQ(std::count(smiles.begin(), smiles.end(), 'c'), 12) << smiles;
  EXPECT_EQ(smiles, "c1ccc2c(c1)Cc1ccccc1-2");
}

TEST(XgnnChemistryNeighbours, MostSimilarTrainingMoleculesFirst) {
  Skeleton toluene = carbon_ring(6);
  toluene.elements.push_back("C");
  toluene.bonds.push_back({0, 6});
  const std::vector<Skeleton> training = {
      {{"C", "C", "O"}, {{0, 1}, {1, 2}}},  // ethanol
      nitrobenzene(),
      {{"F", "C", "C"}, {{0, 1}, {0, 2}}},  // does not sanitise: skipped
      toluene,
  };
  const FingerprintIndex index(training);
  EXPECT_EQ(index.size(), 3);
  const std::vector<Neighbour> near = index.nearest(nitrobenzene(), 2);
  ASSERT_EQ(near.size(), 2U);
  EXPECT_EQ(near[0].index, 1);
  EXPECT_DOUBLE_EQ(near[0].similarity, 1.0);
  EXPECT_EQ(near[0].smiles, "O=[N+]([O-])c1ccccc1");
  EXPECT_EQ(near[1].index, 3) << "toluene shares the aromatic ring";
  EXPECT_GT(near[1].similarity, 0.0);
  EXPECT_LT(near[1].similarity, 1.0);
  EXPECT_EQ(index.nearest(carbon_ring(6), 10).size(), 3U);
  // Without perception the index holds (and compares) the single-bond molecules.
  const FingerprintIndex plain(training, /*perceive=*/false);
  EXPECT_EQ(plain.nearest(nitrobenzene(), 1)[0].smiles, "ON(O)C1CCCCC1");
  EXPECT_DOUBLE_EQ(plain.nearest(nitrobenzene(), 1)[0].similarity, 1.0);
}

}  // namespace
}  // namespace gnnx::molecules
