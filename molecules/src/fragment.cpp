// Explanation fragments and their counts (see fragment.h).

#include <GraphMol/ROMol.h>
#include <GraphMol/SmilesParse/SmartsWrite.h>
#include <GraphMol/SmilesParse/SmilesWrite.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/csv.h>
#include <gnnx/molecules/fragment.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace gnnx::molecules {
namespace {

double finite_or_lowest(double v) {
  return std::isfinite(v) ? v : -std::numeric_limits<double>::infinity();
}

}  // namespace

Fragment explanation_fragment(const RDKit::ROMol& mol, const std::vector<double>& atom_values,
                              const FragmentOptions& options) {
  const auto n = static_cast<size_t>(mol.getNumAtoms());
  if (atom_values.size() != n) {
    throw InputError("explanation_fragment: " + std::to_string(atom_values.size()) +
                     " atom values for " + std::to_string(n) + " atoms");
  }
  if (options.size < 0) throw InputError("fragment size must be >= 0 (0: use the threshold)");
  if (!(options.threshold >= 0 && options.threshold <= 1)) {
    throw InputError("fragment threshold must be in [0, 1]");
  }
  if (options.min_atoms < 0) throw InputError("fragment min_atoms must be >= 0 (0: no minimum)");
  if (options.size > 0 && options.min_atoms > 0) {
    throw InputError("fragment size and min_atoms exclude each other (size fixes the size)");
  }
  Fragment f;
  if (n == 0) return f;

  std::vector<double> value(n);
  for (size_t i = 0; i < n; ++i) value[i] = finite_or_lowest(atom_values[i]);
  // The seed: first maximum, so ties go to the lowest index.
  const auto seed =
      static_cast<size_t>(std::max_element(value.begin(), value.end()) - value.begin());
  const double top = value[seed];
  // Threshold relative to the top value; a non-positive top cannot be scaled meaningfully, so
  // then only atoms equal to the top qualify.
  const double floor_value = top > 0 ? options.threshold * top : top;

  std::vector<uint8_t> taken(n, 0);
  taken[seed] = 1;
  f.atoms.push_back(static_cast<int>(seed));
  while (options.size == 0 || static_cast<int64_t>(f.atoms.size()) < options.size) {
    int best = -1;
    for (int a : f.atoms) {
      for (const auto* nbr : mol.atomNeighbors(mol.getAtomWithIdx(a))) {
        const int j = static_cast<int>(nbr->getIdx());
        if (taken[j]) continue;
        if (best < 0 || value[j] > value[best] || (value[j] == value[best] && j < best)) best = j;
      }
    }
    if (best < 0) break;
    if (options.size == 0 && !(value[best] >= floor_value) &&
        static_cast<int64_t>(f.atoms.size()) >= options.min_atoms) {
      break;
    }
    taken[best] = 1;
    f.atoms.push_back(best);
  }
  std::sort(f.atoms.begin(), f.atoms.end());
  for (const auto* bond : mol.bonds()) {
    if (taken[bond->getBeginAtomIdx()] && taken[bond->getEndAtomIdx()]) {
      f.bonds.push_back(static_cast<int>(bond->getIdx()));
    }
  }
  // No bond list: RDKit then takes every bond between the atoms, which is f.bonds (and an
  // explicit empty list, for a one-atom fragment, is an error in RDKit).
  f.smiles = RDKit::MolFragmentToSmiles(mol, f.atoms);
  f.smarts = RDKit::MolFragmentToSmarts(mol, f.atoms);
  return f;
}

void FragmentCounter::add(const Fragment& fragment, double prediction, const std::string& id,
                          int64_t explained_class, const std::string& explained_class_name) {
  ++molecules_;
  ++molecules_by_class_[explained_class];
  if (fragment.smiles.empty()) return;
  auto [it, inserted] = rows_.try_emplace({explained_class, fragment.smiles});
  Row& row = it->second;
  if (inserted) {
    row.explained_class = explained_class;
    row.explained_class_name = explained_class_name;
    row.smiles = fragment.smiles;
    row.smarts = fragment.smarts;
    row.first_id = id;
  }
  // Running mean: the same numbers in the same order give the same result.
  ++row.count;
  row.mean_prediction += (prediction - row.mean_prediction) / static_cast<double>(row.count);
}

int64_t FragmentCounter::molecules_explaining(int64_t explained_class) const {
  const auto it = molecules_by_class_.find(explained_class);
  return it == molecules_by_class_.end() ? 0 : it->second;
}

std::vector<FragmentCounter::Row> FragmentCounter::rows() const {
  std::vector<Row> out;
  out.reserve(rows_.size());
  for (const auto& [key, row] : rows_) out.push_back(row);
  std::stable_sort(out.begin(), out.end(),
                   [](const Row& a, const Row& b) { return a.count > b.count; });
  return out;  // the map already ordered equal counts by class, then SMILES
}

std::string FragmentCounter::to_csv() const {
  std::string csv =
      "explained_class,explained_class_name,fragment_smiles,fragment_smarts,count,fraction,"
      "mean_prediction,first_id\n";
  for (const Row& r : rows()) {
    const int64_t of = molecules_explaining(r.explained_class);
    char numbers[96];
    std::snprintf(numbers, sizeof numbers, ",%lld,%.6g,%.6g,", static_cast<long long>(r.count),
                  of > 0 ? static_cast<double>(r.count) / static_cast<double>(of) : 0.0,
                  r.mean_prediction);
    csv += std::to_string(r.explained_class) + "," + io::csv_field(r.explained_class_name) + "," +
           io::csv_field(r.smiles) + "," + io::csv_field(r.smarts) + numbers +
           io::csv_field(r.first_id) + "\n";
  }
  return csv;
}

}  // namespace gnnx::molecules
