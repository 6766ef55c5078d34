// `gnnx train --data` and `gnnx explain-mol` end to end: a tiny model trained from a CSV, a
// malformed SMILES refused with exit code 2, drawings, and shards that together reproduce the
// single-run output.

#include <cairo.h>
#include <gtest/gtest.h>

#include <sys/wait.h>
#include "support/mutagenicity_truth_rows.h"
#include "support/png_decode.h"
#include "support/run_cli.h"
#include "support/significant_digits.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <GraphMol/ROMol.h>
#include <gnnx/molecules/molecule_explainer.h>
#include <gnnx/molecules/parse.h>

namespace {

namespace fs = std::filesystem;

// The shared runner (tests/support/run_cli.h) under this file's names.
using RunResult = gnnx::testing::CliResult;
const auto& read_file = gnnx::testing::read_whole_file;
const auto& quote = gnnx::testing::shell_quote;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

/// The fields of a CSV line without quoted commas (fragment SMILES and SMARTS have none here).
std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

class ExplainMolCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("gnnx_explain_mol_test_" + std::to_string(rd()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "train.csv") << "smiles,active\n"
                                         "O=[N+]([O-])c1ccccc1,1\n"
                                         "Nc1ccccc1,1\n"
                                         "CCO,0\n"
                                         "CCCC,0\n"
                                         "O=[N+]([O-])c1ccc(C)cc1,1\n"
                                         "CC(=O)O,0\n"
                                         "Nc1ccc(Cl)cc1,1\n"
                                         "CCCCO,0\n"
                                         "c1ccc2ccccc2c1,\n"
                                         "OCC(O)CO,0\n";
    const RunResult r =
        run("--quiet train --data train.csv --target active --epochs 3 "
            "--hidden 8 --out m.gnnx --json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Batch input: a malformed record in the middle.
    std::ofstream(dir_ / "mols.csv") << "name,smiles\n"
                                        "a,O=[N+]([O-])c1ccccc1\n"
                                        "b,CCO\n"
                                        "c,C1CC(\n"
                                        "d,Nc1ccccc1\n"
                                        "e,c1ccccc1Cl\n"
                                        "f,CC(=O)Nc1ccccc1\n"
                                        "g,OCC\n";
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  static RunResult run(const std::string& args, const std::string& stdin_path = "/dev/null") {
    return gnnx::testing::run_gnnx(dir_, args, stdin_path);
  }

  /// Runs a shell command line in the test directory (for the documented shard merge).
  static RunResult run_shell(const std::string& line) {
    RunResult r;
    r.exit_code = std::system(("cd " + quote(dir_.string()) + " && " + line).c_str());
    r.exit_code = WIFEXITED(r.exit_code) ? WEXITSTATUS(r.exit_code) : -1;
    return r;
  }

  static fs::path dir_;
};

fs::path ExplainMolCliTest::dir_;

TEST_F(ExplainMolCliTest, TrainReportsRocAucAndMaskedLabel) {
  const RunResult r =
      run("--quiet train --data train.csv --target active --epochs 2 --hidden 8 "
          "--out m2.gnnx --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["task"], "classification");
  EXPECT_EQ(j["molecules"], 10);
  EXPECT_TRUE(j["test"].contains("roc_auc"));
  EXPECT_EQ(j["train"]["labels"].get<int>() + j["val"]["labels"].get<int>() +
                j["test"]["labels"].get<int>(),
            9);  // one missing label
}

TEST_F(ExplainMolCliTest, MalformedSmilesExitsTwoWithClearMessage) {
  const RunResult r =
      run("explain-mol --model m.gnnx --smiles 'C1CC(' --method grad-cam --out bad.png");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot parse SMILES 'C1CC('"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "bad.png"));
}

// --output (or --grid, --fragment-counts) onto the input, or the training data onto --out,
// used to replace the input: refused, with the input unchanged.
TEST_F(ExplainMolCliTest, OutputsOntoInputsAreRefused) {
  const std::string mols = gnnx::testing::read_whole_file(dir_ / "mols.csv");
  const std::string data = gnnx::testing::read_whole_file(dir_ / "train.csv");
  for (const char* args :
       {"--quiet explain-mol --model m.gnnx --method saliency --input mols.csv --output mols.csv",
        "--quiet explain-mol --model m.gnnx --method saliency --input mols.csv --output o.jsonl "
        "--fragment-counts mols.csv",
        "--quiet train --data train.csv --target active --epochs 1 --out train.csv"}) {
    const RunResult r = run(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find("refusing to overwrite an input"), std::string::npos) << r.err;
  }
  EXPECT_EQ(gnnx::testing::read_whole_file(dir_ / "mols.csv"), mols);
  EXPECT_EQ(gnnx::testing::read_whole_file(dir_ / "train.csv"), data);
  EXPECT_FALSE(fs::exists(dir_ / "o.jsonl"));
}

TEST_F(ExplainMolCliTest, DrawsPngAndSvg) {
  for (const char* name : {"nitro.png", "nitro.svg"}) {
    const RunResult r = run(std::string("--quiet explain-mol --model m.gnnx --smiles "
                                        "'O=[N+]([O-])c1ccccc1' --method grad-cam --json --out ") +
                            name);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["atoms"].size(), 9u);
    EXPECT_EQ(j["bonds"].size(), 9u);
    const std::string bytes = read_file(dir_ / name);
    ASSERT_GT(bytes.size(), 100u);
    if (std::string(name).find(".png") != std::string::npos) {
      EXPECT_EQ(bytes.substr(1, 3), "PNG");
    } else {
      EXPECT_NE(bytes.find("<svg"), std::string::npos);
    }
  }
}

TEST_F(ExplainMolCliTest, ShardsTogetherEqualTheSingleRun) {
  RunResult r =
      run("--quiet explain-mol --model m.gnnx --method saliency --input mols.csv "
          "--id-col name --output all.jsonl");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> all = lines_of(read_file(dir_ / "all.jsonl"));
  ASSERT_EQ(all.size(), 7u);  // one line per record, the bad one included
  const auto bad = nlohmann::json::parse(all[2]);
  EXPECT_EQ(bad["id"], "c");
  EXPECT_EQ(bad["line"], 4);
  EXPECT_TRUE(bad.contains("error"));
  const auto good = nlohmann::json::parse(all[0]);
  EXPECT_EQ(good["index"], 0);
  EXPECT_EQ(good["atoms"].size(), 9u);

  // Shards: every third record each. The documented merge: concatenate the parts and sort them
  // by index with `LC_ALL=C sort -t: -k2,2n`; the result is the single run's file, byte for byte.
  for (const char* method : {"saliency", "grad-cam"}) {
    r = run(std::string("--quiet explain-mol --model m.gnnx --method ") + method +
            " --input mols.csv --id-col name --output single.jsonl");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string parts;
    for (int s = 0; s < 3; ++s) {
      const std::string out = "shard" + std::to_string(s) + ".jsonl";
      r = run(std::string("--quiet explain-mol --model m.gnnx --method ") + method +
              " --input mols.csv --id-col name --shard " + std::to_string(s) + "/3 --output " +
              out);
      ASSERT_EQ(r.exit_code, 0) << r.err;
      for (const std::string& line : lines_of(read_file(dir_ / out))) {
        EXPECT_EQ(nlohmann::json::parse(line)["index"].get<int64_t>() % 3, s);
      }
      parts += " " + out;
    }
    r = run_shell("cat" + parts + " | LC_ALL=C sort -t: -k2,2n > merged.jsonl");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(dir_ / "merged.jsonl"), read_file(dir_ / "single.jsonl")) << method;
  }

  r =
      run("--quiet explain-mol --model m.gnnx --method saliency --input mols.csv --shard 3/3 "
          "--output x.jsonl");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--shard"), std::string::npos) << r.err;
}

// --precision: every number of the lines to that many significant digits (6 by default).
TEST_F(ExplainMolCliTest, PrecisionRoundsTheNumbers) {
  const std::string explain =
      "--quiet explain-mol --model m.gnnx --method saliency --input mols.csv --id-col name ";
  ASSERT_EQ(run(explain + "--output six.jsonl").exit_code, 0);
  RunResult r = run(explain + "--output two.jsonl --precision 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string six = read_file(dir_ / "six.jsonl"), two = read_file(dir_ / "two.jsonl");
  EXPECT_EQ(gnnx::testing::most_digits_in_arrays(two, "atoms"), 2);
  EXPECT_EQ(gnnx::testing::most_digits_in_arrays(six, "atoms"), 6);
  const auto a = nlohmann::json::parse(lines_of(six)[0]),
             b = nlohmann::json::parse(lines_of(two)[0]);
  ASSERT_EQ(a["atoms"].size(), b["atoms"].size());
  for (size_t i = 0; i < a["atoms"].size(); ++i) {
    const double x = a["atoms"][i], y = b["atoms"][i];
    EXPECT_NEAR(y, x, 0.051 * std::abs(x)) << i;  // 2 digits: within half a unit of the second
  }
  r = run(explain + "--output bad.jsonl --precision 0");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--precision"), std::string::npos) << r.err;
}

TEST_F(ExplainMolCliTest, RenderDirGetsOneDrawingPerGoodRecord) {
  fs::create_directories(dir_ / "png");
  const RunResult r =
      run("--quiet explain-mol --model m.gnnx --method grad-cam --input mols.csv "
          "--output r.jsonl --render-dir png");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "png/0.png"));
  EXPECT_FALSE(fs::exists(dir_ / "png/2.png"));  // the malformed record
  EXPECT_TRUE(fs::exists(dir_ / "png/6.png"));
}

