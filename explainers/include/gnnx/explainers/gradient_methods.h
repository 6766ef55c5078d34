#pragma once
// The gradient family: explainers that read one or a few backward passes (or forward passes,
// for occlusion) of the model instead of optimising a mask.
//
// Notation. y_c is the explained class's LOGIT (pre-softmax score) of a target, X [N, F] the node
// features, w [E] a per-edge mask of ones entering every GCN layer as EdgeWeightMode::kMask
// (w_e multiplies edge e's normalised message), F^l [N, H] the output of GCN layer l after its
// ReLU (ModelOutput::embeddings), Â = D^-1/2 (A + I) D^-1/2 the normalised adjacency.
//
// Every method returns, per target, a node map over the target's computation subgraph and an
// edge map over its edges. Edge maps come from the edge-mask gradient ∂y_c/∂w_e where a method
// has a gradient form (the "Grad" baseline of GNNExplainer, Ying et al. 2019), from the
// method's own rule where it has one (occlusion, excitation backprop), and otherwise (CAM,
// Grad-CAM) as min(score[src], score[dst]): an edge counts only as much as its weaker end point,
// so an edge inside an important region outranks one that leaves it.
//
// Batching. Targets are explained together as a disjoint union of their computation subgraphs
// (TargetBatch). Parts do not interact, so ∂(Σ_t y_{c_t}^t)/∂X restricted to part t is exactly
// ∂y_{c_t}^t/∂X: one backward pass serves every target, and results do not depend on how
// targets are batched (the stochastic methods draw their noise per target from (seed, target)).
//
// Methods and sources:
//   saliency              Simonyan et al. 2014; Pope et al. CVPR 2019 (contrastive gradient)
//   input-x-gradient      Shrikumar et al. 2016
//   integrated-gradients  Sundararajan et al. ICML 2017
//   smoothgrad            Smilkov et al. 2017
//   guided-backprop       Springenberg et al. ICLR-W 2015
//   deconvolution         Zeiler & Fergus ECCV 2014
//   occlusion             Zeiler & Fergus ECCV 2014 (node / edge removal)
//   cam, grad-cam, grad-cam-avg, eb, contrastive-eb
//                         Pope, Kolouri, Rostami, Martin, Hoffmann: "Explainability Methods for
//                         Graph Convolutional Neural Networks", CVPR 2019; Zhou et al. 2016
//                         (CAM), Selvaraju et al. 2017 (Grad-CAM), Zhang et al. 2016 (EB)
//   bayesgrad             Akita, Nakago, Komatsu, Sugawara, Maeda, Baba, Kashima: "BayesGrad:
//                         Explaining Predictions of Graph Convolutional Networks", ICONIP 2018
// The formula of each method is on its class below. CPU tensors only for now (the random
// draws and occlusion's bookkeeping are on the CPU).

#include <gnnx/explainers/explainer.h>
#include <torch/arg.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace gnnx::explainers {

struct TargetBatch;

/// Base of the family: runs the model on each chunk's union of targets, picks the explained
/// classes (the prediction where the target loop left -1) and cuts the union-wide scores of
/// attribute() into one Explanation per target.
class GradientExplainer : public Explainer {
 public:
  /// What a method computes for one batch: scores for every node and edge of the union.
  struct Attribution {
    torch::Tensor node_scores;       ///< [N] float
    torch::Tensor edge_scores;       ///< [E] float
    torch::Tensor node_uncertainty;  ///< [N] float or undefined
    /// [N, F] float per node and feature, or undefined; each target's Explanation::feature_mask
    /// is the sum over its nodes.
    torch::Tensor feature_scores;
    std::map<std::string, std::string> options;        ///< hyperparameters as used
    std::map<std::string, torch::Tensor> diagnostics;  ///< [T] per target (Explanation's)
    /// Per target, its Explanation::walks (ids in the union: node positions), or empty.
    std::vector<std::vector<Walk>> walks;
  };

