// `--device`: a clear exit 2 where there is no usable GPU (every CI machine), and on a GPU the
// same training and GNNExplainer results as on the CPU (not bit-identical: other summation
// orders), with the device reported in --json, and every registered method explaining there
// (explainer_cuda_test compares their scores with the CPU's).

#include <gnnx/explainers/explainer.h>
#include <gnnx/gnn/device.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/run_cli.h"
#include "support/temp_dir.h"

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>

namespace {

namespace fs = std::filesystem;
using gnnx::testing::run_gnnx;

class CliDeviceTest : public ::testing::Test {
 protected:
  gnnx::testing::TempDir temp_{"gnnx_cli_device_test_"};
  const fs::path dir_ = temp_.path();
  static bool gpu() { return gnnx::gnn::cuda_built() && gnnx::gnn::cuda_device_count() > 0; }
};

TEST_F(CliDeviceTest, UnknownDeviceExitsTwo) {
  const auto r = run_gnnx(dir_, "train --dataset ba-shapes --epochs 1 --out m.gnnx --device tpu");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown device 'tpu'"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "m.gnnx"));
}

TEST_F(CliDeviceTest, CudaWithoutAGpuExitsTwoNamingTheProblem) {
  if (gpu()) GTEST_SKIP() << "a GPU is present";
  const auto r = run_gnnx(dir_, "--device cuda train --dataset ba-shapes --epochs 1 --out m.gnnx");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.err.find("without CUDA") != std::string::npos ||
              r.err.find("no CUDA device") != std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "m.gnnx"));
}

TEST_F(CliDeviceTest, CommandsThatRunOnTheCpuRefuseAGpu) {
  if (!gpu()) GTEST_SKIP() << "no usable GPU: resolve_device already refuses";
  const auto r = run_gnnx(dir_, "datasets --device cuda");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("only train, explain and evaluate"), std::string::npos) << r.err;
}

TEST_F(CliDeviceTest, TrainAndGnnExplainerOnTheGpuMatchTheCpu) {
  if (!gpu()) GTEST_SKIP() << "no usable GPU";
  const std::string train = "train --dataset ba-shapes --epochs 300 --json --quiet --out ";
  const auto cpu = run_gnnx(dir_, train + "cpu.gnnx");
  const auto gpu_run = run_gnnx(dir_, train + "gpu.gnnx --device cuda");
  ASSERT_EQ(cpu.exit_code, 0) << cpu.err;
  ASSERT_EQ(gpu_run.exit_code, 0) << gpu_run.err;
  const auto c = nlohmann::json::parse(cpu.out);
  const auto g = nlohmann::json::parse(gpu_run.out);
  EXPECT_EQ(g["device"], "cuda");
  EXPECT_NEAR(g["test_acc"].get<double>(), c["test_acc"].get<double>(), 0.05);

  const std::string explain =
      "evaluate --dataset ba-shapes --model cpu.gnnx --method gnnexplainer "
      "--json --quiet";
  const auto e_cpu = run_gnnx(dir_, explain);
  const auto e_gpu = run_gnnx(dir_, explain + " --device cuda");
  ASSERT_EQ(e_cpu.exit_code, 0) << e_cpu.err;
  ASSERT_EQ(e_gpu.exit_code, 0) << e_gpu.err;
  const auto ec = nlohmann::json::parse(e_cpu.out);
  const auto eg = nlohmann::json::parse(e_gpu.out);
  EXPECT_EQ(eg["device"], "cuda:0");
  EXPECT_NEAR(eg["auc"].get<double>(), ec["auc"].get<double>(), 0.01);
}

// Every registered method (the registry, so a new one is covered) explains BA-Shapes nodes with
// `--device cuda`, exits 0 and reports the GPU in --json: none is sent to the CPU.
TEST_F(CliDeviceTest, EveryMethodExplainsOnTheGpu) {
  if (!gpu()) GTEST_SKIP() << "no usable GPU";
  const auto trained =
      run_gnnx(dir_, "train --dataset ba-shapes --epochs 100 --quiet --out m.gnnx");
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  for (const auto& m : gnnx::explainers::methods()) {
    const auto& tasks = m.tasks;
    if (std::find(tasks.begin(), tasks.end(), gnnx::gnn::Task::kNodeClassification) ==
        tasks.end()) {
      continue;
    }
    const std::string out = m.name + ".json";
    const auto r = run_gnnx(dir_, "--device cuda explain --model m.gnnx --method " + m.name +
                                      " --nodes 300 --quiet --json --out " + out);
    ASSERT_EQ(r.exit_code, 0) << m.name << ": " << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["device"], "cuda:0") << m.name;
    EXPECT_TRUE(fs::exists(dir_ / out)) << m.name;
  }
}

}  // namespace
