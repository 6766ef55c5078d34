// Ground truth of the molecule explanation benchmarks: Mutagenicity's NO2/NH2 edges on a
// hand-checked molecule (nitrobenzene), the graph-attribution valid-mask rule on hand-made
// match lists and against the counts the source data stores, the best-mask AUC, and edge scores
// from node scores.

#include <gnnx/explainers/metrics.h>
#include <gnnx/gnn/error.h>
#include <gnnx/molecules/ground_truth.h>
#include <gnnx/molecules/ground_truth_columns.h>
#include <gnnx/molecules/parse.h>
#include <gnnx/molecules/readers.h>
#include <gtest/gtest.h>

#include <torch/types.h>
#include "support/mutagenicity_truth_rows.h"

#include <GraphMol/ROMol.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

namespace gnnx::molecules {
namespace {

namespace fs = std::filesystem;

fs::path shared_data() {
  const char* data = std::getenv("GNNX_SHARED_DATA");
  return data != nullptr ? fs::path(data) : fs::path();
}

using Rules = std::vector<std::pair<std::string, std::vector<std::vector<int64_t>>>>;

TEST(GroundTruthTest, NitrobenzeneNitroBondsAreTheGroundTruthEdges) {
  const fs::path dir = shared_data() / "Mutagenicity" / "tudataset";
  if (!fs::exists(dir)) GTEST_SKIP() << "Mutagenicity not found under GNNX_SHARED_DATA";
  const datasets::TuDataset tu = datasets::read_tu_dataset(dir.string());
  // Graph 2212 (1-based; mutagenicity_smiles_gt.csv: O=[N+]([O-])c1ccccc1, a nonmutagen).
  // Hand-checked in the TU files: node 4 is the nitro N (label 4), nodes 7 and 8 its two O
  // (label 1); the ring C-N bond and the C-H bonds are not ground truth.
  const gnn::Graph& g = tu.graphs.at(2211);
  ASSERT_EQ(g.num_nodes(), 14);                     // C6H5NO2 with explicit hydrogens
  EXPECT_EQ(g.x()[3].argmax().item<int64_t>(), 4);  // N
  EXPECT_EQ(g.x()[6].argmax().item<int64_t>(), 1);  // O
  EXPECT_EQ(g.x()[7].argmax().item<int64_t>(), 1);  // O
  std::set<std::pair<int64_t, int64_t>> gt;
  const torch::Tensor ei = g.edge_index();
  for (int64_t e = 0; e < g.num_edges(); ++e) {
    if (tu.edge_gt[2211][e].item<bool>())
      gt.insert({ei[0][e].item<int64_t>(), ei[1][e].item<int64_t>()});
  }
  EXPECT_EQ(gt, (std::set<std::pair<int64_t, int64_t>>{{3, 6}, {6, 3}, {3, 7}, {7, 3}}));

  // The protocol's targets: mutagens with a ground-truth edge (SOURCE.md: 1015). Nitrobenzene
  // is a nonmutagen in this data, so it is not one of them.
  const std::vector<int64_t> targets = mutagens_with_ground_truth(tu);
  EXPECT_EQ(targets.size(), 1015u);
  EXPECT_EQ(std::count(targets.begin(), targets.end(), 2211), 0);
  for (int64_t t : targets) {
    EXPECT_EQ(tu.raw_graph_labels[t], 0);
    EXPECT_TRUE(tu.edge_gt[t].any().item<bool>());
  }
}

TEST(GroundTruthTest, ValidMasksAreUnionsOfMatchSubsetsPerRule) {
  // Two benzene rings (benzene_gt.csv line 3): either ring or both.
  auto masks =
      valid_ground_truth_masks(Rules{{"benzene", {{5, 6, 7, 8, 9, 10}, {17, 18, 19, 20, 21, 22}}}});
  EXPECT_EQ(masks, (std::vector<std::vector<int64_t>>{{5, 6, 7, 8, 9, 10},
                                                      {5, 6, 7, 8, 9, 10, 17, 18, 19, 20, 21, 22},
                                                      {17, 18, 19, 20, 21, 22}}));
  // AND rule: the fluoride with one or both carbonyls.
  masks = valid_ground_truth_masks(Rules{{"fluoride", {{3}}}, {"carbonyl", {{6, 5}, {8, 9}}}});
  EXPECT_EQ(masks, (std::vector<std::vector<int64_t>>{{3, 5, 6}, {3, 5, 6, 8, 9}, {3, 8, 9}}));
  // Overlapping matches give equal unions, counted once: the 7 subsets of {123, 234, 345}
  // unite to 123, 234, 345, 1234, 2345 and 12345 (both 123+345 and all three).
  masks = valid_ground_truth_masks(Rules{{"alkane", {{1, 2, 3}, {2, 3, 4}, {3, 4, 5}}}});
  EXPECT_EQ(masks.size(), 6u);
  EXPECT_TRUE(valid_ground_truth_masks(Rules{}).empty());
  EXPECT_TRUE(valid_ground_truth_masks(Rules{{"fluoride", {}}, {"carbonyl", {{1, 2}}}}).empty());
  EXPECT_THROW(valid_ground_truth_masks(Rules{{"x", {{1}, {2}, {3}, {4}}}}, 8), InputError);
}

TEST(GroundTruthTest, ValidMaskCountsMatchTheSourceData) {
  // SOURCE.md: the masks rebuilt from gt_rule_matches equal the source's mask columns as a set.
  // The source keeps one column per choice of match subsets, n_gt_masks = prod over rules of
  // (2^matches - 1), duplicates included (overlapping alkane matches unite equally); ours are
  // distinct, so as many when no two matches share an atom and fewer otherwise. The largest
  // mask is gt_union_atoms.
  for (const char* file : {"logic7_gt.csv", "logic8_gt.csv"}) {
    const fs::path path = shared_data() / "graph_attribution" / file;
    if (!fs::exists(path)) GTEST_SKIP() << path << " not found";
    const auto records = read_attribution_csv(path.string());
    int64_t positives = 0;
    for (const auto& r : records) {
      const auto masks = valid_ground_truth_masks(r.rule_matches);
      if (r.label == 0) {
        EXPECT_TRUE(masks.empty());
        continue;
      }
      int64_t choices = 1;
      std::vector<int64_t> atoms;
      for (const auto& rule : r.rule_matches) {
        choices *= (int64_t{1} << rule.second.size()) - 1;
        for (const auto& m : rule.second) atoms.insert(atoms.end(), m.begin(), m.end());
      }
      ASSERT_EQ(choices, r.num_gt_masks) << file << " line " << r.line;
      const bool overlapping = std::set<int64_t>(atoms.begin(), atoms.end()).size() < atoms.size();
      if (overlapping) {
        EXPECT_LE(static_cast<int64_t>(masks.size()), r.num_gt_masks);
      } else {
        EXPECT_EQ(static_cast<int64_t>(masks.size()), r.num_gt_masks) << file << " line " << r.line;
      }
      ++positives;
      std::vector<int64_t> all = r.union_atoms;
      std::sort(all.begin(), all.end());
      EXPECT_EQ(*std::max_element(masks.begin(), masks.end(),
                                  [](const auto& a, const auto& b) { return a.size() < b.size(); }),
                all)
          << file << " line " << r.line;
    }
    EXPECT_EQ(positives, std::string(file) == "logic7_gt.csv" ? 375 : 1527);
  }
}

TEST(GroundTruthTest, BestMaskAucTakesTheBestValidMask) {
  // Eight atoms, two "rings" {0,1,2} and {5,6,7}; the scores find the first ring only.
  const std::vector<double> scores = {0.9, 0.8, 0.7, 0.1, 0.2, 0.1, 0.3, 0.2};
  const std::vector<std::vector<int64_t>> masks = {{0, 1, 2}, {5, 6, 7}, {0, 1, 2, 5, 6, 7}};
  EXPECT_DOUBLE_EQ(best_mask_auc(scores, masks), 1.0);
  // Each mask alone equals explainers::roc_auc (ties at their average rank).
  for (const auto& m : masks) {
    torch::Tensor labels = torch::zeros({8}, torch::kDouble);
    for (int64_t a : m) labels[a] = 1.0;
    EXPECT_NEAR(best_mask_auc(scores, {m}),
                explainers::roc_auc(torch::tensor(scores, torch::kDouble), labels), 1e-12);
  }
  EXPECT_DOUBLE_EQ(best_mask_auc({0.5, 0.5, 0.5}, {{0}}), 0.5);
  EXPECT_TRUE(std::isnan(best_mask_auc(scores, {{0, 1, 2, 3, 4, 5, 6, 7}})));
  EXPECT_TRUE(std::isnan(best_mask_auc(scores, {})));
  EXPECT_THROW(best_mask_auc(scores, {{8}}), InputError);
}

TEST(GroundTruthTest, EdgeScoresFromNodesTakeTheWeakerEnd) {
  // A path C-N-O (as in a ring C bonded to a nitro N bonded to O), both directions.
  const torch::Tensor ei = torch::tensor({0, 1, 1, 2, 1, 0, 2, 1}, torch::kLong).reshape({2, 4});
  const gnn::Graph g(3, ei, torch::ones({3, 1}));
  EXPECT_EQ(edge_scores_from_nodes(g, {0.1, 0.9, 0.7}), (std::vector<double>{0.1, 0.1, 0.7, 0.7}));
  EXPECT_THROW(edge_scores_from_nodes(g, {0.1, 0.9}), InputError);
}

TEST(GroundTruthTest, ReadsTheCsvAndNamesTheBadLine) {
  std::random_device rd;
  const fs::path dir =
      fs::temp_directory_path() / ("gnnx_ground_truth_test_" + std::to_string(rd()));
  fs::create_directories(dir);
  const std::string header =
      "index,mol_id,smiles,label,label_in_source_csv,split,n_atoms,gt_union_atoms,"
      "gt_rule_matches,n_gt_masks\n";
  std::ofstream(dir / "good.csv")
      << header << "0,Z1,CC(=O)F,1,1,test,4,0 1 2 3,\"fluoride=3;carbonyl=1,2\",1\n"
      << "1,Z2,CCO,0,0,train,3,,,0\n";
  const auto records = read_attribution_csv((dir / "good.csv").string());
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].id, "Z1");
  EXPECT_EQ(records[0].split, "test");
  EXPECT_EQ(records[0].union_atoms, (std::vector<int64_t>{0, 1, 2, 3}));
  ASSERT_EQ(records[0].rule_matches.size(), 2u);
  EXPECT_EQ(records[0].rule_matches[1].first, "carbonyl");
  EXPECT_EQ(records[0].rule_matches[1].second, (std::vector<std::vector<int64_t>>{{1, 2}}));
  EXPECT_TRUE(records[1].rule_matches.empty());

