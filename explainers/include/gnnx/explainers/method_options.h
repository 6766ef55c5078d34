#pragma once
// The options explainers read, and their schema: one table (option_specs) gives every option's
// name, type, range and help, so that the command line builds its method flags, their checks and
// their --help text from it, and `gnnx methods` lists them. Each method's registry entry
// (explainer.h) names the options it reads, with the default its own Options struct holds.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gnnx::explainers {

/// Which class an explanation is for.
enum class ExplainMode {
  kModel,       ///< the model's predicted class ("why did the model say this")
  kPhenomenon,  ///< the true label ("what in the data supports the label"); needs labels
};

/// How integrated gradients integrates along its path (IntegratedGradientsOptions::rule).
enum class IntegrationRule {
  kTrapezoid,      ///< steps intervals, steps + 1 evaluations, end points weighted 1/2
  kGaussLegendre,  ///< steps Gauss–Legendre points (exact for polynomials of degree 2 steps − 1)
};

/// "trapezoid", "gauss-legendre".
std::string to_string(IntegrationRule rule);

/// How LRP hands relevance down through each linear stage (LrpOptions::rule).
enum class LrpRule {
  kEpsilon,    ///< in proportion to each contribution, the denominator stabilised by ε
  kAlphaBeta,  ///< positive contributions weighted α, negative ones β = α − 1
  kGamma,      ///< each contribution plus γ times its positive part (LRP-γ)
};

/// "epsilon", "alpha-beta", "gamma".
std::string to_string(LrpRule rule);

/// What PGM-Explainer writes into a perturbed node's features (PGMExplainerOptions::perturbation),
/// per feature column of the explained graph.
enum class Perturbation {
  kRandint,  ///< each feature 0 or 1 at random (the authors' node-task code, PyG's default)
  kMean,     ///< the column's mean (the authors' graph-task default)
  kZero,     ///< 0
  kMax,      ///< the column's maximum
  kUniform,  ///< plus uniform noise within ±5% of the column's maximum, clipped to [0, maximum]
};

/// "randint", "mean", "zero", "max", "uniform".
std::string to_string(Perturbation perturbation);
/// How SubgraphX removes the nodes outside a coalition (DIG's subgraph_building_method).
enum class SubgraphBuilding {
  kZeroFilling,  ///< their features set to 0, every edge kept (DIG's default)
  kSplit,        ///< their edges' messages masked to 0, features kept
};

/// "zero-filling", "split".
std::string to_string(SubgraphBuilding building);

