#pragma once
// The one small interface all explainers share, the options they read, and the registry that
// maps a method name to a factory (used by `gnnx explain`, `evaluate` and `explain-mol`: adding a
// method touches its own files and one registry line).

#include <gnnx/explainers/explanation.h>
#include <gnnx/explainers/method_options.h>
#include <gnnx/explainers/target_batch.h>
#include <gnnx/gnn/graph.h>
#include <gnnx/gnn/models.h>
#include <torch/arg.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace gnnx::explainers {

/// Which class each target is explained for, how many targets share a pass, and where progress
/// goes; read by the target loop every explainer shares (Explainer).
struct TargetOptions {
  /// kModel: the predicted class; kPhenomenon: the label (needs labels on the graph(s)).
  TORCH_ARG(ExplainMode, mode) = ExplainMode::kModel;
  /// >= 0: explain this class for every target, whatever the mode (e.g. both classes of a
  /// binary task, for Pope's contrastivity). -1: as `mode` says.
  TORCH_ARG(int64_t, explained_class) = -1;
  /// Targets per chunk (one pass or one optimisation each); 0 = all in one chunk.
  TORCH_ARG(int64_t, batch_size) = 0;
  /// Optional progress report (done, total), called from the caller's thread; monotone, total
  /// fixed per call of explain_nodes / explain_graphs, ending at the total.
  TORCH_ARG(std::function<void(int64_t, int64_t)>, progress);

 public:
  /// mode, explained_class, batch_size and progress from the shared options.
  static TargetOptions from(const MethodOptions& options);
};

/// Progress within one chunk of targets: (done, total) of that chunk's work. Always callable.
using ChunkProgress = std::function<void(int64_t, int64_t)>;

/// What a method learns once per call of explain_nodes / explain_graphs, before it explains any
/// chunk (PGExplainer's trained network); each such method derives its own type from it.
struct FittedState {
  virtual ~FittedState() = default;
};

/// What one call of explain_nodes / explain_graphs knows, passed down to the method (an
/// explainer keeps no per-call state in members, so one object may explain from many threads).
struct ExplainCall {
  gnn::GnnModel* model = nullptr;
  gnn::Task task = gnn::Task::kNodeClassification;
  const gnn::Graph* graph = nullptr;                ///< node task: the explained graph
  const gnn::GcnAdjacency* adj = nullptr;           ///< node task: its adjacency
  const std::vector<gnn::Graph>* graphs = nullptr;  ///< graph task: the explained graphs
  /// Node task, when the method asks for it (Explainer::needs_node_predictions): [N] int64, the
  /// model's predicted class of every node on the full graph.
  torch::Tensor node_predictions;
  /// What Explainer::fit returned for this call (null for the methods that fit nothing).
  std::shared_ptr<const FittedState> fitted;
  /// The disjoint union of `targets`' computation subgraphs (node task, the model's number of
  /// hops) or graphs (graph task).
  TargetBatch make_batch(const std::vector<int64_t>& targets) const;
};

/// Base of every explainer: owns the target loop. explain_nodes / explain_graphs check the task,
/// the model (check_model), the ids (once, into one form) and the explained class, resolve each
/// target's class (mode, explained_class, labels), put the model in eval mode for the call,
/// cut the targets into chunks of batch_size and report progress; the method explains one
/// chunk (explain_chunk, by default one TargetBatch through explain_batch).
/// Throws InputError for a model of the wrong task, an id out of range, a missing label in
/// phenomenon mode or an explained_class outside [0, num_classes).
class Explainer {
 public:
  explicit Explainer(TargetOptions target = {});
  virtual ~Explainer() = default;
  virtual std::string name() const = 0;

  /// Explains node predictions of a node classifier on `graph` for each id in `nodes`.
  std::vector<Explanation> explain_nodes(gnn::GnnModel& model, const gnn::Graph& graph,
                                         const std::vector<int64_t>& nodes) const;
  /// The same with the ids in an integer tensor of any shape.
  std::vector<Explanation> explain_nodes(gnn::GnnModel& model, const gnn::Graph& graph,
                                         const torch::Tensor& nodes) const;

  /// Explains a graph classifier's prediction for each graph (Explanation::target = index).
  std::vector<Explanation> explain_graphs(gnn::GnnModel& model,
                                          const std::vector<gnn::Graph>& graphs) const;
  /// Explains graphs[i] for each i in `indices` (Explanation::target = i). The other graphs are
  /// there for a method that trains on targets of its own (PGExplainer's fit_targets index all
  /// of `graphs`). Throws InputError for an index out of range.
  std::vector<Explanation> explain_graphs(gnn::GnnModel& model,
                                          const std::vector<gnn::Graph>& graphs,
                                          const std::vector<int64_t>& indices) const;

  const TargetOptions& target_options() const { return target_; }

