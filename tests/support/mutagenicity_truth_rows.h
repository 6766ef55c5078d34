#pragma once
// Four rows of Mutagenicity/mutagenicity_smiles_gt.csv with its header, checked by hand: graph 45
// (2-nitroanisole: NO2 atoms 8 9 10, bonds 8-9 8-10), graph 32 (an aromatic amine: NH2 atom 0),
// and two non-mutagens, graph 20 listing an NH2 the protocol ignores (non-mutagens have no
// ground truth). The --show-truth reader and CLI tests share them.

namespace gnnx::testing {

inline constexpr const char* kMutagenicityTruthRows =
    "graph_id,tu_label,mutagenic,smiles,gt_atoms,gt_bonds,tu_node_of_atom,has_radical,"
    "n_fragments\n"
    "45,0,1,COc1ccccc1[N+](=O)[O-],8 9 10,8-9 8-10,8 4 1 3 7 9 5 2 6 10 11,0,1\n"
    "32,0,1,Nc1cccc2cc3ccccc3cc12,0,,9 4 8 11 6 2 5 10 13 15 14 12 7 3 1,0,1\n"
    "13,1,0,CN(C)C=O,,,3 1 4 2 5,0,1\n"
    "20,1,0,CC(C)N,3,,2 1 3 4,0,1\n";

}  // namespace gnnx::testing