// A value limited to a set of words names no input: a folder called "svg" beside
// `--render-format svg` was refused as "the same file as --render-format svg".
TEST_F(ExplainMolCliTest, RenderDirMayShareItsNameWithTheFormat) {
  fs::create_directories(dir_ / "svg");
  const RunResult r =
      run("--quiet explain-mol --model m.gnnx --method grad-cam --input mols.csv "
          "--output svg.jsonl --render-dir svg --render-format svg");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "svg/0.svg"));
}

// Issue 19: --render-dir named its files by index even with --id-col.
TEST_F(ExplainMolCliTest, RenderDirNamesTheFilesByTheIdColumn) {
  fs::create_directories(dir_ / "ids");
  const RunResult r =
      run("--quiet explain-mol --model m.gnnx --method grad-cam --input mols.csv --id-col name "
          "--output ids.jsonl --render-dir ids --render-format svg");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* id : {"a", "b", "d", "e", "f", "g"}) {
    EXPECT_TRUE(fs::exists(dir_ / "ids" / (std::string(id) + ".svg"))) << id;
  }
  EXPECT_FALSE(fs::exists(dir_ / "ids/c.svg"));  // the malformed record
  EXPECT_FALSE(fs::exists(dir_ / "ids/0.svg"));
  // Ids that are no file names, and one given twice: made safe, the second gets its index.
  std::ofstream(dir_ / "odd_ids.csv") << "name,smiles\n"
                                         "../x y,CCO\n"
                                         "../x y,CCN\n"
                                         ",CCC\n";
  fs::create_directories(dir_ / "odd");
  const RunResult odd =
      run("--quiet explain-mol --model m.gnnx --method grad-cam --input odd_ids.csv --id-col "
          "name --output odd.jsonl --render-dir odd");
  ASSERT_EQ(odd.exit_code, 0) << odd.err;
  EXPECT_TRUE(fs::exists(dir_ / "odd/_._x_y.png"));
  EXPECT_TRUE(fs::exists(dir_ / "odd/_._x_y_1.png"));
  EXPECT_TRUE(fs::exists(dir_ / "odd/2.png"));  // an empty id: the index
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "odd"), fs::directory_iterator()), 3);
}

