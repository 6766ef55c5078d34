// Bad molecule input (issue 20): SMILES, CSV, SDF, gzip and --shard given to explain-mol and
// train --data. A file of records is not refused for a bad record: the one-line-per-record
// contract (README, explain-mol) gives such a record an error line and exits 0; what is refused
// (exit 2, nothing written: support/bad_input.h) is input no record can be read from, and bad
// flags.

#include <gtest/gtest.h>

#include "support/bad_input.h"

#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using gnnx::testing::BadInput;
using gnnx::testing::CliResult;

const std::string kMolfile =  // ethanol, V2000, with a p_np property
    "ethanol\n  RDKit          2D\n\n"
    "  3  2  0  0  0  0  0  0  0  0999 V2000\n"
    "    0.0000    0.0000    0.0000 C   0  0\n"
    "    1.0000    0.0000    0.0000 C   0  0\n"
    "    2.0000    0.0000    0.0000 O   0  0\n"
    "  1  2  1  0\n  2  3  1  0\nM  END\n> <p_np>\n1\n\n$$$$\n";

class BadInputMoleculesTest : public gnnx::testing::BadInputTest {
 protected:
  static void SetUpTestSuite() {
    make_folder("gnnx_bad_molecules_");
    std::string csv = "smiles,id,p_np\n";
    const std::vector<std::string> smiles = {"CCO", "CCN", "c1ccccc1", "CC(=O)O", "CCCl", "OCCO"};
    for (int i = 0; i < 60; ++i) {
      csv +=
          smiles[i % smiles.size()] + ",m" + std::to_string(i) + "," + std::to_string(i % 2) + "\n";
    }
    write("mols.csv", csv);
    CliResult r = gnnx("train --data mols.csv --target p_np --epochs 2 --out mol.gnnx");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = gnnx("train --dataset ba-shapes --epochs 2 --out node.gnnx");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    fs::create_symlink(dir_ / "mols.csv", dir_ / "link.csv");
    // A gzip file cut in the middle: gzip's header, then half of a deflate stream.
    write("corrupt.csv.gz", std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10) +
                                std::string("\x4b\xce\xc9\x2f\x2e\x4d\x55", 7));
    write("header_only.csv", "");
    write("no_smiles.csv", "id,name\na,b\n");
  }

  // Runs a batch explain-mol that must succeed; returns the lines of its --output (then removed,
  // so that the folder is as it was for the next case).
  static std::vector<std::string> batch_lines(const std::string& input, const std::string& flags) {
    const CliResult r = gnnx("explain-mol --model mol.gnnx --method saliency --input " + input +
                             " --output o.jsonl " + flags);
    EXPECT_EQ(r.exit_code, 0) << input << "\n" << r.err;
    std::istringstream in(gnnx::testing::read_whole_file(dir_ / "o.jsonl"));
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    fs::remove(dir_ / "o.jsonl");
    return lines;
  }
  static bool has(const std::string& line, const std::string& word) {
    return line.find(word) != std::string::npos;
  }
};

const std::string kSingle = "explain-mol --model mol.gnnx --method saliency ";

