// Issue 19 item 2: the default Mutagenicity model (`gnnx train --data Mutagenicity/tudataset`)
// and the default molecule method explain the nitroarenes of its test split by their nitro group:
// the explanation fragment must hold the nitro N in at least 90 % of them. Also `train
// --split-out`, which says which molecules those are.

#include <gtest/gtest.h>

#include "support/run_cli.h"
#include "support/temp_dir.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <GraphMol/ROMol.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <GraphMol/Substruct/SubstructMatch.h>
#include <gnnx/io/csv.h>
#include <gnnx/molecules/parse.h>

namespace {

namespace fs = std::filesystem;
using gnnx::testing::run_gnnx;

/// The records of a CSV file, header first.
std::vector<std::vector<std::string>> csv_rows(const fs::path& path) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& r :
       gnnx::io::read_csv(gnnx::testing::read_whole_file(path), path.string(), ',')) {
    rows.push_back(r.fields);
  }
  return rows;
}

/// Column `name` of a header row; fails the test when it is missing.
size_t column(const std::vector<std::string>& header, const std::string& name) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

/// The atom indices of the nitro N's bonded to an aromatic atom (charge-separated or neutral).
std::set<int> nitroarene_nitrogens(const RDKit::ROMol& mol) {
  static const std::unique_ptr<RDKit::ROMol> charged(RDKit::SmartsToMol("a[N+](=O)[O-]"));
  static const std::unique_ptr<RDKit::ROMol> neutral(RDKit::SmartsToMol("aN(=O)=O"));
  std::set<int> nitrogens;
  for (const RDKit::ROMol* query : {charged.get(), neutral.get()}) {
    std::vector<RDKit::MatchVectType> matches;
    RDKit::SubstructMatch(mol, *query, matches);
    for (const auto& match : matches) nitrogens.insert(match[1].second);
  }
  return nitrogens;
}

class NitroareneCliTest : public ::testing::Test {
 protected:
  gnnx::testing::TempDir dir_{"gnnx_nitroarene_"};
};

TEST_F(NitroareneCliTest, SplitOutNamesEveryRecordOnce) {
  std::ofstream(dir_.path() / "mols.csv") << "name,smiles,y\n"
                                             "a,CCO,1\n"
                                             "b,not-a-smiles,0\n";
  {
    std::ofstream more(dir_.path() / "mols.csv", std::ios::app);
    const char* smiles[] = {"CCN", "c1ccccc1", "CC(=O)O", "CCCl", "c1ccncc1", "CO",
                            "CCC", "OCCO",     "CC#N",    "C=CC", "CCOC",     "NCCN"};
    for (int k = 0; k < 12; ++k) more << "m" << k << "," << smiles[k] << "," << k % 2 << "\n";
  }
  const auto r = run_gnnx(dir_.path(),
                          "-q train --data mols.csv --target y --epochs 2 --out m.gnnx "
                          "--split-out split.csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = csv_rows(dir_.path() / "split.csv");
  ASSERT_EQ(rows.size(), 15u);  // header + 14 records, the unreadable one included
  EXPECT_EQ(rows[0], (std::vector<std::string>{"index", "line", "id", "part"}));
  std::map<std::string, int> parts;
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i][0], std::to_string(i - 1));  // every record, in file order
    EXPECT_EQ(rows[i][1], std::to_string(i + 1));  // its line (the header is line 1)
    EXPECT_EQ(rows[i][2], std::to_string(i - 1));  // a table without ids: the index
    ++parts[rows[i][3]];
  }
  EXPECT_EQ(rows[2][3], "skipped");  // not-a-smiles
  EXPECT_EQ(parts["skipped"], 1);
  EXPECT_EQ(parts["train"] + parts["val"] + parts["test"], 13);
  EXPECT_GT(parts["train"], parts["test"]);
  EXPECT_GE(parts["test"], 1);

  // Without --data there is no molecule split to write: refused, nothing written.
  const auto refused =
      run_gnnx(dir_.path(), "-q train --dataset ba-shapes --out b.gnnx --split-out s2.csv");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir_.path() / "s2.csv"));
  EXPECT_FALSE(fs::exists(dir_.path() / "b.gnnx"));
}

