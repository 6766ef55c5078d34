#pragma once
// The two model families gnnx trains and explains, behind one interface (GnnModel) so that
// explainers treat node and graph classifiers alike.
//
// Node classifier (GNNExplainer paper, Ying et al. 2019): `num_layers` message-passing layers of
// `hidden` units with ReLU, the outputs of all layers concatenated, a linear head.
// Graph classifier: the same layers, a mean/max/sum readout over each graph's nodes, and an MLP
// head (a single linear layer when mlp_hidden = 0, which is what CAM needs).
// The layers are GCN (Kipf & Welling) by default, or any type of ModelSpec::arch (GIN, GINE,
// GraphConv, SAGE, GAT: PyTorch Geometric's semantics and parameter names).

#include <gnnx/gnn/gcn_conv.h>
#include <gnnx/gnn/model_hooks.h>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <memory>
#include <string>
#include <vector>

namespace gnnx::gnn {

/// The message-passing layer type of a model (every layer of a model has the same type).
enum class Architecture {
  kGcn,        ///< GCNConv (Kipf & Welling), with ModelSpec::aggregation and embedding_norm
  kGin,        ///< GINConv: a two-layer MLP (hidden, ReLU, hidden) on (1 + ε) x_i + Σ x_j
  kGine,       ///< GINEConv: GIN with edge features (ModelSpec::edge_dim >= 1) in the messages
  kGraphConv,  ///< GraphConv (Morris et al.): lin_root(x_i) + lin_rel(Σ x_j)
  kSage,       ///< SAGEConv, mean aggregation: lin_l(mean x_j) + lin_r(x_i)
  kGat,        ///< GATConv: ModelSpec::heads heads of hidden / heads units, concatenated
};

std::string to_string(Task task);
std::string to_string(Readout readout);
/// "gcn", "gin", "gine", "graphconv", "sage", "gat".
std::string to_string(Architecture arch);
/// Parses "node"/"graph" and "mean"/"max"/"sum"; throws InputError listing the valid names.
Task parse_task(const std::string& name);
Readout parse_readout(const std::string& name);
/// Parses the names to_string(Architecture) gives; throws InputError listing them.
Architecture parse_architecture(const std::string& name);

/// Architecture of a model: everything needed to rebuild it before loading weights.
struct ModelSpec {
  Task task = Task::kNodeClassification;
  int64_t in_features = 0;
  int64_t num_classes = 0;
  int64_t hidden = 20;     ///< width of every message-passing layer's output
  int64_t num_layers = 3;  ///< number of message-passing layers
  double dropout = 0.0;    ///< after each message-passing layer, active in train() mode only
  bool concat = true;      ///< node classifier: head reads all layers' outputs concatenated
  Readout readout = Readout::kMean;  ///< graph classifier only
  int64_t mlp_hidden = 0;            ///< graph classifier head: 0 = one linear layer
  /// Initial value of every GCN (and GAT) layer's bias (GCNConvOptions::bias_init); 0 as Kipf &
  /// Welling. The other layers' biases start as torch::nn::Linear's (and PyG's).
  /// Matters only for a fresh model. When every node has the same features (the synthetic
  /// benchmarks), zero biases make each layer's output rank one: a ReLU unit is then dead on
  /// every node or linear on every node, the model a linear function of one propagated-degree
  /// scalar per node, and a graph classifier starts on a plateau at loss ln 2. A small positive
  /// value (0.1) makes the units thresholds of that scalar from the first step.
  double bias_init = 0.0;
  /// Neighbour aggregation of every GCN layer (GCNConvOptions::aggregation). kSymmetric is Kipf
  /// & Welling's GCN; kSum is the original GNNExplainer code's GraphConv (raw adjacency).
  Aggregation aggregation = Aggregation::kSymmetric;
  /// What every GCN layer does to its output rows (GCNConvOptions::embedding_norm); kL2 as the
  /// original GNNExplainer code (normalize_embedding).
  EmbeddingNorm embedding_norm = EmbeddingNorm::kNone;
  /// The layer type. Model files without one were written by GCNs.
  Architecture arch = Architecture::kGcn;
  /// GAT: attention heads per layer, each hidden / heads wide, concatenated (hidden must be a
  /// multiple of heads). 1 for the other architectures.
  int64_t heads = 1;
  /// Width of the edge features the layers read (Graph::edge_attr): required (>= 1) by gine,
  /// optional for gat (0 = attention without edge features), 0 for the others.
  int64_t edge_dim = 0;
  /// GIN / GINE: learn ε (otherwise ε = 0, the GIN-0 of Xu et al.).
  bool train_eps = false;
  /// Graph classifier: the readout pools the concatenation of every layer's output (each
  /// node's jumping-knowledge vector, num_layers · hidden wide) instead of the last layer's.
  bool readout_concat = false;
  /// Throws InputError naming the first invalid field (widths and layers >= 1, dropout in
  /// [0, 1), mlp_hidden >= 0, bias_init finite, heads >= 1 dividing hidden and 1 unless gat,
  /// edge_dim >= 1 for gine and 0 unless gine or gat).
  void validate() const;
};

/// Common interface of gnnx models: the only view explainers have of a model. Each model
/// writes its forward pass once, in run(); everything an explainer changes about a pass goes
/// through ForwardHooks, and everything it reads about the structure through describe(),
/// layer_weight(), layer_paths() and head_layers() (model_hooks.h).
class GnnModel : public torch::nn::Module {
 public:
  explicit GnnModel(const ModelSpec& spec) : spec_(spec) {}
  const ModelSpec& spec() const { return spec_; }