TEST_F(BadInputMoleculesTest, OneSmilesIsRefusedOrExplained) {
  expect_all_refused({
      // Regression: a --data-dir that does not exist listed every molecule set as missing, exit 0.
      {"datasets: --data-dir that does not exist",
       "datasets --data-dir no-such-folder",
       {"--data-dir", "no-such-folder"}},
      {"malformed SMILES",
       kSingle + "--smiles 'C1CC(' --out x.png",
       {"cannot parse SMILES 'C1CC('"},
       {"x.png"}},
      // Regression: an empty --smiles ran batch mode and blamed the output path.
      {"empty SMILES",
       kSingle + "--smiles '' --out x.png",
       {"--smiles", "empty SMILES"},
       {"x.png"}},
      {"unknown picture format", kSingle + "--smiles CCO --out x.xyz", {".png or .svg"}, {"x.xyz"}},
      {"--out is the model", kSingle + "--smiles CCO --out mol.gnnx", {"same file as --model"}},
      {"not a molecule model",
       "explain-mol --model node.gnnx --method saliency --smiles CCO",
       {"not a molecule model"}},
      {"a task the model lacks", kSingle + "--smiles CCO --task nope", {"task 'nope'"}},
      {"a flag the method does not read",
       kSingle + "--smiles CCO --dropout 0.5",
       {"--dropout is not an option of saliency"}},
      // Regression: RDKit's stereo perception ran for minutes on a molecule of thousands of atoms.
      {"a SMILES of 3,001 atoms",
       kSingle + "--smiles " + std::string(3001, 'C') + " --out x.png",
       {"3001 atoms", "at most 1000 atoms"},
       {"x.png"}},
      {"width in exponent form", kSingle + "--smiles CCO --width 1e3", {"--width"}},
      {"NaN fragment threshold",
       kSingle + "--smiles CCO --fragment-threshold nan",
       {"--fragment-threshold", "finite"}},
  });
  // Valid molecules, however large or charged, are explained and drawn.
  for (const std::string& smiles : {std::string(500, 'C'), std::string("C[N+](C)(C)C.[Cl-]")}) {
    const CliResult r = gnnx(kSingle + "--smiles '" + smiles + "' --out ok.png");
    EXPECT_EQ(r.exit_code, 0) << smiles.substr(0, 20) << "\n" << r.err;
    EXPECT_TRUE(has(r.out, "explanation fragment")) << r.out;
    EXPECT_TRUE(fs::exists(dir_ / "ok.png"));
    fs::remove(dir_ / "ok.png");
  }
}

TEST_F(BadInputMoleculesTest, EveryRecordGetsOneLine) {
  // Empty, malformed, charged and (regression: read as "C", explained as methane) NUL-bearing
  // SMILES, a row with too few fields, quoted commas, CRLF line ends.
  write("records.csv", std::string("smiles,id,note\r\n"
                                   ",empty,x\r\n"
                                   "C1CC(,bad,x\r\n"
                                   "[Na+].[Cl-],salt,x\r\n"
                                   "C") +
                           '\0' +
                           "C,nul,x\r\n"
                           "CCN\r\n"
                           "CCO,\"a,b\",\"x,y\"\r\n");
  const std::vector<std::string> lines = batch_lines("records.csv", "--id-col id");
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_TRUE(has(lines[0], "\"id\":\"empty\"") && has(lines[0], "empty SMILES")) << lines[0];
  EXPECT_TRUE(has(lines[1], "\"error\":\"SMILES Parse Error")) << lines[1];
  EXPECT_TRUE(has(lines[2], "\"id\":\"salt\"") && has(lines[2], "fragment_smiles")) << lines[2];
  EXPECT_TRUE(has(lines[3], "\"id\":\"nul\"") && has(lines[3], "NUL byte")) << lines[3];
  EXPECT_TRUE(has(lines[4], "the line has 1 fields, the header 3")) << lines[4];
  EXPECT_TRUE(has(lines[5], "\"id\":\"a,b\"") && has(lines[5], "\"smiles\":\"CCO\"")) << lines[5];

  // A line of 3 MB: a long field beside the SMILES, and a long SMILES RDKit refuses.
  write("long.csv", "smiles,id,note\nCCO,a,x\nCCN,b," + std::string(3 << 20, 'x') + "\n" +
                        std::string(3 << 20, 'X') + ",c,x\nCCC,d,x\n");
  const std::vector<std::string> long_lines = batch_lines("long.csv", "--id-col id");
  ASSERT_EQ(long_lines.size(), 4u);
  EXPECT_TRUE(has(long_lines[1], "\"smiles\":\"CCN\"") && has(long_lines[1], "fragment_smiles"));
  EXPECT_TRUE(has(long_lines[2], "\"id\":\"c\"") && has(long_lines[2], "\"error\""));
  fs::remove(dir_ / "long.csv");
}