TEST_F(NitroareneCliTest, DefaultModelExplainsTestNitroarenesByTheirNitroGroup) {
  const char* shared = std::getenv("GNNX_SHARED_DATA");
  const fs::path data = shared == nullptr ? fs::path() : fs::path(shared) / "Mutagenicity";
  if (shared == nullptr || !fs::exists(data / "tudataset")) {
    GTEST_SKIP() << "Mutagenicity not found under GNNX_SHARED_DATA";
  }
  // The default model: `gnnx train --data` with every default (seed 0).
  const auto trained =
      run_gnnx(dir_.path(), "-q --threads 2 train --data " +
                                gnnx::testing::shell_quote((data / "tudataset").string()) +
                                " --out m.gnnx --split-out split.csv --json");
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  // Mutagenicity pools by a sum by default (issue 18: a mean divides one nitro group's evidence
  // by the molecule's size).
  EXPECT_EQ(nlohmann::json::parse(trained.out)["readout"], "sum") << trained.out;
  std::set<std::string> test_ids;
  for (const auto& row : csv_rows(dir_.path() / "split.csv")) {
    if (row.size() == 4 && row[3] == "test") test_ids.insert(row[2]);
  }
  ASSERT_GT(test_ids.size(), 400u);  // 10 % of 4337

  // The test split's nitroarenes: graph_id is the TUDataset graph's 1-based number.
  const auto gt = csv_rows(data / "mutagenicity_smiles_gt.csv");
  const size_t id_col = column(gt[0], "graph_id");
  const size_t smiles_col = column(gt[0], "smiles");
  std::map<std::string, std::set<int>> nitrogens;
  std::ofstream nitro(dir_.path() / "nitro.csv");
  nitro << "graph_id,smiles\n";
  for (size_t i = 1; i < gt.size(); ++i) {
    if (test_ids.count(gt[i][id_col]) == 0) continue;
    const auto mol = gnnx::molecules::smiles_to_mol(gt[i][smiles_col]);
    std::set<int> n = nitroarene_nitrogens(*mol);
    if (n.empty()) continue;
    nitrogens[gt[i][id_col]] = n;
    nitro << gt[i][id_col] << "," << gt[i][smiles_col] << "\n";
  }
  nitro.close();
  ASSERT_GE(nitrogens.size(), 30u);

  // The default method (no --method), explaining what the model predicts.
  const auto explained = run_gnnx(dir_.path(),
                                  "-q --threads 2 explain-mol --model m.gnnx --input nitro.csv "
                                  "--id-col graph_id --output nitro.jsonl");
  ASSERT_EQ(explained.exit_code, 0) << explained.err;
  std::istringstream lines(gnnx::testing::read_whole_file(dir_.path() / "nitro.jsonl"));
  int64_t records = 0, held = 0;
  std::vector<std::string> missed;
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);
    ++records;
    ASSERT_FALSE(j.contains("error")) << line;
    const std::string id = j["id"].get<std::string>();
    bool holds = false;
    for (int atom : j["fragment_atoms"].get<std::vector<int>>()) {
      holds = holds || nitrogens.at(id).count(atom) > 0;
    }
    if (holds) {
      ++held;
    } else {
      missed.push_back(id + " " + j["fragment_smiles"].get<std::string>());
    }
  }
  ASSERT_EQ(records, static_cast<int64_t>(nitrogens.size()));
  const double fraction = static_cast<double>(held) / static_cast<double>(records);
  std::printf(
      "test-split nitroarenes whose explanation fragment holds the nitro N: %lld of %lld "
      "(%.1f %%)\n",
      static_cast<long long>(held), static_cast<long long>(records), 100 * fraction);
  std::string missed_list;
  for (const std::string& m : missed) missed_list += "\n  " + m;
  EXPECT_GE(fraction, 0.9) << "missed:" << missed_list;
}

}  // namespace