 protected:
  explicit GradientExplainer(TargetOptions target) : Explainer(std::move(target)) {}
  /// Scores of the union `batch` explaining class classes[t] ([T] int64) of each part t.
  /// Runs with the model in eval mode; long attributions report (passes done, passes) through
  /// `progress`.
  virtual Attribution attribute(gnn::GnnModel& model, const TargetBatch& batch,
                                const torch::Tensor& classes,
                                const ChunkProgress& progress) const = 0;
  /// What explain_batch calls: attribute(*call.model, batch, classes, progress). A method that
  /// reads more of the explained graph than the targets' computation subgraphs (Grad-CAM's
  /// full-graph activations) overrides this.
  virtual Attribution attribute_with_graph(const ExplainCall& call, const TargetBatch& batch,
                                           const torch::Tensor& classes,
                                           const ChunkProgress& progress) const;
  /// For a method whose attribution is one pass of the model with autograd on the batch's own
  /// features, forward values unchanged (an edge mask of ones at most): that pass's logits are
  /// bit for bit those of predict_targets' separate no-grad pass, so the method picks the
  /// classes from them (labels[t] where >= 0, else the prediction) and one forward pass is
  /// saved. Fills `prediction` (as predict_targets would) and `out` (as attribute_with_graph
  /// would for those classes) and returns true; the default returns false, and explain_batch
  /// then runs predict_targets and attribute_with_graph.
  virtual bool attribute_predicting(const ExplainCall& call, const TargetBatch& batch,
                                    const std::vector<int64_t>& labels,
                                    const ChunkProgress& progress, TargetPrediction& prediction,
                                    Attribution& out) const {
    return false;
  }

 private:
  std::vector<Explanation> explain_batch(const ExplainCall& call, const TargetBatch& batch,
                                         const std::vector<int64_t>& classes,
                                         const ChunkProgress& progress) const final;
};

// --- Plain gradients -------------------------------------------------------------------------

struct SaliencyOptions {
  /// Pope et al.'s contrastive gradient: keep only the positive part of the gradient
  /// (evidence FOR the class) before the norm.
  TORCH_ARG(bool, contrastive) = false;

 public:
  /// contrastive from the shared options.
  static SaliencyOptions from(const MethodOptions& options);
};

/// Gradient saliency (Simonyan et al. 2014), "saliency":
///   node n:  ‖∂y_c/∂X_n‖₂          (contrastive: ‖ReLU(∂y_c/∂X_n)‖₂, Pope et al.'s CG map)
///   edge e:  |∂y_c/∂w_e|           (contrastive: ReLU(∂y_c/∂w_e))
/// Captum's Saliency returns |∂y/∂X| per feature and leaves the reduction to the caller; Pope et
/// al. reduce over features with a vector norm (‖·‖ in the paper; the L2 norm, as the public
/// re-implementation ndey96/GCNN-Explainability does). One backward pass per batch.
class Saliency : public GradientExplainer {
 public:
  explicit Saliency(SaliencyOptions options = {}, TargetOptions target = {});
  std::string name() const override { return "saliency"; }

 protected:
  Attribution attribute(gnn::GnnModel& model, const TargetBatch& batch,
                        const torch::Tensor& classes, const ChunkProgress& progress) const override;
  bool attribute_predicting(const ExplainCall& call, const TargetBatch& batch,
                            const std::vector<int64_t>& labels, const ChunkProgress& progress,
                            TargetPrediction& prediction, Attribution& out) const override;

 private:
  SaliencyOptions options_;
};

/// Input × gradient (Shrikumar et al. 2016; Captum InputXGradient), "input-x-gradient", signed:
///   node n:  Σ_f X_nf · ∂y_c/∂X_nf     (= the gradient w.r.t. a per-node feature scale at 1,
///                                         PyTorch Geometric's node_mask_type="object")
///   edge e:  w_e · ∂y_c/∂w_e = ∂y_c/∂w_e   at w = 1
class InputXGradient : public GradientExplainer {
 public:
  explicit InputXGradient(TargetOptions target = {});
  std::string name() const override { return "input-x-gradient"; }

