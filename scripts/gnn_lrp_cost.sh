#!/usr/bin/env bash
# Regenerates the README's table of GNN-LRP's cost (section "GNN-LRP's cost"): on BA-Shapes and
# BA-2Motifs (seed 0, each data set's default model and evaluation targets), exact enumeration
# of the walks against pruning to K partial walks per target and layer (--walks-per-layer):
# walks computed and walks in the computation subgraph per target (the file's diagnostics
# "walks" and "walks_all"), the relevance the pruning dropped against the explained logit,
# seconds per target (`gnnx explain`'s own time) and the ground-truth edge ROC-AUC of
# `gnnx evaluate --method gnn-lrp`.
# Environment: GNNX_BUILD_DIR (default build), GNNX_RESULTS_DIR (model files; default
# results-out), GNNX_WALKS (default "0 100 10"), GNNX_THREADS (default 1).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/results_common.sh
walks_list="${GNNX_WALKS:-0 100 10}"
threads="${GNNX_THREADS:-1}"
ensure_built tools/gnnx
run() { "$gnnx" --threads "$threads" --quiet "$@"; }

echo "| data set | --walks-per-layer | targets | walks per target: mean | max | walks in the subgraph: mean | max | mean \|pruned\| / \|logit\| | seconds per target | edge AUC |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for name in ba-shapes ba-2motifs; do
  model="$out_dir/$name-seed0.gnnx"
  [ -f "$model" ] || run train --dataset "$name" --seed 0 --out "$model" >/dev/null
  for k in $walks_list; do
    file="$out_dir/gnn-lrp-$name-$k.json"
    run explain --model "$model" --method gnn-lrp --walks-per-layer "$k" --out "$file" >/dev/null
    auc=$(run evaluate --dataset "$name" --seed 0 --model "$model" --method gnn-lrp \
          --walks-per-layer "$k" --json | python3 -c 'import json, sys
doc = json.load(sys.stdin)
rows = doc if isinstance(doc, list) else doc.get("methods", [doc])
print("%.3f" % rows[0]["auc"])')
    python3 - "$file" "$name" "$k" "$auc" <<'PY'
import json, sys
path, name, k, auc = sys.argv[1:]
doc = json.load(open(path))
d = [e["diagnostics"] for e in doc["explanations"]]
n = len(d)
walks = [x["walks"] for x in d]
every = [x["walks_all"] for x in d]
pruned = [abs(x["relevance_pruned"]) / max(abs(x["explained_logit"]), 1e-12) for x in d]
row = [name, k, str(n), f"{sum(walks) / n:.0f}", f"{max(walks):.0f}", f"{sum(every) / n:.0f}",
       f"{max(every):.0f}", f"{sum(pruned) / n:.3g}", f"{doc['seconds'] / n:.4f}", auc]
print("| " + " | ".join(row) + " |")
PY
  done
done
