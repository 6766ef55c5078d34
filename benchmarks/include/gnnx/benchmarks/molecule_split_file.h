#pragma once
// Which molecules a model trained, validated and was tested on (`gnnx train --data ...
// --split-out FILE`), so that a user explains only the molecules the model never saw.

#include <gnnx/benchmarks/molecule_training.h>

#include <ostream>

namespace gnnx::benchmarks {

/// Writes the CSV "index,line,id,part": one row per record of the input in record order, part
/// "train", "val" or "test" for the molecules of `split` (indices into data.graphs), "unused"
/// for a molecule in no part, "skipped" for a record that could not be read or featurised
/// (data.skipped). index, line and id are those of MoleculeOrigin. Throws InputError when a
/// split index is outside data.graphs.
///
/// Example (a TUDataset folder): "index,line,id,part\n0,0,1,train\n1,0,2,test\n..."
void write_split_csv(std::ostream& out, const MoleculeData& data, const gnn::Split& split);

}  // namespace gnnx::benchmarks
