#pragma once
// The random explainer: every edge, node and feature of a target's computation subgraph gets a
// score drawn uniformly from [0, 1), from a generator seeded by (seed, target). It knows nothing
// of the model, so its ground-truth AUC is the floor every method should clear: 0.5 in
// expectation, and how far one seed lands from 0.5 shows how much a table's differences can be
// luck (issue 18, item 4).
//
// One generator per target, so a target's scores do not depend on the other targets of the call,
// on the batch size or on the thread count.

#include <gnnx/explainers/explainer.h>

#include <torch/arg.h>

namespace gnnx::explainers {

struct RandomExplainerOptions {
  /// Seed of the scores; target t's generator is seeded by a mix of seed and t.
  TORCH_ARG(uint64_t, seed) = 0;

 public:
  /// Reads the shared options (explainer-seed).
  static RandomExplainerOptions from(const MethodOptions& options);
};

/// Example:
///   RandomExplainer random(RandomExplainerOptions().seed(3));
///   auto explanations = random.explain_nodes(*model, graph, {400, 405});
///   // explanations[0].edge_mask: [m] floats in [0, 1)
class RandomExplainer : public Explainer {
 public:
  explicit RandomExplainer(RandomExplainerOptions options = {}, TargetOptions target = {});
  std::string name() const override { return "random"; }

 protected:
  std::vector<Explanation> explain_batch(const ExplainCall& call, const TargetBatch& batch,
                                         const std::vector<int64_t>& classes,
                                         const ChunkProgress& progress) const override;

 private:
  RandomExplainerOptions options_;
};

/// The seed of target `target`'s own generator, from the explainer's seed (shared by the
/// explainers that draw per target: the same target gets the same stream in any batch).
uint64_t target_seed(uint64_t seed, int64_t target);

}  // namespace gnnx::explainers
