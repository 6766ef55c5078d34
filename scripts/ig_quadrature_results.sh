#!/usr/bin/env bash
# Regenerates the README's table of integrated gradients' completeness gaps (section "Integrated
# gradients' quadrature"): on BA-Shapes, Tree-Cycles and BA-2Motifs (seed 0, each data set's
# default model and evaluation targets), the trapezoid rule against Gauss–Legendre at the same
# --steps, |Σ attributions − (logit(x) − logit(baseline))| per target as `gnnx explain` reports
# it (diagnostics.completeness_gap_nodes / _edges): mean and maximum over the targets.
# Environment: GNNX_BUILD_DIR (default build), GNNX_RESULTS_DIR (model files; default
# results-out), GNNX_STEPS (default "20 50"), GNNX_THREADS (default 1).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/results_common.sh
steps_list="${GNNX_STEPS:-20 50}"
threads="${GNNX_THREADS:-1}"
ensure_built tools/gnnx
run() { "$gnnx" --threads "$threads" --quiet "$@"; }

echo "| data set | steps | rule | evaluations | nodes: mean \|gap\| | nodes: max \|gap\| | edges: mean \|gap\| | edges: max \|gap\| | seconds |"
echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for name in ba-shapes tree-cycles ba-2motifs; do
  model="$out_dir/$name-seed0.gnnx"
  [ -f "$model" ] || run train --dataset "$name" --seed 0 --out "$model" >/dev/null
  for steps in $steps_list; do
    for rule in trapezoid gauss-legendre; do
      file="$out_dir/ig-$name-$steps-$rule.json"
      run explain --model "$model" --method integrated-gradients --steps "$steps" \
        --ig-rule "$rule" --out "$file" >/dev/null
      evaluations=$([ "$rule" = trapezoid ] && echo $((steps + 1)) || echo "$steps")
      python3 - "$file" "$name" "$steps" "$rule" "$evaluations" <<'PY'
import json, sys
path, name, steps, rule, evaluations = sys.argv[1:]
doc = json.load(open(path))
gaps = [e["diagnostics"] for e in doc["explanations"]]
row = [name, steps, rule, evaluations]
for key in ("completeness_gap_nodes", "completeness_gap_edges"):
    values = [abs(g[key]) for g in gaps]
    row += [f"{sum(values) / len(values):.3g}", f"{max(values):.3g}"]
row.append(f"{doc['seconds']:.2f}")
print("| " + " | ".join(row) + " |")
PY
    done
  done
done
