// Molecule readers: a record RDKit cannot parse is skipped and reported with its line, its
// SMILES and RDKit's reason; missing labels become masks; shards cover the file once.

#include <GraphMol/FileParsers/FileParsers.h>
#include <GraphMol/ROMol.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <gnnx/gnn/error.h>
#include <gnnx/molecules/parse.h>
#include <gnnx/molecules/readers.h>
#include <gtest/gtest.h>
#include <support/gzip_file.h>

#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>

#include "support/temp_dir.h"

namespace gnnx::molecules {
namespace {

namespace fs = std::filesystem;

class ReadersTest : public ::testing::Test {
 protected:
  gnnx::testing::TempDir temp_{"gnnx_readers_test_"};
  const fs::path dir_ = temp_.path();
  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
};

TEST_F(ReadersTest, CsvSkipsMalformedSmilesWithLineAndReason) {
  const std::string path = write("m.csv",
                                 "id,smiles,a,b\n"
                                 "m1,CCO,1,0\n"
                                 "m2,C1CC(,1,1\n"                // line 3: unclosed ring and branch
                                 "\"m3, quoted\",c1ccccc1,,1\n"  // missing label a
                                 "m4,CC(N)=[NH2],0,nan\n"        // line 5: 4-valent neutral N
                                 "m5,O=[N+]([O-])c1ccccc1,1,1\n");
  ReadOptions o;
  o.label_columns = {"a", "b"};
  o.id_column = "id";
  const MoleculeSet set = read_molecules(path, o);
  EXPECT_EQ(set.num_records, 5);
  ASSERT_EQ(set.records.size(), 3u);
  ASSERT_EQ(set.skipped.size(), 2u);
  EXPECT_EQ(set.tasks, (std::vector<std::string>{"a", "b"}));

  EXPECT_EQ(set.skipped[0].line, 3);
  EXPECT_EQ(set.skipped[0].index, 1);
  EXPECT_EQ(set.skipped[0].id, "m2");
  EXPECT_EQ(set.skipped[0].smiles, "C1CC(");
  EXPECT_NE(set.skipped[0].reason.find("SMILES Parse Error"), std::string::npos)
      << set.skipped[0].reason;
  EXPECT_EQ(set.skipped[1].line, 5);
  EXPECT_NE(set.skipped[1].reason.find("valence"), std::string::npos) << set.skipped[1].reason;

  EXPECT_EQ(set.records[1].id, "m3, quoted");
  EXPECT_EQ(set.records[1].line, 4);
  EXPECT_EQ(set.records[1].has_label, (std::vector<uint8_t>{0, 1}));
  EXPECT_TRUE(std::isnan(set.records[1].labels[0]));
  EXPECT_EQ(set.records[1].labels[1], 1.0);
  EXPECT_EQ(set.records[1].mol->getNumAtoms(), 6u);

  const std::string report = skipped_report(set);
  EXPECT_NE(report.find("3 read, 2 skipped"), std::string::npos) << report;
  EXPECT_NE(report.find("line 3: C1CC("), std::string::npos) << report;
}

// The same table plain, behind a UTF-8 byte order mark (spreadsheet exports), and gzipped (by
// its magic bytes; the format from the name before .gz): the same records. A NUL byte inside a
// field costs no record: every one is read or skipped with its reason.
TEST_F(ReadersTest, ByteOrderMarkAndGzipReadTheSameRecords) {
  const std::string text = std::string("smiles,id,y\nCCO,a,1\nC1CC(,b,0\nCC") +
                           std::string(1, '\0') + "C,c,1\nc1ccccc1N,d,0\n";
  const std::string plain = write("m.csv", text);
  const std::string bom = write("bom.csv", "\xEF\xBB\xBF" + text);
  const std::string zipped = (dir_ / "m.csv.gz").string();
  gnnx::testing::write_gzip_file(zipped, text);
  ReadOptions o;
  o.id_column = "id";
  o.label_columns = {"y"};
  const MoleculeSet reference = read_molecules(plain, o);
  EXPECT_EQ(reference.num_records, 4);
  EXPECT_EQ(reference.records.size() + reference.skipped.size(), 4u);
  for (const std::string& path : {bom, zipped}) {
    const MoleculeSet set = read_molecules(path, o);
    EXPECT_EQ(set.num_records, reference.num_records) << path;
    ASSERT_EQ(set.records.size(), reference.records.size()) << path;
    ASSERT_EQ(set.skipped.size(), reference.skipped.size()) << path;
    for (size_t i = 0; i < set.records.size(); ++i) {
      EXPECT_EQ(set.records[i].id, reference.records[i].id) << path;
      EXPECT_EQ(set.records[i].smiles, reference.records[i].smiles) << path;
      EXPECT_EQ(set.records[i].labels, reference.records[i].labels) << path;
    }
  }
  EXPECT_EQ(reference.records.front().id, "a");
}

/// read_molecules("-", o) with standard input read from `path` (then restored).
MoleculeSet read_from_stdin(const std::string& path, const ReadOptions& o) {
  const int saved = ::dup(STDIN_FILENO);
  const int fd = ::open(path.c_str(), O_RDONLY);
  EXPECT_GE(fd, 0) << path;
  ::dup2(fd, STDIN_FILENO);
  ::close(fd);
  struct Restore {
    int saved;
    ~Restore() {
      ::dup2(saved, STDIN_FILENO);
      ::close(saved);
    }
  } restore{saved};
  return read_molecules("-", o);
}

// Issue 19: stdin was refused. "-" reads standard input, plain or gzipped (by its magic bytes),
// in the format given; without one, the error says to pass it.
TEST_F(ReadersTest, StandardInputReadsPlainAndGzippedWithAFormat) {
  const std::string text = "smiles,id\nCCO,a\nC1CC(,b\nc1ccccc1N,c\n";
  const std::string plain = write("in.csv", text);
  const std::string zipped = (dir_ / "in.csv.gz").string();
  gnnx::testing::write_gzip_file(zipped, text);
  ReadOptions o;
  o.id_column = "id";
  o.format = "csv";
  for (const std::string& path : {plain, zipped}) {
    const MoleculeSet set = read_from_stdin(path, o);
    EXPECT_EQ(set.num_records, 3) << path;
    ASSERT_EQ(set.records.size(), 2u) << path;
    EXPECT_EQ(set.records[1].id, "c");
    EXPECT_EQ(set.records[1].line, 4);
    ASSERT_EQ(set.skipped.size(), 1u);
    EXPECT_EQ(set.skipped[0].id, "b");
  }
  o.format = "";
  try {
    read_from_stdin(plain, o);
    ADD_FAILURE() << "no format for standard input was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("pass the format"), std::string::npos) << e.what();
  }
}

// An SDF gzipped (issue 19: .sdf.gz) reads the records of the plain file.
TEST_F(ReadersTest, GzippedSdfReadsTheSameRecords) {
  const std::string block =
      "ethanol\n  RDKit          2D\n\n"
      "  3  2  0  0  0  0  0  0  0  0999 V2000\n"
      "    0.0000    0.0000    0.0000 C   0  0\n"
      "    1.0000    0.0000    0.0000 C   0  0\n"
      "    2.0000    0.0000    0.0000 O   0  0\n"
      "  1  2  1  0\n  2  3  1  0\nM  END\n> <y>\n1\n\n$$$$\n";
  const std::string text = block + "broken\n\n\nM  END\n$$$$\n" + block;
  const std::string zipped = (dir_ / "m.sdf.gz").string();
  gnnx::testing::write_gzip_file(zipped, text);
  ReadOptions o;
  o.label_columns = {"y"};
  const MoleculeSet set = read_molecules(zipped, o);
  EXPECT_EQ(set.num_records, 3);
  ASSERT_EQ(set.records.size(), 2u);
  EXPECT_EQ(set.records[0].smiles, "CCO");
  EXPECT_EQ(set.records[1].labels, std::vector<double>{1.0});
  ASSERT_EQ(set.skipped.size(), 1u);
  EXPECT_EQ(set.skipped[0].index, 1);
  const MoleculeSet plain = read_molecules(write("m.sdf", text), o);
  EXPECT_EQ(plain.records.size(), set.records.size());
  EXPECT_EQ(plain.skipped.size(), set.skipped.size());
}

TEST_F(ReadersTest, ParseSmilesKeepsReasonAndThrowsParseError) {
  const ParseResult bad = parse_smiles("c1ccc");
  EXPECT_FALSE(bad);
  EXPECT_FALSE(bad.error.empty());
  try {
    smiles_to_mol("not a smiles");
    FAIL() << "no exception";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.smiles(), "not a smiles");
    EXPECT_NE(std::string(e.what()).find("cannot parse SMILES 'not a smiles'"), std::string::npos);
  }
}

// A molecule of thousands of atoms would stall RDKit's stereo perception for minutes: refused
// with its size, quickly, while one at the limit still parses (as SMILES and as a mol block).
TEST_F(ReadersTest, MoleculesOverTheAtomLimitAreRefusedBeforeSanitising) {
  std::string at_limit;
  for (int i = 0; i < 1000; ++i) at_limit += 'C';
  const ParseResult fine = parse_smiles(at_limit);
  ASSERT_TRUE(fine) << fine.error;
  const ParseResult big = parse_smiles(at_limit + "C(C)(C)C");
  EXPECT_FALSE(big);
  EXPECT_EQ(big.error, "1004 atoms: gnnx reads molecules of at most 1000 atoms");
  std::string chain = "c1ccccc1";
  for (int i = 0; i < 2000; ++i) chain += "CC(C)";  // 6,006 atoms: a minute in RDKit's perception
  EXPECT_EQ(parse_smiles(chain).error, "6006 atoms: gnnx reads molecules of at most 1000 atoms");

  const std::unique_ptr<RDKit::RWMol> over(RDKit::SmilesToMol(at_limit + "C"));
  const std::string block = RDKit::MolToMolBlock(*over);
  const ParseResult big_block = parse_mol_block(block);
  EXPECT_FALSE(big_block);
  EXPECT_EQ(big_block.error, "1001 atoms: gnnx reads molecules of at most 1000 atoms");
}

TEST_F(ReadersTest, MissingColumnListsTheColumns) {
  const std::string path = write("m.csv", "smiles,y\nCCO,1\n");
  ReadOptions o;
  o.label_columns = {"p_np"};
  try {
    read_molecules(path, o);
    FAIL() << "no exception";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("columns: smiles, y"), std::string::npos) << e.what();
  }
}