// Issue 19: each grid panel had its own colour scale. Shared by default, per panel on request;
// the same panels in SVG and PNG.
TEST_F(ExplainMolCliTest, GridPanelsShareOneColourScaleUnlessAskedPerPanel) {
  const std::string grid =
      "--quiet explain-mol --model m.gnnx --method saliency --input mols.csv --id-col name "
      "--output g.jsonl --width 300 --height 240 --grid-columns 3 ";
  ASSERT_EQ(run(grid + "--grid shared.svg").exit_code, 0);
  ASSERT_EQ(run(grid + "--grid panel.svg --grid-scale panel").exit_code, 0);
  ASSERT_EQ(run(grid + "--grid explicit.svg --grid-scale shared").exit_code, 0);
  const std::string shared = read_file(dir_ / "shared.svg"), panel = read_file(dir_ / "panel.svg");
  EXPECT_EQ(read_file(dir_ / "explicit.svg"), shared);
  EXPECT_NE(shared, panel);
  // The fill colours of each panel's atom discs. Per panel, every panel has a disc of the map's
  // top colour (its own largest value); shared, only the panels that hold the grid's largest
  // value have one.
  auto disc_colours = [](const std::string& svg) {
    std::vector<std::set<std::string>> panels;
    for (size_t at = svg.find("<svg x="); at != std::string::npos;
         at = svg.find("<svg x=", at + 1)) {
      const std::string p = svg.substr(at, svg.find("</svg>", at) - at);
      std::set<std::string> colours;
      for (size_t e = p.find("<ellipse"); e != std::string::npos; e = p.find("<ellipse", e + 1)) {
        const std::string c = p.substr(p.find("fill:#", e) + 6, 6);
        if (c != "262626" && c != "FFFFFF") colours.insert(c);  // the fragment's outline
      }
      panels.push_back(colours);
    }
    return panels;
  };
  const auto own = disc_colours(panel), one = disc_colours(shared);
  ASSERT_EQ(own.size(), 6u);
  ASSERT_EQ(one.size(), 6u);
  std::set<std::string> in_all = own[0];
  for (const auto& p : own) {
    std::set<std::string> both;
    for (const std::string& c : p) {
      if (in_all.count(c)) both.insert(c);
    }
    in_all = both;
  }
  ASSERT_EQ(in_all.size(), 1u);  // the top colour
  const std::string top = *in_all.begin();
  int shared_with_top = 0;
  for (const auto& p : one) shared_with_top += static_cast<int>(p.count(top));
  EXPECT_GE(shared_with_top, 1);
  EXPECT_LT(shared_with_top, 6);
  ASSERT_EQ(run(grid + "--grid shared.png").exit_code, 0);
  EXPECT_EQ(read_file(dir_ / "shared.png").substr(1, 3), "PNG");
}

