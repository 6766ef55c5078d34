// Featurisation checked by hand on benzene and nitrobenzene, and the node/edge <-> atom/bond maps.

#include <GraphMol/ROMol.h>
#include <gnnx/gnn/error.h>
#include <gnnx/molecules/featurize.h>
#include <gnnx/molecules/parse.h>
#include <gtest/gtest.h>
#include <torch/types.h>

#include <algorithm>

namespace gnnx::molecules {
namespace {

int64_t column(const FeaturizerOptions& o, const std::string& name) {
  const auto names = o.feature_names();
  const auto it = std::find(names.begin(), names.end(), name);
  EXPECT_NE(it, names.end()) << name;
  return it - names.begin();
}

float at(const MolGraph& g, int64_t node, const FeaturizerOptions& o, const std::string& name) {
  return g.graph.x()[node][column(o, name)].item<float>();
}

TEST(FeaturizeTest, BenzeneByHand) {
  const auto mol = smiles_to_mol("c1ccccc1");
  const FeaturizerOptions o;
  const MolGraph g = featurize(*mol, o);
  ASSERT_EQ(g.graph.num_nodes(), 6);
  ASSERT_EQ(g.graph.num_edges(), 12);  // 6 bonds, both directions
  EXPECT_EQ(g.graph.num_features(), o.num_features());
  EXPECT_EQ(o.num_features(), static_cast<int64_t>(o.elements.size()) + 1 + 24);
  for (int64_t i = 0; i < 6; ++i) {
    EXPECT_EQ(at(g, i, o, "element=C"), 1);
    EXPECT_EQ(at(g, i, o, "degree=2"), 1);
    EXPECT_EQ(at(g, i, o, "charge=0"), 1);
    EXPECT_EQ(at(g, i, o, "hydrogens=1"), 1);
    EXPECT_EQ(at(g, i, o, "aromatic"), 1);
    EXPECT_EQ(at(g, i, o, "hybridisation=sp2"), 1);
    EXPECT_EQ(at(g, i, o, "in_ring"), 1);
    EXPECT_EQ(g.graph.x()[i].sum().item<float>(), 7);  // exactly those seven ones
    EXPECT_EQ(g.atom_of_node[i], i);
  }
  const auto ei = g.graph.edge_index();
  for (int64_t b = 0; b < 6; ++b) {
    const auto* bond = mol->getBondWithIdx(b);
    EXPECT_EQ(ei[0][2 * b].item<int64_t>(), bond->getBeginAtomIdx());
    EXPECT_EQ(ei[1][2 * b].item<int64_t>(), bond->getEndAtomIdx());
    EXPECT_EQ(ei[0][2 * b + 1].item<int64_t>(), bond->getEndAtomIdx());
    EXPECT_EQ(ei[1][2 * b + 1].item<int64_t>(), bond->getBeginAtomIdx());
    EXPECT_EQ(g.bond_of_edge[2 * b], b);
    EXPECT_EQ(g.bond_of_edge[2 * b + 1], b);
    // Bond type one-hot: single, double, triple, aromatic.
    EXPECT_TRUE(g.graph.edge_attr()[2 * b].equal(torch::tensor({0.f, 0.f, 0.f, 1.f})));
  }
}

TEST(FeaturizeTest, NitrobenzeneByHand) {
  // Atoms: 0 O (=), 1 N+, 2 O-, 3..8 aromatic ring carbons.
  const auto mol = smiles_to_mol("O=[N+]([O-])c1ccccc1");
  const FeaturizerOptions o;
  const MolGraph g = featurize(*mol, o);
  ASSERT_EQ(g.graph.num_nodes(), 9);
  ASSERT_EQ(g.graph.num_edges(), 18);
  EXPECT_EQ(at(g, 0, o, "element=O"), 1);
  EXPECT_EQ(at(g, 0, o, "degree=1"), 1);
  EXPECT_EQ(at(g, 0, o, "charge=0"), 1);
  EXPECT_EQ(at(g, 1, o, "element=N"), 1);
  EXPECT_EQ(at(g, 1, o, "degree=3"), 1);
  EXPECT_EQ(at(g, 1, o, "charge=1"), 1);
  EXPECT_EQ(at(g, 1, o, "hydrogens=0"), 1);
  EXPECT_EQ(at(g, 1, o, "aromatic"), 0);
  EXPECT_EQ(at(g, 1, o, "in_ring"), 0);
  EXPECT_EQ(at(g, 2, o, "charge=-1"), 1);
  EXPECT_EQ(at(g, 3, o, "element=C"), 1);
  EXPECT_EQ(at(g, 3, o, "degree=3"), 1);
  EXPECT_EQ(at(g, 3, o, "hydrogens=0"), 1);
  EXPECT_EQ(at(g, 4, o, "hydrogens=1"), 1);
  EXPECT_EQ(at(g, 4, o, "in_ring"), 1);
  // Bond 0 is O=N (double), bond 1 N-O (single), bond 2 N-C (single), the rest aromatic.
  EXPECT_EQ(g.graph.edge_attr()[0][1].item<float>(), 1);
  EXPECT_EQ(g.graph.edge_attr()[2][0].item<float>(), 1);
  EXPECT_EQ(g.graph.edge_attr()[4][0].item<float>(), 1);
  EXPECT_EQ(g.graph.edge_attr()[6][3].item<float>(), 1);
}

TEST(FeaturizeTest, MutagSevenElements) {
  const auto mol = smiles_to_mol("O=[N+]([O-])c1ccccc1");
  const FeaturizerOptions o = FeaturizerOptions::mutag();
  const MolGraph g = featurize(*mol, o);
  ASSERT_EQ(g.graph.num_features(), 7);
  // TUDataset MUTAG labels: 0 C, 1 N, 2 O, 3 F, 4 I, 5 Cl, 6 Br.
  EXPECT_TRUE(
      g.graph.x().argmax(1).equal(torch::tensor({2, 1, 2, 0, 0, 0, 0, 0, 0}, torch::kLong)));
  const auto sulfur = smiles_to_mol("CS");
  EXPECT_THROW(featurize(*sulfur, o), InputError);
}

TEST(FeaturizeTest, MutagenicityAddsHydrogensMappedToNoAtom) {
  const auto mol = smiles_to_mol("Nc1ccccc1");  // aniline: 7 heavy atoms, 7 H
  const MolGraph g = featurize(*mol, FeaturizerOptions::mutagenicity());
  EXPECT_EQ(g.graph.num_nodes(), 14);
  EXPECT_EQ(g.graph.num_features(), 14);
  EXPECT_EQ(g.num_atoms, 7);
  EXPECT_EQ(g.atom_of_node[6], 6);
  EXPECT_EQ(g.atom_of_node[7], -1);
  const auto values = to_atoms_and_bonds(g, std::vector<double>(14, 1.0), {});
  EXPECT_EQ(values.atoms.size(), 7u);
  EXPECT_EQ(values.bonds.size(), 7u);
}

TEST(FeaturizeTest, MetadataRoundTrip) {
  const FeaturizerOptions o = FeaturizerOptions::mutagenicity();
  const FeaturizerOptions back = FeaturizerOptions::from_metadata(o.to_metadata());
  EXPECT_EQ(back.elements, o.elements);
  EXPECT_EQ(back.explicit_hydrogens, o.explicit_hydrogens);
  EXPECT_EQ(back.num_features(), o.num_features());
  EXPECT_THROW(FeaturizerOptions::from_metadata({}), InputError);
}

// Bond details (the bond features of gine and gat models): type one-hot, conjugated, in a ring.
TEST(FeaturizeTest, BondDetailsByHand) {
  FeaturizerOptions o;
  o.bond_details = true;
  EXPECT_EQ(o.num_bond_features(), 6);
  // Bonds: 0 C=C, 1 C-C (conjugated, between the double bonds), 2 C=C, 3 C-CH2, 4 CH2-ring,
  // 5..10 the aromatic ring.
  const auto mol = smiles_to_mol("C=CC=CCc1ccccc1");
  const MolGraph g = featurize(*mol, o);
  const auto& attr = g.graph.edge_attr();
  ASSERT_EQ(attr.sizes(), (std::vector<int64_t>{int64_t{2} * 11, 6}));
  auto bond = [&](int64_t b) { return attr[2 * b]; };
  EXPECT_TRUE(bond(0).equal(torch::tensor({0.f, 1.f, 0.f, 0.f, 1.f, 0.f})));
  EXPECT_TRUE(bond(1).equal(torch::tensor({1.f, 0.f, 0.f, 0.f, 1.f, 0.f})));
  EXPECT_TRUE(bond(3).equal(torch::tensor({1.f, 0.f, 0.f, 0.f, 0.f, 0.f})));
  EXPECT_TRUE(bond(4).equal(torch::tensor({1.f, 0.f, 0.f, 0.f, 0.f, 0.f})));
  for (int64_t b = 5; b < 11; ++b) {
    EXPECT_TRUE(bond(b).equal(torch::tensor({0.f, 0.f, 0.f, 1.f, 1.f, 1.f}))) << b;
  }
  EXPECT_TRUE(attr[1].equal(attr[0]));  // both directions of a bond alike
  // Off by default: the four bond-type columns of before.
  EXPECT_EQ(featurize(*mol, FeaturizerOptions()).graph.edge_attr().size(1), 4);
  // Recorded in the card; files written before the option read as off.
  EXPECT_TRUE(FeaturizerOptions::from_metadata(o.to_metadata()).bond_details);
  auto old = FeaturizerOptions().to_metadata();
  old.erase("featurizer.bond_details");
  EXPECT_FALSE(FeaturizerOptions::from_metadata(old).bond_details);
}

TEST(FeaturizeTest, EdgeValuesBecomeBondMeansAndAtomMeans) {
  const auto mol = smiles_to_mol("CCO");
  const MolGraph g = featurize(*mol, FeaturizerOptions());
  // Bond 0 (C-C): edges 0, 1; bond 1 (C-O): edges 2, 3.
  const auto v = to_atoms_and_bonds(g, {}, {1.0, 3.0, 4.0, 8.0});
  EXPECT_DOUBLE_EQ(v.bonds[0], 2.0);
  EXPECT_DOUBLE_EQ(v.bonds[1], 6.0);
  // Atoms: mean of the edges that end at them: atom 0 <- edge 1 (3); atom 1 <- edges 0, 3.
  EXPECT_DOUBLE_EQ(v.atoms[0], 3.0);
  EXPECT_DOUBLE_EQ(v.atoms[1], (1.0 + 8.0) / 2);
  EXPECT_DOUBLE_EQ(v.atoms[2], 4.0);
}

}  // namespace
}  // namespace gnnx::molecules
