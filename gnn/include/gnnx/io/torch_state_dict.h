#pragma once
// Reads a PyTorch `state_dict()` saved with `torch.save` (the zip format of torch >= 1.6), so that
// weights trained in PyTorch (Geometric) can be loaded into gnnx's layers, which use the same
// parameter names.
//
// Why not torch::pickle_load: LibTorch's unpickler (1.13) replaces every collections.OrderedDict
// with None (it expects them only as a tensor's unused backward hooks), and state_dict() returns an
// OrderedDict, so a plain torch.save(model.state_dict()) comes back as None. This reader runs the
// small subset of the pickle protocol that torch.save writes for a dict of tensors (protocols 2
// to 5: dicts, OrderedDicts with their _metadata, tuples, lists, numbers, strings, and tensors as
// _rebuild_tensor_v2 / _rebuild_parameter over persistent storage records) and refuses anything
// else, naming the opcode or the Python global.

#include <torch/types.h>

#include <string>
#include <utility>
#include <vector>

namespace gnnx::io {

/// One entry of a state_dict, in the file's order.
struct NamedTensor {
  std::string name;      ///< e.g. "convs.0.lin.weight"
  torch::Tensor tensor;  ///< its own memory (contiguous copy), CPU
};

/// The tensors of the state_dict saved in `path` (torch.save of a dict or OrderedDict mapping
/// names to tensors; entries whose values are not tensors, such as BatchNorm's
/// num_batches_tracked as a Python int, are refused). Views keep their strides and offsets;
/// views of one storage each get their own copy. Throws InputError naming the file for a file
/// that is missing, not a torch zip archive, truncated, or holds something else than a flat dict
/// of tensors (the message names the first unsupported opcode, global or value).
///
/// Example (Python: torch.save(model.state_dict(), "model.pt")):
///   for (const auto& [name, t] : read_torch_state_dict("model.pt")) ...
std::vector<NamedTensor> read_torch_state_dict(const std::string& path);

}  // namespace gnnx::io