TEST_F(ExplainMolCliTest, FragmentsAreReportedCountedAndDrawnInAGrid) {
  const RunResult r =
      run("--quiet explain-mol --model m.gnnx --method saliency --input mols.csv --id-col name "
          "--output f.jsonl --fragment-size 2 --fragment-counts counts.csv --grid grid.png "
          "--grid-columns 3 --width 200 --height 150 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int64_t explained = 0;
  std::map<std::string, int64_t> by_smiles;
  for (const std::string& line : lines_of(read_file(dir_ / "f.jsonl"))) {
    const auto j = nlohmann::json::parse(line);
    if (j.contains("error")) continue;
    ++explained;
    EXPECT_EQ(j["fragment_atoms"].size(), 2u) << line;
    EXPECT_EQ(j["fragment_bonds"].size(), 1u) << line;
    // The fragment's SMILES is RDKit's for the listed atoms of the record's molecule.
    const auto mol = gnnx::molecules::smiles_to_mol(j["smiles"].get<std::string>());
    const std::vector<int> atoms = j["fragment_atoms"].get<std::vector<int>>();
    EXPECT_TRUE(mol->getBondBetweenAtoms(atoms[0], atoms[1]) != nullptr) << line;
    ++by_smiles[j["fragment_smiles"].get<std::string>()];
  }
  EXPECT_EQ(explained, 6);
  // The counts file holds the same tally.
  const std::vector<std::string> csv = lines_of(read_file(dir_ / "counts.csv"));
  EXPECT_EQ(csv.at(0),
            "explained_class,explained_class_name,fragment_smiles,fragment_smarts,count,fraction,"
            "mean_prediction,first_id");
  // Rows are per (explained class, fragment): summed over the classes, the tally by SMILES.
  std::map<std::string, int64_t> counted;
  int64_t total = 0;
  for (size_t i = 1; i < csv.size(); ++i) {
    const std::vector<std::string> f = fields_of(csv[i]);
    ASSERT_EQ(f.size(), 8u) << csv[i];
    EXPECT_TRUE(f[0] == "0" || f[0] == "1") << csv[i];
    EXPECT_EQ(f[1], "") << csv[i];  // the model names no classes
    counted[f[2]] += std::stoll(f[4]);
    total += std::stoll(f[4]);
  }
  EXPECT_EQ(counted, by_smiles);
  EXPECT_EQ(total, 6);
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["explained"], 6);
  EXPECT_FALSE(summary["top_fragments"].empty());
  // 6 panels of 200x150 in rows of 3.
  const std::string png = read_file(dir_ / "grid.png");
  ASSERT_GT(png.size(), 24u);
  auto be32 = [&](size_t at) {
    int v = 0;
    for (size_t i = 0; i < 4; ++i) v = v * 256 + static_cast<unsigned char>(png[at + i]);
    return v;
  };
  EXPECT_EQ(be32(16), 600);
  EXPECT_EQ(be32(20), 300);
}

TEST_F(ExplainMolCliTest, UnwritableOutputsExitTwoAndLeaveNothing) {
  for (const std::string& bad : {std::string("--output no/such/dir/x.jsonl"),
                                 std::string("--output ok.jsonl --grid no/such/g.png"),
                                 std::string("--output ok.jsonl --fragment-counts no/such/c.csv"),
                                 std::string("--output ok.jsonl --grid g.gif"),
                                 std::string("--output ok.jsonl --shard 1/x")}) {
    const RunResult r =
        run("--quiet explain-mol --model m.gnnx --method saliency --input mols.csv " + bad);
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
    EXPECT_FALSE(r.err.empty());
    EXPECT_FALSE(fs::exists(dir_ / "ok.jsonl")) << bad;
  }
}

