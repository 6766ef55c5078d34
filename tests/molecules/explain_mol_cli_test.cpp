// `gnnx train --data` and `gnnx explain-mol` end to end: a tiny model trained from a CSV, a
// malformed SMILES refused with exit code 2, drawings, and shards that together reproduce the
// single-run output.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
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

  static RunResult run(const std::string& args) {
    const fs::path err_file = dir_ / "stderr.txt";
    const std::string cmd = "cd " + quote(dir_.string()) + " && " + quote(GNNX_CLI) + " " + args +
                            " 2>" + quote(err_file.string()) + " </dev/null";
    RunResult r;
    FILE* pipe = popen(cmd.c_str(), "r");
    if (pipe == nullptr) return r;
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
    const int status = pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.err = read_file(err_file);
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

  // Shards: every third record each; merged by index they are the single run, line for line.
  std::map<int64_t, std::string> merged;
  for (int s = 0; s < 3; ++s) {
    const std::string out = "shard" + std::to_string(s) + ".jsonl";
    r =
        run("--quiet explain-mol --model m.gnnx --method saliency --input mols.csv --id-col name "
            "--shard " +
            std::to_string(s) + "/3 --output " + out);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const std::string& line : lines_of(read_file(dir_ / out))) {
      const int64_t index = nlohmann::json::parse(line)["index"].get<int64_t>();
      EXPECT_EQ(index % 3, s);
      EXPECT_TRUE(merged.emplace(index, line).second);
    }
  }
  std::vector<std::string> joined;
  for (const auto& [index, line] : merged) joined.push_back(line);
  EXPECT_EQ(joined, all);

  r =
      run("--quiet explain-mol --model m.gnnx --method saliency --input mols.csv --shard 3/3 "
          "--output x.jsonl");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--shard"), std::string::npos) << r.err;
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

}  // namespace
