// Fuzzes the CSV, TSV and .smi molecule readers (molecules/readers.h) and the featuriser. The
// input's first line (up to the first form feed) holds the read options, the rest is the file:
//
//   <format: csv|tsv|smi|any other word = by extension> <SMILES column> <label columns,
//   comma-separated, or -> <id column or -> <shard index>/<shard count> \f <file bytes>
//
// e.g. "csv smiles p_np name 0/1\f<BBBP.csv's first lines>". The file is named .csv, so the
// fourth choice exercises detection by extension and the gzip magic (a gzipped file is read
// decompressed).

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "molecule_fuzz.h"

namespace {

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) out.push_back(item);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  gnnx::fuzz::init_molecule_harness();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<std::string_view> parts = gnnx::fuzz::split_parts(data, size, 2);
  if (parts.size() < 2) return 0;
  std::istringstream words{std::string(parts[0])};
  std::string format, smiles, labels, id, shard;
  words >> format >> smiles >> labels >> id >> shard;
  gnnx::molecules::ReadOptions options;
  if (format == "csv" || format == "tsv" || format == "smi") options.format = format;
  if (!smiles.empty()) options.smiles_column = smiles;
  if (!labels.empty() && labels != "-") options.label_columns = split_commas(labels);
  if (!id.empty() && id != "-") options.id_column = id;
  int index = 0, count = 1;
  if (std::sscanf(shard.c_str(), "%d/%d", &index, &count) == 2) {
    options.shard_index = index;
    options.shard_count = count;
  }
  const std::string path = gnnx::fuzz::write_file("molecules.csv", parts[1]);
  gnnx::fuzz::read_and_featurize(path, options);
  return 0;
}
