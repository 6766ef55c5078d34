#pragma once
// The one small interface all explainers share, the options they read, and the registry that
// maps a method name to a factory (used by `gnnx explain`, `evaluate` and `explain-mol`: adding a
// method touches its own files and one registry line).

#include <gnnx/explainers/explanation.h>
#include <gnnx/gnn/graph.h>
#include <gnnx/gnn/models.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace gnnx::explainers {

/// Which class an explanation is for.
enum class ExplainMode {
  kModel,       ///< the model's predicted class ("why did the model say this")
  kPhenomenon,  ///< the true label ("what in the data supports the label"); needs labels
};

/// Options of every method; each method reads the ones it uses (documented per method) and
/// records them in Explanation::options.
struct MethodOptions {
  ExplainMode mode = ExplainMode::kModel;
  /// >= 0: explain this class for every target whatever `mode` says (e.g. each class of a
  /// binary task in turn, for Pope's contrastivity); -1: as `mode` says.
  int64_t explained_class = -1;
  uint64_t seed = 0;
  int64_t epochs = 0;             ///< optimisation steps (GNNExplainer); 0 = method default
  double lr = 0;                  ///< learning rate (GNNExplainer); 0 = method default
  bool feature_mask = false;      ///< GNNExplainer: also learn a node-feature mask
  bool symmetric_edges = false;   ///< GNNExplainer: tie u->v and v->u into one mask entry
  double edge_size = -1;          ///< GNNExplainer: size coefficient; < 0 = default
  double edge_ent = -1;           ///< GNNExplainer: entropy coefficient; < 0 = default
  double edge_lap = -1;           ///< GNNExplainer: Laplacian coefficient; < 0 = default
  int64_t samples = 0;            ///< stochastic samples (BayesGrad, SmoothGrad); 0 = default
  double dropout = -1;            ///< BayesGrad dropout rate; < 0 = model's own / default
  int64_t steps = 0;              ///< integrated-gradients steps; 0 = default
  int64_t layer = -1;             ///< Grad-CAM layer; -1 = last
  bool contrastive = false;       ///< saliency: Pope et al.'s contrastive gradient
  bool gradient_x_input = false;  ///< BayesGrad: score gradient x input, not the gradient
  int64_t batch_size = 0;         ///< targets optimised together; 0 = all at once
  /// Optional progress report: (steps done, steps in all), called from the caller's thread.
  std::function<void(int64_t, int64_t)> progress;
};

/// Explains a model's predictions.
class Explainer {
 public:
  virtual ~Explainer() = default;
  virtual std::string name() const = 0;

  /// Explains node predictions of a node classifier on `graph` for each id in `nodes`.
  /// Throws InputError for a node out of range, a model/graph mismatch, or a task the
  /// method does not support.
  virtual std::vector<Explanation> explain_nodes(gnn::GnnModel& model, const gnn::Graph& graph,
                                                 const torch::Tensor& nodes) = 0;

  /// Explains a graph classifier's prediction for each graph (Explanation::target = index).
  virtual std::vector<Explanation> explain_graphs(gnn::GnnModel& model,
                                                  const std::vector<gnn::Graph>& graphs) = 0;
};

/// One registry entry.
struct MethodInfo {
  std::string name;
  std::string summary;  ///< one line, with the paper
  std::function<std::unique_ptr<Explainer>(const MethodOptions&)> make;
};

/// All registered methods, in a stable order.
const std::vector<MethodInfo>& methods();
/// Makes the named explainer; throws InputError listing the valid names for an unknown one.
std::unique_ptr<Explainer> make_explainer(const std::string& name, const MethodOptions& options);
/// Comma-separated list of method names (for error messages and --help).
std::string method_names();

}  // namespace gnnx::explainers