  std::ofstream(dir / "bad.csv") << header << "0,Z1,CC(=O)F,1,1,test,4,0 9,\"fluoride=3\",1\n";
  try {
    read_attribution_csv((dir / "bad.csv").string());
    ADD_FAILURE() << "no error for an atom outside the molecule";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv:2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_attribution_csv((dir / "missing.csv").string()), InputError);
  fs::remove_all(dir);
}

// The ground-truth reader once split on every quote and read "" as nothing (RFC 4180: one quote).
TEST(GroundTruthTest, EscapedQuotesInQuotedFields) {
  std::random_device rd;
  const fs::path dir =
      fs::temp_directory_path() / ("gnnx_ground_truth_quotes_" + std::to_string(rd()));
  fs::create_directories(dir);
  std::ofstream(dir / "q.csv")
      << "index,mol_id,smiles,label,label_in_source_csv,split,n_atoms,gt_union_atoms,"
         "gt_rule_matches,n_gt_masks\n"
      << "0,\"Z\"\"1\",CC(=O)F,1,1,test,4,0 1 2 3,\"fluoride=3;carbonyl=1,2\",1\n";
  const auto records = read_attribution_csv((dir / "q.csv").string());
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].id, "Z\"1");
  EXPECT_EQ(records[0].rule_matches.size(), 2u);
  fs::remove_all(dir);
}

