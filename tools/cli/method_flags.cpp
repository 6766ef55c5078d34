#include "cli/method_flags.h"

#include "cli/validators.h"

#include <CLI/CLI.hpp>

namespace gnnx::tools {

void add_method_flags(CLI::App& cmd, MethodFlags& flags) {
  cmd.add_option("--mode", flags.mode,
                 "Explain the model's prediction (model) or the true label (phenomenon)")
      ->check(CLI::IsMember({"model", "phenomenon"}))
      ->capture_default_str();
  cmd.add_option("--class", flags.explained_class,
                 "Explain this class for every target (overrides --mode)")
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--explainer-seed", flags.seed, "Seed of the explainer's own randomness")
      ->capture_default_str();
  cmd.add_option("--epochs", flags.epochs, "GNNExplainer: optimisation steps (default 100)")
      ->check(positive());
  cmd.add_option("--lr", flags.lr, "GNNExplainer: learning rate (default 0.1)")->check(positive());
  cmd.add_flag("--feature-mask", flags.feature_mask, "GNNExplainer: also learn a feature mask");
  cmd.add_flag("--asymmetric", flags.asymmetric,
               "GNNExplainer: separate masks for u->v and v->u on undirected graphs");
  cmd.add_option("--edge-size", flags.edge_size,
                 "GNNExplainer: coefficient of the mask-size penalty (default 0.005)")
      ->check(non_negative());
  cmd.add_option("--edge-entropy", flags.edge_ent,
                 "GNNExplainer: coefficient of the mask-entropy penalty (default 0.1)")
      ->check(non_negative());
  cmd.add_option("--edge-laplacian", flags.edge_lap,
                 "GNNExplainer: coefficient of the Laplacian term on node targets (default 100; "
                 "the original code's is 1.0; 0 = off)")
      ->check(non_negative());
  cmd.add_option("--samples", flags.samples, "BayesGrad / SmoothGrad: stochastic samples")
      ->check(positive());
  cmd.add_option("--dropout", flags.dropout, "BayesGrad: dropout rate")
      ->check(CLI::Range(0.0, 1.0));
  cmd.add_option("--steps", flags.steps, "Integrated gradients: interpolation steps")
      ->check(positive());
  cmd.add_option("--layer", flags.layer, "Grad-CAM: GCN layer (0-based; default the last)")
      ->check(CLI::NonNegativeNumber);
  cmd.add_flag("--contrastive", flags.contrastive,
               "Saliency: Pope et al.'s contrastive gradient (positive part only)");
  cmd.add_flag("--gradient-x-input", flags.gradient_x_input,
               "BayesGrad: score gradient x input instead of the gradient");
  cmd.add_option("--batch-size", flags.batch_size,
                 "Targets optimised together (default: all at once)")
      ->check(positive());
}

explainers::MethodOptions method_options(const MethodFlags& flags, bool undirected_graph) {
  explainers::MethodOptions o;
  o.mode = flags.mode == "phenomenon" ? explainers::ExplainMode::kPhenomenon
                                      : explainers::ExplainMode::kModel;
  o.explained_class = flags.explained_class;
  o.seed = flags.seed;
  o.epochs = flags.epochs;
  o.lr = flags.lr;
  o.feature_mask = flags.feature_mask;
  o.symmetric_edges = undirected_graph && !flags.asymmetric;
  o.edge_size = flags.edge_size;
  o.edge_ent = flags.edge_ent;
  o.edge_lap = flags.edge_lap;
  o.samples = flags.samples;
  o.dropout = flags.dropout;
  o.steps = flags.steps;
  o.layer = flags.layer;
  o.contrastive = flags.contrastive;
  o.gradient_x_input = flags.gradient_x_input;
  o.batch_size = flags.batch_size;
  return o;
}

}  // namespace gnnx::tools
