// `--device`: a clear exit 2 where there is no usable GPU (every CI machine), and on a GPU the
// same training and GNNExplainer results as on the CPU (not bit-identical: other summation
// orders), with the device reported in --json.

#include <gnnx/gnn/device.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/run_cli.h"
#include "support/temp_dir.h"

#include <filesystem>
#include <random>

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

}  // namespace
