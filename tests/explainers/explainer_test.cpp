// The target loop every explainer shares (Explainer): one object explains from many threads at
// once, chunking does not change results, ids are checked once with one message, and progress
// ends at its total.

#include <gnnx/explainers/explainer.h>
#include <gnnx/gnn/error.h>

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "support/builders.h"

namespace gnnx::explainers {
namespace {

std::shared_ptr<gnn::GnnModel> model_of(gnn::Task task, uint64_t seed) {
  torch::manual_seed(seed);
  gnn::ModelSpec spec;
  spec.task = task;
  spec.in_features = 4;
  spec.num_classes = 3;
  spec.hidden = 8;
  spec.num_layers = 2;
  spec.dropout = 0.3;  // BayesGrad reads it; eval mode keeps the passes deterministic
  auto model = gnn::make_model(spec);
  model->eval();
  return model;
}

/// A random graph with non-negative features (excitation backprop reads them as activations).
gnn::Graph graph_of(int64_t nodes, int64_t edges, uint64_t seed) {
  const gnn::Graph g = testing::random_graph(nodes, edges, 4, seed);
  return {g.num_nodes(), g.edge_index(), g.x().abs()};
}

void expect_same(const std::vector<Explanation>& a, const std::vector<Explanation>& b,
                 const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].target, b[i].target) << what;
    EXPECT_EQ(a[i].explained_class, b[i].explained_class) << what;
    EXPECT_TRUE(torch::equal(a[i].edge_mask, b[i].edge_mask)) << what << " target " << i;
    EXPECT_TRUE(torch::equal(a[i].node_mask, b[i].node_mask)) << what << " target " << i;
  }
}

TEST(ExplainerTest, OneObjectExplainsFromTwoThreadsAtOnceAsSequentially) {
  const gnn::Graph graph = graph_of(40, 120, 7);
  const std::vector<gnn::Graph> graphs = {graph_of(9, 20, 1), graph_of(12, 30, 2),
                                          graph_of(7, 14, 3)};
  auto node_model = model_of(gnn::Task::kNodeClassification, 1);
  auto graph_model = model_of(gnn::Task::kGraphClassification, 2);
  const std::vector<int64_t> first = {0, 5, 9, 13}, second = {21, 3, 30, 39};
  MethodOptions options;
  options.epochs = 20;
  options.samples = 4;
  options.steps = 5;
  options.batch_size = 3;
  options.seed = 11;
  for (const auto& info : methods()) {
    const auto explainer = info.make(options);
    std::vector<Explanation> a_seq, b_seq, a_par, b_par;
    if (info.name == "cam") {
      a_seq = explainer->explain_graphs(*graph_model, graphs);
      b_seq = explainer->explain_graphs(*graph_model, {graphs[2], graphs[0]});
      std::thread ta([&] { a_par = explainer->explain_graphs(*graph_model, graphs); });
      std::thread tb([&] {
        b_par = explainer->explain_graphs(*graph_model, {graphs[2], graphs[0]});
      });
      ta.join();
      tb.join();
    } else {
      a_seq = explainer->explain_nodes(*node_model, graph, first);
      b_seq = explainer->explain_nodes(*node_model, graph, second);
      std::thread ta([&] { a_par = explainer->explain_nodes(*node_model, graph, first); });
      std::thread tb([&] { b_par = explainer->explain_nodes(*node_model, graph, second); });
      ta.join();
      tb.join();
    }
    expect_same(a_seq, a_par, info.name + " (first thread)");
    expect_same(b_seq, b_par, info.name + " (second thread)");
  }
}

TEST(ExplainerTest, IdsFromATensorAndFromAVectorAreTheSameTargets) {
  const gnn::Graph graph = graph_of(20, 60, 3);
  auto model = model_of(gnn::Task::kNodeClassification, 4);
  const auto explainer = make_explainer("saliency", {});
  expect_same(explainer->explain_nodes(*model, graph, torch::tensor({{2, 4}, {6, 8}})),
              explainer->explain_nodes(*model, graph, std::vector<int64_t>{2, 4, 6, 8}),
              "tensor vs vector");
}

TEST(ExplainerTest, AnIdOutOfRangeIsNamedWithTheMethod) {
  const gnn::Graph graph = graph_of(10, 20, 3);
  auto model = model_of(gnn::Task::kNodeClassification, 4);
  for (const auto& info : methods()) {
    if (info.name == "cam") continue;
    try {
      info.make({})->explain_nodes(*model, graph, std::vector<int64_t>{1, 10});
      ADD_FAILURE() << info.name << " accepted node 10 of 10";
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()), info.name + ": node 10 is out of range [0, 10)");
    }
  }
}

TEST(ExplainerTest, TheModelsTrainingModeIsRestoredAfterTheCall) {
  const gnn::Graph graph = graph_of(10, 20, 3);
  auto model = model_of(gnn::Task::kNodeClassification, 4);
  model->train();
  make_explainer("saliency", {})->explain_nodes(*model, graph, std::vector<int64_t>{1});
  EXPECT_TRUE(model->is_training());
  EXPECT_THROW(
      make_explainer("saliency", {})->explain_nodes(*model, graph, std::vector<int64_t>{1, 99}),
      InputError);
  EXPECT_TRUE(model->is_training());
}

TEST(ExplainerTest, ChunkedProgressEndsAtItsTotalForEveryMethod) {
  const gnn::Graph graph = graph_of(20, 60, 5);
  const std::vector<gnn::Graph> graphs = {graph_of(9, 20, 1), graph_of(12, 30, 2)};
  auto node_model = model_of(gnn::Task::kNodeClassification, 6);
  auto graph_model = model_of(gnn::Task::kGraphClassification, 7);
  for (const auto& info : methods()) {
    std::vector<std::pair<int64_t, int64_t>> calls;
    MethodOptions options;
    options.epochs = 5;
    options.samples = 2;
    options.steps = 2;
    options.batch_size = 1;
    options.progress = [&](int64_t done, int64_t total) { calls.emplace_back(done, total); };
    if (info.name == "cam") {
      info.make(options)->explain_graphs(*graph_model, graphs);
    } else {
      info.make(options)->explain_nodes(*node_model, graph, std::vector<int64_t>{1, 2, 3});
    }
    ASSERT_FALSE(calls.empty()) << info.name;
    for (size_t i = 1; i < calls.size(); ++i) {
      EXPECT_GE(calls[i].first, calls[i - 1].first) << info.name;
      EXPECT_EQ(calls[i].second, calls[0].second) << info.name;
    }
    EXPECT_EQ(calls.back().first, calls.back().second) << info.name;
  }
}

}  // namespace
}  // namespace gnnx::explainers
