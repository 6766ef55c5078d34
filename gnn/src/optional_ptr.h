#pragma once
// Raw pointers for kernels that take "absent" as null: an undefined or empty tensor gives null.

#include <torch/types.h>

namespace gnnx::gnn::detail {

template <typename T>
const T* optional_ptr(const torch::Tensor& t) {
  return t.defined() && t.numel() > 0 ? t.data_ptr<T>() : nullptr;
}

template <typename T>
T* optional_mut_ptr(torch::Tensor& t) {
  return t.defined() && t.numel() > 0 ? t.data_ptr<T>() : nullptr;
}

}  // namespace gnnx::gnn::detail
