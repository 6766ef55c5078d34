#pragma once
// What the molecule-file harnesses share: read a file, then featurise every record read, as
// `gnnx explain-mol --input` does before a model sees it.

#include <gnnx/molecules/featurize.h>
#include <gnnx/molecules/readers.h>

#include <ATen/Parallel.h>
#include <GraphMol/ROMol.h>

#include <string>

#include "fuzz_input.h"

namespace gnnx::fuzz {

// The readers catch RDKit's messages themselves (they become the skipped records' reasons).
inline void init_molecule_harness() { at::set_num_threads(1); }

inline void read_and_featurize(const std::string& path, const molecules::ReadOptions& options) {
  expect_input_error_only([&] {
    const molecules::MoleculeSet set = molecules::read_molecules(path, options);
    for (const molecules::MoleculeRecord& record : set.records) {
      molecules::featurize(*record.mol, molecules::FeaturizerOptions());
    }
    molecules::skipped_report(set);
  });
}

}  // namespace gnnx::fuzz
