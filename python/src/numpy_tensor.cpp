#include "numpy_tensor.h"

#include <gnnx/gnn/error.h>

#include <cstring>
#include <vector>

namespace py = pybind11;

namespace gnnx::python {
namespace {

py::array as_array(const py::handle& array, const std::string& what) {
  if (array.is_none()) throw InputError(what + ": expected an array, got None");
  try {
    return py::module_::import("numpy").attr("asarray")(array);
  } catch (const py::error_already_set& e) {
    throw InputError(what + ": not an array (" + std::string(e.what()) + ")");
  }
}

void check_dims(const py::array& a, const std::string& what, int dims) {
  if (dims >= 0 && a.ndim() != dims) {
    throw InputError(what + ": expected " + std::to_string(dims) + " dimension" +
                     (dims == 1 ? "" : "s") + ", got an array of shape " +
                     py::str(a.attr("shape")).cast<std::string>());
  }
}

std::vector<int64_t> shape_of(const py::array& a) {
  std::vector<int64_t> shape(a.shape(), a.shape() + a.ndim());
  return shape;
}

// Copies a C-contiguous array of T into a new tensor of `dtype`.
template <typename T, int Flags>
torch::Tensor copy_into_tensor(const py::array_t<T, Flags>& a, torch::Dtype dtype) {
  auto t = torch::empty(shape_of(a), torch::TensorOptions().dtype(dtype));
  if (a.size() > 0) std::memcpy(t.data_ptr(), a.data(), sizeof(T) * a.size());
  return t;
}

}  // namespace

torch::Tensor int64_tensor(const py::handle& array, const std::string& what, int dims) {
  py::array a = as_array(array, what);
  check_dims(a, what, dims);
  const char kind = a.dtype().kind();
  if (kind == 'f' && a.size() > 0) {
    // Whole floats (1.0) are fine, fractions and NaN are not: refuse rather than truncate.
    const py::object np = py::module_::import("numpy");
    const bool whole = np.attr("all")(np.attr("equal")(np.attr("floor")(a), a)).cast<bool>();
    if (!whole) throw InputError(what + ": expected integers, got fractional or NaN values");
  } else if (kind != 'i' && kind != 'u' && kind != 'b' && !(kind == 'f' && a.size() == 0)) {
    throw InputError(what + ": expected an integer array, got dtype " +
                     py::str(a.dtype()).cast<std::string>());
  }
  return copy_into_tensor(py::array_t<int64_t, py::array::c_style | py::array::forcecast>(a),
                          torch::kLong);
}

torch::Tensor float_tensor(const py::handle& array, const std::string& what, int dims,
                           torch::Dtype dtype) {
  py::array a = as_array(array, what);
  check_dims(a, what, dims);
  const char kind = a.dtype().kind();
  if (kind != 'f' && kind != 'i' && kind != 'u' && kind != 'b') {
    throw InputError(what + ": expected a numeric array, got dtype " +
                     py::str(a.dtype()).cast<std::string>());
  }
  auto t = dtype == torch::kDouble
               ? copy_into_tensor(py::array_t<double, py::array::c_style | py::array::forcecast>(a),
                                  torch::kDouble)
               : copy_into_tensor(py::array_t<float, py::array::c_style | py::array::forcecast>(a),
                                  torch::kFloat);
  if (t.numel() > 0 && !torch::isfinite(t).all().item<bool>()) {
    throw InputError(what + ": contains NaN or infinite values");
  }
  return t;
}

py::object to_numpy(const torch::Tensor& tensor) {
  if (!tensor.defined()) return py::none();
  const torch::Tensor t = tensor.detach().cpu().contiguous();
  const std::vector<py::ssize_t> shape(t.sizes().begin(), t.sizes().end());
  auto copy_out = [&](auto tag) {
    using T = decltype(tag);
    py::array_t<T> out(shape);
    if (t.numel() > 0) std::memcpy(out.mutable_data(), t.data_ptr<T>(), sizeof(T) * t.numel());
    return py::object(std::move(out));
  };
  switch (t.scalar_type()) {
    case torch::kFloat:
      return copy_out(float{});
    case torch::kDouble:
      return copy_out(double{});
    case torch::kLong:
      return copy_out(int64_t{});
    case torch::kBool:
      return copy_out(bool{});
    default:
      return to_numpy(t.to(torch::kDouble));
  }
}

}  // namespace gnnx::python
