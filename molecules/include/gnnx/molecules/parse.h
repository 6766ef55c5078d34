#pragma once
// Parsing SMILES and molfiles with RDKit, with the reason for a failure kept rather than logged:
// RDKit reports syntax errors on its error log and valence errors as exceptions; both end up in
// ParseResult::error (or a ParseError), and RDKit's own stderr logging stays silent.

#include <gnnx/gnn/error.h>

#include <cstdint>
#include <memory>
#include <string>

namespace RDKit {
class ROMol;
}

namespace gnnx::molecules {

/// A molecule that could not be parsed. Carries the input and RDKit's reason.
class ParseError : public InputError {
 public:
  /// line: 1-based line of the record in its file, or 0 when there is no file.
  ParseError(std::string smiles, std::string reason, int64_t line = 0);
  const std::string& smiles() const { return smiles_; }
  const std::string& reason() const { return reason_; }
  int64_t line() const { return line_; }

 private:
  std::string smiles_, reason_;
  int64_t line_;
};

/// Outcome of one parse: `mol` is set, or `error` says why not.
struct ParseResult {
  std::unique_ptr<RDKit::ROMol> mol;
  std::string error;  ///< RDKit's reason, one line ("Explicit valence for atom # 1 N, 4, ...")
  explicit operator bool() const { return mol != nullptr; }
};

/// Parses and sanitises a SMILES (surrounding white space is ignored). A molecule of more than
/// 1,000 atoms is refused ("1204 atoms: gnnx reads molecules of at most 1000 atoms"): RDKit's
/// stereo perception takes a minute on one of 6,000. Never throws for bad input; never
/// writes to stderr. Not thread-safe while another thread uses RDKit's error log.
ParseResult parse_smiles(const std::string& smiles);

/// Parses and sanitises a V2000/V3000 mol block (one SDF record without its "$$$$"); at most
/// 1,000 atoms, as parse_smiles.
ParseResult parse_mol_block(const std::string& block);

/// parse_smiles, throwing ParseError (exit code 2 in the CLI) on failure.
std::unique_ptr<RDKit::ROMol> smiles_to_mol(const std::string& smiles);

/// Canonical SMILES of `mol` (RDKit's MolToSmiles).
std::string to_smiles(const RDKit::ROMol& mol);

}  // namespace gnnx::molecules
