// ModelSpec and the names of tasks and readouts.

#include <gnnx/gnn/error.h>
#include <gnnx/gnn/models.h>

#include <cmath>
#include <string>

namespace gnnx::gnn {
namespace {

/// Throws InputError "ModelSpec: <field> must be <condition>, got <value>".
template <typename T>
void require(bool ok, const char* field, const char* condition, const T& value) {
  if (!ok) {
    throw InputError(c10::str("ModelSpec: ", field, " must be ", condition, ", got ", value));
  }
}

// Bounds that keep a spec from asking for more than a machine has before anything is allocated
// (issue 20: `--hidden 100000000` reached the allocator, `--hidden 30000` and `--layers 100000`
// ran for hours). 2^30 float weights are 4 GiB, and training keeps three more copies (gradient,
// Adam's two moments); a thousand layers is ten times the deepest published GCNs.
constexpr int64_t kMaxWeights = int64_t{1} << 30;
constexpr int64_t kMaxLayers = 1000;

}  // namespace

std::string to_string(Task task) {
  switch (task) {
    case Task::kNodeClassification:
      return "node";
    case Task::kGraphClassification:
      return "graph";
  }
  TORCH_INTERNAL_ASSERT(false, "unknown Task ", static_cast<int>(task));
}

std::string to_string(Readout readout) {
  switch (readout) {
    case Readout::kMean:
      return "mean";
    case Readout::kMax:
      return "max";
    case Readout::kSum:
      return "sum";
  }
  TORCH_INTERNAL_ASSERT(false, "unknown Readout ", static_cast<int>(readout));
}

std::string to_string(Architecture arch) {
  switch (arch) {
    case Architecture::kGcn:
      return "gcn";
    case Architecture::kGin:
      return "gin";
    case Architecture::kGine:
      return "gine";
    case Architecture::kGraphConv:
      return "graphconv";
    case Architecture::kSage:
      return "sage";
    case Architecture::kGat:
      return "gat";
  }
  TORCH_INTERNAL_ASSERT(false, "unknown Architecture ", static_cast<int>(arch));
}

Architecture parse_architecture(const std::string& name) {
  for (Architecture a : {Architecture::kGcn, Architecture::kGin, Architecture::kGine,
                         Architecture::kGraphConv, Architecture::kSage, Architecture::kGat}) {
    if (name == to_string(a)) return a;
  }
  throw InputError("unknown architecture '" + name +
                   "' (valid: gcn, gin, gine, graphconv, sage, gat)");
}

Task parse_task(const std::string& name) {
  if (name == "node") return Task::kNodeClassification;
  if (name == "graph") return Task::kGraphClassification;
  throw InputError("unknown task '" + name + "' (valid: node, graph)");
}

Readout parse_readout(const std::string& name) {
  if (name == "mean") return Readout::kMean;
  if (name == "max") return Readout::kMax;
  if (name == "sum") return Readout::kSum;
  throw InputError("unknown readout '" + name + "' (valid: mean, max, sum)");
}

void ModelSpec::validate() const {
  require(in_features >= 1, "in_features", ">= 1", in_features);
  require(num_classes >= 1, "num_classes", ">= 1", num_classes);
  require(hidden >= 1, "hidden", ">= 1", hidden);
  require(num_layers >= 1 && num_layers <= kMaxLayers, "num_layers",
          c10::str("in [1, ", kMaxLayers, "]").c_str(), num_layers);
  // A lower bound on the weights of any layer type (the first layer's and one hidden x hidden
  // matrix per further layer), in double so that the product cannot wrap.
  const double weights = static_cast<double>(hidden) *
                         (static_cast<double>(in_features) +
                          static_cast<double>(hidden) * static_cast<double>(num_layers - 1));
  if (weights > static_cast<double>(kMaxWeights)) {
    throw InputError(c10::str("ModelSpec: hidden ", hidden, " with ", num_layers, " layers and ",
                              in_features, " input features needs at least ", weights,
                              " weights, more than the ", kMaxWeights, " allowed"));
  }
  // `!(x >= 0 && x < 1)` also rejects NaN.
  require(dropout >= 0.0 && dropout < 1.0, "dropout", "in [0, 1)", dropout);
  require(mlp_hidden >= 0, "mlp_hidden", ">= 0", mlp_hidden);
  require(std::isfinite(bias_init), "bias_init", "finite", bias_init);
  const bool gat = arch == Architecture::kGat;
  require(heads >= 1 && (gat || heads == 1), "heads", gat ? ">= 1" : "1 unless arch is gat", heads);
  require(hidden % heads == 0, "hidden", c10::str("a multiple of heads (", heads, ")").c_str(),
          hidden);
  if (arch == Architecture::kGine) {
    require(edge_dim >= 1, "edge_dim", ">= 1 for gine (it reads edge features)", edge_dim);
  } else {
    require(edge_dim >= 0 && (gat || edge_dim == 0), "edge_dim",
            gat ? ">= 0" : "0 unless arch is gine or gat", edge_dim);
  }
}

}  // namespace gnnx::gnn
