// SMILES and mol-block parsing. RDKit reports a SMILES syntax error on rdErrorLog and returns
// nullptr, and a sanitisation failure by throwing; a scoped capture of the error and warning logs
// turns both into one reason string and keeps stderr quiet.

#include <GraphMol/FileParsers/FileParsers.h>
#include <GraphMol/RWMol.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <GraphMol/SmilesParse/SmilesWrite.h>
#include <RDGeneral/RDLog.h>
#include <gnnx/io/text.h>
#include <gnnx/molecules/parse.h>

#include <memory>
#include <sstream>
#include <string>
#include <utility>

namespace gnnx::molecules {
namespace {

/// Points RDKit's error and warning logs at a buffer for its lifetime.
class LogCapture {
 public:
  LogCapture() {
    // A C++ program that never called InitLogs has no loggers, and RDKit then says nothing
    // about why a SMILES failed: create them (once) so that there is a reason to capture.
    static const bool initialised = [] {
      if (!rdErrorLog || !rdWarningLog) RDLog::InitLogs();
      return true;
    }();
    (void)initialised;
    swap_in(rdErrorLog, saved_error_);
    swap_in(rdWarningLog, saved_warning_);
  }
  ~LogCapture() {
    if (rdErrorLog) rdErrorLog->dp_dest = saved_error_;
    if (rdWarningLog) rdWarningLog->dp_dest = saved_warning_;
  }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  /// The captured lines without their "[hh:mm:ss] " stamps, joined by "; ".
  std::string text() const {
    std::istringstream in(buffer_.str());
    std::string line, out;
    while (std::getline(in, line)) {
      if (!line.empty() && line[0] == '[') {
        const size_t close = line.find("] ");
        if (close != std::string::npos && close < 12) line = line.substr(close + 2);
      }
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
      if (line.empty()) continue;
      out += (out.empty() ? "" : "; ") + line;
    }
    return out;
  }

 private:
  void swap_in(const RDLogger& log, std::ostream*& saved) {
    saved = log ? log->dp_dest : nullptr;
    if (log) log->dp_dest = &buffer_;
  }
  std::ostringstream buffer_;
  std::ostream* saved_error_ = nullptr;
  std::ostream* saved_warning_ = nullptr;
};

// RDKit's legacy stereo perception (run by every sanitising parse) ranks atoms by CIP rules in
// rounds that each sort every atom's neighbourhood: `explain-mol --smiles` on a branched chain
// of 3,000 atoms took 10 s, of 6,000 atoms 57 s, so a hostile or mistaken record (a polymer, a
// concatenated file) would stall a batch. The molecules gnnx's featurisations are meant for are far
// smaller (the largest in the shared data sets, Mutagenicity's, has 214 atoms).
constexpr unsigned kMaxAtoms = 1000;

// Parses without sanitising (linear time, no stereo perception) to count the atoms, so that an
// oversized molecule is refused before `parse` would run the slow steps. "" when the size is
// fine or when the quick parse fails (the full parse then says why).
template <typename QuickParse>
std::string size_problem(QuickParse&& quick_parse) {
  std::unique_ptr<RDKit::RWMol> mol;
  try {
    LogCapture quiet;
    mol.reset(quick_parse());
  } catch (const std::exception&) {
    return "";
  }
  if (!mol || mol->getNumAtoms() <= kMaxAtoms) return "";
  return std::to_string(mol->getNumAtoms()) + " atoms: gnnx reads molecules of at most " +
         std::to_string(kMaxAtoms) + " atoms";
}

template <typename Parse>
ParseResult parse_with(Parse&& parse, const char* fallback, std::string size_error) {
  ParseResult result;
  if (!size_error.empty()) {
    result.error = std::move(size_error);
    return result;
  }
  LogCapture capture;
  try {
    result.mol.reset(parse());
  } catch (const std::exception& e) {
    result.error = e.what();
  } catch (...) {
    result.error = "unknown RDKit exception";
  }
  if (!result.mol && result.error.empty()) {
    result.error = capture.text();
    if (result.error.empty()) result.error = fallback;
  }
  if (result.mol) result.error.clear();
  return result;
}

}  // namespace

ParseError::ParseError(std::string smiles, std::string reason, int64_t line)
    : InputError((line > 0 ? "line " + std::to_string(line) + ": " : std::string()) +
                 "cannot parse SMILES '" + smiles + "': " + reason),
      smiles_(std::move(smiles)),
      reason_(std::move(reason)),
      line_(line) {}

ParseResult parse_smiles(const std::string& smiles) {
  const std::string s = io::trim(smiles);
  if (s.empty()) {
    ParseResult r;
    r.error = "empty SMILES";
    return r;
  }
  // RDKit reads a C string: it would stop at a NUL byte and explain "C\0C" as methane.
  if (s.find('\0') != std::string::npos) {
    ParseResult r;
    r.error = "the SMILES contains a NUL byte";
    return r;
  }
  RDKit::SmilesParserParams params;
  params.allowCXSMILES = true;
  params.parseName = false;
  RDKit::SmilesParserParams quick = params;
  quick.sanitize = false;
  quick.removeHs = false;  // either one would run the stereo perception
  return parse_with([&] { return RDKit::SmilesToMol(s, params); },
                    "RDKit could not parse the SMILES",
                    size_problem([&] { return RDKit::SmilesToMol(s, quick); }));
}

ParseResult parse_mol_block(const std::string& block) {
  return parse_with(
      [&] {
        return RDKit::MolBlockToMol(block, /*sanitize=*/true,
                                    /*removeHs=*/true);
      },
      "RDKit could not parse the mol block",
      size_problem([&] { return RDKit::MolBlockToMol(block, false, false); }));
}

std::unique_ptr<RDKit::ROMol> smiles_to_mol(const std::string& smiles) {
  ParseResult r = parse_smiles(smiles);
  if (!r) throw ParseError(io::trim(smiles), r.error);
  return std::move(r.mol);
}

std::string to_smiles(const RDKit::ROMol& mol) { return RDKit::MolToSmiles(mol); }

}  // namespace gnnx::molecules
