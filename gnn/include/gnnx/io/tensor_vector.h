#pragma once
// Tensors to and from std::vector, for the places where ids and scores leave LibTorch (JSON,
// loops over targets, metrics) or enter it.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace gnnx::io {

/// The elements of `t` in row-major order, converted to T (int64_t, float or double), whatever
/// the tensor's shape, dtype and device; empty for an undefined tensor.
/// Example: to_vector<int64_t>(torch::arange(3)) == {0, 1, 2}.
template <typename T>
std::vector<T> to_vector(const at::Tensor& t);

/// A 1-D CPU tensor [n] of `values`: int64 (kLong).
at::Tensor to_tensor(const std::vector<int64_t>& values);

/// A 1-D CPU tensor [n] of `values`: float64 (kDouble).
at::Tensor to_tensor(const std::vector<double>& values);

}  // namespace gnnx::io