TEST_F(ReadersTest, SmiAndTsv) {
  const std::string smi = write("m.smi", "SMILES Name\nCCO ethanol\n\nC1CC( broken\nc1ccccc1\n");
  const MoleculeSet a = read_molecules(smi, {});
  EXPECT_EQ(a.num_records, 3);
  ASSERT_EQ(a.records.size(), 2u);
  EXPECT_EQ(a.records[0].id, "ethanol");
  EXPECT_EQ(a.records[1].id, "2");  // no name: the index
  ASSERT_EQ(a.skipped.size(), 1u);
  EXPECT_EQ(a.skipped[0].line, 4);

  const std::string tsv = write("m.tsv", "SMILES\tlogS\nCCO \t0.5\nCCCC\t\n");
  ReadOptions o;
  o.label_columns = {"logS"};
  const MoleculeSet b = read_molecules(tsv, o);  // column matched case-insensitively
  ASSERT_EQ(b.records.size(), 2u);
  EXPECT_EQ(b.records[0].smiles, "CCO");
  EXPECT_EQ(b.records[0].labels[0], 0.5);
  EXPECT_EQ(b.records[1].has_label[0], 0);
}

TEST_F(ReadersTest, SdfWithPropertyAndBadRecord) {
  const auto ethanol = smiles_to_mol("CCO");
  const std::string block = RDKit::MolToMolBlock(*ethanol);
  const std::string good =
      "ethanol" + block.substr(block.find('\n')) + "> <activity>\n1.5\n\n$$$$\n";
  // A record whose atom line names an unknown element.
  const std::string bad =
      "broken\n  test\n\n  1  0  0  0  0  0  0  0  0  0999 V2000\n"
      "    0.0000    0.0000    0.0000 Xx  0  0  0  0  0  0  0  0  0  0  0  0\n"
      "M  END\n> <activity>\n2\n\n$$$$\n";
  const std::string path = write("m.sdf", good + bad + good);
  ReadOptions o;
  o.label_columns = {"activity"};
  const MoleculeSet set = read_molecules(path, o);
  EXPECT_EQ(set.num_records, 3);
  ASSERT_EQ(set.records.size(), 2u);
  EXPECT_EQ(set.records[0].id, "ethanol");
  EXPECT_EQ(set.records[0].smiles, "CCO");
  EXPECT_EQ(set.records[0].labels[0], 1.5);
  ASSERT_EQ(set.skipped.size(), 1u);
  EXPECT_EQ(set.skipped[0].id, "broken");
  EXPECT_GT(set.skipped[0].line, 1);
  EXPECT_FALSE(set.skipped[0].reason.empty());
}