 protected:
  Attribution attribute(gnn::GnnModel& model, const TargetBatch& batch,
                        const torch::Tensor& classes, const ChunkProgress& progress) const override;
  bool attribute_predicting(const ExplainCall& call, const TargetBatch& batch,
                            const std::vector<int64_t>& labels, const ChunkProgress& progress,
                            TargetPrediction& prediction, Attribution& out) const override;
};

/// Guided backpropagation (Springenberg et al. 2015), "guided-backprop": the saliency maps
/// (‖·‖₂ per node, |·| per edge) of a backward pass in which every ReLU of the model passes
/// only positive gradients through positive inputs:
///   ∂/∂z = [z > 0] · ReLU(∂/∂ReLU(z)).
/// The ReLUs, per layer type: the one after every message-passing layer and those of the MLP
/// head; GIN's and GINE's MLP (Linear, ReLU, Linear: a stack of linear layers, each ReLU with
/// the rule); GINE's message ReLU(x_j + lin(e_ji)) too. GAT: the attention coefficients α_ji
/// are held fixed at their forward values (ForwardHooks::fixed_attention), so the backward
/// sees each head as the linear map Σ_j α_ji W x_j; the LeakyReLU and softmax that make α then
/// have no backward path and need no rule, and the edge features (which enter only α) get no
/// gradient. The edge map's ∂y_c/∂w_e is taken in the same pass (w_e multiplies α_ji W x_j).
/// Needs a model whose description offers the ReLU rules (ModelDescription::relu_rules, or
/// fixed_attention for GAT): gnnx's NodeClassifier and GraphClassifier of every layer type.
class GuidedBackprop : public GradientExplainer {
 public:
  explicit GuidedBackprop(TargetOptions target = {});
  std::string name() const override { return "guided-backprop"; }

 protected:
  void check_model(const gnn::GnnModel& model) const override;
  Attribution attribute(gnn::GnnModel& model, const TargetBatch& batch,
                        const torch::Tensor& classes, const ChunkProgress& progress) const override;
};

/// Deconvolution (Zeiler & Fergus 2014), "deconvolution": as guided backprop, but each ReLU's
/// backward ignores the forward input:  ∂/∂z = ReLU(∂/∂ReLU(z)). The same ReLUs per layer type,
/// and GAT's attention coefficients held fixed, as guided backprop.
class Deconvolution : public GradientExplainer {
 public:
  explicit Deconvolution(TargetOptions target = {});
  std::string name() const override { return "deconvolution"; }

 protected:
  void check_model(const gnn::GnnModel& model) const override;
  Attribution attribute(gnn::GnnModel& model, const TargetBatch& batch,
                        const torch::Tensor& classes, const ChunkProgress& progress) const override;
};

// --- Path and noise averages -----------------------------------------------------------------

struct IntegratedGradientsOptions {
  /// Trapezoid: intervals (steps + 1 gradient evaluations per path); Gauss–Legendre: points
  /// (steps evaluations per path).
  TORCH_ARG(int64_t, steps) = 50;
  /// The quadrature of the path integral. The trapezoid by default: at the default 50 steps its
  /// completeness gaps, averaged over BA-Shapes, Tree-Cycles and BA-2Motifs, were 5 % smaller
  /// than Gauss–Legendre's (which won on Tree-Cycles and BA-2Motifs, lost on BA-Shapes): a ReLU
  /// network's integrand jumps wherever a unit switches, so Gauss–Legendre's order buys nothing
  /// (README, "Integrated gradients' quadrature").
  TORCH_ARG(IntegrationRule, rule) = IntegrationRule::kTrapezoid;
  /// Feature baseline X': undefined = zeros; a scalar or an [F] row shared by every node.
  /// Throws InputError (when explaining) for any other shape.
  TORCH_ARG(torch::Tensor, baseline);

