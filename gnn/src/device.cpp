#include <gnnx/gnn/device.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/number.h>

#include "cuda/spmm_cuda.h"

namespace gnnx::gnn {

bool cuda_built() {
#ifdef GNNX_CUDA_GLUE
  return true;
#else
  return false;
#endif
}

int cuda_device_count() { return detail::cuda_device_count(); }

torch::Device resolve_device(const std::string& name) {
  if (name == "cpu") return {torch::kCPU};
  const std::string prefix = "cuda";
  if (name.compare(0, prefix.size(), prefix) != 0) {
    throw InputError("unknown device '" + name + "' (valid: cpu, cuda, cuda:N)");
  }
  int index = 0;
  if (name.size() > prefix.size()) {
    const auto parsed = io::to_integer<int>(std::string_view(name).substr(prefix.size() + 1));
    if (name[prefix.size()] != ':' || !parsed || *parsed < 0) {
      throw InputError("unknown device '" + name + "' (valid: cpu, cuda, cuda:N)");
    }
    index = *parsed;
  }
  if (!cuda_built()) {
    throw InputError("device '" + name +
                     "': this gnnx was built without CUDA (see the README's CUDA section)");
  }
  const int count = cuda_device_count();
  if (count == 0) throw InputError("device '" + name + "': no CUDA device is present");
  if (index >= count) {
    throw InputError("device '" + name + "': only " + std::to_string(count) +
                     " CUDA device(s) present");
  }
  return {torch::kCUDA, static_cast<c10::DeviceIndex>(index)};
}

}  // namespace gnnx::gnn
