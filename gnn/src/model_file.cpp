// The gnnx model file format (version 1). All integers little-endian:
//
//   offset 0        9 bytes   magic "GNNXMODEL"
//   offset 9        uint32    format version (1)
//   offset 13       uint64    H, length of the header
//   offset 21       H bytes   header: UTF-8 JSON
//                               {"spec": {task, in_features, num_classes, hidden, num_layers,
//                                         dropout, concat, readout, mlp_hidden,
//                                         bias_init (optional, 0 when absent),
//                                         aggregation (optional, "symmetric" when absent),
//                                         embedding_norm (optional, "none" when absent),
//                                         arch (optional, "gcn" when absent), heads (1),
//                                         edge_dim (0), train_eps (false),
//                                         readout_concat (false)},
//                                "card": {dataset, source, dataset_seed, property_kind, tasks,
//                                         class_names, featurisation, created_by, training,
//                                         data_files (optional: [{role, path, crc32}])}
//                                        (ModelCard; model_card.cpp; absent in older files),
//                                "metadata": {string: string}  (the card's extras; in files
//                                        without "card", the flat keys of
//                                        ModelCard::from_metadata),
//                                "byte_order": "little",
//                                "data_size": D,
//                                "tensors": [{name, dtype, shape, offset, nbytes}, ...]}
//   offset 21+H     D bytes   tensor data, each tensor's raw contiguous bytes at `offset`
//                             (relative to the start of the data block)
//   offset 21+H+D   uint32    CRC-32 (IEEE 802.3) of every byte before it
//
// A self-describing JSON header rather than torch::save keeps files readable without LibTorch
// (and across LibTorch versions), and lets load_model rebuild the architecture before it touches
// any weight. The whole file is read into memory: model files are small.

#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/io/atomic_file.h>

#include "model_json.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/types.h>
#include <torch/utils.h>

#include <zlib.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <set>

namespace gnnx::gnn {

namespace {

using nlohmann::json;

constexpr char kMagic[] = "GNNXMODEL";
constexpr size_t kMagicSize = sizeof(kMagic) - 1;
constexpr uint32_t kFormatVersion = 1;
constexpr size_t kPreambleSize = kMagicSize + 4 + 8;  // magic, version, header length
constexpr size_t kChecksumSize = 4;

// --- bytes ---------------------------------------------------------------------------------

/// zlib's CRC-32 (IEEE 802.3) of the bytes: checksum("123456789") = 0xCBF43926. crc32_z takes
/// a size_t length, so no size is cut to 32 bits.
uint32_t checksum(const char* data, size_t size) {
  return static_cast<uint32_t>(::crc32_z(0, reinterpret_cast<const Bytef*>(data), size));
}

void append_le(std::string& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFFu));
}

uint64_t read_le(const std::string& in, size_t offset, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) {
    value |= static_cast<uint64_t>(static_cast<unsigned char>(in[offset + i])) << (8 * i);
  }
  return value;
}

/// Tensor bytes are written in host order; the format says little-endian.
bool host_is_little_endian() {
  const uint16_t probe = 1;
  unsigned char first = 0;
  std::memcpy(&first, &probe, 1);
  return first == 1;
}

// --- dtypes --------------------------------------------------------------------------------

const std::array<std::pair<torch::ScalarType, const char*>, 8> kDtypeNames = {{
    {torch::kFloat, "float32"},
    {torch::kDouble, "float64"},
    {torch::kHalf, "float16"},
    {torch::kBFloat16, "bfloat16"},
    {torch::kLong, "int64"},
    {torch::kInt, "int32"},
    {torch::kByte, "uint8"},
    {torch::kBool, "bool"},
}};

const char* dtype_name(torch::ScalarType type) {
  for (const auto& [t, name] : kDtypeNames) {
    if (t == type) return name;
  }
  throw Error(c10::str("save_model: tensors of dtype ", type, " cannot be stored"));
}

/// nullopt for an unknown name.
std::optional<torch::ScalarType> parse_dtype(const std::string& name) {
  for (const auto& [t, n] : kDtypeNames) {
    if (name == n) return t;
  }
  return std::nullopt;
}

/// One tensor of the file, as its header entry describes it.
struct TensorEntry {
  std::string name;
  torch::ScalarType dtype = torch::kFloat;
  std::vector<int64_t> shape;
  uint64_t offset = 0;
  uint64_t nbytes = 0;
};

/// The problem text of InputErrors raised while reading; load_model prefixes the file name.
struct FormatError {
  std::string problem;
};

[[noreturn]] void fail(std::string problem) { throw FormatError{std::move(problem)}; }