/// Options of every method; each method reads the ones its registry entry names and records
/// them in Explanation::options. An unset optional keeps the method's own default.
struct MethodOptions {
  ExplainMode mode = ExplainMode::kModel;
  /// >= 0: explain this class for every target whatever `mode` says (e.g. each class of a
  /// binary task in turn, for Pope's contrastivity); -1: as `mode` says.
  int64_t explained_class = -1;
  uint64_t seed = 0;                       ///< the explainer's own randomness
  std::optional<int64_t> epochs;           ///< optimisation steps (GNNExplainer)
  std::optional<double> lr;                ///< learning rate (GNNExplainer)
  std::optional<double> momentum;          ///< CF-GNNExplainer: SGD's Nesterov momentum
  bool feature_mask = false;               ///< GNNExplainer: also learn a node-feature mask
  bool symmetric_edges = false;            ///< GNNExplainer: tie u->v and v->u into one mask entry
  std::optional<double> edge_size;         ///< GNNExplainer: size coefficient
  std::optional<double> edge_ent;          ///< GNNExplainer: entropy coefficient
  std::optional<double> edge_lap;          ///< GNNExplainer: Laplacian coefficient
  std::optional<int64_t> samples;          ///< stochastic samples (BayesGrad, SmoothGrad)
  std::optional<double> dropout;           ///< BayesGrad dropout rate; unset = the model's own
  std::optional<int64_t> steps;            ///< integrated-gradients steps
  std::optional<IntegrationRule> ig_rule;  ///< integrated-gradients quadrature
  std::optional<LrpRule> lrp_rule;         ///< LRP's rule
  std::optional<double> epsilon;           ///< LRP's ε-rule stabiliser
  std::optional<double> alpha;             ///< LRP's αβ-rule α (β = α − 1)
  std::optional<double> gamma;             ///< LRP's γ-rule γ
  std::optional<int64_t> walks_per_layer;  ///< GNN-LRP: partial walks kept per layer (0: all)
  std::optional<int64_t> top_walks;        ///< GNN-LRP: walks listed per explanation
  int64_t layer = -1;                      ///< Grad-CAM layer; negative counts from the end
  bool contrastive = false;                ///< saliency: Pope et al.'s contrastive gradient
  bool gradient_x_input = false;           ///< BayesGrad: score gradient x input
  int64_t batch_size = 0;                  ///< targets explained together; 0 = all at once
  /// PGExplainer: the first temperature of the concrete samples' schedule.
  std::optional<double> temperature_start;
  /// PGExplainer: the temperature the schedule approaches at the last epoch.
  std::optional<double> temperature_end;
  /// PGExplainer: the targets it trains on, as an id list (gnnx/io/id_list.h: "all", "0:300",
  /// "1,5,9"), checked against the data set when it is known; unset = the explained targets.
  std::optional<std::string> fit_targets;
  std::optional<int64_t> rollouts;      ///< SubgraphX: Monte Carlo tree search rollouts
  std::optional<double> c_puct;         ///< SubgraphX: exploration weight of the search
  std::optional<int64_t> min_atoms;     ///< SubgraphX: leaves have at most this many nodes
  std::optional<int64_t> expand_atoms;  ///< SubgraphX: children tried per expansion
  std::optional<int64_t> max_nodes;     ///< SubgraphX: nodes of the chosen subgraph, at most
  std::optional<int64_t> shapley_hops;  ///< SubgraphX: hops of the Shapley players' region
  std::optional<SubgraphBuilding> subgraph_building;  ///< SubgraphX: how coalitions are built
  /// Optional progress report: (steps done, steps in all), called from the caller's thread.
  std::function<void(int64_t, int64_t)> progress;
  /// PGM-Explainer: what a perturbed node's features become.
  std::optional<Perturbation> perturbation;
  /// PGM-Explainer: the probability that a sample perturbs each eligible node.
  std::optional<double> perturb_fraction;
  /// PGM-Explainer: the chi-square test's significance level.
  std::optional<double> p_threshold;
  /// PGM-Explainer (node task): the drop in a node's probability that counts as a change.
  std::optional<double> pred_threshold;
  /// PGM-Explainer: nodes in the explanation (0 = node task: those the test finds dependent;
  /// graph task: a twentieth of the graph's nodes).
  std::optional<int64_t> top_nodes;
};

/// The type of an option's value.
enum class OptionType {
  kInteger,  ///< a whole decimal number in [min, max]
  kNumber,   ///< a finite decimal number in [min, max]
  kFlag,     ///< present or not (no value)
  kChoice,   ///< one of `choices`
  kIdList,   ///< a list of node ids or graph indices (gnnx/io/id_list.h)
};

/// "integer", "number", "flag", "choice", "id-list".
std::string to_string(OptionType type);

/// One option of the schema. Its name is also its command-line flag (--name).
struct OptionSpec {
  std::string name;
  OptionType type = OptionType::kInteger;
  std::string help;                  ///< one line, without the default
  double min = 0;                    ///< kInteger, kNumber: smallest valid value
  double max = 0;                    ///< kInteger, kNumber: largest valid value
  bool min_exclusive = false;        ///< kNumber: min itself is invalid (a learning rate of 0)
  bool max_exclusive = false;        ///< kNumber: max itself is invalid (a dropout rate of 1)
  std::vector<std::string> choices;  ///< kChoice
};

/// Every option some method reads, in a stable order.
const std::vector<OptionSpec>& option_specs();

/// The named option; throws InputError listing the valid names for an unknown one.
const OptionSpec& option_spec(const std::string& name);

/// "integer in [1, 1000000]", "number in (0, 10]", "flag", "one of model, phenomenon".
std::string describe_values(const OptionSpec& spec);

/// Sets option `name` from its text (a flag takes "true"/"false"): the whole text must be a
/// value of the option's type inside its range. Throws InputError naming the option, the value
/// and what is valid.
void set_option(MethodOptions& options, const std::string& name, const std::string& value);

}  // namespace gnnx::explainers