 public:
  /// steps and rule from the shared options (unset keeps the default).
  static IntegratedGradientsOptions from(const MethodOptions& options);
};

/// Integrated gradients (Sundararajan et al. 2017), "integrated-gradients", two straight paths
/// from a baseline, each integrated with the rule's points α_i and weights w_i on [0, 1]
/// (quadrature.h: the trapezoid over `steps` intervals, Captum's "riemann_trapezoid", or
/// `steps`-point Gauss–Legendre, Captum's default "gausslegendre"):
///   node n:  Σ_f (X − X')_nf · Σ_i w_i ∂y_c/∂X_nf (X' + α_i (X − X'), w = 1)
///   edge e:  Σ_i w_i ∂y_c/∂w_e (X, w = α_i·1)                    (edge baseline: no edges)
/// Completeness: Σ_n node = y_c(X, 1) − y_c(X', 1) and Σ_e edge = y_c(X, 1) − y_c(X, 0), up to
/// the quadrature error, which each explanation reports (Explanation::diagnostics,
/// "completeness_gap_nodes" and "completeness_gap_edges": the sum minus the logit difference).
/// A ReLU network's integrand is piecewise smooth in α with a jump wherever a unit switches,
/// which no rule integrates exactly. Signed. Cost: 2 × (evaluations) backward passes and three
/// forward passes per batch.
class IntegratedGradients : public GradientExplainer {
 public:
  explicit IntegratedGradients(IntegratedGradientsOptions options = {}, TargetOptions target = {});
  std::string name() const override { return "integrated-gradients"; }

 protected:
  Attribution attribute(gnn::GnnModel& model, const TargetBatch& batch,
                        const torch::Tensor& classes, const ChunkProgress& progress) const override;

 private:
  IntegratedGradientsOptions options_;
};

struct SmoothGradOptions {
  TORCH_ARG(int64_t, samples) = 50;
  /// σ = noise_level · (max − min) of the target's node features (Smilkov et al.: 10–20%);
  /// constant features (max = min, e.g. BA-Shapes) use max(|X|) (or 1 if all zero) as range.
  TORCH_ARG(double, noise_level) = 0.15;
  TORCH_ARG(uint64_t, seed) = 0;

 public:
  /// samples and seed from the shared options (0 samples keeps the default).
  static SmoothGradOptions from(const MethodOptions& options);
};

/// SmoothGrad (Smilkov et al. 2017), "smoothgrad": the saliency maps averaged over noisy copies
/// of the features, X + ε with ε ~ N(0, σ²) per entry, drawn per target from (seed, target):
///   node n:  (1/S) Σ_s ‖∂y_c/∂X_n (X + ε_s)‖₂        edge e:  (1/S) Σ_s |∂y_c/∂w_e (X + ε_s)|
/// The edge mask stays at 1 (no noise). One backward pass per sample.
class SmoothGrad : public GradientExplainer {
 public:
  explicit SmoothGrad(SmoothGradOptions options = {}, TargetOptions target = {});
  std::string name() const override { return "smoothgrad"; }

 protected:
  Attribution attribute(gnn::GnnModel& model, const TargetBatch& batch,
                        const torch::Tensor& classes, const ChunkProgress& progress) const override;

 private:
  SmoothGradOptions options_;
};

struct BayesGradOptions {
  /// T, the number of dropout samples (the BayesGrad notebooks use M = 40).
  TORCH_ARG(int64_t, samples) = 40;
  /// Dropout rate after each GCN layer; < 0: the model's own spec.dropout, or
  /// kDefaultDropout when the model was trained without dropout.
  TORCH_ARG(double, dropout) = -1;
  /// Score gradient × input instead of the gradient (the original's option).
  TORCH_ARG(bool, gradient_x_input) = false;
  TORCH_ARG(uint64_t, seed) = 0;

