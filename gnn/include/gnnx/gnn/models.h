#pragma once
// The two model families gnnx trains and explains, behind one interface (GnnModel) so that
// explainers treat node and graph classifiers alike.
//
// Node classifier (GNNExplainer paper, Ying et al. 2019): `num_layers` GCN layers of `hidden`
// units with ReLU, the outputs of all layers concatenated, a linear head.
// Graph classifier: GCN layers with ReLU, a mean/max/sum readout over each graph's nodes, and an
// MLP head (a single linear layer when mlp_hidden = 0, which is what CAM needs).

#include <gnnx/gnn/gcn_conv.h>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>

#include <memory>
#include <string>
#include <vector>

namespace gnnx::gnn {

enum class Task { kNodeClassification, kGraphClassification };
enum class Readout { kMean, kMax, kSum };

std::string to_string(Task task);
std::string to_string(Readout readout);
/// Parses "node"/"graph" and "mean"/"max"/"sum"; throws InputError listing the valid names.
Task parse_task(const std::string& name);
Readout parse_readout(const std::string& name);

/// Architecture of a model: everything needed to rebuild it before loading weights.
struct ModelSpec {
  Task task = Task::kNodeClassification;
  int64_t in_features = 0;
  int64_t num_classes = 0;
  int64_t hidden = 20;     ///< width of every GCN layer
  int64_t num_layers = 3;  ///< number of GCN layers
  double dropout = 0.0;    ///< after each GCN layer, active in train() mode only
  bool concat = true;      ///< node classifier: head reads all layers' outputs concatenated
  Readout readout = Readout::kMean;  ///< graph classifier only
  int64_t mlp_hidden = 0;            ///< graph classifier head: 0 = one linear layer
  /// Initial value of every GCN layer's bias (GCNConvOptions::bias_init); 0 as Kipf & Welling.
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
  /// Throws InputError naming the first invalid field (widths and layers >= 1, dropout in
  /// [0, 1), mlp_hidden >= 0, bias_init finite).
  void validate() const;
};

/// What one forward pass yields.
struct ModelOutput {
  torch::Tensor logits;                   ///< [N, C] (node task) or [G, C] (graph task)
  std::vector<torch::Tensor> embeddings;  ///< each GCN layer's output after ReLU, [N, hidden]
  torch::Tensor pooled;                   ///< graph task: readout [G, D] fed to the head
};

/// Common interface of gnnx models.
class GnnModel : public torch::nn::Module {
 public:
  explicit GnnModel(ModelSpec spec) : spec_(std::move(spec)) {}
  const ModelSpec& spec() const { return spec_; }

  /// x [N, in_features]; edge_weight undefined or [E] (a mask, see EdgeWeightMode::kMask);
  /// batch [N] int64 graph id of each node (graph task; undefined = a single graph) with
  /// num_graphs graphs. Throws c10::Error on shape mismatch.
  virtual ModelOutput forward(const torch::Tensor& x, const GcnAdjacency& adj,
                              const torch::Tensor& edge_weight = {},
                              const torch::Tensor& batch = {}, int64_t num_graphs = 1) = 0;

  /// Just the logits.
  torch::Tensor logits(const torch::Tensor& x, const GcnAdjacency& adj,
                       const torch::Tensor& edge_weight = {}, const torch::Tensor& batch = {},
                       int64_t num_graphs = 1) {
    return forward(x, adj, edge_weight, batch, num_graphs).logits;
  }

 protected:
  ModelSpec spec_;
};

class NodeClassifier : public GnnModel {
 public:
  explicit NodeClassifier(ModelSpec spec);
  ModelOutput forward(const torch::Tensor& x, const GcnAdjacency& adj,
                      const torch::Tensor& edge_weight = {}, const torch::Tensor& batch = {},
                      int64_t num_graphs = 1) override;

  std::vector<GCNConv> convs;
  torch::nn::Linear head{nullptr};
};

class GraphClassifier : public GnnModel {
 public:
  explicit GraphClassifier(ModelSpec spec);
  ModelOutput forward(const torch::Tensor& x, const GcnAdjacency& adj,
                      const torch::Tensor& edge_weight = {}, const torch::Tensor& batch = {},
                      int64_t num_graphs = 1) override;

  std::vector<GCNConv> convs;
  torch::nn::Linear hidden_layer{nullptr};  ///< present when mlp_hidden > 0
  torch::nn::Linear head{nullptr};
};

/// Builds the model the spec describes, freshly initialised from torch's current RNG.
std::shared_ptr<GnnModel> make_model(const ModelSpec& spec);

/// Where the model's weights are (model->to(device) moves them); the CPU for a model without
/// parameters. Training and GNNExplainer run on this device.
torch::Device model_device(const torch::nn::Module& model);

/// Pools node rows [N, D] per graph: out [num_graphs, D]. batch [N] int64 in [0, num_graphs),
/// any order. max over an empty graph gives 0; ties share the max gradient evenly.
/// Deterministic (no floating-point atomics) and differentiable in h. Throws c10::Error on bad
/// shapes or graph ids.
torch::Tensor readout(const torch::Tensor& h, const torch::Tensor& batch, int64_t num_graphs,
                      Readout kind);

}  // namespace gnnx::gnn
