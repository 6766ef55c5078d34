// Fuzzes the PyTorch state_dict reader (io/torch_state_dict.h) and the importer that builds a
// gnnx model from it (gnn/import_state_dict.h).
//
// A torch.save file is a zip archive whose records carry CRC-32s, so mutated archives would
// mostly stop in the zip reader (LibTorch's, not ours). The harness therefore builds the archive
// itself from three parts split at form feeds:
//
//   <import description JSON, or nothing> \f <storage sizes: "12 48 8"> \f <data.pkl bytes>
//
// Storage record data/<k> gets the k-th size in bytes (a fixed pattern; the reader checks the
// sizes, the values only flow through). The pickle comes last because its binary lengths may
// hold a form feed. With a description the tensors read are imported into a model. An input
// that starts with a zip signature is written as it is (a whole .pt file).

#include <gnnx/gnn/import_state_dict.h>
#include <gnnx/gnn/models.h>
#include <gnnx/io/torch_state_dict.h>

#include <ATen/Parallel.h>
#include <caffe2/serialize/inline_container.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_input.h"

namespace {

constexpr int64_t kMaxStorageBytes = 1 << 20;  // one fuzz input must not allocate gigabytes

// Writes the archive torch.save would write for this pickle and these storage sizes.
std::string write_archive(std::string_view pickle, std::string_view sizes_text) {
  const std::string path = (gnnx::fuzz::scratch_dir() / "state.pt").string();
  caffe2::serialize::PyTorchStreamWriter writer(path);
  writer.writeRecord("data.pkl", pickle.data(), pickle.size());
  writer.writeRecord("byteorder", "little", 6);
  std::istringstream sizes{std::string(sizes_text)};
  int64_t size = 0;
  for (int key = 0; key < 64 && sizes >> size; ++key) {
    if (size < 0 || size > kMaxStorageBytes) break;
    std::string bytes(static_cast<size_t>(size), '\0');
    static const char pattern[4] = {0x00, 0x00, static_cast<char>(0x80), 0x3e};  // 0.25f
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = pattern[i % 4];
    writer.writeRecord("data/" + std::to_string(key), bytes.data(), bytes.size());
  }
  writer.writeEndOfFile();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  at::set_num_threads(1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view whole(reinterpret_cast<const char*>(data), size);
  std::string description;
  std::string path;
  if (whole.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
    path = gnnx::fuzz::write_file("state.pt", whole);
  } else {
    const std::vector<std::string_view> parts = gnnx::fuzz::split_parts(data, size, 3);
    if (parts.size() < 3) return 0;  // not this harness's shape: nothing to read
    description = std::string(parts[0]);
    path = write_archive(parts[2], parts[1]);
  }
  gnnx::fuzz::expect_input_error_only([&] {
    const std::vector<gnnx::io::NamedTensor> state = gnnx::io::read_torch_state_dict(path);
    if (description.empty()) return;
    const std::string description_path = gnnx::fuzz::write_file("description.json", description);
    const gnnx::gnn::ImportDescription parsed =
        gnnx::gnn::read_import_description(description_path);
    gnnx::gnn::import_state_dict(parsed, state, path);
  });
  return 0;
}
