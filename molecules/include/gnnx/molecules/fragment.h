#pragma once
// The explanation subgraph of a molecule: the connected substructure of its most important atoms,
// written as a fragment SMILES (canonical, for counting) and a SMARTS (for substructure search),
// and counts of such fragments over a data set ("which fragments explain the predictions most
// often").
//
// How the fragment grows: it starts at the atom with the largest value (ties: the lowest index)
// and repeatedly takes the neighbouring atom with the largest value (ties: the lowest index),
// while the neighbour qualifies: with `size` > 0 until the fragment has `size` atoms (or no
// neighbour is left); otherwise while the neighbour's value is at least `threshold` times the
// top atom's value (for threshold > 0, this is exactly the connected component of the atoms above
// threshold x max that holds the top atom). "Largest" is the raw, signed value: for signed
// attributions the fragment is what speaks *for* the explained class. Its bonds are all bonds
// between its atoms (so a ring whose atoms are all taken stays a ring).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace RDKit {
class ROMol;
}

namespace gnnx::molecules {

/// How big the fragment is. Plain aggregate; checked by explanation_fragment().
struct FragmentOptions {
  int64_t size = 0;        ///< > 0: this many atoms (fewer when the molecule is smaller)
  double threshold = 0.5;  ///< used when size == 0: grow while value >= threshold * top value
};

struct Fragment {
  std::vector<int> atoms;  ///< RDKit atom indices, ascending
  std::vector<int> bonds;  ///< RDKit bond indices between those atoms, ascending
  std::string smiles;      ///< RDKit MolFragmentToSmiles (canonical); "" for no atom
  std::string smarts;      ///< RDKit MolFragmentToSmarts; "" for no atom
};

/// The explanation fragment of `mol` for per-atom values [num_atoms]. Non-finite values count as
/// the lowest. Throws InputError on a size mismatch or bad options (size < 0, threshold outside
/// [0, 1]). An empty molecule gives an empty fragment.
///
/// Example: nitrobenzene with the nitro group's atoms scored highest and size 4 gives
///   smiles "c[N+](=O)[O-]" (with the ring carbon it is attached to).
Fragment explanation_fragment(const RDKit::ROMol& mol, const std::vector<double>& atom_values,
                              const FragmentOptions& options);

/// Counts fragments by their SMILES. Deterministic: rows() orders by count (descending), then
/// SMILES.
class FragmentCounter {
 public:
  struct Row {
    std::string smiles;
    std::string smarts;  ///< the SMARTS of the first molecule the fragment was seen in
    int64_t count = 0;   ///< molecules whose explanation fragment this is
    double mean_prediction = 0;
    std::string first_id;  ///< id of the first molecule (in the order add() was called)
  };

  /// Adds one molecule's fragment (empty fragments are not counted).
  void add(const Fragment& fragment, double prediction, const std::string& id);
  std::vector<Row> rows() const;
  int64_t molecules() const { return molecules_; }

  /// CSV: header "fragment_smiles,fragment_smarts,count,fraction,mean_prediction,first_id",
  /// one row per fragment in rows() order; fraction = count / molecules added. Fields are
  /// quoted when they hold a comma or a quote.
  std::string to_csv() const;

 private:
  std::map<std::string, Row> rows_;
  int64_t molecules_ = 0;
};

}  // namespace gnnx::molecules
