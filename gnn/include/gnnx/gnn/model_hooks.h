#pragma once
// What an explainer may ask of a model, and how it may change one forward pass: the model
// interface's vocabulary (GnnModel in models.h is the interface itself).
//
// Explainers never look behind GnnModel. They read the model's structure from a
// ModelDescription, and they steer one forward pass with ForwardHooks, as PyTorch Geometric's
// explainers steer a MessagePassing layer through its explain flag and Captum steers a module
// through forward/backward hooks:
//   - activations out, gradients in: ModelOutput::embeddings are each layer's outputs inside
//     the autograd graph (torch::autograd::grad with respect to them gives the gradients in);
//   - a mask on each layer's messages: ModelInput::edge_mask, or per layer in LayerGraph;
//   - the nonlinearity's backward rule: ForwardHooks::relu (guided backprop, deconvolution),
//     with attention coefficients held fixed: ForwardHooks::fixed_attention;
//   - each layer as linear paths with its coefficients (excitation backprop):
//     GnnModel::layer_paths and LayerPaths below;
//   - dropout fixed to given masks (BayesGrad draws them): ForwardHooks::dropout_masks;
//   - a plan of the rows and edges each layer needs: ForwardHooks::layer_graphs (LayerPlan);
//   - the readout and the head: GnnModel::head_layers() and ModelDescription.

#include <gnnx/gnn/gcn_adjacency.h>
#include <gnnx/gnn/gcn_conv.h>
#include <gnnx/gnn/relu_rule.h>

#include <string>
#include <vector>

