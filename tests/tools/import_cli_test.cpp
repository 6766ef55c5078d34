// `gnnx import`: models written by PyTorch (tests/tools/make_pyg_models.py: plain torch modules
// with PyG's semantics and parameter names) give gnnx the same logits to 1e-5 relative, for every
// architecture; a state_dict that does not match its description exits 2 naming the key.

#include <gnnx/gnn/gcn_adjacency.h>
#include <gnnx/gnn/model_file.h>

#include <gtest/gtest.h>

#include "support/run_cli.h"
#include "support/temp_dir.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using gnnx::testing::CliResult;

std::string fixtures() {
  const char* dir = std::getenv("GNNX_PYG_FIXTURES");
  return dir ? dir : "";
}

#define REQUIRE_FIXTURES()                                                                   \
  if (fixtures().empty()) {                                                                  \
    GTEST_SKIP() << "no Python with torch at configure time (Debian: python3-torch), so no " \
                    "PyTorch model fixtures";                                                \
  }

std::vector<double> read_hex_line(std::istream& in) {
  std::string line;
  std::getline(in, line);
  std::istringstream fields(line);
  std::vector<double> out;
  for (std::string v; fields >> v;) out.push_back(std::strtod(v.c_str(), nullptr));
  return out;
}

class ImportCliTest : public ::testing::TestWithParam<std::string> {
 protected:
  gnnx::testing::TempDir temp_{"gnnx_import_cli_test_"};
  const fs::path dir_ = temp_.path();
  CliResult run(const std::string& args) { return gnnx::testing::run_gnnx(dir_, args); }
  std::string fixture(const std::string& file) { return fixtures() + "/" + file; }
};

TEST_P(ImportCliTest, LogitsEqualPyTorchs) {
  REQUIRE_FIXTURES();
  const std::string arch = GetParam();
  const CliResult r = run("import --state-dict " + fixture(arch + ".pt") + " --spec " +
                          fixture(arch + ".json") + " --out m.gnnx --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const gnnx::gnn::ModelFile file = gnnx::gnn::load_model((dir_ / "m.gnnx").string());
  EXPECT_EQ(file.card.class_names, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(file.card.created_by, "gnnx import");

  std::ifstream in(fixture(arch + ".graph"));
  int64_t n = 0, f = 0, e = 0, d = 0;
  in >> n >> f >> e >> d;
  std::vector<int64_t> ei(2 * e);
  for (auto& v : ei) in >> v;
  in.ignore(1, '\n');
  const std::vector<double> x = read_hex_line(in);
  const std::vector<double> attr = d > 0 ? read_hex_line(in) : std::vector<double>{};
  const gnnx::gnn::Graph graph(
      n, torch::tensor(ei).view({2, e}),
      torch::tensor(x, torch::kDouble).view({n, f}).to(torch::kFloat), {},
      d > 0 ? torch::tensor(attr, torch::kDouble).view({e, d}).to(torch::kFloat) : torch::Tensor());
  std::ifstream logits_in(fixture(arch + ".logits"));
  const std::vector<double> want = read_hex_line(logits_in);

  const gnnx::gnn::GcnAdjacency adj(graph);
  gnnx::gnn::ModelInput input;
  input.x = graph.x();
  input.adj = &adj;
  torch::NoGradGuard no_grad;
  const auto got = file.model->run(input).logits.to(torch::kDouble).reshape(-1);
  ASSERT_EQ(got.numel(), static_cast<int64_t>(want.size()));
  for (int64_t k = 0; k < got.numel(); ++k) {
    const double w = want[k], g = got[k].item<double>();
    EXPECT_LE(std::abs(g - w), 1e-5 * std::max(1.0, std::abs(w))) << arch << " logit " << k;
  }
}

INSTANTIATE_TEST_SUITE_P(EveryArchitecture, ImportCliTest,
                         ::testing::Values("gcn", "gin", "gine", "graphconv", "sage", "gat"));

class ImportRefusalTest : public ImportCliTest {};

TEST_F(ImportRefusalTest, MismatchedDescriptionsExitTwoNamingTheKey) {
  REQUIRE_FIXTURES();
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  };
  const std::string sd = " --state-dict " + fixture("gin.pt") + " --out bad.gnnx";
  const std::string base =
      R"("task": "graph", "arch": "gin", "in_features": 5, "num_classes": 3, "num_layers": 2, )"
      R"("readout": "sum", "mlp_hidden": 6, "concat": false)";
  struct Case {
    std::string json, message;
  };
  const std::vector<Case> cases = {
      {"{" + base + R"(, "hidden": 7})", "key 'convs.0.nn.0.weight' has shape [8, 5]"},
      {"{" + base + R"(, "hidden": 8, "names": {"conv{}": "layers.{}"}})",
       "no key 'layers.0.nn.0.weight'"},
      {"{" + base + R"(, "hidden": 8, "mlp_hidden": 0})", "key 'head.weight' has shape"},
      {"{" + base + R"(, "hidden": 8, "hiden": 8})", "unknown field 'hiden'"},
      {"{" + base + R"(, "hidden": 8, "arch": "gcn"})", "no key 'convs.0.lin.weight'"},
      {R"({"task": "graph"})", "missing field 'in_features'"},
      {"not json", "not valid JSON"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string spec = write("spec" + std::to_string(i) + ".json", cases[i].json);
    const CliResult r = run("import --spec " + spec + sd);
    EXPECT_EQ(r.exit_code, 2) << cases[i].json << "\n" << r.err;
    EXPECT_NE(r.err.find(cases[i].message), std::string::npos) << cases[i].json << "\n" << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "bad.gnnx")) << "no output on failure";
  }
  // --out naming an input is refused before anything is written: the input stays as it was.
  fs::copy_file(fixture("gin.pt"), dir_ / "gin.pt");
  const CliResult same =
      run("import --state-dict gin.pt --spec " + fixture("gin.json") + " --out ./gin.pt");
  EXPECT_EQ(same.exit_code, 2) << same.err;
  EXPECT_NE(same.err.find("is the same file as --state-dict gin.pt: refusing to overwrite"),
            std::string::npos)
      << same.err;
  EXPECT_EQ(fs::file_size(dir_ / "gin.pt"), fs::file_size(fixture("gin.pt")));
  // A state_dict with a key the description does not read (the GIN file against a GraphConv).
  const CliResult r = run("import --spec " + fixture("graphconv.json") + sd);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("no key"), std::string::npos) << r.err;
}

}  // namespace
