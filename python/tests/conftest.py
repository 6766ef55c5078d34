"""Shared fixtures: models trained once per test session (a BA-Shapes node classifier and a
BA-2Motifs graph classifier through gnnx.train_benchmark, a small molecule model through the
command line, whose `gnnx` binary ctest passes in GNNX_CLI)."""

import os
import subprocess

import pytest

import gnnx

MOLECULES_CSV = """smiles,active
O=[N+]([O-])c1ccccc1,1
Nc1ccccc1,1
CCO,0
CCCC,0
O=[N+]([O-])c1ccc(C)cc1,1
CC(=O)O,0
Nc1ccc(Cl)cc1,1
CCCCO,0
OCC(O)CO,0
"""


@pytest.fixture(scope="session")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("gnnx_python")


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("GNNX_CLI")
    if not path:
        pytest.skip("GNNX_CLI (the gnnx command line) not given; ctest sets it")
    return path


def run_cli(cli, *args, cwd=None):
    result = subprocess.run([cli, "--quiet", *args], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="session")
def ba_shapes(workdir):
    path = str(workdir / "ba_shapes.gnnx")
    scores = gnnx.train_benchmark("ba-shapes", path, seed=0)
    return gnnx.load_model(path), gnnx.dataset("ba-shapes", seed=0), scores


@pytest.fixture(scope="session")
def ba_2motifs(workdir):
    path = str(workdir / "ba_2motifs.gnnx")
    gnnx.train_benchmark("ba-2motifs", path, seed=0, epochs=60)
    return gnnx.load_model(path), gnnx.dataset("ba-2motifs", seed=0)


@pytest.fixture(scope="session")
def molecule_model(workdir, cli):
    if not gnnx.with_rdkit:
        pytest.skip("gnnx built without RDKit")
    (workdir / "train.csv").write_text(MOLECULES_CSV)
    run_cli(cli, "train", "--data", "train.csv", "--target", "active", "--epochs", "3",
            "--hidden", "8", "--out", "mol.gnnx", cwd=workdir)
    return str(workdir / "mol.gnnx")
