#!/usr/bin/env bash
# Chooses the MUTAG classifier behind the README's XGNN table by validation, never by test:
# trains every candidate below with `gnnx train --data MUTAG --split stratified --cv 10` (seed 0,
# one thread) and prints, per candidate, the mean validation accuracy over the 10 folds (each
# fold selects its epoch on its own validation part) — the selection criterion — next to the
# cross-validated test accuracy and the stratified split's test accuracy, which are reported,
# not used. Ties in validation accuracy go to the earlier candidate.
# Environment: GNNX_BUILD_DIR (default build), GNNX_RESULTS_DIR (default results-out).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/results_common.sh
data="${GNNX_SHARED_DATA:-../shared/data}"

common="--split stratified --cv 10 --epochs 300 --batch-size 16 --hidden 64"
candidates=(
  "--readout sum --lr 0.001 --dropout 0.5"
  "--readout sum --lr 0.01 --dropout 0.5"
  "--readout mean --lr 0.001 --dropout 0.5"
  "--readout mean --lr 0.01 --dropout 0.5"
  "--readout mean --lr 0.01 --dropout 0"
  "--readout max --lr 0.001 --dropout 0.5"
  "--readout max --lr 0.01 --dropout 0.5"
  "--readout max --lr 0.01 --dropout 0"
)
[ -n "${XGNN_CANDIDATES:-}" ] && IFS=';' read -r -a candidates <<<"$XGNN_CANDIDATES"

echo "| flags | CV val acc (selects) | CV test acc | CV test ROC-AUC | split test acc |"
echo "| --- | ---: | ---: | ---: | ---: |"
for flags in "${candidates[@]}"; do
  # shellcheck disable=SC2086
  "$gnnx" --quiet --threads 1 train --data "$data/MUTAG/tudataset" --seed 0 $common $flags \
    --out "$out_dir/mutag-candidate.gnnx" --json |
    python3 -c '
import json, sys
j = json.load(sys.stdin); cv = j["cv"]
print("| %s | %.3f | %.3f ± %.3f | %.3f ± %.3f | %.3f |" % (sys.argv[1], cv["val_accuracy_mean"],
      cv["test_accuracy_mean"], cv["test_accuracy_sd"], cv["test_roc_auc_mean"],
      cv["test_roc_auc_sd"], j["test"]["accuracy"]))' "$flags"
done
rm -f "$out_dir/mutag-candidate.gnnx"
