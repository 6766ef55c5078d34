// Fuzzes the model-file loader (gnn/model_file.h): any bytes either load as a model that runs a
// forward pass, or are refused with an InputError.
//
// A model file ends in a CRC-32 of everything before it, so nearly every mutation would stop at
// the checksum. The harness writes the right CRC over the input before loading it: the fuzzer
// then explores the header, the JSON and the tensor table behind the checksum (the checksum's
// own refusal is covered by model_file_test and the bad-input suite).

#include <gnnx/gnn/gcn_adjacency.h>
#include <gnnx/gnn/graph.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/gnn/models.h>

#include <ATen/Parallel.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/tensor.h>
#include <zlib.h>

#include <cstdint>
#include <string>

#include "fuzz_input.h"

namespace {

// Runs the loaded model once on a three-node path, as `gnnx explain` would first do.
void run_forward(gnnx::gnn::GnnModel& model) {
  const gnnx::gnn::ModelSpec& spec = model.spec();
  const torch::Tensor edge_index =
      torch::tensor({0, 1, 1, 2, 1, 0, 2, 1}, torch::kLong).view({2, 4});
  const torch::Tensor x = torch::ones({3, spec.in_features});
  const torch::Tensor edge_attr =
      spec.edge_dim > 0 ? torch::ones({4, spec.edge_dim}) : torch::Tensor();
  const gnnx::gnn::Graph graph(3, edge_index, x, {}, edge_attr);
  model.logits(graph.x(), gnnx::gnn::GcnAdjacency(graph));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  at::set_num_threads(1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.size() >= 4) {
    const uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()),
                            static_cast<uInt>(bytes.size() - 4));
    for (int i = 0; i < 4; ++i) {
      bytes[bytes.size() - 4 + i] = static_cast<char>((crc >> (8 * i)) & 0xff);
    }
  }
  const std::string path = gnnx::fuzz::write_file("model.gnnx", bytes);
  gnnx::fuzz::expect_input_error_only([&] {
    const gnnx::gnn::ModelFile file = gnnx::gnn::load_model(path);
    run_forward(*file.model);
  });
  return 0;
}
