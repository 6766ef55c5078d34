#!/usr/bin/env python3
"""Gathers scripts/gpu-check.sh's raw results (a state folder) into one JSON file.

    gpu_check_report.py STATE_DIR OUT_JSON

Exit 0 when the check completed: the build succeeded, every test binary ran and no test
failed, every benchmark that was built exited 0; else 1 (the JSON says what failed).
"""
import json
import os
import sys


def read(path, default=None):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def gtest_results(path):
    """Per-test results from gtest's --gtest_output=json report."""
    with open(path) as f:
        report = json.load(f)
    tests = []
    for suite in report.get("testsuites", []):
        for t in suite.get("testsuite", []):
            if t.get("result") == "SKIPPED" or t.get("status") == "NOTRUN":
                result = "skipped"
            elif t.get("failures"):
                result = "failed"
            else:
                result = "passed"
            entry = {"name": f"{suite['name']}.{t['name']}", "result": result,
                     "seconds": float(str(t.get("time", "0s")).rstrip("s") or 0)}
            if t.get("failures"):
                entry["failures"] = [x.get("failure", "") for x in t["failures"]]
            tests.append(entry)
    counts = {k: sum(t["result"] == k for t in tests) for k in ("passed", "failed", "skipped")}
    return {"counts": counts, "tests": tests}


def main():
    state, out = sys.argv[1], sys.argv[2]
    result = {"dry_run": read(os.path.join(state, "dry_run")) == "1"}
    stop = read(os.path.join(state, "stop"))
    if stop:
        result["stopped"] = stop
    gpu = read(os.path.join(state, "gpu"))
    if gpu:
        name, driver, memory = [s.strip() for s in (gpu.split(",") + ["", ""])[:3]]
        result["gpu"] = {"name": name, "driver": driver, "memory": memory}
    torch = read(os.path.join(state, "torch"))
    if torch:
        version, cuda = (torch.split() + [""])[:2]
        result["torch"] = {"version": version, "cuda": cuda}

    stages = {}
    for line in (read(os.path.join(state, "stages.tsv"), "") or "").splitlines():
        name, rc, seconds, cpu = (line.split("\t") + [""])[:4]
        stages[name] = {"exit": int(rc), "seconds": int(seconds)}
        if cpu:
            stages[name]["cpu_seconds"] = float(cpu)
    result["stages"] = stages
    if "build" in stages:
        result["build_seconds"] = stages["build"]["seconds"]
    targets = (read(os.path.join(state, "targets"), "") or "").split()
    result["targets"] = targets
    notes = read(os.path.join(state, "notes.txt"))
    result["notes"] = notes.splitlines() if notes else []

    ok = not stop and stages.get("configure", {}).get("exit") == 0 and \
        stages.get("build", {}).get("exit") == 0
    tests = {}
    for name in ("spmm_cuda_test", "cusparse_cached_test", "explainer_cuda_test",
                 "cli_device_test"):
        if name not in targets:
            continue
        stage = stages.get(f"test {name}")
        path = os.path.join(state, f"test_{name}.json")
        entry = {"exit": stage["exit"] if stage else None}
        if os.path.exists(path):
            try:
                entry.update(gtest_results(path))
            except (OSError, ValueError, KeyError) as e:
                entry["error"] = f"unreadable gtest report: {e}"
        else:
            entry["error"] = "no gtest report (not built, crashed or timed out)"
        ok = ok and entry["exit"] == 0 and "error" not in entry
        tests[name] = entry
    result["tests"] = tests

    benches = {}
    for name in ("gcn_cuda_bench", "explainer_gpu_bench"):
        stage = stages.get(f"bench {name}")
        if stage is None:
            continue
        entry = {"exit": stage["exit"], "seconds": stage["seconds"]}
        path = os.path.join(state, f"bench_{name}.json")
        try:
            with open(path) as f:
                entry["results"] = json.load(f)
        except (OSError, ValueError) as e:
            entry["error"] = f"no JSON results: {e}"
        ok = ok and stage["exit"] == 0 and "error" not in entry
        benches[name] = entry
    result["benchmarks"] = benches
    result["exit_code"] = int(read(os.path.join(state, "exit_code"), "0") or 0)
    result["ok"] = bool(ok)

    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    os.replace(tmp, out)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
