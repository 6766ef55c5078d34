#pragma once
// Models trained in PyTorch (Geometric) into gnnx: a state_dict saved with torch.save plus a small
// JSON description of the architecture become a gnnx model, whose layers use PyG's parameter
// names (gnn/include/gnnx/gnn/*_conv.h), so the mapping is by name:
//
//   gnnx conv<i>.<rest>      <- "<names[conv<i>] or names[conv{}] with {} = i>.<rest>"
//                               (default prefix "convs.{}", PyG's BasicGNN naming)
//   gnnx head / hidden_layer <- names["head"] / names["hidden_layer"] (default: the same name)
//   GCN only: gnnx conv<i>.weight [in, out] <- "<prefix>.lin.weight" [out, in], transposed
//             (PyG's GCNConv keeps its weight in a Linear).
//
// The description is the "spec" object of a gnnx model file (task, in_features, num_classes,
// hidden, num_layers, arch, heads, edge_dim, readout, mlp_hidden, concat, ...; optional fields
// default as in model files) plus optional "names", "class_names" and "dataset".

#include <gnnx/gnn/models.h>
#include <gnnx/io/torch_state_dict.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gnnx::gnn {

struct ImportDescription {
  ModelSpec spec;
  std::map<std::string, std::string> names;  ///< gnnx module -> state_dict prefix
  std::vector<std::string> class_names;
  std::string dataset;
};

/// Reads the JSON description at `path`. Throws InputError naming the file and the field for a
/// missing or malformed field, and for an unknown key (a misspelt field is not ignored).
ImportDescription read_import_description(const std::string& path);

/// Builds the described model and fills every parameter and buffer from `state`. Throws
/// InputError (naming `source`) for the first gnnx tensor whose key is missing or whose shape
/// differs, and for the first state_dict key no gnnx tensor reads.
std::shared_ptr<GnnModel> import_state_dict(const ImportDescription& description,
                                            const std::vector<io::NamedTensor>& state,
                                            const std::string& source);

}  // namespace gnnx::gnn
