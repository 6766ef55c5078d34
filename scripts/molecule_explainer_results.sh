#!/usr/bin/env bash
# Regenerates the README's table of explanations against molecule ground truth: every method on
# Mutagenicity (NO2/NH2 edge AUC), benzene, fluoride-carbonyl and alkane-carbonyl (rule-atom
# AUC), seed 0, each with a model trained by `gnnx evaluate` with the benchmark's defaults.
# Builds the command line first when needed. The per-data-set JSON goes to the results folder.
# Environment: GNNX_BUILD_DIR (default build), GNNX_RESULTS_DIR (default results-out),
# GNNX_SHARED_DATA (default ../shared/data), GNNX_SEED (default 0), GNNX_THREADS (default 1),
# GNNX_DATASETS (default: all four).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/results_common.sh
seed="${GNNX_SEED:-0}"
threads="${GNNX_THREADS:-1}"
datasets="${GNNX_DATASETS:-mutagenicity benzene fluoride-carbonyl alkane-carbonyl}"
export GNNX_SHARED_DATA="${GNNX_SHARED_DATA:-../shared/data}"
ensure_built tools/gnnx

for name in $datasets; do
  json="$out_dir/molecule-eval-$name-seed$seed.json"
  [ -s "$json" ] || "$gnnx" --threads "$threads" --quiet evaluate --dataset "$name" \
    --method all --seed "$seed" --json > "$json"
done

# One row per method, one AUC column per data set ("n/a": the method cannot explain the model).
# The JSON arrays are one line each: split them into one object per line.
objects() { sed 's/},{/}\n{/g' "$out_dir/molecule-eval-$1-seed$seed.json"; }
field() { sed -n "s/.*\"$1\":\(\"[^\"]*\"\|[^,}]*\).*/\1/p" <<<"$2" | tr -d '"'; }
header="| method |"; rule="| --- |"
for name in $datasets; do header+=" $name |"; rule+=" ---: |"; done
echo "$header"; echo "$rule"
first=${datasets%% *}
for method in $(objects "$first" | while read -r o; do field method "$o"; done); do
  row="| \`$method\` |"
  for name in $datasets; do
    o=$(objects "$name" | grep "\"method\":\"$method\"")
    if grep -q '"error"' <<<"$o"; then row+=" n/a |"; else row+=" $(printf '%.3f' "$(field auc "$o")") |"; fi
  done
  echo "$row"
done
echo
for name in $datasets; do
  o=$(objects "$name" | head -1)
  echo "- $name: $(field targets "$o") targets, model $(field model "$o")"
done
