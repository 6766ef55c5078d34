// The option schema (method_options.h) and the strict conversion of an option's text.

#include <gnnx/explainers/method_options.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/id_list.h>
#include <gnnx/io/number.h>

#include <c10/util/Exception.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <sstream>

namespace gnnx::explainers {
namespace {

constexpr double kMaxCount = 1e6;  // epochs, samples, steps: more would run for days

constexpr Perturbation kPerturbations[] = {Perturbation::kRandint, Perturbation::kMean,
                                           Perturbation::kZero, Perturbation::kMax,
                                           Perturbation::kUniform};

OptionSpec integer(std::string name, double min, double max, std::string help) {
  OptionSpec s;
  s.name = std::move(name);
  s.type = OptionType::kInteger;
  s.min = min;
  s.max = max;
  s.help = std::move(help);
  return s;
}

OptionSpec number(std::string name, double min, double max, std::string help,
                  bool min_exclusive = false, bool max_exclusive = false) {
  OptionSpec s = integer(std::move(name), min, max, std::move(help));
  s.type = OptionType::kNumber;
  s.min_exclusive = min_exclusive;
  s.max_exclusive = max_exclusive;
  return s;
}

OptionSpec flag(std::string name, std::string help) {
  OptionSpec s;
  s.name = std::move(name);
  s.type = OptionType::kFlag;
  s.help = std::move(help);
  return s;
}

[[noreturn]] void invalid(const OptionSpec& spec, const std::string& value) {
  throw InputError("--" + spec.name + ": invalid value '" + value +
                   "' (valid: " + describe_values(spec) + ")");
}

bool in_range(const OptionSpec& spec, double v) {
  const bool above = spec.min_exclusive ? v > spec.min : v >= spec.min;
  const bool below = spec.max_exclusive ? v < spec.max : v <= spec.max;
  return above && below;
}

int64_t parse_integer(const OptionSpec& spec, const std::string& text) {
  const std::optional<int64_t> v = io::to_integer<int64_t>(text);
  if (!v || !in_range(spec, static_cast<double>(*v))) invalid(spec, text);
  return *v;
}

double parse_number(const OptionSpec& spec, const std::string& text) {
  const std::optional<double> v = io::to_double(text);  // NaN and infinities refused
  if (!v || !in_range(spec, *v)) invalid(spec, text);
  return *v;
}

bool parse_flag(const OptionSpec& spec, const std::string& text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  invalid(spec, text);
}

}  // namespace

std::string to_string(IntegrationRule rule) {
  switch (rule) {
    case IntegrationRule::kTrapezoid:
      return "trapezoid";
    case IntegrationRule::kGaussLegendre:
      return "gauss-legendre";
  }
  TORCH_INTERNAL_ASSERT(false, "unknown IntegrationRule ", static_cast<int>(rule));
}

std::string to_string(LrpRule rule) {
  switch (rule) {
    case LrpRule::kEpsilon:
      return "epsilon";
    case LrpRule::kAlphaBeta:
      return "alpha-beta";
    case LrpRule::kGamma:
      return "gamma";
  }
  TORCH_INTERNAL_ASSERT(false, "unknown LrpRule ", static_cast<int>(rule));
}

std::string to_string(Perturbation perturbation) {
  switch (perturbation) {
    case Perturbation::kRandint:
      return "randint";
    case Perturbation::kMean:
      return "mean";
    case Perturbation::kZero:
      return "zero";
    case Perturbation::kMax:
      return "max";
    case Perturbation::kUniform:
      return "uniform";
  }
  TORCH_INTERNAL_ASSERT(false, "unknown Perturbation ", static_cast<int>(perturbation));
}

std::string to_string(SubgraphBuilding building) {
  switch (building) {
    case SubgraphBuilding::kZeroFilling:
      return "zero-filling";
    case SubgraphBuilding::kSplit:
      return "split";
  }
  TORCH_INTERNAL_ASSERT(false, "unknown SubgraphBuilding ", static_cast<int>(building));
}

std::string to_string(OptionType type) {
  switch (type) {
    case OptionType::kInteger:
      return "integer";
    case OptionType::kNumber:
      return "number";
    case OptionType::kFlag:
      return "flag";
    case OptionType::kChoice:
      return "choice";
    case OptionType::kIdList:
      return "id-list";
  }
  TORCH_INTERNAL_ASSERT(false, "unknown OptionType ", static_cast<int>(type));
}

const std::vector<OptionSpec>& option_specs() {
  static const std::vector<OptionSpec> all = [] {
    OptionSpec mode;
    mode.name = "mode";
    mode.type = OptionType::kChoice;
    mode.choices = {"model", "phenomenon"};
    mode.help = "Explain the model's prediction (model) or the true label (phenomenon)";
    OptionSpec ig_rule;
    ig_rule.name = "ig-rule";
    ig_rule.type = OptionType::kChoice;
    ig_rule.choices = {to_string(IntegrationRule::kTrapezoid),
                       to_string(IntegrationRule::kGaussLegendre)};
    ig_rule.help =
        "Quadrature of the path integral: trapezoid (--steps intervals) or gauss-legendre "
        "(--steps points)";
    OptionSpec lrp_rule;
    lrp_rule.name = "lrp-rule";
    lrp_rule.type = OptionType::kChoice;
    lrp_rule.choices = {to_string(LrpRule::kEpsilon), to_string(LrpRule::kAlphaBeta),
                        to_string(LrpRule::kGamma)};
    lrp_rule.help =
        "LRP's rule: epsilon (proportional, stabilised by --epsilon), alpha-beta (positive "
        "contributions weighted --alpha, negative ones alpha - 1) or gamma (each contribution "
        "plus --gamma times its positive part)";
    OptionSpec perturbation;
    perturbation.name = "perturbation";
    perturbation.type = OptionType::kChoice;
    for (Perturbation p : kPerturbations) perturbation.choices.push_back(to_string(p));
    perturbation.help =
        "What a perturbed node's features become: randint (random 0/1), mean, zero or max of "
        "the feature's column, or uniform (noise within 5% of the column's maximum)";
    OptionSpec fit_targets;
    fit_targets.name = "fit-targets";
    fit_targets.type = OptionType::kIdList;
    fit_targets.help =
        "Train on these targets (node ids or graph indices), then explain the requested ones";
    OptionSpec subgraph_building;
    subgraph_building.name = "subgraph-building";
    subgraph_building.type = OptionType::kChoice;
    subgraph_building.choices = {to_string(SubgraphBuilding::kZeroFilling),
                                 to_string(SubgraphBuilding::kSplit)};
    subgraph_building.help =
        "SubgraphX: how nodes outside a coalition are removed: zero-filling (features set to 0) "
        "or split (their edges' messages masked to 0)";
    return std::vector<OptionSpec>{
        mode,
        integer("class", 0, kMaxCount, "Explain this class for every target (overrides --mode)"),
        integer("batch-size", 1, 1e9, "Targets explained together (default: all at once)"),
        integer("explainer-seed", 0, 9.2e18, "Seed of the explainer's own randomness"),
        integer("epochs", 1, kMaxCount, "Optimisation steps"),
        number("lr", 0, 1e3, "Learning rate", /*min_exclusive=*/true),
        number("momentum", 0, 1, "Nesterov momentum of SGD (0 = plain SGD)", false,
               /*max_exclusive=*/true),
        flag("feature-mask", "Also learn a feature mask"),
        flag("asymmetric", "Separate masks for u->v and v->u on undirected graphs"),
        number("edge-size", 0, 1e6, "Coefficient of the mask-size penalty"),
        number("edge-entropy", 0, 1e6, "Coefficient of the mask-entropy penalty"),
        number("edge-laplacian", 0, 1e6,
               "Coefficient of the Laplacian term on node targets (the original code's is 1.0; "
               "0 = off)"),
        integer("samples", 1, kMaxCount, "Stochastic samples"),
        number("dropout", 0, 1, "Dropout rate (default: the model's own)", false,
               /*max_exclusive=*/true),
        integer("steps", 1, kMaxCount, "Interpolation steps"),
        ig_rule,
        lrp_rule,
        number("epsilon", 0, 1e3, "LRP's epsilon-rule stabiliser"),
        number("alpha", 1, 1e3, "LRP's alpha-beta rule: weight of positive contributions"),
        number("gamma", 0, 1e3, "LRP's gamma rule: extra weight of positive contributions"),
        integer("walks-per-layer", 0, 1e9,
                "GNN-LRP: partial walks kept per target after each layer, the most relevant "
                "(0 = all: exact)"),
        integer("top-walks", 0, kMaxCount,
                "GNN-LRP: walks listed per explanation, most relevant "
                "first"),
        integer("layer", -1000, 1000, "Layer (0-based; negative counts from the end)"),
        flag("contrastive", "Pope et al.'s contrastive gradient (positive part only)"),
        flag("gradient-x-input", "Score gradient x input instead of the gradient"),
        number("temperature-start", 0, 1e3,
               "First temperature of the concrete (Gumbel-sigmoid) samples' schedule",
               /*min_exclusive=*/true),
        number("temperature-end", 0, 1e3,
               "Temperature the schedule approaches at the last epoch: t0 (tT / t0)^(epoch / "
               "epochs)",
               /*min_exclusive=*/true),
        fit_targets,
        perturbation,
        number("perturb-fraction", 0, 1, "Probability that a sample perturbs each node",
               /*min_exclusive=*/true),
        number("p-threshold", 0, 1, "Significance level of the chi-square dependence test",
               /*min_exclusive=*/true),
        number("pred-threshold", 0, 1,
               "Drop in a node's probability that counts as a changed prediction"),
        integer("top-nodes", 0, kMaxCount,
                "Nodes in the explanation (0 = node tasks: those the dependence test picks; "
                "graph tasks: 4)"),
        integer("rollouts", 1, kMaxCount, "SubgraphX: Monte Carlo tree search rollouts"),
        number("c-puct", 0, 1e6, "SubgraphX: exploration weight of the tree search"),
        integer("min-atoms", 1, 1e9, "SubgraphX: the search stops at subgraphs this small"),
        integer("expand-atoms", 1, 1e9,
                "SubgraphX: nodes tried for pruning per expansion (the lowest degrees)"),
        integer("max-nodes", 1, 1e9, "SubgraphX: most nodes of the chosen subgraph"),
        integer("shapley-hops", 0, 1000,
                "SubgraphX: hops around a subgraph whose nodes are the Shapley value's players"),
        subgraph_building,
    };
  }();
  return all;
}

const OptionSpec& option_spec(const std::string& name) {
  std::string names;
  for (const auto& spec : option_specs()) {
    if (spec.name == name) return spec;
    names += (names.empty() ? "" : ", ") + spec.name;
  }
  throw InputError("unknown explainer option '" + name + "' (valid: " + names + ")");
}

std::string describe_values(const OptionSpec& spec) {
  std::ostringstream out;
  switch (spec.type) {
    case OptionType::kInteger:
      out << "integer in [" << static_cast<int64_t>(spec.min) << ", "
          << static_cast<int64_t>(spec.max) << "]";
      break;
    case OptionType::kNumber:
      out << "number in " << (spec.min_exclusive ? "(" : "[") << spec.min << ", " << spec.max
          << (spec.max_exclusive ? ")" : "]");
      break;
    case OptionType::kFlag:
      out << "flag";
      break;
    case OptionType::kIdList:
      out << "ids and ranges a:b[:step], comma-separated, or all";
      break;
    case OptionType::kChoice:
      out << "one of ";
      for (size_t i = 0; i < spec.choices.size(); ++i) out << (i ? ", " : "") << spec.choices[i];
      break;
  }
  return out.str();
}

void set_option(MethodOptions& o, const std::string& name, const std::string& value) {
  const OptionSpec& spec = option_spec(name);
  if (name == "mode") {
    if (value != "model" && value != "phenomenon") invalid(spec, value);
    o.mode = value == "model" ? ExplainMode::kModel : ExplainMode::kPhenomenon;
  } else if (name == "class") {
    o.explained_class = parse_integer(spec, value);
  } else if (name == "batch-size") {
    o.batch_size = parse_integer(spec, value);
  } else if (name == "explainer-seed") {
    o.seed = static_cast<uint64_t>(parse_integer(spec, value));
  } else if (name == "epochs") {
    o.epochs = parse_integer(spec, value);
  } else if (name == "lr") {
    o.lr = parse_number(spec, value);
  } else if (name == "momentum") {
    o.momentum = parse_number(spec, value);
  } else if (name == "feature-mask") {
    o.feature_mask = parse_flag(spec, value);
  } else if (name == "asymmetric") {
    o.symmetric_edges = !parse_flag(spec, value);
  } else if (name == "edge-size") {
    o.edge_size = parse_number(spec, value);
  } else if (name == "edge-entropy") {
    o.edge_ent = parse_number(spec, value);
  } else if (name == "edge-laplacian") {
    o.edge_lap = parse_number(spec, value);
  } else if (name == "samples") {
    o.samples = parse_integer(spec, value);
  } else if (name == "dropout") {
    o.dropout = parse_number(spec, value);
  } else if (name == "steps") {
    o.steps = parse_integer(spec, value);
  } else if (name == "ig-rule") {
    if (value == to_string(IntegrationRule::kTrapezoid)) {
      o.ig_rule = IntegrationRule::kTrapezoid;
    } else if (value == to_string(IntegrationRule::kGaussLegendre)) {
      o.ig_rule = IntegrationRule::kGaussLegendre;
    } else {
      invalid(spec, value);
    }
  } else if (name == "lrp-rule") {
    if (value == to_string(LrpRule::kEpsilon)) {
      o.lrp_rule = LrpRule::kEpsilon;
    } else if (value == to_string(LrpRule::kAlphaBeta)) {
      o.lrp_rule = LrpRule::kAlphaBeta;
    } else if (value == to_string(LrpRule::kGamma)) {
      o.lrp_rule = LrpRule::kGamma;
    } else {
      invalid(spec, value);
    }
  } else if (name == "epsilon") {
    o.epsilon = parse_number(spec, value);
  } else if (name == "alpha") {
    o.alpha = parse_number(spec, value);
  } else if (name == "gamma") {
    o.gamma = parse_number(spec, value);
  } else if (name == "walks-per-layer") {
    o.walks_per_layer = parse_integer(spec, value);
  } else if (name == "top-walks") {
    o.top_walks = parse_integer(spec, value);
  } else if (name == "layer") {
    o.layer = parse_integer(spec, value);
  } else if (name == "contrastive") {
    o.contrastive = parse_flag(spec, value);
  } else if (name == "gradient-x-input") {
    o.gradient_x_input = parse_flag(spec, value);
  } else if (name == "temperature-start") {
    o.temperature_start = parse_number(spec, value);
  } else if (name == "temperature-end") {
    o.temperature_end = parse_number(spec, value);
  } else if (name == "fit-targets") {
    const std::string problem = io::id_list_problem(value);
    if (!problem.empty()) {
      throw InputError("--" + spec.name + ": invalid value '" + value + "': " + problem);
    }
    o.fit_targets = value;
  } else if (name == "perturbation") {
    const auto* match = std::find_if(std::begin(kPerturbations), std::end(kPerturbations),
                                     [&](Perturbation p) { return to_string(p) == value; });
    if (match == std::end(kPerturbations)) invalid(spec, value);
    o.perturbation = *match;
  } else if (name == "perturb-fraction") {
    o.perturb_fraction = parse_number(spec, value);
  } else if (name == "p-threshold") {
    o.p_threshold = parse_number(spec, value);
  } else if (name == "pred-threshold") {
    o.pred_threshold = parse_number(spec, value);
  } else if (name == "top-nodes") {
    o.top_nodes = parse_integer(spec, value);
  } else if (name == "rollouts") {
    o.rollouts = parse_integer(spec, value);
  } else if (name == "c-puct") {
    o.c_puct = parse_number(spec, value);
  } else if (name == "min-atoms") {
    o.min_atoms = parse_integer(spec, value);
  } else if (name == "expand-atoms") {
    o.expand_atoms = parse_integer(spec, value);
  } else if (name == "max-nodes") {
    o.max_nodes = parse_integer(spec, value);
  } else if (name == "shapley-hops") {
    o.shapley_hops = parse_integer(spec, value);
  } else if (name == "subgraph-building") {
    if (value == to_string(SubgraphBuilding::kZeroFilling)) {
      o.subgraph_building = SubgraphBuilding::kZeroFilling;
    } else if (value == to_string(SubgraphBuilding::kSplit)) {
      o.subgraph_building = SubgraphBuilding::kSplit;
    } else {
      invalid(spec, value);
    }
  } else {
    TORCH_INTERNAL_ASSERT(false, "option '", name, "' has a spec but no field");
  }
}

}  // namespace gnnx::explainers
