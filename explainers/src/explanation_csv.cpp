#include "explanation_edges.h"

#include <gnnx/explainers/explanation_csv.h>
#include <gnnx/io/significant_digits.h>

#include <algorithm>
#include <string>
#include <vector>

namespace gnnx::explainers {

std::string explanations_to_csv(const std::vector<Explanation>& explanations,
                                const std::vector<gnn::Graph>& graphs, int precision) {
  std::string out = "target,edge_id,source,destination,importance,rank,undirected,deleted\n";
  detail::EdgeLister lister(graphs);
  for (const Explanation& e : explanations) {
    const detail::EdgeRows rows = lister.rows(e);
    std::vector<int64_t> rank(rows.id.size(), 0);  // 0: no importances, no ranks
    const std::vector<int64_t> order = detail::ranked(rows);
    for (size_t r = 0; r < order.size(); ++r) rank[order[r]] = static_cast<int64_t>(r) + 1;
    const std::string target = std::to_string(e.target) + ",";
    const char* undirected = rows.undirected ? "true," : "false,";
    // The counterfactual's deletions (CF-GNNExplainer): a row is deleted when its edge id is
    // (a deleted pair lists both directions' ids); empty when the method found none or has none.
    std::vector<int64_t> deleted;
    const bool has_counterfactual = e.counterfactual && e.counterfactual->flipped;
    if (has_counterfactual && e.counterfactual->deleted_edges.defined()) {
      const torch::Tensor ids = e.counterfactual->deleted_edges.to(torch::kLong).contiguous();
      deleted.assign(ids.data_ptr<int64_t>(), ids.data_ptr<int64_t>() + ids.numel());
      std::sort(deleted.begin(), deleted.end());
    }
    for (int64_t p = 0; p < rows.size(); ++p) {
      out += target;
      out += std::to_string(rows.id[p]) + "," + std::to_string(rows.source[p]) + "," +
             std::to_string(rows.target[p]) + ",";
      if (!rows.importance.empty()) {
        out += io::significant_text(rows.importance[p], precision) + "," + std::to_string(rank[p]);
      } else {
        out += ",";
      }
      out += ",";
      out += undirected;
      if (has_counterfactual) {
        const bool gone = std::binary_search(deleted.begin(), deleted.end(), rows.id[p]);
        out += gone ? "true" : "false";
      }
      out += "\n";
    }
  }
  return out;
}

}  // namespace gnnx::explainers
