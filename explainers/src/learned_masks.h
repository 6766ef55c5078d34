#pragma once
// What the explainers that learn edge masks share (GNNExplainer, PGExplainer, GraphMask): the
// model's weights frozen while the masks are learned, node scores made from edge masks, and the
// training targets of the amortised ones.

#include <gnnx/gnn/graph.h>
#include <gnnx/gnn/models.h>

#include <gnnx/explainers/explainer.h>

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace gnnx::explainers::detail {

/// The targets an amortised explainer (PGExplainer, GraphMask) trains on, and their classes.
struct FitSet {
  std::vector<int64_t> ids;
  std::vector<int64_t> classes;
};

/// `fit_targets` (an id list, gnnx/io/id_list.h) read against the call's graph (node ids) or
/// graphs (indices), their classes from `resolve` (the explainer's resolve_classes); an empty
/// `fit_targets` keeps the explained `targets` and `classes`. Throws InputError for a bad list.
FitSet fit_set(const ExplainCall& call, const std::string& fit_targets,
               const std::vector<int64_t>& targets, const std::vector<int64_t>& classes,
               const std::function<std::vector<int64_t>(const std::vector<int64_t>&)>& resolve);

/// [N] float: each node's importance, the largest mask among its incident edges (0 for an
/// isolated node). edge_mask [E] of `graph`'s edges.
torch::Tensor max_incident_edge_mask(const gnn::Graph& graph, const torch::Tensor& edge_mask);

// Turns the model's weight gradients off for the optimisation and back on at scope exit: only
// the masks are learned, and the weight gradients (xᵀg per layer, every step) cost as much as
// the rest of the backward pass. Counted per parameter, so that calls explaining with one model
// from several threads at once leave it frozen until the last of them ends.
class FrozenParameters {
 public:
  explicit FrozenParameters(gnn::GnnModel& model) {
    const std::lock_guard<std::mutex> lock(mutex());
    for (auto& p : model.parameters()) {
      const auto it = counts().find(p.unsafeGetTensorImpl());
      if (it != counts().end()) {
        ++it->second;  // frozen by another call
      } else if (p.requires_grad()) {
        p.requires_grad_(false);
        counts()[p.unsafeGetTensorImpl()] = 1;
      } else {
        continue;  // frozen by the caller: not ours to thaw
      }
      frozen_.push_back(p);
    }
  }
  ~FrozenParameters() {
    const std::lock_guard<std::mutex> lock(mutex());
    for (auto& p : frozen_) {
      const auto it = counts().find(p.unsafeGetTensorImpl());
      if (--it->second == 0) {
        p.requires_grad_(true);
        counts().erase(it);
      }
    }
  }
  FrozenParameters(const FrozenParameters&) = delete;
  FrozenParameters& operator=(const FrozenParameters&) = delete;

 private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  static std::map<const void*, int>& counts() {
    static std::map<const void*, int> c;
    return c;
  }
  std::vector<torch::Tensor> frozen_;
};

}  // namespace gnnx::explainers::detail
