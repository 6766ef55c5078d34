// Fuzzes the TUDataset reader (datasets/tu_dataset.h). One input holds the data set's files, split
// at form feeds in this order (a missing part: the file is absent):
//
//   FUZZ_A.txt \f FUZZ_graph_indicator.txt \f FUZZ_graph_labels.txt \f FUZZ_node_labels.txt
//   \f FUZZ_edge_labels.txt \f FUZZ_edge_gt.txt

#include <gnnx/datasets/tu_dataset.h>

#include <ATen/Parallel.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_input.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  at::set_num_threads(1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::array<const char*, 6> files = {
      "FUZZ_A.txt",           "FUZZ_graph_indicator.txt", "FUZZ_graph_labels.txt",
      "FUZZ_node_labels.txt", "FUZZ_edge_labels.txt",     "FUZZ_edge_gt.txt"};
  const std::vector<std::string_view> parts = gnnx::fuzz::split_parts(data, size, files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    if (i < parts.size()) {
      gnnx::fuzz::write_file(files[i], parts[i]);
    } else {
      gnnx::fuzz::remove_file(files[i]);
    }
  }
  gnnx::fuzz::expect_input_error_only(
      [] { gnnx::datasets::read_tu_dataset((gnnx::fuzz::scratch_dir() / "FUZZ").string()); });
  return 0;
}
