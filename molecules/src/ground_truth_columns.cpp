// Ground truth read from a molecule file's columns (see ground_truth_columns.h).

#include <GraphMol/ROMol.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/number.h>
#include <gnnx/io/text.h>
#include <gnnx/molecules/ground_truth_columns.h>

#include <algorithm>
#include <cctype>

namespace gnnx::molecules {
namespace {

// truth_column_names() order: each layout's three columns.
constexpr size_t kMutagenicityFirst = 0;
constexpr size_t kAttributionFirst = 3;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/// A 0/1 field.
bool flag(const std::string& text, const std::string& column, const std::string& where) {
  const std::string t = io::trim(text);
  if (t != "0" && t != "1") {
    throw InputError(where + ": " + column + " must be 0 or 1, not '" + t + "'");
  }
  return t == "1";
}

/// Space-separated atom indices, each checked against the molecule.
std::vector<int> atom_list(const std::string& text, const std::string& column,
                           const RDKit::ROMol& mol, const std::string& where) {
  std::vector<int> atoms;
  for (const std::string& item : io::split_list(io::trim(text), ' ')) {
    const int64_t a = io::parse_int64(io::trim(item), where + ": " + column);
    if (a < 0 || a >= static_cast<int64_t>(mol.getNumAtoms())) {
      throw InputError(where + ": " + column + " atom " + std::to_string(a) +
                       " is outside the molecule's " + std::to_string(mol.getNumAtoms()) +
                       " atoms");
    }
    atoms.push_back(static_cast<int>(a));
  }
  std::sort(atoms.begin(), atoms.end());
  atoms.erase(std::unique(atoms.begin(), atoms.end()), atoms.end());
  return atoms;
}

void sort_unique(std::vector<int>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

MoleculeTruth mutagenicity_truth(const std::vector<std::string>& f, const RDKit::ROMol& mol,
                                 const std::string& where) {
  const bool mutagen = flag(f[0], "mutagenic", where);
  MoleculeTruth t;
  std::vector<int> atoms = atom_list(f[1], "gt_atoms", mol, where);
  std::vector<int> bonds;
  for (const std::string& pair : io::split_list(io::trim(f[2]), ' ')) {
    const size_t dash = pair.find('-');
    if (dash == std::string::npos) {
      throw InputError(where + ": gt_bonds entry '" + pair + "' is not i-j");
    }
    const std::vector<int> ends =
        atom_list(pair.substr(0, dash) + " " + pair.substr(dash + 1), "gt_bonds", mol, where);
    const RDKit::Bond* bond =
        ends.size() == 2 ? mol.getBondBetweenAtoms(ends[0], ends[1]) : nullptr;
    if (bond == nullptr) {
      throw InputError(where + ": gt_bonds entry '" + pair + "' is not a bond of the molecule");
    }
    bonds.push_back(static_cast<int>(bond->getIdx()));
  }
  sort_unique(bonds);
  if (!mutagen) {
    t.legend = "no ground truth (non-mutagen)";
    return t;
  }
  if (atoms.empty()) {
    t.legend = "no ground truth (a mutagen without NO2/NH2)";
    return t;
  }
  // Name the groups: a ground-truth N with a ground-truth bond (to its O) is a nitro group, one
  // without is an amine (its N-H bonds are not heavy-atom bonds).
  bool nitro = false, amine = false;
  for (int a : atoms) {
    if (mol.getAtomWithIdx(a)->getAtomicNum() != 7) continue;
    bool has_bond = false;
    for (int b : bonds) {
      const RDKit::Bond* bond = mol.getBondWithIdx(b);
      has_bond = has_bond || static_cast<int>(bond->getBeginAtomIdx()) == a ||
                 static_cast<int>(bond->getEndAtomIdx()) == a;
    }
    (has_bond ? nitro : amine) = true;
  }
  std::vector<std::string> groups;
  if (nitro) groups.emplace_back("NO2");
  if (amine) groups.emplace_back("NH2");
  t.legend = "ground truth: " + (groups.empty() ? std::string("NO2/NH2") : io::join(groups, " + "));
  t.atoms = std::move(atoms);
  t.bonds = std::move(bonds);
  return t;
}

MoleculeTruth attribution_truth(const std::vector<std::string>& f, const RDKit::ROMol& mol,
                                const std::string& where) {
  const bool positive = flag(f[0], "label", where);
  MoleculeTruth t;
  std::vector<int> atoms = atom_list(f[1], "gt_union_atoms", mol, where);
  std::vector<std::string> rules;
  for (const std::string& rule : io::split_list(io::trim(f[2]), ';')) {
    const size_t eq = rule.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw InputError(where + ": gt_rule_matches entry '" + rule + "' is not rule=atoms|atoms");
    }
    rules.push_back(rule.substr(0, eq));
  }
  if (!positive || atoms.empty()) {
    t.legend = positive ? "no ground truth" : "no ground truth (label 0)";
    return t;
  }
  // Any non-empty subset of a rule's matches is a valid explanation (ground_truth.h); the
  // picture shows all of them at once: the union and the bonds inside it.
  for (const RDKit::Bond* bond : mol.bonds()) {
    const int a = static_cast<int>(bond->getBeginAtomIdx());
    const int b = static_cast<int>(bond->getEndAtomIdx());
    if (std::binary_search(atoms.begin(), atoms.end(), a) &&
        std::binary_search(atoms.begin(), atoms.end(), b)) {
      t.bonds.push_back(static_cast<int>(bond->getIdx()));
    }
  }
  sort_unique(t.bonds);
  t.legend =
      "ground truth: " + (rules.empty() ? std::string("rule match") : io::join(rules, " + "));
  t.atoms = std::move(atoms);
  return t;
}

}  // namespace

const std::vector<std::string>& truth_column_names() {
  static const std::vector<std::string> names = {"mutagenic", "gt_atoms",       "gt_bonds",
                                                 "label",     "gt_union_atoms", "gt_rule_matches"};
  return names;
}

TruthColumns truth_columns_of(const std::vector<std::string>& header, const std::string& path) {
  auto missing = [&](size_t first) {
    std::vector<std::string> out;
    for (size_t c = first; c < first + 3; ++c) {
      const std::string& name = truth_column_names()[c];
      const bool found = std::any_of(header.begin(), header.end(), [&](const std::string& h) {
        return lower(io::trim(h)) == name;
      });
      if (!found) out.push_back(name);
    }
    return out;
  };
  const std::vector<std::string> mutagenicity = missing(kMutagenicityFirst);
  if (mutagenicity.empty()) return TruthColumns::kMutagenicity;
  const std::vector<std::string> attribution = missing(kAttributionFirst);
  if (attribution.empty()) return TruthColumns::kAttribution;
  throw InputError("'" + path +
                   "' has no ground-truth columns: Mutagenicity's (mutagenicity_smiles_gt.csv) "
                   "lack " +
                   io::join(mutagenicity, ", ") + "; graph attribution's (*_gt.csv) lack " +
                   io::join(attribution, ", "));
}

MoleculeTruth molecule_truth(TruthColumns layout, const std::vector<std::string>& kept,
                             const RDKit::ROMol& mol, const std::string& where) {
  if (kept.size() != truth_column_names().size()) {
    throw InputError(where + ": " + std::to_string(kept.size()) + " ground-truth fields, not " +
                     std::to_string(truth_column_names().size()));
  }
  const size_t first =
      layout == TruthColumns::kMutagenicity ? kMutagenicityFirst : kAttributionFirst;
  const std::vector<std::string> fields(kept.begin() + static_cast<std::ptrdiff_t>(first),
                                        kept.begin() + static_cast<std::ptrdiff_t>(first + 3));
  return layout == TruthColumns::kMutagenicity ? mutagenicity_truth(fields, mol, where)
                                               : attribution_truth(fields, mol, where);
}

}  // namespace gnnx::molecules