  /// The model's structure (layers, aggregation, readout, head, which hooks apply).
  virtual ModelDescription describe() const = 0;

  /// One forward pass, changed as `hooks` say. Throws c10::Error on shape mismatch (x against
  /// the adjacency and the model, dropout masks or layer graphs of the wrong count).
  virtual ModelOutput run(const ModelInput& input, const ForwardHooks& hooks = {}) = 0;

  /// The linear map of message-passing layer `layer`'s neighbour messages (0-based): [in, out]
  /// (GCN: its weight, the messages being propagate(h W); GraphConv: lin_relᵀ; SAGE: lin_lᵀ;
  /// GAT: linᵀ, all heads). Throws c10::Error for a layer out of range and for GIN and GINE
  /// layers, whose messages pass an MLP (LayerDescription::linear_message says which apply).
  virtual torch::Tensor layer_weight(int64_t layer) const = 0;

  /// Message-passing layer `layer` (0-based) as linear paths (LayerPaths), in the pass where it
  /// reads h [N, in] over `adj` with edge features edge_attr ([E, edge_dim]; undefined = the
  /// adjacency's), unmasked, in eval mode; on h's device and dtype. For excitation backprop.
  /// Throws c10::Error for a layer out of range and where LayerDescription::linear_paths is
  /// false (GCN layers, and by default: a model that does not override this offers none).
  virtual LayerPaths layer_paths(int64_t layer, const torch::Tensor& h, const GcnAdjacency& adj,
                                 const torch::Tensor& edge_attr = {});

  /// The dense layers of the head, first to last (ReLU between them).
  virtual std::vector<DenseLayer> head_layers() const = 0;

  /// x [N, in_features]; edge_weight undefined or [E] (a mask, see EdgeWeightMode::kMask);
  /// batch [N] int64 graph id of each node (graph task; undefined = a single graph) with
  /// num_graphs graphs. run() without hooks. Throws c10::Error on shape mismatch.
  ModelOutput forward(const torch::Tensor& x, const GcnAdjacency& adj,
                      const torch::Tensor& edge_weight = {}, const torch::Tensor& batch = {},
                      int64_t num_graphs = 1);

