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
// threshold x max that holds the top atom) or, with `min_atoms` > 0, while the fragment has fewer
// than min_atoms atoms (so that a lone O does not stand for a nitro group).
// "Largest" is the raw, signed value: for signed
// attributions the fragment is what speaks *for* the explained class. Its bonds are all bonds
// between its atoms (so a ring whose atoms are all taken stays a ring).

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace RDKit {
class ROMol;
}

namespace gnnx::molecules {

/// How big the fragment is. Plain aggregate; checked by explanation_fragment().
struct FragmentOptions {
  int64_t size = 0;        ///< > 0: this many atoms (fewer when the molecule is smaller)
  double threshold = 0.5;  ///< used when size == 0: grow while value >= threshold * top value
  /// Used when size == 0: grow past the threshold while the fragment has fewer atoms than this
  /// (0 = no minimum; fewer when the molecule is smaller).
  int64_t min_atoms = 0;
};

struct Fragment {
  std::vector<int> atoms;  ///< RDKit atom indices, ascending
  std::vector<int> bonds;  ///< RDKit bond indices between those atoms, ascending
  std::string smiles;      ///< RDKit MolFragmentToSmiles (canonical); "" for no atom
  std::string smarts;      ///< RDKit MolFragmentToSmarts; "" for no atom
};

/// The explanation fragment of `mol` for per-atom values [num_atoms]. Non-finite values count as
/// the lowest. Throws InputError on a size mismatch or bad options (size < 0, min_atoms < 0,
/// threshold outside [0, 1], size and min_atoms both set). An empty molecule gives an empty
/// fragment.
///
/// Example: nitrobenzene with the nitro group's atoms scored highest and size 4 gives
///   smiles "c[N+](=O)[O-]" (with the ring carbon it is attached to).
Fragment explanation_fragment(const RDKit::ROMol& mol, const std::vector<double>& atom_values,
                              const FragmentOptions& options);

/// Counts fragments by the class they explain and their SMILES: the same substructure speaking
/// for "mutagen" and for "nonmutagen" is two rows. Deterministic: rows() orders by count
/// (descending), then explained class, then SMILES.
class FragmentCounter {
 public:
  struct Row {
    int64_t explained_class = -1;      ///< the class the explanations were for (-1: regression)
    std::string explained_class_name;  ///< its name, "" when the model names none
    std::string smiles;
    std::string smarts;  ///< the SMARTS of the first molecule the fragment was seen in
    int64_t count = 0;   ///< molecules whose explanation fragment this is
    double mean_prediction = 0;
    std::string first_id;  ///< id of the first molecule (in the order add() was called)
  };

  /// Adds one molecule's fragment, explaining class `explained_class` (named
  /// `explained_class_name`, may be ""; -1 for regression). Empty fragments are not counted.
  void add(const Fragment& fragment, double prediction, const std::string& id,
           int64_t explained_class = -1, const std::string& explained_class_name = "");
  std::vector<Row> rows() const;
  int64_t molecules() const { return molecules_; }
  /// Molecules added with this explained class (the denominator of its rows' fraction).
  int64_t molecules_explaining(int64_t explained_class) const;

  /// CSV: header "explained_class,explained_class_name,fragment_smiles,fragment_smarts,count,
  /// fraction,mean_prediction,first_id", one row per (class, fragment) in rows() order;
  /// fraction = count / molecules added that explain the same class. Fields are quoted when they
  /// hold a comma or a quote.
  std::string to_csv() const;

 private:
  std::map<std::pair<int64_t, std::string>, Row> rows_;
  std::map<int64_t, int64_t> molecules_by_class_;
  int64_t molecules_ = 0;
};

}  // namespace gnnx::molecules
