// Bad input on the command line (issue 20): each case must exit with code 2, name the problem,
// and leave no output file behind and every input file as it was. Table-driven: one row per
// case, run against one small BA-Shapes model and one small graph of files.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/bad_input.h"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using gnnx::testing::BadInput;
using gnnx::testing::CliResult;

class BadInputCliTest : public gnnx::testing::BadInputTest {
 protected:
  static void SetUpTestSuite() {
    make_folder("gnnx_bad_input_");
    const CliResult r = gnnx("train --dataset ba-shapes --epochs 5 --out m.gnnx");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // A node task of files: a 4-cycle, two classes.
    std::ofstream(dir_ / "e.csv") << "0,1\n1,2\n2,3\n3,0\n";
    std::ofstream(dir_ / "y.csv") << "0,0\n1,1\n2,0\n3,1\n";
    fs::create_symlink(dir_ / "m.gnnx", dir_ / "link.gnnx");
    const CliResult files = gnnx("train --edges e.csv --labels y.csv --epochs 2 --out files.gnnx");
    ASSERT_EQ(files.exit_code, 0) << files.err;  // a model of files without ground truth
  }
};

const std::string kExplain = "explain --model m.gnnx --method saliency ";

TEST_F(BadInputCliTest, OutputsNeverOverwriteInputs) {
  for (const BadInput& c : std::vector<BadInput>{
           {"--out is the model",
            kExplain + "--nodes 400 --out m.gnnx",
            {"--out m.gnnx is the same file as --model m.gnnx", "refusing to overwrite"}},
           {"--out is a link to the model",
            kExplain + "--nodes 400 --out link.gnnx",
            {"same file as --model"}},
           {"--out spelled another way", kExplain + "--nodes 400 --out ./m.gnnx", {"same file"}},
           {"--render is the model",
            kExplain + "--nodes 400 --out x.json --render m.gnnx",
            {"--render"},
            {"x.json"}},
           {"two outputs, one file",
            kExplain + "--nodes 400 --out x.dot --render x.dot",
            {"both name x.dot"},
            {"x.dot"}},
           {"train --out is an input",
            "train --edges e.csv --labels y.csv --out e.csv",
            {"--out e.csv is the same file as --edges e.csv"}},
       }) {
    expect_refused(c);
  }
}

TEST_F(BadInputCliTest, NumbersAreStrictAndFinite) {
  const std::string train = "train --dataset ba-shapes --out n.gnnx ";
  for (const BadInput& c : std::vector<BadInput>{
           {"hexadecimal integer", train + "--epochs 0x10", {"--epochs", "0x10"}, {"n.gnnx"}},
           {"integer beyond int64",
            train + "--epochs 99999999999999999999",
            {"99999999999999999999"},
            {"n.gnnx"}},
           {"negative unsigned seed", train + "--seed -1", {"--seed"}, {"n.gnnx"}},
           {"seed beyond uint64", train + "--seed 99999999999999999999", {"--seed"}, {"n.gnnx"}},
           {"infinite learning rate", train + "--lr inf", {"--lr", "finite"}, {"n.gnnx"}},
           {"overflowing learning rate", train + "--lr 1e309", {"--lr"}, {"n.gnnx"}},
           {"NaN learning rate", train + "--lr nan", {"--lr"}, {"n.gnnx"}},
           {"infinite weight decay", train + "--weight-decay inf", {"--weight-decay"}, {"n.gnnx"}},
           {"fraction for an integer", train + "--hidden 2.5", {"--hidden"}, {"n.gnnx"}},
           {"infinite method option",
            "explain --model m.gnnx --method gnnexplainer --nodes 400 --edge-size inf --out x.json",
            {"--edge-size"},
            {"x.json"}},
           {"a method option the method does not read",
            kExplain + "--nodes 400 --dropout 0.5 --out x.json",
            {"--dropout", "saliency"},
            {"x.json"}},
       }) {
    expect_refused(c);
  }
}

TEST_F(BadInputCliTest, TargetListsSelectSomethingOnceWithinTheGraph) {
  for (const BadInput& c : std::vector<BadInput>{
           {"empty list", kExplain + "--nodes '' --out x.json", {"--nodes"}, {"x.json"}},
           {"a target three times",
            kExplain + "--nodes 400,400,400 --out x.json",
            {"400 is listed 3 times"},
            {"x.json"}},
           {"overlapping ranges",
            kExplain + "--nodes 400:410,405 --out x.json",
            {"405 is listed 2 times"},
            {"x.json"}},
           {"a huge range",
            kExplain + "--nodes 0:100000000000 --out x.json",
            {"out of range [0, 700)"},
            {"x.json"}},
           {"an id near INT64_MAX",
            kExplain + "--nodes 9223372036854775806 --out x.json",
            {"out of range"},
            {"x.json"}},
       }) {
    expect_refused(c);
  }
}

TEST_F(BadInputCliTest, DrawingProblemsStopTheRunBeforeAnyOutput) {
  for (const BadInput& c : std::vector<BadInput>{
           {"unknown picture format",
            kExplain + "--nodes 400 --out x.json --render x.xyz",
            {"unknown image format", ".svg"},
            {"x.json", "x.xyz"}},
           {"a drawing target not explained",
            kExplain + "--nodes 400 --out x.json --render x.svg --render-target 99999",
            {"--render-target 99999"},
            {"x.json", "x.svg"}},
           {"ground truth without a drawing",
            kExplain + "--nodes 400 --out x.json --show-truth",
            {"--show-truth", "--render"},
            {"x.json"}},
           {"ground truth the data set lacks",
            "explain --model files.gnnx --method saliency --nodes 0 --out x.json --render x.svg "
            "--show-truth",
            {"--show-truth", "no ground truth"},
            {"x.json", "x.svg"}},
       }) {
    expect_refused(c);
  }
}

// A run stopped from outside — Ctrl-C, a job scheduler's SIGTERM, an out-of-memory SIGKILL —
// leaves the previous model file as it was and nothing else.
TEST_F(BadInputCliTest, InterruptedTrainingLeavesThePreviousModel) {
  for (const int signal : {SIGINT, SIGTERM, SIGKILL}) {
    const auto before = snapshot();
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      if (::chdir(dir_.c_str()) != 0) ::_exit(127);
      ::execl(GNNX_CLI, "gnnx", "-q", "--threads", "1", "train", "--dataset", "ba-shapes",
              "--epochs", "1000000", "--out", "m.gnnx", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    ASSERT_EQ(::kill(child, signal), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFSIGNALED(status)) << "signal " << signal << ", status " << status;
    EXPECT_EQ(snapshot(), before) << "signal " << signal;
  }
}

}  // namespace