 public:
  /// The BayesGrad paper's models used dropout 0.25; we use it for models without dropout.
  static constexpr double kDefaultDropout = 0.25;
  /// samples, dropout, gradient_x_input and seed from the shared options (0 samples keeps the
  /// default).
  static BayesGradOptions from(const MethodOptions& options);
};

/// BayesGrad (Akita et al. 2018), "bayesgrad": saliency under Monte-Carlo dropout. T passes
/// with dropout active after every GCN layer (masks drawn per target from (seed, target,
/// sample); the model itself stays in eval mode), g_t = ∂y_c/∂X under mask t, s_t = g_t or
/// X ⊙ g_t (gradient_x_input):
///   node n:         (1/T) Σ_t ‖s_t,n‖₂²    (the original's "square" aggregation)
///   uncertainty n:  std_t ‖s_t,n‖₂²        (population std over the T samples)
///   edge e:         (1/T) Σ_t (∂y_c/∂w_e)²
/// With dropout 0 this is the square of saliency. Needs a NodeClassifier or GraphClassifier.
class BayesGrad : public GradientExplainer {
 public:
  explicit BayesGrad(BayesGradOptions options = {}, TargetOptions target = {});
  std::string name() const override { return "bayesgrad"; }

 protected:
  void check_model(const gnn::GnnModel& model) const override;
  Attribution attribute(gnn::GnnModel& model, const TargetBatch& batch,
                        const torch::Tensor& classes, const ChunkProgress& progress) const override;

 private:
  BayesGradOptions options_;
};

// --- Perturbation ----------------------------------------------------------------------------

/// Occlusion (Zeiler & Fergus 2014) on graphs, "occlusion": the drop of the explained class's
/// probability p_c = softmax(logits)_c when one element is removed, signed (negative when the
/// removal raises p_c):
///   node n:  p_c(G) − p_c(G with X_n = 0 and every edge into or out of n masked)
///   edge e:  p_c(G) − p_c(G with w_e = 0)        (directed edges, one at a time)
/// Forward passes only. The k-th node (edge) of every part is removed in the same pass, so a
/// batch costs max nodes + max edges per part passes, independent of the number of targets.
class Occlusion : public GradientExplainer {
 public:
  explicit Occlusion(TargetOptions target = {});
  std::string name() const override { return "occlusion"; }

 protected:
  Attribution attribute(gnn::GnnModel& model, const TargetBatch& batch,
                        const torch::Tensor& classes, const ChunkProgress& progress) const override;
};

// --- Activation maps (Pope et al. 2019) ------------------------------------------------------

/// Class activation mapping (Zhou et al. 2016; Pope et al. 2019), "cam", graph classifiers with
/// a mean (or sum) readout feeding one linear layer (mlp_hidden = 0):
///   node n:  ReLU(Σ_k W^head_{c,k} F^L_{n,k})          edge: min of its end points
/// Then y_c = (1/N) Σ_n Σ_k W_{c,k} F^L_{n,k} + b_c exactly, which is what CAM decomposes; with
/// mean readout, cam = N · grad-cam at the last layer. Throws InputError for node classifiers
/// (no pooling: a node's logit reads only its own embedding), max readout or an MLP head.
class Cam : public GradientExplainer {
 public:
  explicit Cam(TargetOptions target = {});
  std::string name() const override { return "cam"; }

 protected:
  void check_model(const gnn::GnnModel& model) const override;
  Attribution attribute(gnn::GnnModel& model, const TargetBatch& batch,
                        const torch::Tensor& classes, const ChunkProgress& progress) const override;
};

struct GradCamOptions {
  /// GCN layer (0-based); negative counts from the end, -1 = last.
  TORCH_ARG(int64_t, layer) = -1;

 public:
  static GradCamOptions from(const MethodOptions& options);
};

