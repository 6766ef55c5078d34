#!/usr/bin/env bash
# Regenerates the README's explanation tables:
#  1. GNNExplainer's ground-truth edge AUC on every synthetic data set, seed 0, the mean and
#     spread (sample standard deviation) over seeds 0-4 (each seed: new data set, new model) and
#     each seed's value, beside the paper's number and the issue's target;
#  2. every method on BA-Shapes, Tree-Cycles and BA-2Motifs (seed 0): AUC, fidelity, seconds.
# Builds the command line first when needed.
# Environment: GNNX_BUILD_DIR (default build), GNNX_RESULTS_DIR (model files; default
# results-out), GNNX_SEEDS (default "0 1 2 3 4"), GNNX_THREADS (default 1: fastest on 2 cores),
# GNNX_PARTS (default "gnnexplainer every": which of the two tables).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/results_common.sh
seeds="${GNNX_SEEDS:-0 1 2 3 4}"
threads="${GNNX_THREADS:-1}"
parts=" ${GNNX_PARTS:-gnnexplainer every} "
ensure_built tools/gnnx
run() { "$gnnx" --threads "$threads" --quiet "$@"; }
# The value of a number field of a one-line JSON object.
field() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" <<<"$2"; }

model() {  # model file for (data set, seed), trained once
  local path="$out_dir/$1-seed$2.gnnx"
  [ -f "$path" ] || run train --dataset "$1" --seed "$2" --out "$path" >/dev/null
  echo "$path"
}

# Paper: GNNExplainer's own AUCs (Ying et al. 2019); BA-2Motifs from the PGExplainer paper (Luo
# et al. 2020). Target: issue 5's quality bar, seed 0.
paper() { case "$1" in ba-shapes) echo 0.925;; ba-community) echo 0.836;; tree-cycles) echo 0.948;;
                       tree-grid) echo 0.875;; ba-2motifs) echo 0.742;; esac; }
target() { case "$1" in ba-shapes) echo 0.97;; ba-community) echo 0.90;; tree-cycles) echo 0.95;;
                        tree-grid) echo 0.90;; ba-2motifs) echo 0.90;; esac; }

if [[ "$parts" == *" gnnexplainer "* ]]; then
echo "| data set | gnnx seed 0 | gnnx mean ± sd, seeds $seeds | per seed | paper | target (seed 0) | met | own motif seed 0 | model test acc seed 0 | seconds seed 0 |"
echo "| --- | ---: | ---: | --- | ---: | ---: | --- | ---: | ---: | ---: |"
for name in ba-shapes ba-community tree-cycles tree-grid ba-2motifs; do
  aucs=()
  first=""
  for seed in $seeds; do
    json=$(run evaluate --dataset "$name" --seed "$seed" --model "$(model "$name" "$seed")" \
           --method gnnexplainer --json)
    aucs+=("$(printf '%.3f' "$(field auc "$json")")")
    [ -n "$first" ] || first="$json"
  done
  acc=$(run train --dataset "$name" --seed 0 --out "$out_dir/tmp.gnnx" --json | sed -n 's/.*"test_acc":\([^,}]*\).*/\1/p')
  stats=$(printf '%s\n' "${aucs[@]}" | awk '{s+=$1; q+=$1*$1; n++} END {m=s/n; v=(n>1)?(q-n*m*m)/(n-1):0; if (v<0) v=0; printf "%.3f ± %.3f", m, sqrt(v)}')
  auc0=$(printf '%.3f' "$(field auc "$first")")
  met=$(awk -v a="$auc0" -v t="$(target "$name")" 'BEGIN {print (a >= t) ? "yes" : "no"}')
  own=$(field auc_own_motif "$first")
  [ "$own" = null ] && own="-" || own=$(printf '%.3f' "$own")
  printf '| %s | %s | %s | %s | %s | ≥ %s | %s | %s | %.3f | %.2f |\n' "$name" "$auc0" "$stats" \
    "${aucs[*]}" "$(paper "$name")" "$(target "$name")" "$met" "$own" "$acc" \
    "$(field seconds "$first")"
done
rm -f "$out_dir/tmp.gnnx"
fi

if [[ "$parts" == *" every "* ]]; then
for name in ba-shapes tree-cycles ba-2motifs; do
  echo
  echo "$name (seed 0):"
  echo
  run evaluate --dataset "$name" --seed 0 --model "$(model "$name" 0)" --method "$(every_method)"
done
fi
echo
echo "$("$gnnx" --version), $threads thread(s), $(uname -m), $(nproc) cores."
