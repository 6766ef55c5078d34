"""The README's Python examples and the PyG comparison run as written."""

import os
import subprocess
import sys

import pytest

import gnnx

PYTHON = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(script, *args, cwd):
    result = subprocess.run([sys.executable, os.path.join(PYTHON, script), *args], cwd=cwd,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_ba_shapes_example(ba_shapes, tmp_path):
    model, _, _ = ba_shapes
    out = run("examples/ba_shapes.py", model.path, cwd=tmp_path)
    auc = float(out.split("edge AUC ")[1].split(",")[0])
    assert auc > 0.9, out


@pytest.mark.skipif(not gnnx.with_rdkit, reason="gnnx built without RDKit")
def test_molecule_example(molecule_model, tmp_path):
    out = run("examples/molecules.py", molecule_model, "O=[N+]([O-])c1ccccc1", "n.svg",
              cwd=tmp_path)
    assert "fragment" in out
    assert "<svg" in (tmp_path / "n.svg").read_text()


def test_pyg_comparison_runs(ba_shapes, tmp_path):
    model, _, _ = ba_shapes
    out = run("bench/gnnexplainer_vs_pyg.py", "--model", model.path, "--nodes", "2", "--json",
              "r.json", cwd=tmp_path)
    assert "| gnnx, all targets in one call | 1 |" in out
    assert (tmp_path / "r.json").exists()