TEST_F(BadInputMoleculesTest, SdfBlocks) {
  // Without "M  END" RDKit cannot read a block: an error line each; without the last "$$$$"
  // the last record still counts; a V3000 block is read.
  std::string no_end = kMolfile + kMolfile;
  for (size_t at; (at = no_end.find("M  END\n")) != std::string::npos;) no_end.erase(at, 7);
  write("no_end.sdf", no_end);
  std::vector<std::string> lines = batch_lines("no_end.sdf", "");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(has(lines[0], "\"error\"") && has(lines[1], "\"error\"")) << lines[0];

  write("no_dollars.sdf", kMolfile + kMolfile.substr(0, kMolfile.size() - 5));
  lines = batch_lines("no_dollars.sdf", "");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(has(lines[1], "\"smiles\":\"CCO\"")) << lines[1];

  write("v3000.sdf",
        "ethanol\n  RDKit          2D\n\n  0  0  0  0  0  0  0  0  0  0999 V3000\n"
        "M  V30 BEGIN CTAB\nM  V30 COUNTS 3 2 0 0 0\nM  V30 BEGIN ATOM\n"
        "M  V30 1 C 0 0 0 0\nM  V30 2 C 1 0 0 0\nM  V30 3 O 2 0 0 0\nM  V30 END ATOM\n"
        "M  V30 BEGIN BOND\nM  V30 1 1 1 2\nM  V30 2 1 2 3\nM  V30 END BOND\n"
        "M  V30 END CTAB\nM  END\n$$$$\n");
  lines = batch_lines("v3000.sdf", "");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(has(lines[0], "\"smiles\":\"CCO\"") && has(lines[0], "fragment_smiles")) << lines[0];
}

TEST_F(BadInputMoleculesTest, UnreadableFilesAndBadBatchFlags) {
  const std::string batch = kSingle + "--output o.jsonl --input ";
  expect_all_refused({
      {"corrupt gzip", batch + "corrupt.csv.gz", {"corrupt.csv.gz"}, {"o.jsonl"}},
      {"train: corrupt gzip",
       "train --data corrupt.csv.gz --target p_np --out t.gnnx",
       {"corrupt.csv.gz"},
       {"t.gnnx"}},
      {"zero-byte CSV", batch + "header_only.csv", {"empty", "no header"}, {"o.jsonl"}},
      {"no SMILES column", batch + "no_smiles.csv", {"no SMILES column 'smiles'"}, {"o.jsonl"}},
      {"no such id column", batch + "mols.csv --id-col nope", {"no id column 'nope'"}, {"o.jsonl"}},
      {"--output is the input", kSingle + "--input mols.csv --output mols.csv", {"same file"}},
      {"--output is a link to the input",
       kSingle + "--input link.csv --output mols.csv",
       {"same file as --input link.csv"}},
      {"shard index = count", batch + "mols.csv --shard 4/4", {"--shard", "4/4"}, {"o.jsonl"}},
      {"shard of zero", batch + "mols.csv --shard 1/0", {"--shard"}, {"o.jsonl"}},
      {"shard without numbers", batch + "mols.csv --shard /", {"--shard"}, {"o.jsonl"}},
      {"hexadecimal shard", batch + "mols.csv --shard 0x1/4", {"--shard"}, {"o.jsonl"}},
      {"negative shard", batch + "mols.csv --shard -1/4", {"--shard"}, {"o.jsonl"}},
      {"three-part shard", batch + "mols.csv --shard 0/4/8", {"--shard"}, {"o.jsonl"}},
      {"wrapping shard count",
       batch + "mols.csv --shard 0/99999999999999999999",
       {"--shard"},
       {"o.jsonl"}},
      {"zero --mol-batch", batch + "mols.csv --mol-batch 0", {"--mol-batch"}, {"o.jsonl"}},
      {"hexadecimal --precision", batch + "mols.csv --precision 0x5", {"--precision"}, {"o.jsonl"}},
      {"standard input without --format", batch + "-", {"--format"}, {"o.jsonl"}},
      {"unknown --format", batch + "- --format xls", {"--format"}, {"o.jsonl"}},
      {"unknown --grid-scale",
       batch + "mols.csv --grid g.png --grid-scale global",
       {"--grid-scale", "global"},
       {"o.jsonl", "g.png"}},
  });
}

