// The method registry: one entry per explainer, with its paper, tasks, devices and options.
// Defaults are read from each method's own Options struct, so they are written once.

#include <gnnx/explainers/attribution_methods.h>
#include <gnnx/explainers/cf_gnnexplainer.h>
#include <gnnx/explainers/explainer.h>
#include <gnnx/explainers/gnn_lrp.h>
#include <gnnx/explainers/gnnexplainer.h>
#include <gnnx/explainers/gradient_methods.h>
#include <gnnx/explainers/graphmask.h>
#include <gnnx/explainers/pgexplainer.h>
#include <gnnx/explainers/pgm_explainer.h>
#include <gnnx/explainers/random_explainer.h>
#include <gnnx/explainers/subgraphx.h>
#include <gnnx/gnn/error.h>

#include <c10/util/StringUtil.h>

#include <algorithm>

namespace gnnx::explainers {
namespace {

using gnn::Task;
const std::vector<Task> kBothTasks = {Task::kNodeClassification, Task::kGraphClassification};
// Every method runs its model passes where the model is (benchmarks::explainer_device); its
// own state stays with the input graph on the host. explainer_cuda_test checks each against the
// CPU on a GPU.
const std::vector<std::string> kCpuAndCuda = {"cpu", "cuda"};

std::string text(double v) { return c10::str(v); }
std::string text(int64_t v) { return std::to_string(v); }

using Factory = std::function<std::unique_ptr<Explainer>(const MethodOptions&)>;

/// A gradient-family method that reads only the target options.
template <typename Method>
Factory plain() {
  return [](const MethodOptions& o) { return std::make_unique<Method>(TargetOptions::from(o)); };
}

/// A gradient-family method with options of its own.
template <typename Method, typename Options>
Factory with_options() {
  return [](const MethodOptions& o) {
    return std::make_unique<Method>(Options::from(o), TargetOptions::from(o));
  };
}

std::vector<MethodInfo> make_registry() {
  const GNNExplainerOptions gnnexplainer;
  const SmoothGradOptions smoothgrad;
  const BayesGradOptions bayesgrad;
  const PGExplainerOptions pgexplainer;
  const GraphMaskOptions graphmask;
  const auto pope = [](const std::string& first) {
    return first + "; Pope, Kolouri, Rostami, Martin, Hoffmann, CVPR 2019";
  };
  return {
      {"gnnexplainer",
       "Learned soft edge (and feature) mask",
       "Ying, Bourgeois, You, Zitnik, Leskovec: GNNExplainer, NeurIPS 2019",
       kBothTasks,
       kCpuAndCuda,
       {{"epochs", text(gnnexplainer.epochs())},
        {"lr", text(gnnexplainer.lr())},
        {"edge-size", text(gnnexplainer.edge_size())},
        {"edge-entropy", text(gnnexplainer.edge_ent())},
        {"edge-laplacian", text(gnnexplainer.edge_lap())},
        {"feature-mask", "false"},
        {"asymmetric", "false (masks tied on undirected graphs)"},
        {"explainer-seed", text(static_cast<int64_t>(gnnexplainer.seed()))}},
       [](const MethodOptions& o) -> std::unique_ptr<Explainer> {
         return std::make_unique<GNNExplainer>(GNNExplainerOptions::from(o));
       }},
      {"pgexplainer",
       "An MLP over edge embeddings, trained once over many targets, masks each in one pass",
       "Luo, Cheng, Xu, Yu, Zong, Chen, Zhang: Parameterized Explainer for Graph Neural "
       "Network, NeurIPS 2020",
       kBothTasks,
       kCpuAndCuda,
       {{"epochs", text(pgexplainer.epochs())},
        {"lr", text(pgexplainer.lr())},
        {"edge-size", text(pgexplainer.edge_size())},
        {"edge-entropy", text(pgexplainer.edge_ent())},
        {"temperature-start", text(pgexplainer.temperature_start())},
        {"temperature-end", text(pgexplainer.temperature_end())},
        {"fit-targets", "the explained targets"},
        {"asymmetric", "false (masks symmetrised on undirected graphs)"},
        {"explainer-seed", text(static_cast<int64_t>(pgexplainer.seed()))}},
       with_options<PGExplainer, PGExplainerOptions>()},
      {"graphmask",
       "Per-layer hard-concrete gates on every message, trained once over many targets",
       "Schlichtkrull, De Cao, Titov: Interpreting Graph Neural Networks for NLP With "
       "Differentiable Edge Masking, ICLR 2021",
       kBothTasks,
       kCpuAndCuda,
       {{"epochs", text(graphmask.epochs()) + " per layer"},
        {"lr", text(graphmask.lr())},
        {"edge-size", text(graphmask.penalty_scaling()) + " (penalty scaling, at most 10)"},
        {"fit-targets", "the explained targets"},
        {"explainer-seed", text(static_cast<int64_t>(graphmask.seed()))}},
       with_options<GraphMask, GraphMaskOptions>()},
      {"saliency",
       "Gradient saliency |dy/dX_n|, |dy/dw_e|",
       pope("Simonyan, Vedaldi, Zisserman 2014"),
       kBothTasks,
       kCpuAndCuda,
       {{"contrastive", "false"}},
       with_options<Saliency, SaliencyOptions>()},
      {"input-x-gradient",
       "Input x gradient, summed per node",
       "Shrikumar et al. 2016",
       kBothTasks,
       kCpuAndCuda,
       {},
       plain<InputXGradient>()},
      {"integrated-gradients",
       "Integrated gradients from a zero baseline",
       "Sundararajan, Taly, Yan, ICML 2017",
       kBothTasks,
       kCpuAndCuda,
       {{"steps", text(IntegratedGradientsOptions().steps())},
        {"ig-rule", to_string(IntegratedGradientsOptions().rule())}},
       with_options<IntegratedGradients, IntegratedGradientsOptions>()},
      {"smoothgrad",
       "SmoothGrad: saliency averaged over noisy features",
       "Smilkov et al. 2017",
       kBothTasks,
       kCpuAndCuda,
       {{"samples", text(smoothgrad.samples())},
        {"explainer-seed", text(static_cast<int64_t>(smoothgrad.seed()))}},
       with_options<SmoothGrad, SmoothGradOptions>()},
      {"guided-backprop",
       "Guided backpropagation",
       "Springenberg et al., ICLR-W 2015",
       kBothTasks,
       kCpuAndCuda,
       {},
       plain<GuidedBackprop>()},
      {"deconvolution",
       "Deconvolution: ReLUs pass positive gradients",
       "Zeiler & Fergus, ECCV 2014",
       kBothTasks,
       kCpuAndCuda,
       {},
       plain<Deconvolution>()},
      {"occlusion",
       "Probability drop without a node / an edge",
       "Zeiler & Fergus, ECCV 2014",
       kBothTasks,
       kCpuAndCuda,
       {},
       plain<Occlusion>()},
      {"deeplift",
       "DeepLIFT, rescale rule, from zero features / no edges",
       "Shrikumar, Greenside, Kundaje, ICML 2017",
       kBothTasks,
       kCpuAndCuda,
       {},
       plain<DeepLift>()},
      {"shapley-sampling",
       "Shapley value sampling over nodes and over edges",
       "Strumbelj & Kononenko, JMLR 2010",
       kBothTasks,
       kCpuAndCuda,
       {{"samples", text(ShapleySamplingOptions().samples())},
        {"explainer-seed", text(static_cast<int64_t>(ShapleySamplingOptions().seed()))}},
       with_options<ShapleySampling, ShapleySamplingOptions>()},
      {"lrp",
       "Layer-wise relevance propagation (epsilon or alpha-beta rule)",
       "Bach et al. 2015; Baldassarre & Azizpour, ICML-W 2019",
       kBothTasks,
       kCpuAndCuda,
       {{"lrp-rule", to_string(LrpOptions().rule())},
        {"epsilon", text(LrpOptions().epsilon())},
        {"alpha", text(LrpOptions().alpha())},
        {"gamma", text(LrpOptions().gamma())}},
       with_options<Lrp, LrpOptions>()},
      {"gnn-lrp",
       "GNN-LRP: relevance of walks (top walks; per node and edge their sums)",
       "Schnake, Eberle, Lederer, Nakajima, Schuett, Mueller, Montavon, IEEE TPAMI 2021",
       kBothTasks,
       kCpuAndCuda,
       {{"lrp-rule", to_string(GnnLrpOptions().rule())},
        {"epsilon", text(GnnLrpOptions().epsilon())},
        {"alpha", text(GnnLrpOptions().alpha())},
        {"gamma", text(GnnLrpOptions().gamma())},
        {"walks-per-layer", text(GnnLrpOptions().walks_per_layer()) + " (all walks: exact)"},
        {"top-walks", text(GnnLrpOptions().top_walks())}},
       with_options<GnnLrp, GnnLrpOptions>()},
      {"cam",
       "Class activation map (mean/sum-readout, linear-head graph models)",
       pope("Zhou et al. 2016"),
       {Task::kGraphClassification},
       kCpuAndCuda,
       {},
       plain<Cam>()},
      {"grad-cam",
       "Grad-CAM at one message-passing layer",
       pope("Selvaraju et al. 2017"),
       kBothTasks,
       kCpuAndCuda,
       {{"layer", text(GradCamOptions().layer()) + " (the last)"}},
       with_options<GradCam, GradCamOptions>()},
      {"grad-cam-avg",
       "Grad-CAM averaged over all message-passing layers",
       pope("Selvaraju et al. 2017"),
       kBothTasks,
       kCpuAndCuda,
       {},
       plain<GradCamAvg>()},
      {"eb",
       "Excitation backprop",
       pope("Zhang et al., ECCV 2016"),
       kBothTasks,
       kCpuAndCuda,
       {},
       with_options<ExcitationBackprop, ExcitationBackpropOptions>()},
      {"contrastive-eb",
       "Contrastive excitation backprop",
       pope("Zhang et al., ECCV 2016"),
       kBothTasks,
       kCpuAndCuda,
       {},
       [](const MethodOptions& o) -> std::unique_ptr<Explainer> {
         return std::make_unique<ExcitationBackprop>(
             ExcitationBackpropOptions::from(o).contrastive(true), TargetOptions::from(o));
       }},
      {"bayesgrad",
       "BayesGrad: saliency under Monte-Carlo dropout, with its spread",
       "Akita, Nakago, Komatsu, Sugawara, Maeda, Baba, Kashima, ICONIP 2018",
       kBothTasks,
       kCpuAndCuda,
       {{"samples", text(bayesgrad.samples())},
        {"dropout", "the model's own, else " + text(BayesGradOptions::kDefaultDropout)},
        {"gradient-x-input", "false"},
        {"explainer-seed", text(static_cast<int64_t>(bayesgrad.seed()))}},
       with_options<BayesGrad, BayesGradOptions>()},
      {"random",
       "Uniform random scores per edge, node and feature, seeded per target",
       "None: the floor baseline every method should clear (AUC 0.5 in expectation)",
       kBothTasks,
       kCpuAndCuda,
       {{"explainer-seed", text(static_cast<int64_t>(RandomExplainerOptions().seed()))}},
       with_options<RandomExplainer, RandomExplainerOptions>()},
      {"cf-gnnexplainer",
       "Counterfactual: the fewest edge deletions that change the prediction",
       "Lucic, ter Hoeve, Tolomei, de Rijke, Silvestri: CF-GNNExplainer, AISTATS 2022",
       kBothTasks,
       kCpuAndCuda,
       {{"epochs", text(CFGNNExplainerOptions().epochs())},
        {"lr", text(CFGNNExplainerOptions().lr())},
        {"momentum", text(CFGNNExplainerOptions().momentum()) + " (plain SGD)"}},
       [](const MethodOptions& o) -> std::unique_ptr<Explainer> {
         return std::make_unique<CFGNNExplainer>(CFGNNExplainerOptions::from(o));
       }},
      {"pgm-explainer",
       "Nodes whose feature perturbation the prediction depends on (chi-square test)",
       "Vu, Thai: PGM-Explainer, NeurIPS 2020",
       kBothTasks,
       kCpuAndCuda,
       {{"samples",
         "100 on node tasks (PyG's), 1000 on graph tasks (the authors' graph experiments)"},
        {"perturbation", to_string(PGMExplainerOptions().perturbation())},
        {"perturb-fraction", "0.5 on node tasks, 0.1 on graph tasks"},
        {"p-threshold", text(PGMExplainerOptions().p_threshold())},
        {"pred-threshold", text(PGMExplainerOptions().pred_threshold())},
        {"top-nodes", "0: node tasks the dependent nodes; graph tasks 4"},
        {"explainer-seed", text(static_cast<int64_t>(PGMExplainerOptions().seed()))}},
       with_options<PGMExplainer, PGMExplainerOptions>()},
      {"subgraphx",
       "Connected subgraph by Monte Carlo tree search, rewarded by Shapley values",
       "Yuan, Yu, Wang, Ji: On Explainability of Graph Neural Networks via Subgraph "
       "Explorations, ICML 2021",
       kBothTasks,
       kCpuAndCuda,
       {{"rollouts", text(SubgraphXOptions().rollouts())},
        {"c-puct", text(SubgraphXOptions().c_puct())},
        {"min-atoms", text(SubgraphXOptions().min_atoms())},
        {"expand-atoms", text(SubgraphXOptions().expand_atoms())},
        {"max-nodes", text(SubgraphXOptions().max_nodes())},
        {"samples", text(SubgraphXOptions().samples())},
        {"shapley-hops", "the model's layers"},
        {"subgraph-building", to_string(SubgraphXOptions().building())},
        {"explainer-seed", text(static_cast<int64_t>(SubgraphXOptions().seed()))}},
       with_options<SubgraphX, SubgraphXOptions>()},
  };
}

}  // namespace

bool MethodInfo::reads(const std::string& option) const {
  const auto named = [&](const MethodOption& o) { return o.name == option; };
  const auto& common = common_method_options();
  return std::any_of(common.begin(), common.end(), named) ||
         std::any_of(options.begin(), options.end(), named);
}

std::vector<std::string> MethodInfo::option_names() const {
  std::vector<std::string> names;
  for (const auto& o : common_method_options()) names.push_back(o.name);
  for (const auto& o : options) names.push_back(o.name);
  return names;
}

const std::vector<MethodInfo>& methods() {
  static const std::vector<MethodInfo> all = make_registry();
  return all;
}

const std::vector<MethodOption>& common_method_options() {
  static const std::vector<MethodOption> common = {
      {"mode", "model"}, {"class", "the mode's"}, {"batch-size", "all targets at once"}};
  return common;
}

std::string method_names() {
  std::string out;
  for (const auto& m : methods()) out += (out.empty() ? "" : ", ") + m.name;
  return out;
}

const MethodInfo& find_method(const std::string& name) {
  for (const auto& m : methods()) {
    if (m.name == name) return m;
  }
  throw InputError("unknown method '" + name + "' (valid: " + method_names() + ")");
}

std::unique_ptr<Explainer> make_explainer(const std::string& name, const MethodOptions& options) {
  return find_method(name).make(options);
}

}  // namespace gnnx::explainers
