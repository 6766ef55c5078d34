// Fuzzes the node-task reader (datasets/graph_files.h: `gnnx train --edges E --labels L ...`).
// One input holds the files, split at form feeds in this order (a missing or empty optional
// part: the file is not given):
//
//   edges \f labels \f features \f gt-edges \f gt-nodes
//
// An input of odd length reads the edges as directed (NodeTaskFiles::directed), so both paths
// are explored without a byte of the files being spent on the choice.

#include <gnnx/datasets/graph_files.h>

#include <ATen/Parallel.h>

#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_input.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  at::set_num_threads(1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<std::string_view> parts = gnnx::fuzz::split_parts(data, size, 5);
  if (parts.size() < 2) return 0;  // edges and labels are required
  gnnx::datasets::NodeTaskFiles files;
  files.directed = size % 2 == 1;
  files.edges = gnnx::fuzz::write_file("edges.csv", parts[0]);
  files.labels = gnnx::fuzz::write_file("labels.csv", parts[1]);
  std::string* optional[] = {&files.features, &files.gt_edges, &files.gt_nodes};
  const char* names[] = {"features.csv", "gt_edges.csv", "gt_nodes.csv"};
  for (size_t i = 0; i < 3; ++i) {
    if (2 + i < parts.size() && !parts[2 + i].empty()) {
      *optional[i] = gnnx::fuzz::write_file(names[i], parts[2 + i]);
    }
  }
  gnnx::fuzz::expect_input_error_only([&] { gnnx::datasets::read_node_task(files); });
  return 0;
}