 protected:
  /// Throws InputError when the method cannot explain this model (checked before any work).
  virtual void check_model(const gnn::GnnModel& model) const {}
  /// Whether explain_nodes should fill ExplainCall::node_predictions.
  virtual bool needs_node_predictions() const { return false; }
  /// Called once per call of explain_nodes / explain_graphs, after the checks and before the
  /// first chunk, with every target of the call and its class (as explain_chunk's); what it
  /// returns becomes ExplainCall::fitted of every chunk. Default: nothing.
  virtual std::shared_ptr<const FittedState> fit(const ExplainCall& call,
                                                 const std::vector<int64_t>& targets,
                                                 const std::vector<int64_t>& classes) const {
    return nullptr;
  }
  /// The class the target options give each of `targets` (node ids or graph indices of the
  /// call), as explain_nodes / explain_graphs resolve them: the explained class, or the label in
  /// phenomenon mode, else -1 (the model's prediction). For a method that fits on targets of
  /// its own. Throws InputError for an id out of range or a missing label.
  std::vector<int64_t> resolve_classes(const ExplainCall& call,
                                       const std::vector<int64_t>& targets) const;
  /// Explains one chunk: `targets` (node ids or graph indices) for classes[t] (>= 0 resolved
  /// from the options, -1: the model's prediction). Default: one batch through explain_batch.
  virtual std::vector<Explanation> explain_chunk(const ExplainCall& call,
                                                 const std::vector<int64_t>& targets,
                                                 const std::vector<int64_t>& classes,
                                                 const ChunkProgress& progress) const;
  /// explain_chunk for methods that optimise each target on its own (GNNExplainer,
  /// CF-GNNExplainer): the targets split into one interleaved group per worker thread (target i
  /// in group i mod G, so groups get alike mixes of small and large subgraphs), each group one
  /// explain_batch on its own thread with single-threaded operations; group 0 runs on the
  /// caller's thread and alone reports progress. Results in the targets' order; a method whose
  /// targets are independent gets the same results for any grouping. (A model on a GPU: one
  /// group.)
  std::vector<Explanation> explain_in_thread_groups(const ExplainCall& call,
                                                    const std::vector<int64_t>& targets,
                                                    const std::vector<int64_t>& classes,
                                                    const ChunkProgress& progress) const;
  /// Explains every part of `batch`; classes as in explain_chunk.
  virtual std::vector<Explanation> explain_batch(const ExplainCall& call, const TargetBatch& batch,
                                                 const std::vector<int64_t>& classes,
                                                 const ChunkProgress& progress) const = 0;

 private:
  std::vector<Explanation> explain_targets(ExplainCall call, const std::vector<int64_t>& targets,
                                           const std::vector<int64_t>& classes) const;
  TargetOptions target_;
};

/// Puts a model in eval mode and restores its train/eval mode on scope exit (the target loop's
/// guard, also for methods that run the model outside it, e.g. PGExplainer's training).
class ScopedEvalMode {
 public:
  explicit ScopedEvalMode(gnn::GnnModel& model);
  ~ScopedEvalMode();
  ScopedEvalMode(const ScopedEvalMode&) = delete;
  ScopedEvalMode& operator=(const ScopedEvalMode&) = delete;

 private:
  gnn::GnnModel& model_;
  bool was_training_;
};

/// An option a method reads, with the default it takes when the option is not given.
struct MethodOption {
  std::string name;           ///< an OptionSpec name (method_options.h)
  std::string default_value;  ///< as text, or a phrase ("the model's own")
};

/// One registry entry: everything about a method the command line, `gnnx methods` and the
/// benchmarks need. Adding a method touches its own files and one entry (registry.cpp).
struct MethodInfo {
  std::string name;
  std::string summary;                ///< one line
  std::string paper;                  ///< the method's source(s)
  std::vector<gnn::Task> tasks;       ///< what it explains
  std::vector<std::string> devices;   ///< where it runs: "cpu", "cuda"
  std::vector<MethodOption> options;  ///< besides common_method_options()
  std::function<std::unique_ptr<Explainer>(const MethodOptions&)> make;
  bool reads(const std::string& option) const;  ///< a common option or one of `options`
  /// Every option it reads: the common ones, then its own (for "its options are ..." messages).
  std::vector<std::string> option_names() const;
};

/// All registered methods, in a stable order.
const std::vector<MethodInfo>& methods();
/// The options every method reads (the target loop's: mode, class, batch-size).
const std::vector<MethodOption>& common_method_options();
/// The named method; throws InputError listing the valid names for an unknown one.
const MethodInfo& find_method(const std::string& name);
/// Makes the named explainer; throws InputError listing the valid names for an unknown one.
std::unique_ptr<Explainer> make_explainer(const std::string& name, const MethodOptions& options);
/// Comma-separated list of method names (for error messages and --help).
std::string method_names();

}  // namespace gnnx::explainers
