// Fuzzes the SDF reader (molecules/readers.h: mol blocks, V2000 and V3000, "> <name>" property
// fields, "$$$$" separators) and the featuriser. The input is the file; the property "activity"
// is read as the label, as `--label-col activity` would.

#include <cstdint>
#include <string>

#include "molecule_fuzz.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  gnnx::fuzz::init_molecule_harness();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gnnx::molecules::ReadOptions options;
  options.format = "sdf";
  options.label_columns = {"activity"};
  const std::string path = gnnx::fuzz::write_file(
      "molecules.sdf", std::string_view(reinterpret_cast<const char*>(data), size));
  gnnx::fuzz::read_and_featurize(path, options);
  return 0;
}
