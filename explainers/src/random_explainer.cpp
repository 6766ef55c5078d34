#include <gnnx/explainers/random_explainer.h>
#include <gnnx/explainers/target_batch.h>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/types.h>

namespace gnnx::explainers {

uint64_t target_seed(uint64_t seed, int64_t target) {
  // splitmix64 of the pair: nearby seeds and targets give unrelated streams.
  uint64_t z = seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(target) + 0x632BE59BD9B4E019ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

RandomExplainerOptions RandomExplainerOptions::from(const MethodOptions& options) {
  return RandomExplainerOptions().seed(options.seed);
}

RandomExplainer::RandomExplainer(RandomExplainerOptions options, TargetOptions target)
    : Explainer(std::move(target)), options_(options) {}

std::vector<Explanation> RandomExplainer::explain_batch(const ExplainCall& call,
                                                        const TargetBatch& batch,
                                                        const std::vector<int64_t>& classes,
                                                        const ChunkProgress& progress) const {
  const TargetPrediction prediction = predict_targets(*call.model, batch, classes);
  const int64_t parts = batch.num_parts();
  const int64_t features = batch.graph.x().size(1);
  std::vector<torch::Tensor> edge_scores, node_scores, feature_scores;
  for (int64_t t = 0; t < parts; ++t) {
    const int64_t e = (batch.edge_offset[t + 1] - batch.edge_offset[t]).item<int64_t>();
    const int64_t n = (batch.node_offset[t + 1] - batch.node_offset[t]).item<int64_t>();
    // Edges, then nodes, then features, from the target's own stream (uniform_ on the CPU
    // draws serially: the same numbers for any thread count).
    auto gen = at::detail::createCPUGenerator(target_seed(options_.seed(), batch.targets[t]));
    edge_scores.push_back(at::empty({e}, torch::kFloat).uniform_(0, 1, gen));
    node_scores.push_back(at::empty({n}, torch::kFloat).uniform_(0, 1, gen));
    feature_scores.push_back(at::empty({features}, torch::kFloat).uniform_(0, 1, gen));
    progress(t + 1, parts);
  }
  auto cat = [](const std::vector<torch::Tensor>& v) {
    return v.empty() ? torch::zeros({0}) : torch::cat(v);
  };
  auto out = split_explanations(batch, name(), prediction.logits, prediction.classes,
                                cat(edge_scores), cat(node_scores));
  for (int64_t t = 0; t < parts; ++t) {
    out[t].feature_mask = feature_scores[t];
    out[t].options = {{"seed", std::to_string(options_.seed())}};
  }
  return out;
}

}  // namespace gnnx::explainers
