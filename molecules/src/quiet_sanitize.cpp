#include "quiet_sanitize.h"

#include <GraphMol/MolOps.h>
#include <RDGeneral/RDLog.h>

#include <exception>

namespace gnnx::molecules::detail {

std::string sanitize_quietly(RDKit::RWMol& mol) {
  RDLog::LogStateSetter silence;
  try {
    RDKit::MolOps::sanitizeMol(mol);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace gnnx::molecules::detail
