#!/usr/bin/env bash
# Regenerates the README's table of explanations against molecule ground truth: every method on
# Mutagenicity (NO2/NH2 edge AUC), benzene, fluoride-carbonyl and alkane-carbonyl (rule-atom
# AUC), seed 0, each with a model trained by `gnnx evaluate` with the benchmark's defaults.
# Builds the command line first when needed. The per-data-set JSON goes to the results folder and
# is kept: a later run evaluates only the methods the registry gained since (`evaluate --method
# a,b` retrains the same seeded model), so adding a method does not re-run the slow ones.
# Environment: GNNX_BUILD_DIR (default build), GNNX_RESULTS_DIR (default results-out),
# GNNX_SHARED_DATA (default ../shared/data), GNNX_SEED (default 0), GNNX_THREADS (default 1),
# GNNX_DATASETS (default: all four), GNNX_METHODS (default all: a comma-separated list limits
# the methods evaluated).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/results_common.sh
seed="${GNNX_SEED:-0}"
threads="${GNNX_THREADS:-1}"
datasets="${GNNX_DATASETS:-mutagenicity benzene fluoride-carbonyl alkane-carbonyl}"
export GNNX_SHARED_DATA="${GNNX_SHARED_DATA:-../shared/data}"
ensure_built tools/gnnx

"$gnnx" methods --json > "$out_dir/methods.json"
for name in $datasets; do
  evaluate_missing "$out_dir/molecule-eval-$name-seed$seed.json" --threads "$threads" --quiet \
    evaluate --dataset "$name" --seed "$seed"
done

# One row per evaluated method in the registry's order, one AUC column per data set ("n/a": the
# method cannot explain the model; empty: not evaluated there).
python3 - "$out_dir" "$seed" "$out_dir/methods.json" $datasets <<'PY'
import json, sys
out_dir, seed, methods, datasets = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
rows = {d: {r["method"]: r for r in json.load(open(f"{out_dir}/molecule-eval-{d}-seed{seed}.json"))}
        for d in datasets}
print("| method |" + "".join(f" {d} |" for d in datasets))
print("| --- |" + " ---: |" * len(datasets))
for m in json.load(open(methods)):
    if not any(m["name"] in rows[d] for d in datasets):
        continue  # not evaluated (GNNX_METHODS, GNNX_SKIP_METHODS)
    cells = []
    for d in datasets:
        r = rows[d].get(m["name"])
        cells.append("" if r is None else "n/a" if "error" in r else "%.3f" % r["auc"])
    print(f"| `{m['name']}` |" + "".join(f" {c} |" for c in cells))
print()
for d in datasets:
    r = next(r for r in rows[d].values() if "error" not in r)
    print(f"- {d}: {r['targets']} targets, model {r['model']}")
PY
