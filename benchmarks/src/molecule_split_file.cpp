#include <gnnx/benchmarks/molecule_split_file.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/csv.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

namespace gnnx::benchmarks {

void write_split_csv(std::ostream& out, const MoleculeData& data, const gnn::Split& split) {
  const auto graphs = static_cast<int64_t>(data.graphs.size());
  if (static_cast<int64_t>(data.origins.size()) != graphs) {
    throw InputError("split file: " + std::to_string(data.origins.size()) + " origins for " +
                     std::to_string(graphs) + " molecules");
  }
  std::vector<std::string> part(static_cast<size_t>(graphs), "unused");
  for (const auto& [name, ids] : {std::pair{"train", split.train}, std::pair{"val", split.val},
                                  std::pair{"test", split.test}}) {
    if (!ids.defined()) continue;
    const torch::Tensor flat = ids.to(torch::kLong).contiguous().view(-1);
    const int64_t* id = flat.data_ptr<int64_t>();
    for (int64_t k = 0; k < flat.numel(); ++k) {
      if (id[k] < 0 || id[k] >= graphs) {
        throw InputError("split file: molecule " + std::to_string(id[k]) + " of the " + name +
                         " part is outside the " + std::to_string(graphs) + " molecules");
      }
      part[static_cast<size_t>(id[k])] = name;
    }
  }
  // Trained-on and skipped records are each in file order; merged by record index.
  std::vector<std::tuple<int64_t, int64_t, std::string, std::string>> rows;
  for (int64_t i = 0; i < graphs; ++i) {
    const MoleculeOrigin& o = data.origins[static_cast<size_t>(i)];
    rows.emplace_back(o.index, o.line, o.id, part[static_cast<size_t>(i)]);
  }
  for (const molecules::SkippedRecord& s : data.skipped) {
    rows.emplace_back(s.index, s.line, s.id, "skipped");
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
  out << "index,line,id,part\n";
  for (const auto& [index, line, id, name] : rows) {
    out << index << ',' << line << ',' << io::csv_field(id) << ',' << name << '\n';
  }
}

}  // namespace gnnx::benchmarks
