// Explanation fragments on nitrobenzene checked by hand (which atoms, which bonds, SMILES that
// RDKit writes and a SMARTS that finds the fragment again), fragment counts, and the drawings
// that show them (outline, contours, grids).

#include <GraphMol/ROMol.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <GraphMol/Substruct/SubstructMatch.h>
#include <gnnx/gnn/error.h>
#include <gnnx/molecules/draw.h>
#include <gnnx/molecules/fragment.h>
#include <gnnx/molecules/parse.h>
#include <gtest/gtest.h>

#include <memory>
#include <set>

namespace gnnx::molecules {
namespace {

// O=[N+]([O-])c1ccccc1: atoms 0 O, 1 N+, 2 O-, 3 ipso C, 4..8 ring C. Bonds 0 O=N, 1 N-O,
// 2 N-C3, 3..7 the ring path 3-4-5-6-7-8, 8 the ring closure 8-3.
const char* kNitrobenzene = "O=[N+]([O-])c1ccccc1";

std::vector<double> nitro_values() { return {0.9, 1.0, 0.8, 0.3, 0.1, 0.1, 0.1, 0.1, 0.1}; }

/// The fragment's SMARTS matches the molecule on exactly the fragment's atoms.
void expect_smarts_finds_fragment(const RDKit::ROMol& mol, const Fragment& f) {
  std::unique_ptr<RDKit::ROMol> query(RDKit::SmartsToMol(f.smarts));
  ASSERT_NE(query, nullptr) << f.smarts;
  std::vector<RDKit::MatchVectType> matches;
  ASSERT_GT(RDKit::SubstructMatch(mol, *query, matches), 0u) << f.smarts;
  const std::set<int> want(f.atoms.begin(), f.atoms.end());
  bool found = false;
  for (const auto& match : matches) {
    std::set<int> got;
    for (const auto& [q, atom] : match) got.insert(atom);
    found = found || got == want;
  }
  EXPECT_TRUE(found) << f.smarts;
}

TEST(FragmentTest, SizeGrowsFromTheTopAtomThroughNeighbours) {
  const auto mol = smiles_to_mol(kNitrobenzene);
  FragmentOptions o;
  o.size = 4;
  const Fragment f = explanation_fragment(*mol, nitro_values(), o);
  EXPECT_EQ(f.atoms, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(f.bonds, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(f.smiles, "c[N+](=O)[O-]");
  expect_smarts_finds_fragment(*mol, f);
}

TEST(FragmentTest, ThresholdKeepsTheConnectedAtomsAboveIt) {
  const auto mol = smiles_to_mol(kNitrobenzene);
  std::vector<double> v = nitro_values();
  v[6] = 0.95;  // high, but not connected to the nitro group through high atoms
  const Fragment f = explanation_fragment(*mol, v, FragmentOptions{0, 0.5});
  EXPECT_EQ(f.atoms, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(f.bonds, (std::vector<int>{0, 1}));
  EXPECT_EQ(f.smiles, "O=[N+][O-]");
  expect_smarts_finds_fragment(*mol, f);
  // Threshold 0: everything reachable, i.e. the whole molecule.
  EXPECT_EQ(explanation_fragment(*mol, v, FragmentOptions{0, 0.0}).atoms.size(), 9u);
}

// Issue 19: fragments were mostly lone atoms ('O' explained 116 of 400 molecules). min_atoms
// grows a fragment past the threshold, through the best neighbours, to at least that size.
TEST(FragmentTest, MinAtomsGrowsPastTheThreshold) {
  const auto mol = smiles_to_mol(kNitrobenzene);
  std::vector<double> v = nitro_values();
  v[1] = 0.2;  // only the O= is above the threshold: alone, the fragment is "O"
  FragmentOptions o{0, 0.5};
  EXPECT_EQ(explanation_fragment(*mol, v, o).smiles, "O");
  o.min_atoms = 3;  // O=, then N+ (its only neighbour), then the O- (0.8) before the ring C (0.3)
  const Fragment f = explanation_fragment(*mol, v, o);
  EXPECT_EQ(f.atoms, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(f.smiles, "O=[N+][O-]");
  expect_smarts_finds_fragment(*mol, f);
  // Atoms above the threshold still join after the minimum is reached; a molecule smaller than
  // the minimum gives all its atoms.
  v[5] = 0.7;  // reached through the ring C 3 (0.3) and C 4 (0.1, the lower index of the tie)
  o.min_atoms = 5;
  EXPECT_EQ(explanation_fragment(*mol, v, o).atoms, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  const auto water = smiles_to_mol("O");
  EXPECT_EQ(explanation_fragment(*water, {1.0}, o).atoms, (std::vector<int>{0}));
}

TEST(FragmentTest, ARingWhoseAtomsAreAllTakenStaysARing) {
  const auto mol = smiles_to_mol(kNitrobenzene);
  const std::vector<double> v = {0, 0, 0, 1, 1, 1, 1, 1, 1};
  const Fragment f = explanation_fragment(*mol, v, FragmentOptions{6, 0.5});
  EXPECT_EQ(f.atoms, (std::vector<int>{3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(f.bonds, (std::vector<int>{3, 4, 5, 6, 7, 8}));  // closure bond 8 included
  EXPECT_EQ(f.smiles, "c1ccccc1");
  expect_smarts_finds_fragment(*mol, f);
}

TEST(FragmentTest, TiesGoToTheLowestIndexAndNonFiniteValuesCountLowest) {
  const auto mol = smiles_to_mol("CCCC");
  EXPECT_EQ(explanation_fragment(*mol, {1, 1, 1, 1}, FragmentOptions{2, 0.5}).atoms,
            (std::vector<int>{0, 1}));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(explanation_fragment(*mol, {nan, 0.2, 0.3, 0.1}, FragmentOptions{2, 0.5}).atoms,
            (std::vector<int>{1, 2}));
  // Signed values: the fragment is what speaks for the class, not the largest |value|.
  EXPECT_EQ(explanation_fragment(*mol, {-5, 0.2, 0.3, 0.1}, FragmentOptions{1, 0.5}).atoms,
            (std::vector<int>{2}));
}

TEST(FragmentTest, BadInputThrows) {
  const auto mol = smiles_to_mol("CCO");
  EXPECT_THROW(explanation_fragment(*mol, {1, 2}, FragmentOptions()), InputError);
  EXPECT_THROW(explanation_fragment(*mol, {1, 2, 3}, FragmentOptions{-1, 0.5}), InputError);
  EXPECT_THROW(explanation_fragment(*mol, {1, 2, 3}, FragmentOptions{0, 1.5}), InputError);
  EXPECT_THROW(explanation_fragment(*mol, {1, 2, 3}, FragmentOptions{0, 0.5, -1}), InputError);
  EXPECT_THROW(explanation_fragment(*mol, {1, 2, 3}, FragmentOptions{2, 0.5, 2}), InputError);
}

TEST(FragmentCounterTest, CountsBySmilesMostFrequentFirst) {
  FragmentCounter c;
  Fragment nitro{{0, 1, 2}, {0, 1}, "O=[N+][O-]", "[#8]=[#7+]-[#8-]"};
  Fragment amine{{0}, {}, "N", "[#7]"};
  c.add(amine, 0.4, "m1");
  c.add(nitro, 0.9, "m2");
  c.add(nitro, 0.7, "m3");
  c.add(Fragment(), 0.1, "m4");  // nothing to count, but a molecule seen
  const auto rows = c.rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].smiles, "O=[N+][O-]");
  EXPECT_EQ(rows[0].count, 2);
  EXPECT_DOUBLE_EQ(rows[0].mean_prediction, 0.8);
  EXPECT_EQ(rows[0].first_id, "m2");
  EXPECT_EQ(c.molecules(), 4);
  EXPECT_EQ(c.to_csv(),
            "explained_class,explained_class_name,fragment_smiles,fragment_smarts,count,fraction,"
            "mean_prediction,first_id\n"
            "-1,,O=[N+][O-],[#8]=[#7+]-[#8-],2,0.5,0.8,m2\n"
            "-1,,N,[#7],1,0.25,0.4,m1\n");
}

// Issue 19: counts had no explained-class column, so a fragment speaking for "nonmutagen" was
// tallied with those speaking for "mutagen". Each class is its own row and its own denominator.
TEST(FragmentCounterTest, CountsEachExplainedClassApart) {
  FragmentCounter c;
  Fragment nitro{{0, 1, 2}, {0, 1}, "O=[N+][O-]", "[#8]=[#7+]-[#8-]"};
  Fragment ring{
      {0, 1, 2, 3, 4, 5}, {0, 1, 2, 3, 4, 5}, "c1ccccc1", "[#6]1:[#6]:[#6]:[#6]:[#6]:[#6]:1"};
  c.add(nitro, 0.2, "a", 0, "mutagen");
  c.add(nitro, 0.4, "b", 0, "mutagen");
  c.add(ring, 0.3, "c", 0, "mutagen");
  c.add(nitro, 0.9, "d", 1, "nonmutagen");
  const auto rows = c.rows();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].explained_class_name, "mutagen");
  EXPECT_EQ(rows[0].count, 2);
  EXPECT_EQ(rows[1].explained_class, 0);  // equal counts: class 0 before class 1
  EXPECT_EQ(rows[1].smiles, "c1ccccc1");
  EXPECT_EQ(rows[2].explained_class, 1);
  EXPECT_EQ(rows[2].smiles, "O=[N+][O-]");
  EXPECT_EQ(c.molecules_explaining(0), 3);
  EXPECT_EQ(c.molecules_explaining(1), 1);
  const std::string csv = c.to_csv();
  EXPECT_NE(csv.find("\n0,mutagen,O=[N+][O-],[#8]=[#7+]-[#8-],2,0.666667,0.3,a\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\n1,nonmutagen,O=[N+][O-],[#8]=[#7+]-[#8-],1,1,0.9,d\n"), std::string::npos)
      << csv;
}

/// Width and height from a PNG's IHDR chunk.
std::pair<int, int> png_size(const std::string& png) {
  auto be32 = [&](size_t at) {
    int v = 0;
    for (size_t i = 0; i < 4; ++i) v = v * 256 + static_cast<unsigned char>(png.at(at + i));
    return v;
  };
  return {be32(16), be32(20)};
}

TEST(DrawExplanationTest, OutlineAndContoursChangeThePicture) {
  const auto mol = smiles_to_mol(kNitrobenzene);
  const std::vector<double> bonds(9, 0.2);
  DrawOptions plain;
  plain.width = 300;
  plain.height = 240;
  DrawOptions outlined = plain;
  outlined.outline_atoms = {0, 1, 2};
  outlined.outline_bonds = {0, 1};
  DrawOptions contoured = outlined;
  contoured.contours = true;
  for (ImageFormat format : {ImageFormat::kPng, ImageFormat::kSvg}) {
    const std::string a = draw_molecule(*mol, nitro_values(), bonds, plain, format);
    const std::string b = draw_molecule(*mol, nitro_values(), bonds, outlined, format);
    const std::string c = draw_molecule(*mol, nitro_values(), bonds, contoured, format);
    EXPECT_NE(a, b);
    EXPECT_NE(b, c);
    if (format == ImageFormat::kPng) {
      EXPECT_EQ(b.substr(1, 3), "PNG");
      EXPECT_EQ(png_size(c), std::make_pair(300, 240));
    } else {
      EXPECT_NE(c.find("</svg>"), std::string::npos);
    }
  }
  outlined.outline_atoms = {9};
  EXPECT_THROW(draw_molecule(*mol, nitro_values(), bonds, outlined, ImageFormat::kPng), InputError);
}

TEST(DrawGridTest, PanelsAreLaidOutInRows) {
  const auto mol = smiles_to_mol(kNitrobenzene);
  DrawOptions o;
  o.width = 200;
  o.height = 150;
  std::vector<std::string> png, svg;
  for (int i = 0; i < 3; ++i) {
    png.push_back(draw_molecule(*mol, nitro_values(), {}, o, ImageFormat::kPng));
    svg.push_back(draw_molecule(*mol, nitro_values(), {}, o, ImageFormat::kSvg));
  }
  const std::string grid = draw_grid(png, 2, ImageFormat::kPng);
  EXPECT_EQ(png_size(grid), std::make_pair(400, 300));  // 2 columns, 2 rows
  const std::string svg_grid = draw_grid(svg, 3, ImageFormat::kSvg);
  EXPECT_NE(svg_grid.find("width='600px' height='150px'"), std::string::npos);
  size_t panels = 0;
  for (size_t at = svg_grid.find("<svg x="); at != std::string::npos;
       at = svg_grid.find("<svg x=", at + 1)) {
    ++panels;
  }
  EXPECT_EQ(panels, 3u);
  EXPECT_NE(svg_grid.find("<svg x='400' y='0'"), std::string::npos);

  o.width = 210;
  png.push_back(draw_molecule(*mol, nitro_values(), {}, o, ImageFormat::kPng));
  EXPECT_THROW(draw_grid(png, 2, ImageFormat::kPng), InputError);
  EXPECT_THROW(draw_grid({}, 2, ImageFormat::kPng), InputError);
  EXPECT_THROW(draw_grid({"not a png"}, 2, ImageFormat::kPng), InputError);
}

}  // namespace
}  // namespace gnnx::molecules
