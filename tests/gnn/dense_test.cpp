#include <gnnx/gnn/dense.h>

#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "support/builders.h"

using gnnx::gnn::dense_linear;
using gnnx::gnn::dense_matmul;
using gnnx::testing::numeric_gradient;

TEST(DenseTest, MatchesTorchMatmul) {
  torch::manual_seed(0);
  for (auto [n, k, m] :
       {std::tuple<int64_t, int64_t, int64_t>{1, 1, 1}, {7, 3, 5}, {1000, 33, 17}, {0, 4, 4}}) {
    auto x = torch::randn({n, k});
    auto w = torch::randn({k, m});
    EXPECT_TRUE(torch::allclose(dense_matmul(x, w), x.matmul(w), 1e-5, 1e-5)) << n << "x" << k;
  }
  auto x = torch::randn({10, 4});
  auto w = torch::randn({3, 4});
  auto b = torch::randn({3});
  EXPECT_TRUE(torch::allclose(dense_linear(x, w, b), x.matmul(w.t()) + b, 1e-5, 1e-5));
}

// Every output width class of the kernel: padded 16 / 32 / 64 and the general path beyond 64,
// at and around each boundary, in both dtypes.
TEST(DenseTest, EveryWidthMatchesTorchMatmul) {
  torch::manual_seed(3);
  for (auto dtype : {torch::kFloat, torch::kDouble}) {
    for (int64_t m : {1, 4, 15, 16, 17, 20, 31, 32, 33, 60, 64, 65, 130}) {
      auto x = torch::randn({300, 21}, dtype);
      auto w = torch::randn({21, m}, dtype);
      const double tol = dtype == torch::kFloat ? 1e-5 : 1e-12;
      EXPECT_TRUE(torch::allclose(dense_matmul(x, w), x.matmul(w), tol, tol))
          << "width " << m << " " << dtype;
    }
  }
}

// Widths beyond 64 are computed 64 columns at a time (a register-resident panel, the last one
// padded): every panel must be, bit for bit, the product with those columns of w alone (what
// the narrow kernels compute), whatever the panel's place and the thread count.
TEST(DenseTest, WidePanelsAreTheColumnProductsBitForBit) {
  torch::manual_seed(4);
  for (auto dtype : {torch::kFloat, torch::kDouble}) {
    for (int64_t m : {65, 128, 200}) {
      auto x = torch::randn({257, 37}, dtype);
      auto w = torch::randn({37, m}, dtype);
      at::set_num_threads(1);
      const auto y = dense_matmul(x, w);
      at::set_num_threads(3);
      EXPECT_TRUE(torch::equal(dense_matmul(x, w), y)) << "width " << m;
      at::set_num_threads(1);
      for (int64_t j0 = 0; j0 < m; j0 += 64) {
        const int64_t j1 = std::min<int64_t>(m, j0 + 64);
        const auto columns = dense_matmul(x, w.slice(1, j0, j1).contiguous());
        EXPECT_TRUE(torch::equal(y.slice(1, j0, j1), columns))
            << "width " << m << " columns " << j0 << ".." << j1 << " " << dtype;
      }
    }
  }
}

TEST(DenseTest, GradientsMatchFiniteDifferencesInDouble) {
  torch::manual_seed(1);
  auto x = torch::randn({600, 3}, torch::kDouble).requires_grad_();  // > one 256-row chunk
  auto w = torch::randn({3, 2}, torch::kDouble).requires_grad_();
  auto probe = torch::randn({600, 2}, torch::kDouble);
  (dense_matmul(x, w) * probe).sum().backward();
  auto loss_w = [&](const torch::Tensor& t) {
    return (x.detach().matmul(t) * probe).sum().item<double>();
  };
  EXPECT_TRUE(torch::allclose(w.grad(), numeric_gradient(loss_w, w), 1e-6, 1e-6));
  EXPECT_TRUE(torch::allclose(x.grad(), probe.matmul(w.detach().t()), 1e-12, 1e-12));
}

TEST(DenseTest, IdenticalAcrossThreadCounts) {
  torch::manual_seed(2);
  auto x = torch::randn({5000, 16});
  auto w = torch::randn({16, 16});
  auto g = torch::randn({5000, 16});
  auto run = [&](int threads) {
    at::set_num_threads(threads);
    auto xx = x.clone().requires_grad_();
    auto ww = w.clone().requires_grad_();
    auto y = dense_matmul(xx, ww);
    (y * g).sum().backward();
    return std::make_tuple(y.detach(), xx.grad(), ww.grad());
  };
  const auto a = run(1);
  const auto b = run(3);
  EXPECT_TRUE(torch::equal(std::get<0>(a), std::get<0>(b)));
  EXPECT_TRUE(torch::equal(std::get<1>(a), std::get<1>(b)));
  EXPECT_TRUE(torch::equal(std::get<2>(a), std::get<2>(b)));
}

TEST(DenseTest, RejectsMismatchedShapesAndDtypes) {
  EXPECT_THROW(dense_matmul(torch::ones({2, 3}), torch::ones({4, 2})), c10::Error);
  EXPECT_THROW(dense_matmul(torch::ones({2, 3}), torch::ones({3, 2}, torch::kDouble)), c10::Error);
}
