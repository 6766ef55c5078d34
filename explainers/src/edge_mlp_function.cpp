#include "edge_mlp_function.h"

#include <ATen/Dispatch.h>
#include <torch/autograd.h>

#include <vector>

namespace gnnx::explainers::detail {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

/// Raw views of the operands, checked.
template <typename T>
struct Operands {
  const T *a, *b, *c, *b1, *w2;
  T b2;
  const int64_t *src, *dst, *tgt;
  int64_t edges, hidden;
};

constexpr int64_t kLanes = 8;  // partial sums of the output's dot product, in a fixed order

/// The hidden units of edge e: h[j] = relu(a[src] + b[dst] (+ c[tgt]) + b1)[j].
template <typename T>
inline void hidden_units(const Operands<T>& o, int64_t e, T* h) {
  const T* ra = o.a + o.src[e] * o.hidden;
  const T* rb = o.b + o.dst[e] * o.hidden;
  for (int64_t j = 0; j < o.hidden; ++j) h[j] = ra[j] + rb[j] + o.b1[j];
  if (o.c != nullptr) {
    const T* rc = o.c + o.tgt[e] * o.hidden;
    for (int64_t j = 0; j < o.hidden; ++j) h[j] += rc[j];
  }
  for (int64_t j = 0; j < o.hidden; ++j) h[j] = h[j] > T(0) ? h[j] : T(0);
}

template <typename T>
void forward_kernel(const Operands<T>& o, T* out) {
  std::vector<T> h(o.hidden);
  const int64_t whole = o.hidden / kLanes * kLanes;
  for (int64_t e = 0; e < o.edges; ++e) {
    hidden_units(o, e, h.data());
    // kLanes independent partial sums (vectorisable without reassociating), then in order.
    T lanes[kLanes] = {};
    for (int64_t j = 0; j < whole; j += kLanes) {
      for (int64_t k = 0; k < kLanes; ++k) lanes[k] += h[j + k] * o.w2[j + k];
    }
    T acc = o.b2;
    for (int64_t k = 0; k < kLanes; ++k) acc += lanes[k];
    for (int64_t j = whole; j < o.hidden; ++j) acc += h[j] * o.w2[j];
    out[e] = acc;
  }
}

/// Accumulates the gradients (double) of a, b, c, b1, w2, b2 for the output gradient g [E].
template <typename T>
void backward_kernel(const Operands<T>& o, const T* g, double* ga, double* gb, double* gc,
                     double* gb1, double* gw2, double* gb2) {
  std::vector<T> h(o.hidden);
  std::vector<double> d(o.hidden);
  for (int64_t e = 0; e < o.edges; ++e) {
    const double ge = static_cast<double>(g[e]);
    *gb2 += ge;
    if (ge == 0) continue;
    hidden_units(o, e, h.data());
    for (int64_t j = 0; j < o.hidden; ++j) {
      gw2[j] += ge * static_cast<double>(h[j]);
      d[j] = h[j] > T(0) ? ge * static_cast<double>(o.w2[j]) : 0.0;
      gb1[j] += d[j];
    }
    double* ra = ga + o.src[e] * o.hidden;
    double* rb = gb + o.dst[e] * o.hidden;
    for (int64_t j = 0; j < o.hidden; ++j) ra[j] += d[j];
    for (int64_t j = 0; j < o.hidden; ++j) rb[j] += d[j];
    if (o.c != nullptr) {
      double* rc = gc + o.tgt[e] * o.hidden;
      for (int64_t j = 0; j < o.hidden; ++j) rc[j] += d[j];
    }
  }
}

template <typename T>
Operands<T> operands(const variable_list& t) {
  // t: a, b, c, b1, w2, b2, src, dst, tgt (contiguous by now)
  Operands<T> o{};
  o.a = t[0].data_ptr<T>();
  o.b = t[1].data_ptr<T>();
  const bool third = t[8].numel() > 0;  // no third term: c [0, H] and tgt [0]
  o.c = third ? t[2].data_ptr<T>() : nullptr;
  o.b1 = t[3].data_ptr<T>();
  o.w2 = t[4].data_ptr<T>();
  o.b2 = t[5].item<T>();
  o.src = t[6].data_ptr<int64_t>();
  o.dst = t[7].data_ptr<int64_t>();
  o.tgt = third ? t[8].data_ptr<int64_t>() : nullptr;
  o.edges = t[6].size(0);
  o.hidden = t[0].size(1);
  return o;
}

class EdgeMlpFunction : public torch::autograd::Function<EdgeMlpFunction> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& a, const torch::Tensor& b,
                               const torch::Tensor& c, const torch::Tensor& b1,
                               const torch::Tensor& w2, const torch::Tensor& b2,
                               const torch::Tensor& src, const torch::Tensor& dst,
                               const torch::Tensor& tgt) {
    const variable_list t = {a.contiguous(),   b.contiguous(),   c.contiguous(),
                             b1.contiguous(),  w2.contiguous(),  b2.contiguous(),
                             src.contiguous(), dst.contiguous(), tgt.contiguous()};
    ctx->save_for_backward(t);
    auto out = torch::empty({src.size(0)}, a.options());
    AT_DISPATCH_FLOATING_TYPES(a.scalar_type(), "edge_mlp_logits", [&] {
      forward_kernel(operands<scalar_t>(t), out.data_ptr<scalar_t>());
    });
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_out) {
    const variable_list t = ctx->get_saved_variables();
    const auto g = grad_out[0].contiguous().to(t[0].scalar_type());
    const auto f64 = torch::TensorOptions().dtype(torch::kDouble);
    auto ga = torch::zeros(t[0].sizes(), f64), gb = torch::zeros(t[1].sizes(), f64);
    auto gc = torch::zeros(t[2].sizes(), f64);
    auto gb1 = torch::zeros(t[3].sizes(), f64), gw2 = torch::zeros(t[4].sizes(), f64);
    auto gb2 = torch::zeros(t[5].sizes(), f64);
    AT_DISPATCH_FLOATING_TYPES(t[0].scalar_type(), "edge_mlp_logits_backward", [&] {
      backward_kernel(operands<scalar_t>(t), g.data_ptr<scalar_t>(), ga.data_ptr<double>(),
                      gb.data_ptr<double>(), gc.data_ptr<double>(), gb1.data_ptr<double>(),
                      gw2.data_ptr<double>(), gb2.data_ptr<double>());
    });
    const auto back = [&](const torch::Tensor& x) { return x.to(t[0].scalar_type()); };
    return {back(ga),  back(gb),        back(gc),        back(gb1),      back(gw2),
            back(gb2), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

void check_rows(const torch::Tensor& rows, int64_t limit, const char* what) {
  if (rows.numel() == 0) return;
  TORCH_CHECK(rows.min().item<int64_t>() >= 0 && rows.max().item<int64_t>() < limit,
              "edge_mlp_logits: ", what, " rows must lie in [0, ", limit, ")");
}

}  // namespace

torch::Tensor edge_mlp_logits(const torch::Tensor& a, const torch::Tensor& b,
                              const torch::Tensor& c, const torch::Tensor& b1,
                              const torch::Tensor& w2, const torch::Tensor& b2,
                              const torch::Tensor& src, const torch::Tensor& dst,
                              const torch::Tensor& tgt) {
  TORCH_CHECK(a.dim() == 2 && b.dim() == 2 && b.size(1) == a.size(1),
              "edge_mlp_logits: a and b must be [N, H] alike, got ", a.sizes(), " and ", b.sizes());
  const int64_t h = a.size(1);
  TORCH_CHECK(!c.defined() || (c.dim() == 2 && c.size(1) == h && tgt.defined()),
              "edge_mlp_logits: c must be [M, ", h, "] with tgt rows");
  TORCH_CHECK(b1.numel() == h && w2.numel() == h && b2.numel() == 1,
              "edge_mlp_logits: b1 and w2 need ", h, " entries and b2 one");
  for (const auto* x : {&b, &c, &b1, &w2, &b2}) {
    TORCH_CHECK(!x->defined() || (x->scalar_type() == a.scalar_type() && x->is_cpu()),
                "edge_mlp_logits: every operand must be a CPU tensor of a's dtype");
  }
  TORCH_CHECK(src.dim() == 1 && dst.sizes() == src.sizes() &&
                  (!c.defined() || tgt.sizes() == src.sizes()) &&
                  src.scalar_type() == torch::kLong && dst.scalar_type() == torch::kLong,
              "edge_mlp_logits: src, dst (and tgt) must be [E] int64 alike");
  check_rows(src, a.size(0), "src");
  check_rows(dst, b.size(0), "dst");
  if (c.defined()) check_rows(tgt, c.size(0), "tgt");
  // Autograd functions take no undefined tensors: no third term is an empty table and rows.
  return EdgeMlpFunction::apply(a, b, c.defined() ? c : a.new_zeros({0, h}), b1.reshape({h}),
                                w2.reshape({h}), b2.reshape({1}), src, dst,
                                c.defined() ? tgt : src.new_empty({0}));
}

}  // namespace gnnx::explainers::detail
