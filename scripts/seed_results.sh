#!/usr/bin/env bash
# Regenerates the README's table "Every method over five seeds" (issue 18 item 5): for each
# benchmark, `gnnx evaluate --dataset NAME --method all --seeds K --json` (each seed: its data
# set, a model trained with the benchmark's defaults, the explanations), then one table of mean ±
# sd of the ground-truth AUC, every method × every benchmark, with the best published AUC beside.
# Each benchmark's JSON is kept in the results folder (delete it to measure again); a later run
# evaluates only the methods it lacks.
# Environment: GNNX_BUILD_DIR (default build), GNNX_RESULTS_DIR (default results-out),
# GNNX_SHARED_DATA (default ../shared/data), GNNX_SEEDS (count, default 5), GNNX_THREADS
# (default 1), GNNX_DATASETS (default: the five synthetic sets, mutagenicity and benzene),
# GNNX_METHODS (default all: a comma-separated list limits the methods).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/results_common.sh
seeds="${GNNX_SEEDS:-5}"
threads="${GNNX_THREADS:-1}"
datasets="${GNNX_DATASETS:-ba-shapes ba-community tree-cycles tree-grid ba-2motifs mutagenicity benzene}"
export GNNX_SHARED_DATA="${GNNX_SHARED_DATA:-../shared/data}"
ensure_built tools/gnnx

"$gnnx" methods --json > "$out_dir/methods.json"
for name in $datasets; do
  evaluate_missing "$out_dir/seeds$seeds-$name.json" --threads "$threads" --quiet evaluate \
    --dataset "$name" --seeds "$seeds"
done

python3 - "$out_dir" "$seeds" $datasets <<'PY'
import json, sys
out_dir, seeds, datasets = sys.argv[1], sys.argv[2], sys.argv[3:]
# The best published ground-truth edge AUC per benchmark (issue 18's anchors): method, source.
anchors = {
    "ba-shapes": ("0.999", "PGExplainer, re-implementation"),
    "ba-community": ("0.955", "MixupExplainer + PGExplainer"),
    "tree-cycles": ("0.987", "PGExplainer paper"),
    "tree-grid": ("0.927", "RG-Explainer"),
    "ba-2motifs": ("0.935", "ProxyExplainer"),
    "mutagenicity": ("0.977", "ProxyExplainer"),
    "benzene": ("-", ""),
}
rows = {}
for d in datasets:
    rows[d] = {r["method"]: r for r in json.load(open(f"{out_dir}/seeds{seeds}-{d}.json"))}
order = [m["name"] for m in json.load(open(f"{out_dir}/methods.json"))]
methods = [m for m in order if any(m in rows[d] for d in datasets)]
print("| method |" + "".join(f" {d} |" for d in datasets))
print("| --- |" + " ---: |" * len(datasets))
best = {}
for d in datasets:
    scored = [(r["mean"]["auc"], m) for m, r in rows[d].items()
              if "error" not in r and r["mean"]["auc"] is not None]
    best[d] = max(scored)[1] if scored else None
for m in methods:
    cells = []
    for d in datasets:
        r = rows[d].get(m)
        if r is None:
            cells.append("")
        elif "error" in r:
            cells.append("n/a")
        else:
            c = "%.3f ± %.3f" % (r["mean"]["auc"], r["sd"]["auc"] or 0)
            cells.append(f"**{c}**" if best[d] == m else c)
    print(f"| `{m}` |" + "".join(f" {c} |" for c in cells))
print("| best published |" + "".join(f" {anchors.get(d, ('-', ''))[0]} |" for d in datasets))
print()
for d in datasets:
    first = next(r for r in rows[d].values() if "error" not in r)
    print(f"- {d}: seeds {' '.join(map(str, first['seeds']))}, "
          f"{first['per_seed'][0]['targets']} targets per seed; best published: "
          f"{anchors.get(d, ('-', 'none'))[1] or 'none'}")
PY
echo
echo "$("$gnnx" --version), $threads thread(s), $(uname -m), $(nproc) cores."
