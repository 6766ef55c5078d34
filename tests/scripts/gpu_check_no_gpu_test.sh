#!/usr/bin/env bash
# scripts/gpu-check.sh on a machine where nvidia-smi finds no GPU: exit 3 with a message, before
# anything is configured or built, and a JSON that says why. nvidia-smi is faked (it answers as
# it does on a machine with the driver but no device), so the test means the same everywhere,
# also on a GPU machine.
#   gpu_check_no_gpu_test.sh WORK_DIR
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:?work folder}
rm -rf "$work" && mkdir -p "$work/bin" || exit 1
cat >"$work/bin/nvidia-smi" <<'SMI'
#!/bin/sh
echo "No devices were found"
exit 6
SMI
chmod +x "$work/bin/nvidia-smi"
fail=0
PATH="$work/bin:$PATH" GNNX_GPU_CHECK_BUILD="$work/build" \
  bash "$root/scripts/gpu-check.sh" "$work/out" >"$work/stdout" 2>&1
rc=$?
[[ $rc -eq 3 ]] || { echo "FAIL: exit $rc, want 3"; fail=1; }
grep -q "nvidia-smi lists no GPU" "$work/stdout" || { echo "FAIL: no message"; fail=1; }
[[ ! -e $work/build/CMakeCache.txt ]] || { echo "FAIL: it configured"; fail=1; }
python3 - "$work/out/gpu-check.json" <<'PY' || fail=1
import json, sys
j = json.load(open(sys.argv[1]))
assert j["stopped"].startswith("no_gpu"), j
assert j["ok"] is False and j["exit_code"] == 3 and j["stages"] == {}, j
PY
cat "$work/stdout"
if [[ $fail -eq 0 ]]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit $fail
