#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/gnn/subgraph.h>

#include <gtest/gtest.h>
#include <zlib.h>
#include <nlohmann/json.hpp>

#include <support/builders.h>

#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

namespace gnnx::gnn {
namespace {

namespace fs = std::filesystem;

/// A fresh, empty directory per test, removed afterwards.
class ModelFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    torch::manual_seed(0);
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("gnnx_model_file_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  std::vector<std::string> files() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path dir_;
};

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

ModelSpec node_spec() {
  ModelSpec spec;
  spec.in_features = 5;
  spec.num_classes = 4;
  spec.hidden = 6;
  spec.num_layers = 3;
  spec.dropout = 0.25;
  return spec;
}

ModelSpec graph_spec() {
  ModelSpec spec = node_spec();
  spec.task = Task::kGraphClassification;
  spec.readout = Readout::kMax;
  spec.mlp_hidden = 7;
  spec.concat = false;
  return spec;
}

/// Expects load_model(path) to throw InputError naming the file and containing `needle`.
void expect_load_error(const std::string& path, const std::string& needle) {
  try {
    load_model(path);
    ADD_FAILURE() << "no error loading " << path;
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("model file '" + path + "'"), std::string::npos) << what;
    EXPECT_NE(what.find(needle), std::string::npos) << what;
  }
}

// --- the file layout, re-implemented to craft files with a valid checksum -------------------

uint32_t reference_crc32(const std::string& bytes) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : bytes) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
  }
  return ~crc;
}

uint64_t le(const std::string& s, size_t at, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= uint64_t(static_cast<unsigned char>(s[at + i])) << (8 * i);
  return v;
}

