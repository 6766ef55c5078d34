#pragma once
// RDKit sanitisation with its logs off, for XGNN's generator and its chemistry rules: they try
// thousands of invalid molecules on purpose, and RDKit logs a valence error before it throws.

#include <GraphMol/RWMol.h>

#include <string>

namespace gnnx::molecules::detail {

/// Sanitises `mol` in place; "" or RDKit's reason.
std::string sanitize_quietly(RDKit::RWMol& mol);

}  // namespace gnnx::molecules::detail
