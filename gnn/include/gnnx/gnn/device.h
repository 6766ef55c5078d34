#pragma once
// Where computation runs. Models, graphs and explainers follow the device of their tensors;
// these helpers turn a user's "--device" into a torch::Device, or a clear error.

#include <gnnx/gnn/torch_fwd.h>

#include <string>

namespace gnnx::gnn {

/// Whether this gnnx was built with its CUDA kernels (LibTorch with CUDA + the toolkit).
bool cuda_built();

/// Number of CUDA devices usable now: 0 without a CUDA build, a driver or a GPU.
int cuda_device_count();

/// "cpu", "cuda" or "cuda:N" -> the device. Throws InputError naming the problem: an unknown
/// name, a build without CUDA, no GPU present, or N out of range.
torch::Device resolve_device(const std::string& name);

}  // namespace gnnx::gnn