namespace gnnx::gnn {

enum class Task { kNodeClassification, kGraphClassification };
enum class Readout { kMean, kMax, kSum };

/// The graph one message-passing layer reads in a planned pass.
struct LayerGraph {
  const GcnAdjacency* adj = nullptr;  ///< the layer's input rows and edges (not owned)
  torch::Tensor edge_mask;            ///< [E_l] multiplier of each message, or undefined
  int64_t rows = -1;                  ///< output rows kept (a prefix); -1 = all
};

/// How a pass departs from the model's own forward. The default changes nothing.
struct ForwardHooks {
  /// Backward rule of every ReLU (the message-passing layers' and the head's).
  ReluRule relu = ReluRule::kStandard;
  /// Attention coefficients (GAT's α) are constants of the pass: the forward values, no
  /// gradient through them (the LeakyReLU and softmax that make them leave the backward path,
  /// and each layer is, for the backward, the linear map its coefficients make). Guided
  /// backprop and deconvolution set it (ModelDescription::fixed_attention).
  bool fixed_attention = false;
  /// One multiplier per message-passing layer ([N, hidden], or [rows, hidden] in a planned
  /// pass), applied where the model applies dropout, replacing it. Empty: the model's own
  /// dropout (active in train() mode only).
  std::vector<torch::Tensor> dropout_masks;
  /// One graph per message-passing layer (node models; see ModelDescription::layer_graphs).
  /// Graph models take them too where every layer keeps every row (rows = -1) of one node set:
  /// one edge mask per layer (GraphMask's gates).
  /// Empty: every layer reads ModelInput::adj and ModelInput::edge_mask.
  std::vector<LayerGraph> layer_graphs;
};

/// The inputs of one forward pass.
struct ModelInput {
  torch::Tensor x;                    ///< [N, in_features]
  const GcnAdjacency* adj = nullptr;  ///< the graph (not owned); with layer_graphs: unused
  torch::Tensor edge_mask;            ///< [E] multiplier of each message, or undefined
  /// [E, edge_dim] edge features for the layers that read them (ModelSpec::edge_dim > 0);
  /// undefined = the adjacency's own (GcnAdjacency::edge_attr(), i.e. the Graph's). In a
  /// planned pass (ForwardHooks::layer_graphs) each layer reads its own adjacency's.
  torch::Tensor edge_attr;
  torch::Tensor batch;     ///< graph task: [N] int64 graph of each node; undefined = one
  int64_t num_graphs = 1;  ///< graph task: graphs in the batch
  /// Node task: [T] int64 rows whose logits are wanted (undefined = every row). The head reads
  /// only these rows; each row's logits are bit-identical to those of a full pass.
  torch::Tensor output_rows;
};

/// What one forward pass yields.
struct ModelOutput {
  torch::Tensor logits;                   ///< [N or T, C] (node task) or [G, C] (graph task)
  std::vector<torch::Tensor> embeddings;  ///< each message-passing layer's output after ReLU
  torch::Tensor pooled;                   ///< graph task: readout [G, D] fed to the head
};

/// One dense layer of a head, the torch::nn::Linear convention: x Wᵀ + b. The tensors are the
/// model's own parameters (writing into them changes the model).
struct DenseLayer {
  torch::Tensor weight;  ///< [out, in]
  torch::Tensor bias;    ///< [out] or undefined
};

/// What the head of a model reads.
enum class HeadInput {
  kConcatenatedLayers,  ///< node task: every layer's output of the node, concatenated
  kLastLayer,           ///< node task: the last layer's output of the node
  kReadout,             ///< graph task: the readout of the last layer over each graph
  /// graph task: the readout of every layer's output concatenated (ModelSpec::readout_concat)
  kReadoutOfConcatenatedLayers,
};

/// One message-passing layer as explainers see it.
struct LayerDescription {
  /// The layer type: "gcn", "gin", "gine", "graphconv", "sage" or "gat" (to_string of
  /// Architecture).
  std::string kind = "gcn";
  int64_t in_features = 0;
  int64_t out_features = 0;
  /// GCN layers only (the others aggregate as their kind says).
  Aggregation aggregation = Aggregation::kSymmetric;
  EmbeddingNorm embedding_norm = EmbeddingNorm::kNone;
  /// The layer is propagate(h W) + b with a linear map W (GnnModel::layer_weight) and GCN's
  /// normalised propagation: what excitation backprop and the LRP rules need. True for gcn
  /// only: GIN's messages pass an MLP, GINE's a ReLU, GraphConv and SAGE add a root term with
  /// its own weight, GAT's coefficients depend on the features.
  bool linear_message = true;
  /// GnnModel::layer_paths describes the layer as linear paths (every gnnx layer type; gcn's
  /// paths are its propagation's coefficients with W on both, the same map linear_message
  /// gives).
  bool linear_paths = false;
  /// Attention heads (gat), 1 otherwise.
  int64_t heads = 1;
  /// Width of the edge features the layer reads; 0 = it reads none.
  int64_t edge_dim = 0;
};

/// The structure of a model, for explainers to decide what applies.
struct ModelDescription {
  Task task = Task::kNodeClassification;
  int64_t num_classes = 0;
  std::vector<LayerDescription> layers;
  HeadInput head_input = HeadInput::kConcatenatedLayers;
  Readout readout = Readout::kMean;  ///< graph task only
  int64_t head_layers = 1;           ///< dense layers of the head, ReLU between them
  double dropout = 0;                ///< after each message-passing layer, in train() mode
  /// Every nonlinearity is a ReLU whose backward rule ForwardHooks::relu replaces (false for
  /// gat: its attention has a LeakyReLU and a softmax).
  bool relu_rules = true;
  /// The model has attention coefficients (gat), holds them fixed when
  /// ForwardHooks::fixed_attention asks, and every nonlinearity left on the backward path is
  /// then a ReLU whose rule ForwardHooks::relu replaces.
  bool fixed_attention = false;
  /// The model accepts ForwardHooks::dropout_masks (BayesGrad).
  bool dropout_masks = true;
  /// The model accepts ForwardHooks::layer_graphs (node task).
  bool layer_graphs = true;
  int64_t num_layers() const { return static_cast<int64_t>(layers.size()); }
};

/// One message-passing layer of one pass written as the linear paths that top-down relevance
/// rules follow (excitation backprop, LRP): its pre-activation is
///   z_i = Σ_h ( Σ_{e = (j -> i)} c_eh · m_e W_h  +  s_ih · x_i V_h )  +  b
///   out_i = ReLU(MLP(z_i))      (no MLP: out_i = ReLU(z_i))
/// with m_e = x_j, or GINE's m_e = ReLU(x_j + e_e Lᵀ + b_L). The coefficients are the unmasked
/// pass's (eval mode): GCN its propagation's (D^-1/2 (A + I) D^-1/2, or the raw sum's 1 and 0
/// resp. 1) with W = V = its weight; GraphConv 1 and 1; SAGE 1/deg_i and 1 (0 without lin_r);
/// GIN and GINE 1 and 1 + ε with W = V = I; GAT the attention coefficients α of each head and
/// its added self-loop, held fixed. SAGE's normalize and GCN's L2 embedding norm (a positive
/// scale of each output row) are left out: proportional rules do not see it. GnnModel::
/// layer_paths gives them.
struct LayerPaths {
  torch::Tensor edge_coef;  ///< [E, H] c: each edge's coefficient per head (edge order)
  torch::Tensor self_coef;  ///< [N, H] s: each node's own term per head (0: none)
  /// [H, in, Z] W_h: from a message into z's units. GAT: lin of head h, into the head's columns
  /// with concatenated heads (zero elsewhere), divided by H with averaged heads.
  torch::Tensor message_map;
  torch::Tensor self_map;  ///< [H, in, Z] V_h: from the node itself into z's units
  /// GINE: [E, D] the edge features e the layer read; undefined for the other layers.
  torch::Tensor edge_features;
  /// GINE: L and b_L (weight [in, D], bias [in]); the identity without bias when the edge
  /// features already have the node width (edge_dim 0).
  DenseLayer edge_linear;
  /// GIN, GINE: the MLP's Linear layers, first to last, a ReLU between each two; else empty.
  std::vector<DenseLayer> mlp;
  /// [Z] b, added to z before the ReLU: GCN's bias, GraphConv's lin_rel.bias, SAGE's
  /// lin_l.bias, GAT's bias; undefined where the layer has none (GIN and GINE: their MLP's
  /// layers carry theirs).
  torch::Tensor bias;
};

}  // namespace gnnx::gnn
