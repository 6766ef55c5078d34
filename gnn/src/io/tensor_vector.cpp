#include <gnnx/io/tensor_vector.h>
#include <torch/types.h>

namespace gnnx::io {

template <typename T>
std::vector<T> to_vector(const at::Tensor& t) {
  if (!t.defined()) return {};
  const at::Tensor c = t.to(torch::kCPU, c10::CppTypeToScalarType<T>::value).contiguous();
  const T* data = c.data_ptr<T>();
  return std::vector<T>(data, data + c.numel());
}

template std::vector<int64_t> to_vector<int64_t>(const at::Tensor&);
template std::vector<float> to_vector<float>(const at::Tensor&);
template std::vector<double> to_vector<double>(const at::Tensor&);

at::Tensor to_tensor(const std::vector<int64_t>& values) {
  return torch::tensor(values, torch::kLong);
}

at::Tensor to_tensor(const std::vector<double>& values) {
  return torch::tensor(values, torch::kDouble);
}

}  // namespace gnnx::io