/// Grad-CAM (Selvaraju et al. 2017; Pope et al. 2019), "grad-cam", at GCN layer l:
///   α_k = (1/N_t) Σ_{n in part t} ∂y_c/∂F^l_{n,k}      (N_t: nodes of the target's graph, or
///                                                        of the node target's subgraph)
///   node n:  ReLU(Σ_k α_k F^l_{n,k})                   edge: min of its end points
/// F^l is the layer's output on the whole explained graph. For node targets the map covers the
/// target's L-hop computation subgraph, but F^l on that subgraph would be wrong for the nodes
/// more than L − l − 1 hops out (their own neighbourhoods are cut off): the activations come
/// from one pass over the full graph per batch. One backward pass per batch. Throws InputError
/// for a layer out of range.
class GradCam : public GradientExplainer {
 public:
  explicit GradCam(GradCamOptions options = {}, TargetOptions target = {});
  std::string name() const override { return "grad-cam"; }

 protected:
  void check_model(const gnn::GnnModel& model) const override;
  Attribution attribute(gnn::GnnModel& model, const TargetBatch& batch,
                        const torch::Tensor& classes, const ChunkProgress& progress) const override;
  Attribution attribute_with_graph(const ExplainCall& call, const TargetBatch& batch,
                                   const torch::Tensor& classes,
                                   const ChunkProgress& progress) const override;
  bool attribute_predicting(const ExplainCall& call, const TargetBatch& batch,
                            const std::vector<int64_t>& labels, const ChunkProgress& progress,
                            TargetPrediction& prediction, Attribution& out) const override;

 private:
  GradCamOptions options_;
};

/// Grad-CAM averaged over layers (Pope et al. 2019), "grad-cam-avg", each layer's F^l from the
/// full graph as grad-cam's:
///   node n:  (1/L) Σ_l grad-cam_l(n)                   edge: min of its end points
class GradCamAvg : public GradientExplainer {
 public:
  explicit GradCamAvg(TargetOptions target = {});
  std::string name() const override { return "grad-cam-avg"; }

 protected:
  Attribution attribute(gnn::GnnModel& model, const TargetBatch& batch,
                        const torch::Tensor& classes, const ChunkProgress& progress) const override;
  Attribution attribute_with_graph(const ExplainCall& call, const TargetBatch& batch,
                                   const torch::Tensor& classes,
                                   const ChunkProgress& progress) const override;
  bool attribute_predicting(const ExplainCall& call, const TargetBatch& batch,
                            const std::vector<int64_t>& labels, const ChunkProgress& progress,
                            TargetPrediction& prediction, Attribution& out) const override;
};

struct ExcitationBackpropOptions {
  /// Contrastive EB: the map of class c minus that of its negated classifier, then ReLU.
  TORCH_ARG(bool, contrastive) = false;

 public:
  static ExcitationBackpropOptions from(const MethodOptions& options);
};