TEST_F(ReadersTest, ShardsCoverEveryRecordOnce) {
  std::string text = "smiles\n";
  for (int i = 0; i < 10; ++i) text += std::string(i + 1, 'C') + "\n";
  const std::string path = write("m.csv", text);
  std::vector<int64_t> seen;
  for (int64_t s = 0; s < 3; ++s) {
    ReadOptions o;
    o.shard_index = s;
    o.shard_count = 3;
    const MoleculeSet set = read_molecules(path, o);
    EXPECT_EQ(set.num_records, 10);
    for (const auto& r : set.records) {
      EXPECT_EQ(r.index % 3, s);
      seen.push_back(r.index);
    }
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  ReadOptions bad;
  bad.shard_index = 3;
  bad.shard_count = 3;
  EXPECT_THROW(read_molecules(path, bad), InputError);
}

TEST_F(ReadersTest, BbbpElevenSkipped) {
  const char* data = std::getenv("GNNX_SHARED_DATA");
  if (data == nullptr || !fs::exists(fs::path(data) / "bbbp/BBBP.csv")) {
    GTEST_SKIP() << "GNNX_SHARED_DATA/bbbp/BBBP.csv not found";
  }
  ReadOptions o;
  o.label_columns = {"p_np"};
  o.id_column = "num";
  const MoleculeSet set = read_molecules((fs::path(data) / "bbbp/BBBP.csv").string(), o);
  EXPECT_EQ(set.num_records, 2050);
  EXPECT_EQ(set.records.size(), 2039u);
  ASSERT_EQ(set.skipped.size(), 11u);
  // SOURCE.md: 0-based rows 59, 61, ... fail with "Explicit valence for atom ... N, 4".
  EXPECT_EQ(set.skipped[0].index, 59);
  EXPECT_EQ(set.skipped[0].line, 61);  // header + 1-based
  EXPECT_NE(set.skipped[0].reason.find("Explicit valence"), std::string::npos)
      << set.skipped[0].reason;
}

// RFC 4180: a quoted field may hold a line break; records keep the line they start on.
TEST_F(ReadersTest, QuotedFieldMaySpanLines) {
  const std::string path = write("q.csv",
                                 "id,smiles,a\n"
                                 "\"two\nlines\",CCO,1\n"
                                 "\"say \"\"hi\"\"\",CC,0\n");
  ReadOptions o;
  o.label_columns = {"a"};
  o.id_column = "id";
  const MoleculeSet set = read_molecules(path, o);
  ASSERT_EQ(set.records.size(), 2u);
  EXPECT_EQ(set.records[0].id, "two\nlines");
  EXPECT_EQ(set.records[0].line, 2);
  EXPECT_EQ(set.records[1].id, "say \"hi\"");
  EXPECT_EQ(set.records[1].line, 4);
  EXPECT_EQ(set.records[1].labels[0], 0.0);
}

}  // namespace
}  // namespace gnnx::molecules
