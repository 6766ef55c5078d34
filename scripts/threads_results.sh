#!/usr/bin/env bash
# Regenerates the README's "Threads" table (issue 21): wall and CPU seconds of train, explain,
# evaluate and explain-mol with --threads 1, with the default (--threads auto) and with the old
# default (LibTorch's OpenMP threads inside each operation on every core, --intra-op-threads
# $(nproc) --threads $(nproc)), on an idle machine and on a loaded one (a busy loop, not niced,
# on every core beside the run). Median of GNNX_REPEATS runs (default 5), the three settings
# taking turns. Needs an otherwise
# quiet machine: other work in the background distorts the "idle" rows.
# The models come from `gnnx train` (made once, kept in the results folder). Prints a Markdown
# table; the raw runs go to $out_dir/threads-runs.txt.
# Environment: GNNX_BUILD_DIR, GNNX_RESULTS_DIR, GNNX_SHARED_DATA (default ../shared/data),
# GNNX_REPEATS, GNNX_WORKLOADS (default: all, by the names in the table).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/results_common.sh
data="${GNNX_SHARED_DATA:-../shared/data}"
repeats="${GNNX_REPEATS:-5}"
cores="$(nproc)"
ensure_built tools/gnnx
tmp="$(mktemp -d)"
hogs=()
cleanup() {
  [ "${#hogs[@]}" -gt 0 ] && kill "${hogs[@]}" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

# Models, trained once with one thread.
ba_model="$out_dir/threads-ba-shapes.gnnx"
bbbp_model="$out_dir/threads-bbbp.gnnx"
[ -s "$ba_model" ] || "$gnnx" -q --threads 1 train --dataset ba-shapes --seed 0 --out "$ba_model" >/dev/null
[ -s "$bbbp_model" ] ||
  "$gnnx" -q --threads 1 train --data "$data/bbbp/BBBP.csv" --target p_np --seed 0 --out "$bbbp_model" >/dev/null
head -501 "$data/bbbp/BBBP.csv" >"$tmp/bbbp500.csv"

declare -A work=(
  [train-ba-shapes]="train --dataset ba-shapes --seed 0 --out $tmp/t.gnnx"
  [train-bbbp-5-epochs]="train --data $data/bbbp/BBBP.csv --target p_np --epochs 5 --seed 0 --out $tmp/b.gnnx"
  [explain-ig-ba-shapes]="explain --model $ba_model --method integrated-gradients --out $tmp/e.json"
  [evaluate-ig-ba-shapes]="evaluate --dataset ba-shapes --model $ba_model --method integrated-gradients"
  [explain-gnnexplainer-ba-shapes-all]="explain --model $ba_model --method gnnexplainer --nodes all --out $tmp/a.json"
  [evaluate-gnnexplainer-ba-shapes]="evaluate --dataset ba-shapes --model $ba_model --method gnnexplainer"
  [explain-mol-saliency-bbbp]="explain-mol --model $bbbp_model --method saliency --input $data/bbbp/BBBP.csv --output $tmp/s.jsonl"
  [explain-mol-gnnexplainer-bbbp500]="explain-mol --model $bbbp_model --method gnnexplainer --input $tmp/bbbp500.csv --output $tmp/g.jsonl"
)
order="train-ba-shapes train-bbbp-5-epochs explain-ig-ba-shapes evaluate-ig-ba-shapes
  evaluate-gnnexplainer-ba-shapes explain-gnnexplainer-ba-shapes-all explain-mol-saliency-bbbp explain-mol-gnnexplainer-bbbp500"
workloads="${GNNX_WORKLOADS:-$order}"
declare -A settings=(
  [one]="--threads 1"
  [default]=""
  [old]="--threads $cores --intra-op-threads $cores"
)

# measure WORKLOAD: "wall cpu" medians for each setting (one, default, old). The settings take
# turns within each repeat, so that a slow spell of the machine falls on all three alike.
measure() {
  local i s e u sy
  declare -A walls=() cpus=()
  for ((i = 0; i < repeats; i++)); do
    for s in one default old; do
      # shellcheck disable=SC2086  # settings and workloads are word lists
      /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$gnnx" -q ${settings[$s]} ${work[$1]} \
        >/dev/null 2>"$tmp/err" || { echo "threads_results: $1 failed:" >&2; cat "$tmp/err" >&2; exit 1; }
      read -r e u sy <"$tmp/time"
      walls[$s]+="$e "
      cpus[$s]+="$(echo "$u + $sy" | bc) "
    done
  done
  local mid=$(((repeats + 1) / 2)) out=""
  for s in one default old; do
    echo "$load $1 $s walls ${walls[$s]}cpus ${cpus[$s]}" >>"$out_dir/threads-runs.txt"
    out+="$(tr ' ' '\n' <<<"${walls[$s]}" | grep . | sort -g | sed -n "${mid}p") "
    out+="$(tr ' ' '\n' <<<"${cpus[$s]}" | grep . | sort -g | sed -n "${mid}p") "
  done
  echo "$out"
}

: >"$out_dir/threads-runs.txt"
echo "| machine | work | \`--threads 1\` wall / CPU s | default wall / CPU s | old default wall / CPU s | default vs one thread |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
for load in idle loaded; do
  if [ "$load" = loaded ]; then
    for ((i = 0; i < cores; i++)); do
      (while :; do :; done) &
      hogs+=($!)
    done
    sleep 1
  fi
  for w in $workloads; do
    read -r one_w one_c def_w def_c old_w old_c <<<"$(measure "$w")"
    ratio="$(echo "scale=2; $one_w / $def_w" | bc)"
    echo "| $load | $w | $one_w / $one_c | $def_w / $def_c | $old_w / $old_c | ${ratio}× |"
  done
  if [ "${#hogs[@]}" -gt 0 ]; then
    kill "${hogs[@]}" 2>/dev/null
    wait "${hogs[@]}" 2>/dev/null || true
    hogs=()
  fi
done