// The library API gives what the command line writes (pipelines and the CLI share one path).
TEST_F(ExplainMolCliTest, LibraryApiMatchesTheCommandLine) {
  const std::string smiles = "O=[N+]([O-])c1ccc(Cl)cc1";
  const RunResult r = run("--quiet explain-mol --model m.gnnx --method grad-cam --json --smiles " +
                          quote(smiles) + " --fragment-size 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);

  gnnx::molecules::MoleculeExplainerOptions options;
  options.fragment.size = 3;
  gnnx::molecules::MoleculeExplainer explainer((dir_ / "m.gnnx").string(), "grad-cam", options);
  const auto mol = gnnx::molecules::smiles_to_mol(smiles);
  const gnnx::molecules::MoleculeExplanation e = explainer.explain(*mol);
  ASSERT_EQ(e.atoms.size(), j["atoms"].size());
  ASSERT_EQ(e.bonds.size(), j["bonds"].size());
  for (size_t i = 0; i < e.atoms.size(); ++i) {
    EXPECT_NEAR(e.atoms[i], j["atoms"][i].get<double>(), 1e-5 * (1 + std::abs(e.atoms[i])));
  }
  EXPECT_NEAR(e.prediction, j["prediction"].get<double>(), 1e-5);
  EXPECT_EQ(e.fragment.smiles, j["fragment_smiles"]);
  EXPECT_EQ(e.fragment.atoms, j["fragment_atoms"].get<std::vector<int>>());
  // Batched explanations equal one-at-a-time ones.
  const auto other = gnnx::molecules::smiles_to_mol("CCO");
  const auto both = explainer.explain({other.get(), mol.get()});
  ASSERT_EQ(both.size(), 2u);
  ASSERT_TRUE(both[1].explanation.has_value()) << both[1].error;
  for (size_t i = 0; i < e.atoms.size(); ++i) {
    EXPECT_NEAR(both[1].explanation->atoms[i], e.atoms[i], 1e-6);
  }
  const std::string svg = explainer.draw(*mol, e, gnnx::molecules::ImageFormat::kSvg);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  // The legend line is e.legend unless the options give one (RDKit draws text as paths).
  EXPECT_NE(e.legend.find("grad-cam | active: P(1) = "), std::string::npos) << e.legend;
  gnnx::molecules::DrawOptions relabelled;
  relabelled.legend = "another legend";
  EXPECT_NE(svg, explainer.draw(*mol, e, gnnx::molecules::ImageFormat::kSvg, relabelled));
}

// Issue 19: .csv.gz and standard input were refused and `--output -` wrote a file named "-".
// The same records, read from a gzipped file, from stdin (plain and gzipped) or written to
// stdout, give the same lines; the summary then goes to stderr.
TEST_F(ExplainMolCliTest, GzipStdinAndStdoutGiveTheSameLines) {
  const std::string explain = "--quiet explain-mol --model m.gnnx --method saliency --id-col name ";
  ASSERT_EQ(run(explain + "--input mols.csv --output plain.jsonl").exit_code, 0);
  const std::string plain = read_file(dir_ / "plain.jsonl");
  ASSERT_EQ(lines_of(plain).size(), 7u);
  ASSERT_EQ(run_shell("gzip -c mols.csv > mols.csv.gz").exit_code, 0);

  RunResult r = run(explain + "--input mols.csv.gz --output gz.jsonl");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(dir_ / "gz.jsonl"), plain);
  for (const char* in : {"mols.csv", "mols.csv.gz"}) {
    r = run(explain + "--input - --format csv --output -", in);
    ASSERT_EQ(r.exit_code, 0) << in << "\n" << r.err;
    EXPECT_EQ(r.out, plain) << in;
    EXPECT_NE(r.err.find("explained 6 of 7 record(s) of - with saliency -> -"), std::string::npos)
        << r.err;
  }
  EXPECT_FALSE(fs::exists(dir_ / "-"));

  // SDF: plain, gzipped and from stdin, with a block RDKit cannot read kept as an error line.
  const std::string ethanol =
      "ethanol\n  RDKit          2D\n\n"
      "  3  2  0  0  0  0  0  0  0  0999 V2000\n"
      "    0.0000    0.0000    0.0000 C   0  0\n"
      "    1.0000    0.0000    0.0000 C   0  0\n"
      "    2.0000    0.0000    0.0000 O   0  0\n"
      "  1  2  1  0\n  2  3  1  0\nM  END\n$$$$\n";
  std::ofstream(dir_ / "mols.sdf") << ethanol << "broken\n\n\nM  END\n$$$$\n" << ethanol;
  ASSERT_EQ(run_shell("gzip -c mols.sdf > mols.sdf.gz").exit_code, 0);
  const std::string sdf = "--quiet explain-mol --model m.gnnx --method saliency ";
  ASSERT_EQ(run(sdf + "--input mols.sdf --output sdf.jsonl").exit_code, 0);
  const std::string sdf_lines = read_file(dir_ / "sdf.jsonl");
  ASSERT_EQ(lines_of(sdf_lines).size(), 3u);
  EXPECT_NE(lines_of(sdf_lines)[1].find("\"error\""), std::string::npos) << sdf_lines;
  r = run(sdf + "--input mols.sdf.gz --output sdfgz.jsonl");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(dir_ / "sdfgz.jsonl"), sdf_lines);
  r = run(sdf + "--input - --format sdf --output -", "mols.sdf.gz");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, sdf_lines);

  // Standard input without --format: refused, exit 2, nothing on stdout.
  r = run(sdf + "--input - --output -", "mols.sdf");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--format"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