/// Excitation backprop (Zhang et al. ECCV 2016; Pope et al. 2019), "eb" / "contrastive-eb".
/// Marginal winning probabilities P are sent top-down from P(y_c) = 1; through every layer
/// out = Σ_i a_i w_ij (activations a ≥ 0, biases ignored) a parent j hands its mass to its
/// children in proportion to a_i w⁺_ij, w⁺ = max(w, 0):
///   P(a_i) = a_i Σ_j w⁺_ij P(o_j) / Σ_i' a_i' w⁺_i'j
/// A ReLU passes its output's mass to its input unchanged. The layers are: the head (row c of
/// the classifier; the node classifier's concatenation head hands mass to every layer's output
/// at the target node), the MLP hidden layer, the readout (mean/sum: w = 1/N resp. 1; max: the
/// arg-max node wins all; nodes within max_readout.h's relative tolerance of the maximum tie and
/// share it equally, as in the model's gradient), and each message-passing layer
/// F^l = ReLU(...) of input a = F^{l-1} (a = X for l = 0), by its type:
///   gcn        F = ReLU(Â a W + b): one linear map with weights Â_{n,n'} W_{k',k} (Â ≥ 0, the
///              layer's own: the symmetric normalisation, as Pope et al., or the raw sums of
///              Aggregation::kSum / kSumSelf)
///   graphconv  F_i = ReLU(a_i W_root + Σ_{j→i} a_j W_rel + b) (Morris et al.): two linear
///              paths; F_ik's mass splits over the root term and each neighbour's term in
///              proportion to a_i W⁺_root and a_j W⁺_rel (W = lin.weightᵀ)
///   sage       F_i = ReLU((1/deg_i) Σ_{j→i} a_j W_l + a_i W_r + b): the same with coefficients
///              1/deg_i on the neighbours (lin_l) and 1 on the node itself (lin_r); PyG's
///              normalize (a positive scale per row) leaves the shares unchanged
///   gin        F_i = ReLU(MLP(z_i)), z_i = (1 + ε) a_i + Σ_{j→i} a_j: the MLP as a stack of
///              linear layers (Linear, ReLU, Linear: the hidden activations recomputed from z
///              with the model's own weights), then z_ik's mass splits over (1 + ε) a_ik and
///              each a_jk in proportion to their values. Needs 1 + ε ≥ 0.
///   gine       as gin with messages m_e = ReLU(a_j + e_e Lᵀ + b_L): z_ik's mass splits over
///              (1 + ε) a_ik and the m_ek; a message unit hands its mass to a_jk and to the
///              edge's features in proportion to a_jk and Σ_d e_ed L⁺_kd (weight 1 and L, as
///              any linear unit). The features' share ends at the edge: it counts in the
///              edge map, not in the node map. Needs non-negative edge features.
///   gat        the attention coefficients α^h_ji (and α^h_ii of the added self-loops) held
///              fixed at their forward values as propagation weights: per head h,
///              z^h_i = Σ_{j ∈ N(i) ∪ {i}} α^h_ji a_j W^h, heads concatenated (each output
///              unit has its head's paths) or averaged (weights W^h / H, every head's paths).
///              Edge features enter only α and receive nothing.
/// The recursion ends at the input features:
///   node n:  Σ_f P(X_{n,f})
///   edge e = (s → d):  the mass that flows along the edge, summed over layers: for gcn
///            Σ_l Â_{d,s} Σ_k' F^{l-1}_{s,k'} Σ_k W^{l+}_{k',k} P(F^l_{d,k}) / D_{d,k}, for the
///            other layers the mass of e's message terms (gine: its features' share included)
/// Without biases or dropped mass, Σ_n node = 1 per target, less the gine edge features'
/// share. Contrastive EB (Zhang et al.'s dual unit): the same from the negated classifier row
/// −W_c (its positive part is W_c's negative part), then ReLU(map_c − map_{¬c}) per node and
/// edge. Mass that reaches a unit whose inputs contribute nothing positive is dropped.
/// Throws InputError "eb does not apply to ARCH: why" for a negative coefficient (gin/gine with
/// 1 + ε < 0), negative edge features (gine), readout_concat (the readout rule hands mass to
/// the last layer only) and layers that offer neither linear messages nor linear paths; and for
/// negative node features (probabilities of inputs) or a head of more than two dense layers.
class ExcitationBackprop : public GradientExplainer {
 public:
  explicit ExcitationBackprop(ExcitationBackpropOptions options = {}, TargetOptions target = {});
  std::string name() const override { return options_.contrastive() ? "contrastive-eb" : "eb"; }

 protected:
  void check_model(const gnn::GnnModel& model) const override;
  Attribution attribute(gnn::GnnModel& model, const TargetBatch& batch,
                        const torch::Tensor& classes, const ChunkProgress& progress) const override;

 private:
  ExcitationBackpropOptions options_;
};

}  // namespace gnnx::explainers
