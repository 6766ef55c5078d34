#!/usr/bin/env bash
# Regenerates the README's accuracy table: trains a GCN on every synthetic data set with seed 0
# and the data set's default hyperparameters, and prints a Markdown table (from `gnnx train
# --json`). Builds the command line first when needed.
# Environment: GNNX_BUILD_DIR (default build), GNNX_RESULTS_DIR (model files; default
# results-out), GNNX_SEED (default 0).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/results_common.sh
seed="${GNNX_SEED:-0}"
ensure_built tools/gnnx

# The value of a number or string field of a one-line JSON object.
field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^,\"}]*\).*/\1/p" <<<"$2"; }

names=$("$gnnx" datasets --json | sed -n 's/^ *"name": "\(.*\)",*$/\1/p')
echo "| data set | task | epochs | lr | train acc | val acc | test acc | seconds |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for name in $names; do
  json=$("$gnnx" --quiet train --dataset "$name" --seed "$seed" --out "$out_dir/$name.gnnx" --json)
  printf '| %s | %s | %s | %s | %.3f | %.3f | %.3f | %.1f |\n' "$name" \
    "$(field task "$json")" "$(field epochs "$json")" "$(field lr "$json")" \
    "$(field train_acc "$json")" "$(field val_acc "$json")" "$(field test_acc "$json")" \
    "$(field seconds "$json")"
done
echo
echo "Seed $seed, $("$gnnx" --version 2>/dev/null || echo gnnx), $(nproc) threads, $(uname -m)."
