#include "edge_mask_step.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace gnnx::explainers::detail {
namespace {

constexpr int64_t kGrain = 8192;
constexpr float kEps = 1e-15f;  // inside the entropy's logs, as the original code
constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kAdamEps = 1e-8;  // torch::optim::Adam defaults

inline float sigmoid(float s) { return 1.0f / (1.0f + std::exp(-s)); }

// dH/dm of the binary entropy H(m) = -m log(m + eps) - (1 - m) log(1 - m + eps) at m = σ(s).
// For |s| <= 15 that is log((1 - m) / m) = -s to within float rounding (better than the
// logs of a rounded m, and without them); beyond, the eps terms matter and it is computed.
inline float entropy_derivative(float s, float m) {
  if (std::fabs(s) <= 15.0f) return -s;
  const float a = m + kEps, b = 1.0f - m + kEps;
  return -std::log(a) - m / a + std::log(b) + (1.0f - m) / b;
}

}  // namespace

torch::Tensor reverse_edges(const gnn::Graph& graph) {
  const auto ei = graph.edge_index().contiguous();
  const int64_t n = graph.num_nodes(), e = graph.num_edges();
  const int64_t* src = ei.data_ptr<int64_t>();
  const int64_t* dst = src + e;
  auto key = [&](int64_t k) { return src[k] * n + dst[k]; };
  // Edge ids sorted by (u, v), copies of one (u, v) in id order: the k-th copy of u -> v sits
  // at (first position of its key) + k.
  std::vector<int64_t> sorted(e);
  for (int64_t k = 0; k < e; ++k) sorted[k] = k;
  std::sort(sorted.begin(), sorted.end(),
            [&](int64_t a, int64_t b) { return key(a) != key(b) ? key(a) < key(b) : a < b; });
  auto first_of = [&](int64_t k) {  // first position in `sorted` with key k
    return std::lower_bound(sorted.begin(), sorted.end(), k,
                            [&](int64_t id, int64_t value) { return key(id) < value; }) -
           sorted.begin();
  };
  auto rev = torch::empty({e}, torch::kLong);
  int64_t* r = rev.data_ptr<int64_t>();
  for (int64_t k = 0; k < e; ++k) r[k] = k;
  for (int64_t pos = 0; pos < e; ++pos) {
    const int64_t k = sorted[pos];
    if (src[k] >= dst[k]) continue;  // pairs are made from their u < v side
    const int64_t copy = pos - first_of(key(k));
    const int64_t back = dst[k] * n + src[k];
    const int64_t partner = first_of(back) + copy;
    if (partner < e && key(sorted[partner]) == back) {
      r[k] = sorted[partner];
      r[sorted[partner]] = k;
    }
  }
  return rev;
}

EdgeMask::EdgeMask(const torch::Tensor& logits, const torch::Tensor& reverse) {
  TORCH_CHECK(logits.dim() == 1, "EdgeMask: logits must be [E], got ", logits.sizes());
  num_edges_ = logits.size(0);
  const auto l = logits.to(torch::kFloat).contiguous();
  const float* lp = l.data_ptr<float>();
  std::vector<float> pre;
  if (reverse.defined()) {
    TORCH_CHECK(reverse.dim() == 1 && reverse.size(0) == num_edges_,
                "EdgeMask: reverse must be [E] like the logits");
    const auto rev_t = reverse.to(torch::kLong).contiguous();
    const int64_t* rev = rev_t.data_ptr<int64_t>();
    for (int64_t e = 0; e < num_edges_; ++e) {
      const int64_t r = rev[e];
      TORCH_CHECK(r >= 0 && r < num_edges_ && rev[r] == e,
                  "EdgeMask: reverse must be an involution; edge ", e, " maps to ", r);
      if (r < e) continue;  // the pair's parameter belongs to its first edge
      first_.push_back(e);
      second_.push_back(r == e ? -1 : r);
      pre.push_back(r == e ? lp[e] : (lp[e] + lp[r]) / 2);
    }
  } else {
    for (int64_t e = 0; e < num_edges_; ++e) {
      first_.push_back(e);
      second_.push_back(-1);
      pre.push_back(lp[e]);
    }
  }
  pre_ = torch::tensor(pre, torch::kFloat);
  exp_avg_ = torch::zeros_like(pre_);
  exp_avg_sq_ = torch::zeros_like(pre_);
  mask_ = torch::empty({num_edges_}, torch::kFloat);
  float* m = mask_.data_ptr<float>();
  for (size_t u = 0; u < first_.size(); ++u) {
    m[first_[u]] = sigmoid(pre[u]);
    if (second_[u] >= 0) m[second_[u]] = m[first_[u]];
  }
}

void EdgeMask::adam_step(const torch::Tensor& model_grad, const EdgeMaskRegularisers& reg,
                         double lr) {
  for (const auto* t : {&model_grad, &reg.entropy_weight}) {
    TORCH_CHECK(t->defined() && t->dim() == 1 && t->size(0) == num_edges_ &&
                    t->scalar_type() == torch::kFloat && t->is_contiguous() && t->is_cpu(),
                "EdgeMask: the model gradient and entropy weights must be contiguous [", num_edges_,
                "] float CPU tensors");
  }
  ++step_;
  const double bias1 = 1 - std::pow(kBeta1, static_cast<double>(step_));
  const double bias2 = 1 - std::pow(kBeta2, static_cast<double>(step_));
  const float step_size = static_cast<float>(lr / bias1);
  const float sqrt_bias2 = static_cast<float>(std::sqrt(bias2));
  const float b1 = static_cast<float>(kBeta1), b2 = static_cast<float>(kBeta2);
  const float eps = static_cast<float>(kAdamEps);
  const float size = static_cast<float>(reg.size), entropy = static_cast<float>(reg.entropy);
  const float* g = model_grad.data_ptr<float>();
  const float* w = reg.entropy_weight.data_ptr<float>();
  const int64_t* first = first_.data();
  const int64_t* second = second_.data();
  float* pre = pre_.data_ptr<float>();
  float* m1 = exp_avg_.data_ptr<float>();
  float* m2 = exp_avg_sq_.data_ptr<float>();
  float* mask = mask_.data_ptr<float>();
  at::parallel_for(0, pre_.size(0), kGrain, [&](int64_t begin, int64_t end) {
    for (int64_t u = begin; u < end; ++u) {
      const float m = mask[first[u]];
      const float h = entropy * entropy_derivative(pre[u], m);
      const float slope = m * (1.0f - m);
      // d(loss)/d(logit) of each member edge: (d_first + d_second) / 2 for a pair.
      float grad = (g[first[u]] + size + w[first[u]] * h) * slope;
      if (second[u] >= 0) grad = (grad + (g[second[u]] + size + w[second[u]] * h) * slope) / 2;
      m1[u] = m1[u] * b1 + grad * (1 - b1);
      m2[u] = m2[u] * b2 + grad * grad * (1 - b2);
      pre[u] -= step_size * m1[u] / (std::sqrt(m2[u]) / sqrt_bias2 + eps);
      mask[first[u]] = sigmoid(pre[u]);
      if (second[u] >= 0) mask[second[u]] = mask[first[u]];
    }
  });
}

}  // namespace gnnx::explainers::detail
