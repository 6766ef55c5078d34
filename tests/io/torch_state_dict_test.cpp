// read_torch_state_dict against files torch.save wrote (tests/io/make_state_dict_fixtures.py,
// run by ctest before this test when a Python with torch was found at configure time): every
// entry's name, order, dtype, shape and exact values; views of a shared storage; refusals.

#include <gnnx/gnn/error.h>
#include <gnnx/io/torch_state_dict.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace gnnx::io {
namespace {

std::string fixture_dir() {
  const char* dir = std::getenv("GNNX_STATE_DICT_FIXTURES");
  return dir ? dir : "";
}

#define REQUIRE_FIXTURES()                                                                   \
  if (fixture_dir().empty()) {                                                               \
    GTEST_SKIP() << "no Python with torch at configure time (Debian: python3-torch), so no " \
                    "torch.save fixtures";                                                   \
  }

struct Expected {
  std::string name, dtype;
  std::vector<int64_t> shape;
  std::vector<double> values;
};

std::vector<Expected> read_expected(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::vector<Expected> out;
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    Expected e;
    std::string shape;
    fields >> e.name >> e.dtype >> shape;
    if (shape != "-") {
      std::istringstream dims(shape);
      for (std::string d; std::getline(dims, d, ',');) e.shape.push_back(std::stoll(d));
    }
    for (std::string v; fields >> v;) e.values.push_back(std::strtod(v.c_str(), nullptr));
    out.push_back(e);
  }
  return out;
}

std::string dtype_name(const torch::Tensor& t) {
  switch (t.scalar_type()) {
    case torch::kFloat:
      return "float32";
    case torch::kDouble:
      return "float64";
    case torch::kLong:
      return "int64";
    case torch::kBool:
      return "bool";
    default:
      return std::string(c10::toString(t.scalar_type()));
  }
}

void expect_matches(const std::string& name) {
  const auto got = read_torch_state_dict(fixture_dir() + "/" + name + ".pt");
  const auto want = read_expected(fixture_dir() + "/" + name + ".expected");
  ASSERT_EQ(got.size(), want.size()) << name;
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(name + ": " + want[i].name);
    EXPECT_EQ(got[i].name, want[i].name);  // the file's order
    EXPECT_EQ(dtype_name(got[i].tensor), want[i].dtype);
    EXPECT_EQ(got[i].tensor.sizes().vec(), want[i].shape);
    ASSERT_TRUE(got[i].tensor.is_contiguous());
    const auto flat = got[i].tensor.to(torch::kDouble).reshape(-1);
    ASSERT_EQ(flat.numel(), static_cast<int64_t>(want[i].values.size()));
    for (int64_t k = 0; k < flat.numel(); ++k) {
      EXPECT_EQ(flat[k].item<double>(), want[i].values[k]) << "element " << k;  // exact
    }
  }
}

TEST(TorchStateDictTest, ModuleStateDictIsReadExactlyInOrder) {
  REQUIRE_FIXTURES();
  expect_matches("module");
  expect_matches("module_protocol4");
  expect_matches("parameters");
  // torch 2.x's archive: more records (byteorder, .data/serialization_id, ...), another folder.
  expect_matches("module_torch2_layout");
}

TEST(TorchStateDictTest, ViewsOfOneStorageDtypesEmptyAndScalarTensors) {
  REQUIRE_FIXTURES();
  expect_matches("views");
  // Each view is its own copy: writing into one leaves the others alone.
  auto sd = read_torch_state_dict(fixture_dir() + "/views.pt");
  const auto before = sd[1].tensor.clone();
  sd[0].tensor.fill_(-1);
  EXPECT_TRUE(torch::equal(sd[1].tensor, before));
}

TEST(TorchStateDictTest, RefusesWhatIsNotAFlatDictOfTensors) {
  REQUIRE_FIXTURES();
  auto message = [](const std::string& file) {
    try {
      read_torch_state_dict(fixture_dir() + "/" + file);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("not_tensor.pt").find("'num_batches_tracked' is not a tensor"),
            std::string::npos);
  EXPECT_NE(message("not_dict.pt").find("holds no dict"), std::string::npos);
  EXPECT_NE(message("legacy.pt").find("not a torch.save zip archive"), std::string::npos);
  EXPECT_NE(message("missing.pt").find("cannot open"), std::string::npos);
}

TEST(TorchStateDictTest, TruncatedOrCorruptFilesAreInputErrors) {
  REQUIRE_FIXTURES();
  std::ifstream in(fixture_dir() + "/module.pt", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string path = ::testing::TempDir() + "/gnnx_state_dict_corrupt.pt";
  // Cut at several places, and flip bytes inside the pickle: an InputError each time, never a
  // crash or another exception type.
  for (size_t cut : {size_t{10}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 30}) {
    std::ofstream(path, std::ios::binary) << bytes.substr(0, cut);
    EXPECT_THROW(read_torch_state_dict(path), InputError) << "cut at " << cut;
  }
  const size_t pickle_at = bytes.find("data.pkl");
  ASSERT_NE(pickle_at, std::string::npos);
  for (size_t k = 0; k < 40; ++k) {
    std::string damaged = bytes;
    damaged[pickle_at + 40 + k] = static_cast<char>(damaged[pickle_at + 40 + k] ^ 0x5a);
    std::ofstream(path, std::ios::binary) << damaged;
    try {
      read_torch_state_dict(path);  // a flip in a float's bytes still reads: that is fine
    } catch (const InputError&) {
    }
  }
  std::remove(path.c_str());
}

}  // namespace
}  // namespace gnnx::io