// Issue 19: a TUDataset model named its task "label=1" and its classes 0 and 1, so that
// "explaining class 0" read as the opposite of what it meant. `train --class-names` keeps names
// in the model file; explain-mol shows them in the console line, the JSON, the legend and the
// fragment counts.
TEST_F(ExplainMolCliTest, ClassNamesReachEveryOutput) {
  RunResult r =
      run("--quiet train --data train.csv --target active --epochs 3 --hidden 8 "
          "--class-names inactive,active --out named.gnnx --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["class_names"],
            (std::vector<std::string>{"inactive", "active"}));

  r = run("--quiet explain-mol --model named.gnnx --method grad-cam --smiles 'Nc1ccccc1'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("active: P(active) = "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("| explaining '"), std::string::npos) << r.out;

  r =
      run("--quiet explain-mol --model named.gnnx --method grad-cam --input mols.csv "
          "--output named.jsonl --fragment-counts named.csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, int64_t> by_class;
  for (const std::string& line : lines_of(read_file(dir_ / "named.jsonl"))) {
    const auto j = nlohmann::json::parse(line);
    if (j.contains("error")) continue;
    const std::vector<std::string> names = {"inactive", "active"};
    EXPECT_EQ(j["explained_class_name"], names.at(j["explained_class"].get<size_t>())) << line;
    EXPECT_EQ(j["predicted_class_name"], names.at(j["predicted_class"].get<size_t>())) << line;
    ++by_class[j["explained_class_name"].get<std::string>()];
  }
  std::map<std::string, int64_t> counted;
  const std::vector<std::string> csv = lines_of(read_file(dir_ / "named.csv"));
  for (size_t i = 1; i < csv.size(); ++i) {
    const std::vector<std::string> f = fields_of(csv[i]);
    ASSERT_EQ(f.size(), 8u) << csv[i];
    EXPECT_EQ(f[1], f[0] == "0" ? "inactive" : "active") << csv[i];
    counted[f[1]] += std::stoll(f[4]);
  }
  EXPECT_EQ(counted, by_class);
  EXPECT_NE(r.out.find("(explaining '"), std::string::npos) << r.out;
}

// Issue 19: fragment counts were mostly lone atoms. --fragment-min-atoms N grows every
// fragment to at least N atoms (all of a smaller molecule's).
TEST_F(ExplainMolCliTest, FragmentMinAtomsGrowsEveryFragment) {
  const RunResult r =
      run("--quiet explain-mol --model m.gnnx --method saliency --input mols.csv "
          "--output min.jsonl --fragment-min-atoms 4 --fragment-threshold 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int64_t explained = 0;
  for (const std::string& line : lines_of(read_file(dir_ / "min.jsonl"))) {
    const auto j = nlohmann::json::parse(line);
    if (j.contains("error")) continue;
    ++explained;
    const size_t atoms = j["atoms"].size();
    EXPECT_GE(j["fragment_atoms"].size(), std::min<size_t>(4, atoms)) << line;
  }
  EXPECT_EQ(explained, 6);
}

// Issue 19, item 6: the scale-out recipe of the README. N processes under GNU parallel, each one
// shard (--shard {}/N), merged by the documented sort, give the single run's bytes.
TEST_F(ExplainMolCliTest, Issue19ShardsUnderGnuParallelMergeToTheSingleRun) {
  if (run_shell("command -v parallel > /dev/null").exit_code != 0) {
    GTEST_SKIP() << "GNU parallel is not installed (Debian: parallel)";
  }
  const std::string explain = quote(GNNX_CLI) +
                              " --quiet explain-mol --model m.gnnx --method grad-cam "
                              "--input mols.csv --id-col name";
  ASSERT_EQ(run_shell(explain + " --output par_single.jsonl").exit_code, 0);
  ASSERT_EQ(run_shell("parallel --will-cite -j 3 " + explain +
                      " --shard {}/3 --output par_part{}.jsonl ::: 0 1 2")
                .exit_code,
            0);
  for (int s = 0; s < 3; ++s) {
    EXPECT_FALSE(read_file(dir_ / ("par_part" + std::to_string(s) + ".jsonl")).empty()) << s;
  }
  ASSERT_EQ(run_shell("cat par_part0.jsonl par_part1.jsonl par_part2.jsonl | "
                      "LC_ALL=C sort -t: -k2,2n > par_merged.jsonl")
                .exit_code,
            0);
  const std::string single = read_file(dir_ / "par_single.jsonl");
  EXPECT_EQ(lines_of(single).size(), 7u);
  EXPECT_EQ(read_file(dir_ / "par_merged.jsonl"), single);
}

// Issue 19, item 1: mol_bench runs the Python pipeline (bench/mol_pipeline.py) beside gnnx's on
// the same molecules, here three, and prints each stage's ratio; the script's GCN reproduces the
// gnnx model's logits. Skipped without a Python that imports rdkit and torch.
TEST_F(ExplainMolCliTest, Issue19PythonPipelineRunsOnThreeMolecules) {
  if (std::string(GNNX_MOL_BENCH).empty()) GTEST_SKIP() << "mol_bench is not built";
  std::ofstream(dir_ / "three.csv") << "name,smiles\n"
                                       "a,O=[N+]([O-])c1ccccc1\n"
                                       "b,CCO\n"
                                       "d,Nc1ccc(Cl)cc1\n";
  const RunResult r = run_shell(quote(GNNX_MOL_BENCH) +
                                " --model m.gnnx --data three.csv --threads 1 --repeats 1 "
                                "--no-gnnexplainer > bench.txt 2>&1");
  const std::string out = read_file(dir_ / "bench.txt");
  ASSERT_EQ(r.exit_code, 0) << out;
  if (out.find("  missing: ") != std::string::npos) GTEST_SKIP() << out;
  for (const char* row : {"| parse+featurise | ", "| + predict | ", "| + explain saliency | ",
                          "| + explain saliency + PNG | "}) {
    EXPECT_NE(out.find(row), std::string::npos) << row << "\n" << out;
  }
  const std::string diff = "largest |logit| difference from gnnx's: ";
  const size_t at = out.find(diff);
  ASSERT_NE(at, std::string::npos) << out;
  EXPECT_LT(std::stod(out.substr(at + diff.size())), 1e-4) << out;
  // Three molecules through every stage on both sides.
  EXPECT_NE(out.find("| + explain saliency + PNG | 3 | "), std::string::npos) << out;
}

/// The atoms whose discs are filled with `hex` (RRGGBB) in the truth panel (the second nested
/// <svg>) of an explanation drawn with its truth.
std::set<int> truth_disc_atoms(const std::string& svg, const std::string& hex) {
  const size_t right = svg.find("<svg x='", svg.find("<svg x='0'") + 1);
  EXPECT_NE(right, std::string::npos);
  std::set<int> atoms;
  if (right == std::string::npos) return atoms;
  const std::string panel = svg.substr(right);
  const std::regex disc("<ellipse [^>]*class='atom-(\\d+)'\\s*style='fill:#" + hex);
  for (auto it = std::sregex_iterator(panel.begin(), panel.end(), disc);
       it != std::sregex_iterator(); ++it) {
    atoms.insert(std::stoi((*it)[1]));
  }
  return atoms;
}

/// kTruthColour as RDKit's SVG writes it (components truncated to 0..255).
std::string truth_hex() {
  char hex[8];
  std::snprintf(hex, sizeof hex, "%02X%02X%02X",
                static_cast<int>(255 * gnnx::molecules::kTruthColour.r),
                static_cast<int>(255 * gnnx::molecules::kTruthColour.g),
                static_cast<int>(255 * gnnx::molecules::kTruthColour.b));
  return hex;
}

std::vector<int> ints(const nlohmann::json& j) { return j.get<std::vector<int>>(); }

// Issue 19, item 3: `--show-truth` on Mutagenicity's file (four lines cut from
// mutagenicity_smiles_gt.csv: a nitro and an amine mutagen, two non-mutagens, one with an NH2):
// each drawing is the explanation beside the truth panel, the truth panel's discs are the
// ground-truth atoms, and the JSON lines carry them.
TEST_F(ExplainMolCliTest, Issue19ShowTruthDrawsMutagenicitysGroundTruthBesideTheExplanation) {
  std::ofstream(dir_ / "mut_gt.csv") << gnnx::testing::kMutagenicityTruthRows;
  fs::create_directories(dir_ / "truth_svg");
  const RunResult r =
      run("--quiet explain-mol --model m.gnnx --method saliency --input mut_gt.csv --id-col "
          "graph_id --output truth.jsonl --show-truth --render-dir truth_svg --render-format svg "
          "--width 300 --height 240 --grid truth_grid.png --grid-columns 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = lines_of(read_file(dir_ / "truth.jsonl"));
  ASSERT_EQ(lines.size(), 4u);
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& l : lines) {
    const auto j = nlohmann::json::parse(l);
    ASSERT_TRUE(j.contains("ground_truth_atoms")) << l;
    by_id[j["id"].get<std::string>()] = j;
  }
  const auto nitro = gnnx::molecules::smiles_to_mol("COc1ccccc1[N+](=O)[O-]");
  std::vector<int> nitro_bonds = {static_cast<int>(nitro->getBondBetweenAtoms(8, 9)->getIdx()),
                                  static_cast<int>(nitro->getBondBetweenAtoms(8, 10)->getIdx())};
  std::sort(nitro_bonds.begin(), nitro_bonds.end());
  EXPECT_EQ(ints(by_id["45"]["ground_truth_atoms"]), (std::vector<int>{8, 9, 10}));
  EXPECT_EQ(ints(by_id["45"]["ground_truth_bonds"]), nitro_bonds);
  EXPECT_EQ(ints(by_id["32"]["ground_truth_atoms"]), (std::vector<int>{0}));
  EXPECT_TRUE(by_id["32"]["ground_truth_bonds"].empty());
  for (const char* id : {"13", "20"}) {  // non-mutagens: no ground truth in the protocol
    EXPECT_TRUE(by_id[id]["ground_truth_atoms"].empty()) << id;
    EXPECT_TRUE(by_id[id]["ground_truth_bonds"].empty()) << id;
  }
  // The drawings: two 300-px panels each; the truth panel's truth-coloured discs are the truth.
  const std::map<std::string, std::set<int>> want = {
      {"45", {8, 9, 10}}, {"32", {0}}, {"13", {}}, {"20", {}}};
  for (const auto& [id, atoms] : want) {
    const std::string svg = read_file(dir_ / "truth_svg" / (id + ".svg"));
    EXPECT_NE(svg.find("width='600px' height='240px'"), std::string::npos) << id;
    EXPECT_EQ(truth_disc_atoms(svg, truth_hex()), atoms) << id;
  }
  // The grid: two records a row, each cell an explanation and its truth panel.
  const std::string grid = read_file(dir_ / "truth_grid.png");
  ASSERT_GT(grid.size(), 24u);
  auto be32 = [&](size_t at) {
    return (static_cast<unsigned char>(grid[at]) << 24) |
           (static_cast<unsigned char>(grid[at + 1]) << 16) |
           (static_cast<unsigned char>(grid[at + 2]) << 8) |
           static_cast<unsigned char>(grid[at + 3]);
  };
  EXPECT_EQ(be32(16), 2u * 2u * 300u);  // IHDR width
  EXPECT_EQ(be32(20), 2u * 240u);       // IHDR height
}

// The graph-attribution layout (logic7, "fluoride-carbonyl": a positive and a negative cut from
// logic7_gt.csv): the drawn truth is gt_union_atoms with the bonds between them, and the PNG has
// the truth colour at the SVG's truth discs (the same drawing in both formats).
TEST_F(ExplainMolCliTest, Issue19ShowTruthDrawsTheAttributionUnionInPngAndSvgAlike) {
  std::ofstream(dir_ / "logic7_gt.csv")
      << "index,mol_id,smiles,label,label_in_source_csv,split,n_atoms,gt_union_atoms,"
         "gt_rule_matches,n_gt_masks\n"
         "1372,ZINC37464016,c1cc(cc(c1)F)C(=O)c1cccnc1,1,0,train,15,6 7 8,"
         "\"fluoride=6;carbonyl=7,8\",1\n"
         "37,ZINC00238729,COc1cc(ccc1OCC(=O)NN)CC=C,0,0,train,17,,,0\n";
  for (const char* format : {"svg", "png"}) {
    const std::string out = std::string("logic7_") + format;
    fs::create_directories(dir_ / out);
    const RunResult r =
        run("--quiet explain-mol --model m.gnnx --method grad-cam --input "
            "logic7_gt.csv --id-col mol_id --output " +
            out + ".jsonl --show-truth --render-dir " + out + " --render-format " + format);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const auto lines = lines_of(read_file(dir_ / "logic7_svg.jsonl"));
  ASSERT_EQ(lines.size(), 2u);
  const auto pos = nlohmann::json::parse(lines[0]), neg = nlohmann::json::parse(lines[1]);
  const auto mol = gnnx::molecules::smiles_to_mol("c1cc(cc(c1)F)C(=O)c1cccnc1");
  EXPECT_EQ(ints(pos["ground_truth_atoms"]), (std::vector<int>{6, 7, 8}));
  EXPECT_EQ(ints(pos["ground_truth_bonds"]),
            (std::vector<int>{static_cast<int>(mol->getBondBetweenAtoms(7, 8)->getIdx())}));
  EXPECT_TRUE(neg["ground_truth_atoms"].empty());
  EXPECT_EQ(read_file(dir_ / "logic7_png.jsonl"), read_file(dir_ / "logic7_svg.jsonl"));

  // The truth discs' centres in the SVG's truth panel, and the PNG's pixels there.
  const std::string svg = read_file(dir_ / "logic7_svg/ZINC37464016.svg");
  const size_t right = svg.find("<svg x='600'");
  ASSERT_NE(right, std::string::npos);
  const std::string panel = svg.substr(right);
  const std::regex disc(
      "<ellipse cx='([-0-9.]+)' cy='([-0-9.]+)' rx='([-0-9.]+)' ry='[-0-9.]+' "
      "class='atom-(\\d+)'\\s*style='fill:#" +
      truth_hex());
  std::map<int, std::array<double, 3>> centres;
  for (auto it = std::sregex_iterator(panel.begin(), panel.end(), disc);
       it != std::sregex_iterator(); ++it) {
    centres[std::stoi((*it)[4])] = {std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3])};
  }
  ASSERT_EQ(centres.size(), 3u);
  const std::string png_bytes = read_file(dir_ / "logic7_png/ZINC37464016.png");
  cairo_surface_t* png = gnnx::testing::decode_png(png_bytes);
  ASSERT_EQ(cairo_surface_status(png), CAIRO_STATUS_SUCCESS);
  ASSERT_EQ(cairo_image_surface_get_width(png), 1200);
  auto blue_at = [&](double x, double y) {
    const unsigned char* row = cairo_image_surface_get_data(png) +
                               static_cast<size_t>(y) * cairo_image_surface_get_stride(png);
    uint32_t p = 0;
    std::memcpy(&p, row + 4 * static_cast<size_t>(x), 4);
    const int r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
    return b - r > 60 && b - g > 30;
  };
  for (const auto& [atom, c] : centres) {
    int blue = 0;
    for (int k = 0; k < 16; ++k) {  // near the rim, clear of the F and O labels
      const double angle = (k + 0.5) * M_PI / 8;
      blue +=
          blue_at(600 + c[0] + 0.85 * c[2] * std::cos(angle), c[1] + 0.85 * c[2] * std::sin(angle));
    }
    EXPECT_GE(blue, 10) << "atom " << atom;
  }
  cairo_surface_destroy(png);
  // The negative: a truth panel without truth discs.
  EXPECT_TRUE(
      truth_disc_atoms(read_file(dir_ / "logic7_svg/ZINC00238729.svg"), truth_hex()).empty());
}

// --show-truth applies to --input files with ground-truth columns and to drawings: with
// --smiles, without --render-dir/--grid, or on a file without the columns it is refused with
// exit code 2, naming the flag (or the missing columns), and nothing is written.
TEST_F(ExplainMolCliTest, Issue19ShowTruthOutsideItsUseIsRefused) {
  fs::create_directories(dir_ / "refused");
  struct Case {
    std::string args, says, file;
  };
  const std::vector<Case> cases = {
      {"--smiles 'O=[N+]([O-])c1ccccc1' --out refused.png --show-truth", "--show-truth",
       "refused.png"},
      {"--input mut_gt.csv --output refused.jsonl --show-truth", "--show-truth", "refused.jsonl"},
      {"--input mols.csv --output refused.jsonl --show-truth --render-dir refused", "gt_atoms",
       "refused.jsonl"},
      {"--input mols.csv --output refused.jsonl --show-truth --grid refused.png", "gt_union_atoms",
       "refused.png"},
  };
  std::ofstream(dir_ / "mut_gt.csv")
      << "graph_id,tu_label,mutagenic,smiles,gt_atoms,gt_bonds\n45,0,1,CCO,,\n";
  for (const Case& c : cases) {
    const RunResult r = run("--quiet explain-mol --model m.gnnx --method saliency " + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << c.args << "\n" << r.err;
    EXPECT_FALSE(fs::exists(dir_ / c.file)) << c.args;
  }
  EXPECT_TRUE(fs::is_empty(dir_ / "refused"));
  // Indices that disagree with the SMILES (atom 5 of a 3-atom molecule): refused, naming the
  // line, before anything is written.
  std::ofstream(dir_ / "bad_gt.csv")
      << "graph_id,tu_label,mutagenic,smiles,gt_atoms,gt_bonds\n1,0,1,CCO,,\n2,0,1,CCN,5,\n";
  const RunResult r =
      run("--quiet explain-mol --model m.gnnx --method saliency --input bad_gt.csv --output "
          "refused.jsonl --show-truth --render-dir refused");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("bad_gt.csv:3"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "refused.jsonl"));
  EXPECT_TRUE(fs::is_empty(dir_ / "refused"));
}

}  // namespace