// nlohmann's get<integer>() of a floating-point value outside the integer's range is undefined
// behaviour (UBSan, fuzz_model_file: 2.9e19 as the card's epochs). Every number of a header is
// a count, a size, an index, a seed or a rate well inside ±2^63, so a larger one (or one that
// JSON cannot hold finitely) is refused before any field is read.
void refuse_numbers_beyond_int64(const json& j) {
  if (j.is_number_float()) {
    const double v = j.get<double>();
    if (!(std::abs(v) < 9.2e18))
      fail("malformed header: the number " + j.dump() + " is out of range");
  } else if (j.is_structured()) {
    for (const auto& item : j) refuse_numbers_beyond_int64(item);
  }
}

std::string shape_string(c10::ArrayRef<int64_t> shape) { return c10::str(shape); }

/// Multiplies without overflow; false when the product exceeds `limit`.
bool checked_mul(uint64_t a, uint64_t b, uint64_t limit, uint64_t* out) {
  if (a != 0 && b > limit / a) return false;
  *out = a * b;
  return *out <= limit;
}

std::vector<TensorEntry> parse_entries(const json& list, uint64_t data_size) {
  if (!list.is_array()) fail("header field 'tensors' is not a list");
  std::vector<TensorEntry> entries;
  std::set<std::string> seen;
  for (const json& item : list) {
    TensorEntry e;
    e.name = item.at("name").get<std::string>();
    if (!seen.insert(e.name).second) fail("tensor '" + e.name + "' is stored twice");
    const auto dtype = parse_dtype(item.at("dtype").get<std::string>());
    if (!dtype)
      fail("tensor '" + e.name + "' has unknown dtype '" + item.at("dtype").get<std::string>() +
           "'");
    e.dtype = *dtype;
    e.shape = item.at("shape").get<std::vector<int64_t>>();
    e.offset = item.at("offset").get<uint64_t>();
    e.nbytes = item.at("nbytes").get<uint64_t>();
    uint64_t expected = c10::elementSize(e.dtype);
    for (int64_t d : e.shape) {
      if (d < 0 || !checked_mul(expected, static_cast<uint64_t>(d), data_size, &expected)) {
        fail("tensor '" + e.name + "' has shape " + shape_string(e.shape) +
             ", larger than the file's data");
      }
    }
    if (expected != e.nbytes) {
      fail(c10::str("tensor '", e.name, "' declares ", e.nbytes, " bytes, its shape needs ",
                    expected));
    }
    if (e.offset > data_size || e.nbytes > data_size - e.offset) {
      fail(c10::str("tensor '", e.name, "' lies outside the data block (offset ", e.offset, ", ",
                    e.nbytes, " bytes, data block ", data_size, " bytes)"));
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

/// A crafted header could ask for a model of terabytes before any shape is compared; every
/// weight matrix of a gnnx model pairs two of these widths, so each such product must fit in
/// the elements the file actually stores.
void check_spec_fits(const ModelSpec& spec, const std::vector<TensorEntry>& entries) {
  uint64_t stored = 0;
  for (const auto& e : entries) {
    uint64_t n = 1;
    for (int64_t d : e.shape) n *= static_cast<uint64_t>(d);  // bounded by parse_entries
    stored += n;
  }
  const uint64_t widths[] = {static_cast<uint64_t>(spec.in_features),
                             static_cast<uint64_t>(spec.hidden),
                             static_cast<uint64_t>(spec.num_classes),
                             static_cast<uint64_t>(std::max<int64_t>(spec.mlp_hidden, 1)),
                             static_cast<uint64_t>(std::max<int64_t>(spec.edge_dim, 1))};
  uint64_t product = 0;
  for (uint64_t w : widths) {
    if (!checked_mul(w, static_cast<uint64_t>(spec.hidden), stored, &product) ||
        static_cast<uint64_t>(spec.num_layers) > entries.size()) {
      fail("the model spec does not match the stored tensors");
    }
  }
}

/// Everything of the file except the weights, checked.
struct Parsed {
  ModelSpec spec;
  ModelCard card;
  std::vector<TensorEntry> entries;
  size_t data_begin = 0;
};

Parsed parse_file(const std::string& bytes) {
  if (bytes.empty()) fail("empty file");
  const size_t prefix = std::min(bytes.size(), kMagicSize);
  if (bytes.compare(0, prefix, kMagic, prefix) != 0) {
    fail("not a gnnx model file (no GNNXMODEL signature)");
  }
  if (bytes.size() < kPreambleSize + kChecksumSize) {
    fail(c10::str("truncated (", bytes.size(), " bytes)"));
  }
  const auto version = static_cast<uint32_t>(read_le(bytes, kMagicSize, 4));
  if (version != kFormatVersion) {
    fail(c10::str("unsupported format version ", version, " (this build reads version ",
                  kFormatVersion, "; the file is newer or corrupt)"));
  }
  const uint64_t header_size = read_le(bytes, kMagicSize + 4, 8);
  if (header_size > bytes.size() - kPreambleSize - kChecksumSize) {
    fail(c10::str("truncated (header of ", header_size, " bytes, file of ", bytes.size(),
                  " bytes)"));
  }
  const size_t data_begin = kPreambleSize + header_size;
  const bool checksum_ok = checksum(bytes.data(), bytes.size() - kChecksumSize) ==
                           static_cast<uint32_t>(read_le(bytes, bytes.size() - kChecksumSize, 4));

  json header;
  try {
    header = json::parse(bytes.begin() + kPreambleSize, bytes.begin() + data_begin);
  } catch (const json::exception& e) {
    if (!checksum_ok) fail("corrupt (checksum mismatch)");
    fail(std::string("malformed header: ") + e.what());
  }

  Parsed parsed;
  parsed.data_begin = data_begin;
  uint64_t data_size = 0;
  try {
    if (!header.is_object()) fail("malformed header: not a JSON object");
    refuse_numbers_beyond_int64(header);
    data_size = header.at("data_size").get<uint64_t>();
    const uint64_t available = bytes.size() - data_begin - kChecksumSize;
    if (data_size > available) {
      fail(c10::str("truncated (", bytes.size(), " bytes, the header describes ",
                    data_begin + data_size + kChecksumSize, ")"));
    }
    if (data_size < available) {
      fail(c10::str(available - data_size, " unexpected bytes after the data"));
    }
    if (!checksum_ok) fail("corrupt (checksum mismatch)");
    const std::string byte_order = header.at("byte_order").get<std::string>();
    if (byte_order != "little") fail("unsupported byte order '" + byte_order + "'");
    parsed.entries = parse_entries(header.at("tensors"), data_size);
    auto metadata = header.at("metadata").get<std::map<std::string, std::string>>();
    parsed.card = header.contains("card")
                      ? detail::card_from_json(header.at("card"), std::move(metadata))
                      : ModelCard::from_metadata(metadata);  // written before the card
    parsed.spec = detail::spec_from_json(header.at("spec"));
  } catch (const json::exception& e) {
    if (!checksum_ok) fail("corrupt (checksum mismatch)");
    fail(std::string("malformed header: ") + e.what());
  } catch (const InputError& e) {  // from parse_task / parse_readout / validate
    if (!checksum_ok) fail("corrupt (checksum mismatch)");
    fail(e.what());
  }
  check_spec_fits(parsed.spec, parsed.entries);
  return parsed;
}

/// Copies the stored weights into a freshly built model; every tensor of the model must be
/// stored with its shape, and nothing else may be.
void fill_model(GnnModel& model, const Parsed& parsed, const std::string& bytes) {
  std::map<std::string, const TensorEntry*> by_name;
  for (const auto& e : parsed.entries) by_name[e.name] = &e;

  // A model trained (and saved) in float64 comes back in float64: the dtype of the model's
  // first parameter (conv0.weight for a GCN, conv0.nn.0.weight for a GIN, ...) as stored.
  const auto params = model.named_parameters();
  const auto first_param = params.is_empty() ? by_name.end() : by_name.find(params.begin()->key());
  if (first_param != by_name.end() && at::isFloatingType(first_param->second->dtype) &&
      first_param->second->dtype != torch::kFloat) {
    model.to(first_param->second->dtype);
  }

  std::set<std::string> used;
  auto fill = [&](const std::string& name, torch::Tensor& tensor) {
    const auto it = by_name.find(name);
    if (it == by_name.end()) fail("missing tensor '" + name + "'");
    const TensorEntry& e = *it->second;
    if (e.dtype != tensor.scalar_type()) {
      fail(c10::str("tensor '", name, "' has dtype ", dtype_name(e.dtype), ", the model uses ",
                    dtype_name(tensor.scalar_type())));
    }
    if (tensor.sizes() != c10::IntArrayRef(e.shape)) {
      fail("tensor '" + name + "' has shape " + shape_string(e.shape) + ", the model expects " +
           shape_string(tensor.sizes()));
    }
    TORCH_INTERNAL_ASSERT(tensor.is_contiguous() && tensor.device().is_cpu());
    // memcpy rather than from_blob: the bytes in the file carry no alignment guarantee.
    std::memcpy(tensor.data_ptr(), bytes.data() + parsed.data_begin + e.offset, e.nbytes);
    // A model with NaN or infinite weights explains nothing, silently: refuse it here.
    if (at::isFloatingType(tensor.scalar_type()) && !tensor.isfinite().all().item<bool>()) {
      fail("tensor '" + name + "' holds NaN or infinite values (a diverged training?)");
    }
    used.insert(name);
  };
  torch::NoGradGuard no_grad;
  for (auto& item : model.named_parameters()) fill(item.key(), item.value());
  for (auto& item : model.named_buffers()) fill(item.key(), item.value());
  for (const auto& e : parsed.entries) {
    if (!used.count(e.name)) fail("unexpected tensor '" + e.name + "' (not part of the model)");
  }
}

std::string read_all(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail("is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(std::string("cannot open (") + std::strerror(errno) + ")");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) fail("read error");
  return bytes;
}

/// The rebuilt model draws its initial weights from torch's generator before they are
/// overwritten; restoring the generator keeps load_model from perturbing seeded runs.
class CpuRngStateGuard {
 public:
  CpuRngStateGuard() : generator_(at::detail::getDefaultCPUGenerator()) {
    std::lock_guard<std::mutex> lock(generator_.mutex());
    state_ = generator_.get_state();
  }
  ~CpuRngStateGuard() {
    std::lock_guard<std::mutex> lock(generator_.mutex());
    generator_.set_state(state_);
  }
  CpuRngStateGuard(const CpuRngStateGuard&) = delete;
  CpuRngStateGuard& operator=(const CpuRngStateGuard&) = delete;

 private:
  at::Generator generator_;
  torch::Tensor state_;
};

}  // namespace

void save_model(const std::string& path, const GnnModel& model,
                const std::map<std::string, std::string>& metadata) {
  save_model(path, model, ModelCard::from_metadata(metadata));
}

void save_model(const std::string& path, const GnnModel& model, const ModelCard& card) {
  if (!host_is_little_endian()) throw Error("save_model: big-endian hosts are not supported");

  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  for (const auto& item : model.named_parameters()) {
    tensors.emplace_back(item.key(), item.value().detach().to(torch::kCPU).contiguous());
  }
  for (const auto& item : model.named_buffers()) {
    tensors.emplace_back(item.key(), item.value().detach().to(torch::kCPU).contiguous());
  }

  for (const auto& [name, t] : tensors) {
    if (at::isFloatingType(t.scalar_type()) && !t.isfinite().all().item<bool>()) {
      throw InputError("save_model '" + path + "': tensor '" + name +
                       "' holds NaN or infinite values (the training diverged: try a lower --lr)");
    }
  }
  json entries = json::array();
  uint64_t data_size = 0;
  for (const auto& [name, t] : tensors) {
    const uint64_t nbytes = t.numel() * t.element_size();
    entries.push_back({{"name", name},
                       {"dtype", dtype_name(t.scalar_type())},
                       {"shape", t.sizes().vec()},
                       {"offset", data_size},
                       {"nbytes", nbytes}});
    data_size += nbytes;
  }
  const json header = {{"spec", detail::spec_to_json(model.spec())},
                       {"card", detail::card_to_json(card)},
                       {"metadata", card.extras},
                       {"byte_order", "little"},
                       {"data_size", data_size},
                       {"tensors", entries}};
  const std::string header_text = header.dump();

  std::string bytes(kMagic, kMagicSize);
  append_le(bytes, kFormatVersion, 4);
  append_le(bytes, header_text.size(), 8);
  bytes += header_text;
  bytes.reserve(bytes.size() + data_size + kChecksumSize);
  for (const auto& item : tensors) {
    bytes.append(static_cast<const char*>(item.second.data_ptr()),
                 item.second.numel() * item.second.element_size());
  }
  append_le(bytes, checksum(bytes.data(), bytes.size()), 4);

  io::write_file_atomically(
      path,
      [&](std::ostream& out) {
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      },
      "model file");
}

ModelFile load_model(const std::string& path) {
  try {
    if (!host_is_little_endian()) fail("big-endian hosts are not supported");
    const std::string bytes = read_all(path);
    const Parsed parsed = parse_file(bytes);
    ModelFile file;
    try {
      CpuRngStateGuard rng_guard;
      file.model = make_model(parsed.spec);
    } catch (const c10::Error& e) {  // e.g. out of memory for an absurd spec
      fail(std::string("cannot build the model: ") + e.what_without_backtrace());
    }
    fill_model(*file.model, parsed, bytes);
    file.model->eval();
    file.card = parsed.card;
    file.metadata = file.card.to_metadata();
    return file;
  } catch (const FormatError& e) {
    throw InputError("model file '" + path + "': " + e.problem);
  }
}

}  // namespace gnnx::gnn