// Issue 19: `explain-mol --smiles ... --output x.png` exited 0 and wrote nothing. A flag the mode
// does not read is refused (exit 2, nothing written), naming what to use instead.
TEST_F(BadInputMoleculesTest, FlagsOutsideTheirModeAreRefused) {
  const std::string batch = kSingle + "--input mols.csv --output o.jsonl ";
  expect_all_refused({
      {"--output with --smiles",
       kSingle + "--smiles CCO --output x.png",
       {"--output is the JSON lines file of --input", "--out writes the drawing"},
       {"x.png"}},
      {"--out with --input",
       batch + "--out x.png",
       {"--out is the drawing of --smiles"},
       {"x.png", "o.jsonl"}},
      {"--fragment-counts with --smiles",
       kSingle + "--smiles CCO --fragment-counts c.csv",
       {"--fragment-counts applies to --input"},
       {"c.csv"}},
      {"--format with --smiles",
       kSingle + "--smiles CCO --format csv",
       {"--format applies to --input"}},
      {"--mol-batch with --smiles", kSingle + "--smiles CCO --mol-batch 4", {"--mol-batch"}},
      {"--width with nothing drawn",
       kSingle + "--smiles CCO --width 300",
       {"--width applies to drawings", "--out"}},
      {"--contours with nothing drawn",
       batch + "--contours",
       {"--contours applies to drawings", "--render-dir"},
       {"o.jsonl"}},
      {"--grid-max without --grid",
       batch + "--grid-max 3",
       {"--grid-max applies to --grid"},
       {"o.jsonl"}},
      {"--render-format without --render-dir",
       batch + "--render-format svg",
       {"--render-format applies to --render-dir"},
       {"o.jsonl"}},
      {"--fragment-min-atoms with --fragment-size",
       batch + "--fragment-size 3 --fragment-min-atoms 2",
       {"--fragment-min-atoms", "--fragment-size"},
       {"o.jsonl"}},
      {"--fragment-min-atoms 0",
       batch + "--fragment-min-atoms 0",
       {"--fragment-min-atoms"},
       {"o.jsonl"}},
      {"--fragment-counts to standard output",
       batch + "--fragment-counts -",
       {"--fragment-counts -", "only --output"},
       {"o.jsonl", "-"}},
      {"--output - with --json",
       kSingle + "--input mols.csv --output - --json",
       {"--output -", "--json"}},
  });
}

TEST_F(BadInputMoleculesTest, TrainDataFlags) {
  const std::string train = "train --data mols.csv --epochs 2 --out t.gnnx ";
  expect_all_refused({
      // Regression: both were trained as two identical tasks.
      {"a target named twice", train + "--target p_np,p_np", {"'p_np' is named twice"}, {"t.gnnx"}},
      {"no such target", train + "--target nope", {"no label column 'nope'"}, {"t.gnnx"}},
      // Regression: read as -1, "as wide as --hidden".
      {"negative --mlp-hidden",
       train + "--target p_np --mlp-hidden -5",
       {"--mlp-hidden"},
       {"t.gnnx"}},
      {"too many folds", train + "--target p_np --cv 1000", {"--cv"}, {"t.gnnx"}},
      {"--out is the data", "train --data mols.csv --target p_np --out mols.csv", {"same file"}},
      {"one class name",
       train + "--target p_np --class-names mutagen",
       {"--class-names"},
       {"t.gnnx"}},
      {"three class names",
       train + "--target p_np --class-names a,b,c",
       {"--class-names"},
       {"t.gnnx"}},
      {"the same name twice",
       train + "--target p_np --class-names a,a",
       {"--class-names", "both classes are named 'a'"},
       {"t.gnnx"}},
      {"an empty class name",
       train + "--target p_np --class-names ,b",
       {"--class-names"},
       {"t.gnnx"}},
      {"class names for regression",
       train + "--target p_np --task regression --class-names a,b",
       {"--class-names", "regression"},
       {"t.gnnx"}},
      {"class names with --dataset",
       "train --dataset ba-shapes --epochs 1 --class-names a,b --out t.gnnx",
       {"--class-names"},
       {"t.gnnx"}},
  });
}

}  // namespace
