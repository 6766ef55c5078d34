#pragma once
// NumPy arrays in, NumPy arrays out: the one place the Python module crosses between NumPy's
// memory and LibTorch's. Every crossing copies, so that neither side holds the other's memory
// (an array the caller changes later cannot change a model's graph, and a tensor freed by gnnx
// cannot leave an array pointing at nothing).

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <torch/types.h>

#include <string>

namespace gnnx::python {

/// `array` (anything numpy.asarray accepts: a list, a NumPy array, a torch tensor) as a
/// contiguous int64 tensor. Throws InputError naming `what` for a non-integer or non-finite
/// array, and for one whose number of dimensions is not `dims` (-1: any).
torch::Tensor int64_tensor(const pybind11::handle& array, const std::string& what, int dims);

/// The same as a float tensor (float32, or `dtype`); values must be finite (InputError names
/// `what` otherwise).
torch::Tensor float_tensor(const pybind11::handle& array, const std::string& what, int dims,
                           torch::Dtype dtype = torch::kFloat);

/// A copy of `t` as a NumPy array of the same dtype (float32, float64, int64, bool) and shape;
/// None for an undefined tensor.
pybind11::object to_numpy(const torch::Tensor& t);

}  // namespace gnnx::python