/// The bond between atoms a and b of `mol` (hand-checked SMILES: it exists).
int bond_of(const RDKit::ROMol& mol, int a, int b) {
  const RDKit::Bond* bond = mol.getBondBetweenAtoms(a, b);
  EXPECT_NE(bond, nullptr) << a << "-" << b;
  return bond == nullptr ? -1 : static_cast<int>(bond->getIdx());
}

// `explain-mol --show-truth`: a file's ground-truth columns, read through read_molecules'
// keep_columns, give each molecule its atoms, bonds and legend. Lines cut from
// mutagenicity_smiles_gt.csv (graphs 45, 32, 13, 20) and logic7_gt.csv (1372, 3).
TEST(GroundTruthColumnsTest, MutagenicityAndAttributionRowsGiveAtomsBondsAndLegends) {
  const fs::path dir =
      fs::temp_directory_path() / ("gnnx_gt_columns_" + std::to_string(std::random_device()()));
  fs::create_directories(dir);
  std::ofstream(dir / "mut.csv") << gnnx::testing::kMutagenicityTruthRows;
  ReadOptions read;
  read.keep_columns = truth_column_names();
  const MoleculeSet mut = read_molecules((dir / "mut.csv").string(), read);
  ASSERT_EQ(mut.records.size(), 4u);
  ASSERT_EQ(truth_columns_of(mut.columns, "mut.csv"), TruthColumns::kMutagenicity);
  auto truth_of = [](const MoleculeSet& set, size_t i, TruthColumns layout) {
    return molecule_truth(layout, set.records[i].kept, *set.records[i].mol, "line");
  };
  // 2-nitroanisole: the nitro N (8) and its two O, and the two N-O bonds.
  const RDKit::ROMol& nitro = *mut.records[0].mol;
  MoleculeTruth t = truth_of(mut, 0, TruthColumns::kMutagenicity);
  EXPECT_EQ(t.atoms, (std::vector<int>{8, 9, 10}));
  EXPECT_EQ(nitro.getAtomWithIdx(8)->getSymbol(), "N");
  std::vector<int> nitro_bonds = {bond_of(nitro, 8, 9), bond_of(nitro, 8, 10)};
  std::sort(nitro_bonds.begin(), nitro_bonds.end());
  EXPECT_EQ(t.bonds, nitro_bonds);
  EXPECT_EQ(t.legend, "ground truth: NO2");
  // 2-aminoanthracene: the amine N alone (its N-H bonds are not heavy-atom bonds).
  t = truth_of(mut, 1, TruthColumns::kMutagenicity);
  EXPECT_EQ(t.atoms, (std::vector<int>{0}));
  EXPECT_TRUE(t.bonds.empty());
  EXPECT_EQ(t.legend, "ground truth: NH2");
  // Non-mutagens have none, even with an NH2 in gt_atoms (graph 20): the protocol's truth is
  // the mutagens'.
  for (size_t i : {2u, 3u}) {
    t = truth_of(mut, i, TruthColumns::kMutagenicity);
    EXPECT_TRUE(t.atoms.empty()) << i;
    EXPECT_TRUE(t.bonds.empty()) << i;
    EXPECT_EQ(t.legend, "no ground truth (non-mutagen)") << i;
  }

  std::ofstream(dir / "logic7.csv")
      << "index,mol_id,smiles,label,label_in_source_csv,split,n_atoms,gt_union_atoms,"
         "gt_rule_matches,n_gt_masks\n"
         "1372,ZINC37464016,c1cc(cc(c1)F)C(=O)c1cccnc1,1,0,train,15,6 7 8,"
         "\"fluoride=6;carbonyl=7,8\",1\n"
         "3,ZINC00056588,COC(=O)c1ccccc1S(=O)(=O)N,0,0,train,14,,,0\n";
  const MoleculeSet logic7 = read_molecules((dir / "logic7.csv").string(), read);
  ASSERT_EQ(logic7.records.size(), 2u);
  ASSERT_EQ(truth_columns_of(logic7.columns, "logic7.csv"), TruthColumns::kAttribution);
  t = truth_of(logic7, 0, TruthColumns::kAttribution);
  // The union of the matches, F6 and the carbonyl C7=O8; of their bonds only C7=O8 joins two
  // of them (F6 sits on ring atom 4).
  EXPECT_EQ(t.atoms, (std::vector<int>{6, 7, 8}));
  EXPECT_EQ(t.bonds, (std::vector<int>{bond_of(*logic7.records[0].mol, 7, 8)}));
  EXPECT_EQ(t.legend, "ground truth: fluoride + carbonyl");
  t = truth_of(logic7, 1, TruthColumns::kAttribution);
  EXPECT_TRUE(t.atoms.empty());
  EXPECT_EQ(t.legend, "no ground truth (label 0)");

  // A file without the columns names what each layout lacks; a malformed or disagreeing field
  // names its line.
  try {
    truth_columns_of({"smiles", "gt_atoms", "label"}, "x.csv");
    ADD_FAILURE() << "no ground-truth columns accepted";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("lack mutagenic, gt_bonds"), std::string::npos) << what;
    EXPECT_NE(what.find("lack gt_union_atoms, gt_rule_matches"), std::string::npos) << what;
  }
  std::vector<std::string> kept = mut.records[0].kept;
  kept[1] = "8 9 11";  // the molecule has 11 atoms: 0..10
  EXPECT_THROW(molecule_truth(TruthColumns::kMutagenicity, kept, nitro, "l"), InputError);
  kept = mut.records[0].kept;
  kept[2] = "8-9 9-10";  // the two O are not bonded
  EXPECT_THROW(molecule_truth(TruthColumns::kMutagenicity, kept, nitro, "l"), InputError);
  kept = mut.records[0].kept;
  kept[0] = "yes";
  EXPECT_THROW(molecule_truth(TruthColumns::kMutagenicity, kept, nitro, "l"), InputError);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gnnx::molecules