void put_le(std::string& s, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

/// Decodes a model file, lets `edit` change header and data, re-encodes with a valid checksum.
std::string rewrite(const std::string& file,
                    const std::function<void(nlohmann::json&, std::string&)>& edit) {
  const uint64_t header_size = le(file, 13, 8);
  nlohmann::json header = nlohmann::json::parse(file.substr(21, header_size));
  std::string data = file.substr(21 + header_size, file.size() - 21 - header_size - 4);
  edit(header, data);
  const std::string text = header.dump();
  std::string out = file.substr(0, 13);
  put_le(out, text.size(), 8);
  out += text + data;
  put_le(out, reference_crc32(out), 4);
  return out;
}

// --- round trips -----------------------------------------------------------------------------

TEST_F(ModelFileTest, NodeClassifierRoundTripIsBitIdentical) {
  auto model = make_model(node_spec());
  model->eval();
  const Graph g = testing::random_graph(9, 20, 5, /*seed=*/1);
  const GcnAdjacency adj(g);
  const auto expected = model->logits(g.x(), adj);

  save_model(path("m.gnnx"), *model, {{"dataset", "ba-shapes"}, {"note", "ünïcode ok"}});
  EXPECT_EQ(files(), std::vector<std::string>{"m.gnnx"});  // no temporary left behind
  const ModelFile loaded = load_model(path("m.gnnx"));

  EXPECT_TRUE(torch::equal(loaded.model->logits(g.x(), adj), expected));
  EXPECT_FALSE(loaded.model->is_training());
  EXPECT_EQ(loaded.metadata.at("dataset"), "ba-shapes");
  EXPECT_EQ(loaded.metadata.at("note"), "ünïcode ok");
  const ModelSpec& s = loaded.model->spec();
  EXPECT_EQ(s.task, Task::kNodeClassification);
  EXPECT_EQ(s.in_features, 5);
  EXPECT_EQ(s.num_classes, 4);
  EXPECT_EQ(s.hidden, 6);
  EXPECT_EQ(s.num_layers, 3);
  EXPECT_EQ(s.dropout, 0.25);
  EXPECT_TRUE(s.concat);
}

TEST_F(ModelFileTest, GraphClassifierRoundTripIsBitIdentical) {
  auto model = make_model(graph_spec());
  model->eval();
  const Batch b =
      make_batch({testing::random_graph(4, 6, 5, 1), testing::random_graph(7, 12, 5, 2)});
  const GcnAdjacency adj(b.graph);
  const auto expected = model->logits(b.graph.x(), adj, {}, b.batch, b.num_graphs());

  save_model(path("g.gnnx"), *model);
  const ModelFile loaded = load_model(path("g.gnnx"));
  EXPECT_TRUE(
      torch::equal(loaded.model->logits(b.graph.x(), adj, {}, b.batch, b.num_graphs()), expected));
  EXPECT_TRUE(loaded.metadata.empty());
  EXPECT_EQ(loaded.model->spec().readout, Readout::kMax);
  EXPECT_EQ(loaded.model->spec().mlp_hidden, 7);
  EXPECT_FALSE(loaded.model->spec().concat);
  auto* graph_model = dynamic_cast<GraphClassifierImpl*>(loaded.model.get());
  ASSERT_NE(graph_model, nullptr);
  EXPECT_FALSE(graph_model->hidden_layer().is_empty());
}

TEST_F(ModelFileTest, BiasInitRoundTripsAndDefaultsToZeroWhenAbsent) {
  ModelSpec spec = node_spec();
  spec.bias_init = 0.1;
  save_model(path("m.gnnx"), *make_model(spec));
  EXPECT_EQ(load_model(path("m.gnnx")).model->spec().bias_init, 0.1);
  // Files written before the field existed.
  write_bytes(path("old.gnnx"),
              rewrite(read_bytes(path("m.gnnx")),
                      [](nlohmann::json& h, std::string&) { h["spec"].erase("bias_init"); }));
  EXPECT_EQ(load_model(path("old.gnnx")).model->spec().bias_init, 0.0);
}

TEST_F(ModelFileTest, AggregationAndEmbeddingNormRoundTripAndDefaultWhenAbsent) {
  ModelSpec spec = node_spec();
  spec.aggregation = Aggregation::kSum;
  spec.embedding_norm = EmbeddingNorm::kL2;
  auto model = make_model(spec);
  model->eval();
  const Graph g = testing::random_graph(9, 20, 5, /*seed=*/3);
  const GcnAdjacency adj(g);
  save_model(path("m.gnnx"), *model);
  const ModelFile loaded = load_model(path("m.gnnx"));
  EXPECT_EQ(loaded.model->spec().aggregation, Aggregation::kSum);
  EXPECT_EQ(loaded.model->spec().embedding_norm, EmbeddingNorm::kL2);
  EXPECT_TRUE(torch::equal(loaded.model->logits(g.x(), adj), model->logits(g.x(), adj)));

  // Files written before the fields existed were symmetric-normalised GCNs without a norm: the
  // same weights must give exactly the old model's logits.
  write_bytes(path("old.gnnx"),
              rewrite(read_bytes(path("m.gnnx")), [](nlohmann::json& h, std::string&) {
                h["spec"].erase("aggregation");
                h["spec"].erase("embedding_norm");
              }));
  const ModelFile old = load_model(path("old.gnnx"));
  EXPECT_EQ(old.model->spec().aggregation, Aggregation::kSymmetric);
  EXPECT_EQ(old.model->spec().embedding_norm, EmbeddingNorm::kNone);
  ModelSpec symmetric = spec;
  symmetric.aggregation = Aggregation::kSymmetric;
  symmetric.embedding_norm = EmbeddingNorm::kNone;
  auto reference = make_model(symmetric);
  reference->eval();
  {
    torch::NoGradGuard no_grad;
    for (const auto& p : reference->named_parameters()) {
      p.value().copy_(model->named_parameters()[p.key()]);
    }
  }
  EXPECT_TRUE(torch::equal(old.model->logits(g.x(), adj), reference->logits(g.x(), adj)));

  write_bytes(path("bad.gnnx"),
              rewrite(read_bytes(path("m.gnnx")),
                      [](nlohmann::json& h, std::string&) { h["spec"]["aggregation"] = "mean"; }));
  expect_load_error(path("bad.gnnx"), "unknown aggregation 'mean'");
}

TEST_F(ModelFileTest, Float64ModelComesBackInFloat64) {
  auto model = make_model(node_spec());
  model->to(torch::kDouble);
  save_model(path("d.gnnx"), *model);
  const ModelFile loaded = load_model(path("d.gnnx"));
  for (const auto& p : loaded.model->named_parameters()) {
    EXPECT_EQ(p.value().scalar_type(), torch::kDouble) << p.key();
    EXPECT_TRUE(torch::equal(p.value(), model->named_parameters()[p.key()])) << p.key();
  }
}

TEST_F(ModelFileTest, SaveOverwritesAtomically) {
  auto first = make_model(node_spec());
  auto second = make_model(node_spec());
  save_model(path("m.gnnx"), *first);
  save_model(path("m.gnnx"), *second);
  EXPECT_EQ(files(), std::vector<std::string>{"m.gnnx"});
  const ModelFile loaded = load_model(path("m.gnnx"));
  EXPECT_TRUE(torch::equal(loaded.model->named_parameters()["head.weight"],
                           second->named_parameters()["head.weight"]));
}

TEST_F(ModelFileTest, LoadingDoesNotDisturbTheRandomStream) {
  save_model(path("m.gnnx"), *make_model(node_spec()));
  torch::manual_seed(7);
  const auto expected = torch::rand({4});
  torch::manual_seed(7);
  load_model(path("m.gnnx"));
  EXPECT_TRUE(torch::equal(torch::rand({4}), expected));
}

TEST_F(ModelFileTest, ChecksumIsZlibCrc32OfTheBytesBeforeIt) {
  const std::string check = "123456789";
  ASSERT_EQ(::crc32(0, reinterpret_cast<const Bytef*>(check.data()), check.size()), 0xCBF43926u);
  save_model(path("m.gnnx"), *make_model(graph_spec()));
  const std::string bytes = read_bytes(path("m.gnnx"));
  const std::string body = bytes.substr(0, bytes.size() - 4);
  const auto zlib = static_cast<uint32_t>(
      ::crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
  EXPECT_EQ(le(bytes, bytes.size() - 4, 4), zlib);
  // The same value as the hand-written CRC-32 that wrote the files of earlier versions.
  EXPECT_EQ(reference_crc32(body), zlib);
}

// --- failed saves -----------------------------------------------------------------------------

TEST_F(ModelFileTest, SaveIntoMissingDirectoryThrowsAndLeavesNothing) {
  auto model = make_model(node_spec());
  try {
    save_model(path("no/such/dir/m.gnnx"), *model);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot write model file"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(files().empty());
}

TEST_F(ModelFileTest, SaveOntoADirectoryThrowsAndRemovesTheTemporary) {
  fs::create_directory(path("taken"));
  auto model = make_model(node_spec());
  EXPECT_THROW(save_model(path("taken"), *model), Error);
  EXPECT_EQ(files(), std::vector<std::string>{"taken"});
}

// --- refused files ----------------------------------------------------------------------------

TEST_F(ModelFileTest, MissingFile) { expect_load_error(path("absent.gnnx"), "cannot open"); }

TEST_F(ModelFileTest, Directory) { expect_load_error(dir_.string(), "directory"); }

TEST_F(ModelFileTest, EmptyFile) {
  write_bytes(path("empty.gnnx"), "");
  expect_load_error(path("empty.gnnx"), "empty file");
}

TEST_F(ModelFileTest, TextFile) {
  write_bytes(path("notes.txt"), "hidden=20\nlayers=3\nthis is not a model\n");
  expect_load_error(path("notes.txt"), "not a gnnx model file");
}

TEST_F(ModelFileTest, EveryTruncationIsRefused) {
  save_model(path("m.gnnx"), *make_model(node_spec()));
  const std::string bytes = read_bytes(path("m.gnnx"));
  for (size_t size = 1; size < bytes.size(); ++size) {
    // A fresh name each time: rewriting one file in place makes ext4 flush it on every close.
    const std::string truncated = path("t" + std::to_string(size) + ".gnnx");
    write_bytes(truncated, bytes.substr(0, size));
    EXPECT_THROW(load_model(truncated), InputError) << "size " << size;
    fs::remove(truncated);
  }
  write_bytes(path("t.gnnx"), bytes.substr(0, bytes.size() - 100));
  expect_load_error(path("t.gnnx"), "truncated");
}

TEST_F(ModelFileTest, EveryFlippedByteIsRefused) {
  save_model(path("m.gnnx"), *make_model(node_spec()));
  const std::string bytes = read_bytes(path("m.gnnx"));
  for (size_t at = 0; at < bytes.size(); ++at) {
    std::string corrupt = bytes;
    corrupt[at] = static_cast<char>(corrupt[at] ^ 0x10);
    const std::string flipped = path("c" + std::to_string(at) + ".gnnx");
    write_bytes(flipped, corrupt);
    EXPECT_THROW(load_model(flipped), InputError) << "byte " << at;
    fs::remove(flipped);
  }
  std::string corrupt = bytes;
  corrupt[bytes.size() - 50] ^= 0x01;  // inside the weights
  write_bytes(path("c.gnnx"), corrupt);
  expect_load_error(path("c.gnnx"), "checksum");
}

TEST_F(ModelFileTest, TrailingBytesAreRefused) {
  save_model(path("m.gnnx"), *make_model(node_spec()));
  write_bytes(path("m.gnnx"), read_bytes(path("m.gnnx")) + "extra");
  expect_load_error(path("m.gnnx"), "unexpected bytes");
}

TEST_F(ModelFileTest, NewerFormatVersionIsRefused) {
  save_model(path("m.gnnx"), *make_model(node_spec()));
  std::string bytes = read_bytes(path("m.gnnx"));
  bytes[9] = 2;
  write_bytes(path("m.gnnx"), bytes);
  expect_load_error(path("m.gnnx"), "unsupported format version 2");
}

TEST_F(ModelFileTest, WellFormedButInconsistentFilesAreRefused) {
  save_model(path("m.gnnx"), *make_model(node_spec()));
  const std::string good = read_bytes(path("m.gnnx"));
  // The re-encoder itself is faithful: an unedited rewrite loads.
  write_bytes(path("same.gnnx"), rewrite(good, [](nlohmann::json&, std::string&) {}));
  EXPECT_NO_THROW(load_model(path("same.gnnx")));

  auto expect_refused = [&](const std::string& name, const std::string& needle,
                            const std::function<void(nlohmann::json&, std::string&)>& edit) {
    write_bytes(path(name), rewrite(good, edit));
    expect_load_error(path(name), needle);
  };
  expect_refused("hidden.gnnx", "shape",
                 [](nlohmann::json& h, std::string&) { h["spec"]["hidden"] = 3; });
  expect_refused("missing.gnnx", "missing tensor 'head.bias'", [](nlohmann::json& h, std::string&) {
    auto& t = h["tensors"];
    t.erase(t.end() - 1);
  });
  expect_refused("extra.gnnx", "unexpected tensor 'spare'", [](nlohmann::json& h, std::string&) {
    h["tensors"].push_back(
        {{"name", "spare"}, {"dtype", "float32"}, {"shape", {1}}, {"offset", 0}, {"nbytes", 4}});
  });
  expect_refused("outside.gnnx", "outside the data block", [](nlohmann::json& h, std::string&) {
    h["tensors"][0]["offset"] = h["data_size"].get<uint64_t>();
  });
  // ModelSpec's weight bound refuses it before any tensor is compared or allocated.
  expect_refused("huge.gnnx", "weights, more than",
                 [](nlohmann::json& h, std::string&) { h["spec"]["hidden"] = int64_t{1} << 40; });
  expect_refused("badspec.gnnx", "num_layers",
                 [](nlohmann::json& h, std::string&) { h["spec"]["num_layers"] = 0; });
  expect_refused("badtask.gnnx", "unknown task",
                 [](nlohmann::json& h, std::string&) { h["spec"]["task"] = "edge"; });
  expect_refused("types.gnnx", "malformed header",
                 [](nlohmann::json& h, std::string&) { h["spec"]["hidden"] = "six"; });
  expect_refused("nodtype.gnnx", "unknown dtype",
                 [](nlohmann::json& h, std::string&) { h["tensors"][0]["dtype"] = "complex64"; });
  expect_refused("array.gnnx", "malformed header",
                 [](nlohmann::json& h, std::string&) { h = nlohmann::json::array(); });
  // Weights that are NaN or infinite (the checksum fixed up, as a diverged run or an edit would
  // leave them): a model that explains nothing, refused rather than used.
  for (const float bad :
       {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    expect_refused("nan.gnnx", "holds NaN or infinite values",
                   [bad](nlohmann::json& h, std::string& data) {
                     const auto offset = h["tensors"][0]["offset"].get<uint64_t>();
                     std::memcpy(data.data() + offset, &bad, sizeof bad);
                   });
  }
}

// Found by fuzz_model_file (in CI's 60 s run): a float beyond the range of int64 where the
// header holds an integer (the card's epochs) reached nlohmann's conversion, undefined behaviour.
TEST_F(ModelFileTest, FuzzFloatBeyondInt64InTheHeader) {
  save_model(path("m.gnnx"), *make_model(node_spec()));
  const std::string good = read_bytes(path("m.gnnx"));
  const std::vector<std::function<void(nlohmann::json&)>> edits = {
      [](nlohmann::json& h) { h["card"]["training"]["epochs"] = 2.92234e19; },
      [](nlohmann::json& h) { h["spec"]["hidden"] = -1e300; },
      [](nlohmann::json& h) { h["tensors"][0]["shape"][0] = 1.8e19; },
      [](nlohmann::json& h) { h["data_size"] = 1e25; },
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    const std::string name = "huge" + std::to_string(i) + ".gnnx";
    write_bytes(path(name), rewrite(good, [&](nlohmann::json& h, std::string&) { edits[i](h); }));
    expect_load_error(path(name), "out of range");
  }
}

TEST_F(ModelFileTest, SavingNonFiniteWeightsIsRefusedAndWritesNothing) {
  auto model = make_model(node_spec());
  {
    torch::NoGradGuard no_grad;
    model->parameters().front().view(-1)[0] = std::numeric_limits<float>::quiet_NaN();
  }
  try {
    save_model(path("nan.gnnx"), *model);
    FAIL() << "a model with a NaN weight was saved";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("NaN or infinite"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(path("nan.gnnx")));
}

}  // namespace
}  // namespace gnnx::gnn