  /// Just the logits.
  torch::Tensor logits(const torch::Tensor& x, const GcnAdjacency& adj,
                       const torch::Tensor& edge_weight = {}, const torch::Tensor& batch = {},
                       int64_t num_graphs = 1) {
    return forward(x, adj, edge_weight, batch, num_graphs).logits;
  }

 protected:
  ModelSpec spec_;
};

namespace detail {
struct ConvLayers;  // the message-passing layers of a model (conv_stack.h)
}  // namespace detail

/// Node classifier: spec.num_layers message-passing layers of spec.arch with ReLU (and
/// dropout), the layers' outputs concatenated (or the last one), one linear head.
///
/// Example:
///   NodeClassifier model(spec);  // spec.task == Task::kNodeClassification
///   auto logits = model->logits(x, GcnAdjacency(graph));
class NodeClassifierImpl : public GnnModel {
 public:
  explicit NodeClassifierImpl(ModelSpec spec);
  ModelDescription describe() const override;
  ModelOutput run(const ModelInput& input, const ForwardHooks& hooks = {}) override;
  torch::Tensor layer_weight(int64_t layer) const override;
  LayerPaths layer_paths(int64_t layer, const torch::Tensor& h, const GcnAdjacency& adj,
                         const torch::Tensor& edge_attr = {}) override;
  std::vector<DenseLayer> head_layers() const override;

  /// The head (for inspection; explainers use the interface above). The layers are the
  /// submodules conv0, conv1, ... (named_children()).
  const torch::nn::Linear& head() const { return head_; }

 private:
  std::shared_ptr<detail::ConvLayers> convs_;
  torch::nn::Linear head_{nullptr};
};
TORCH_MODULE(NodeClassifier);

/// Graph classifier: message-passing layers of spec.arch with ReLU (and dropout), a
/// mean/max/sum readout over each graph's nodes of the last layer (or of all layers
/// concatenated, spec.readout_concat), and a head of one linear layer (mlp_hidden = 0, what CAM
/// needs) or two.
class GraphClassifierImpl : public GnnModel {
 public:
  explicit GraphClassifierImpl(ModelSpec spec);
  ModelDescription describe() const override;
  ModelOutput run(const ModelInput& input, const ForwardHooks& hooks = {}) override;
  torch::Tensor layer_weight(int64_t layer) const override;
  LayerPaths layer_paths(int64_t layer, const torch::Tensor& h, const GcnAdjacency& adj,
                         const torch::Tensor& edge_attr = {}) override;
  std::vector<DenseLayer> head_layers() const override;

  /// Present (not is_empty()) when mlp_hidden > 0.
  const torch::nn::Linear& hidden_layer() const { return hidden_layer_; }
  const torch::nn::Linear& head() const { return head_; }

 private:
  std::shared_ptr<detail::ConvLayers> convs_;
  torch::nn::Linear hidden_layer_{nullptr};
  torch::nn::Linear head_{nullptr};
};
TORCH_MODULE(GraphClassifier);

/// Builds the model the spec describes, freshly initialised from torch's current RNG.
std::shared_ptr<GnnModel> make_model(const ModelSpec& spec);

/// Where the model's weights are (model->to(device) moves them); the CPU for a model without
/// parameters. Training and GNNExplainer run on this device.
torch::Device model_device(const torch::nn::Module& model);

/// Pools node rows [N, D] per graph: out [num_graphs, D]. batch [N] int64 in [0, num_graphs),
/// any order. max over an empty graph gives 0; its gradient is split evenly among the nodes
/// within a relative kMaxReadoutTieTolerance of the maximum (max_readout.h: ties that do not
/// depend on float32 rounding, hence not on the node numbering).
/// Deterministic (no floating-point atomics) and differentiable in h. Throws c10::Error on bad
/// shapes or graph ids.
torch::Tensor readout(const torch::Tensor& h, const torch::Tensor& batch, int64_t num_graphs,
                      Readout kind);

}  // namespace gnnx::gnn
