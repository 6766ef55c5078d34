// The method registry: one line per explainer.

#include <gnnx/explainers/explainer.h>
#include <gnnx/explainers/gnnexplainer.h>
#include <gnnx/explainers/gradient_methods.h>
#include <gnnx/gnn/error.h>

namespace gnnx::explainers {

const std::vector<MethodInfo>& methods() {
  static const std::vector<MethodInfo> all = {
      {"gnnexplainer", "GNNExplainer: learned soft edge (and feature) mask (Ying et al. 2019)",
       [](const MethodOptions& o) {
         return std::make_unique<GNNExplainer>(GNNExplainerOptions::from(o));
       }},
      // The gradient family (gradient_methods.h); all read mode, batch_size and progress.
      {"saliency",
       "Gradient saliency |dy/dX_n|, |dy/dw_e| (Simonyan et al. 2014; Pope et al. 2019)",
       [](const MethodOptions& o) {
         return std::make_unique<Saliency>(SaliencyOptions::from(o), TargetOptions::from(o));
       }},
      {"input-x-gradient", "Input x gradient, summed per node (Shrikumar et al. 2016)",
       [](const MethodOptions& o) {
         return std::make_unique<InputXGradient>(TargetOptions::from(o));
       }},
      {"integrated-gradients", "Integrated gradients, --steps (Sundararajan et al. 2017)",
       [](const MethodOptions& o) {
         return std::make_unique<IntegratedGradients>(IntegratedGradientsOptions::from(o),
                                                      TargetOptions::from(o));
       }},
      {"smoothgrad", "SmoothGrad: saliency over noisy features, --samples (Smilkov et al. 2017)",
       [](const MethodOptions& o) {
         return std::make_unique<SmoothGrad>(SmoothGradOptions::from(o), TargetOptions::from(o));
       }},
      {"guided-backprop", "Guided backpropagation (Springenberg et al. 2015)",
       [](const MethodOptions& o) {
         return std::make_unique<GuidedBackprop>(TargetOptions::from(o));
       }},
      {"deconvolution", "Deconvolution: ReLUs pass positive gradients (Zeiler & Fergus 2014)",
       [](const MethodOptions& o) {
         return std::make_unique<Deconvolution>(TargetOptions::from(o));
       }},
      {"occlusion", "Occlusion: probability drop without a node / an edge (Zeiler & Fergus 2014)",
       [](const MethodOptions& o) { return std::make_unique<Occlusion>(TargetOptions::from(o)); }},
      {"cam", "Class activation map, mean-readout linear-head graph models (Pope et al. 2019)",
       [](const MethodOptions& o) { return std::make_unique<Cam>(TargetOptions::from(o)); }},
      {"grad-cam", "Grad-CAM at one GCN layer, --layer (Pope et al. 2019)",
       [](const MethodOptions& o) {
         return std::make_unique<GradCam>(GradCamOptions::from(o), TargetOptions::from(o));
       }},
      {"grad-cam-avg", "Grad-CAM averaged over all GCN layers (Pope et al. 2019)",
       [](const MethodOptions& o) { return std::make_unique<GradCamAvg>(TargetOptions::from(o)); }},
      {"eb", "Excitation backprop (Zhang et al. 2016; Pope et al. 2019)",
       [](const MethodOptions& o) {
         return std::make_unique<ExcitationBackprop>(ExcitationBackpropOptions::from(o),
                                                     TargetOptions::from(o));
       }},
      {"contrastive-eb", "Contrastive excitation backprop (Zhang et al. 2016; Pope et al. 2019)",
       [](const MethodOptions& o) {
         return std::make_unique<ExcitationBackprop>(
             ExcitationBackpropOptions::from(o).contrastive(true), TargetOptions::from(o));
       }},
      {"bayesgrad", "BayesGrad: saliency under MC dropout, --samples --dropout (Akita et al. 2018)",
       [](const MethodOptions& o) {
         return std::make_unique<BayesGrad>(BayesGradOptions::from(o), TargetOptions::from(o));
       }},
  };
  return all;
}

std::string method_names() {
  std::string out;
  for (const auto& m : methods()) out += (out.empty() ? "" : ", ") + m.name;
  return out;
}

std::unique_ptr<Explainer> make_explainer(const std::string& name, const MethodOptions& options) {
  for (const auto& m : methods()) {
    if (m.name == name) return m.make(options);
  }
  throw InputError("unknown method '" + name + "' (valid: " + method_names() + ")");
}

}  // namespace gnnx::explainers
