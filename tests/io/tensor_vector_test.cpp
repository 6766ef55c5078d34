// Tensors to and from std::vector (gnnx/io/tensor_vector.h).

#include <gnnx/io/tensor_vector.h>
#include <gtest/gtest.h>
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace gnnx::io {
namespace {

TEST(TensorVectorTest, ToVectorFlattensRowMajorAndConverts) {
  const torch::Tensor t = torch::tensor({{1, 2, 3}, {4, 5, 6}}, torch::kLong);
  EXPECT_EQ(to_vector<int64_t>(t), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(to_vector<double>(t), (std::vector<double>{1, 2, 3, 4, 5, 6}));
  // A transposed view is not contiguous: its elements come in its own row-major order.
  EXPECT_EQ(to_vector<int64_t>(t.t()), (std::vector<int64_t>{1, 4, 2, 5, 3, 6}));
  EXPECT_EQ(to_vector<float>(torch::tensor({0.5, -1.25}, torch::kDouble)),
            (std::vector<float>{0.5f, -1.25f}));
  EXPECT_EQ(to_vector<int64_t>(torch::tensor(7)), (std::vector<int64_t>{7}));  // 0-d
}

TEST(TensorVectorTest, EmptyAndUndefinedGiveEmptyVectors) {
  EXPECT_TRUE(to_vector<double>(torch::Tensor()).empty());
  EXPECT_TRUE(to_vector<int64_t>(torch::empty({0}, torch::kLong)).empty());
}

TEST(TensorVectorTest, ToTensorIsOneDimensionalAndRoundTrips) {
  const std::vector<int64_t> ids = {4, 0, 9};
  const torch::Tensor t = to_tensor(ids);
  EXPECT_EQ(t.scalar_type(), torch::kLong);
  EXPECT_EQ(t.sizes(), (std::vector<int64_t>{3}));
  EXPECT_EQ(to_vector<int64_t>(t), ids);

  const std::vector<double> scores = {0.1, 0.2};
  const torch::Tensor s = to_tensor(scores);
  EXPECT_EQ(s.scalar_type(), torch::kDouble);
  EXPECT_EQ(to_vector<double>(s), scores);

  const torch::Tensor none = to_tensor(std::vector<int64_t>{});
  EXPECT_EQ(none.sizes(), (std::vector<int64_t>{0}));
  EXPECT_EQ(none.scalar_type(), torch::kLong);
}

}  // namespace
}  // namespace gnnx::io
