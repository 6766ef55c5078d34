"""Molecules from SMILES and files: atoms and bonds as RDKit numbers them, the fragment, the
drawings, bad records reported and kept, and the same numbers as `gnnx explain-mol`."""

import json

import numpy as np
import pytest

import gnnx
from conftest import run_cli

NITROBENZENE = "O=[N+]([O-])c1ccccc1"  # 9 atoms, 9 bonds

pytestmark = pytest.mark.skipif(not gnnx.with_rdkit, reason="gnnx built without RDKit")


def test_explains_one_smiles(molecule_model):
    ex = gnnx.MoleculeExplainer(molecule_model, "saliency")
    e = ex.explain(NITROBENZENE)
    assert e.atoms.shape == (9,) and e.bonds.shape == (9,)
    assert 0 <= e.prediction <= 1 and e.predicted_class in (0, 1)
    assert e.fragment.smiles and e.fragment.atoms
    assert set(e.fragment.atoms) <= set(range(9))
    assert "saliency" in e.legend
    assert ex.method == "saliency" and not ex.regression


def test_batches_give_the_same_numbers_as_one_at_a_time(molecule_model):
    ex = gnnx.MoleculeExplainer(molecule_model, "grad-cam", batch=2)
    smiles = [NITROBENZENE, "CCO", "Nc1ccccc1", "CC(=O)O"]
    together = ex.explain(smiles)
    for s, e in zip(smiles, together):
        alone = ex.explain(s)
        np.testing.assert_allclose(e.atoms, alone.atoms, rtol=1e-5, atol=1e-7)
        assert e.prediction == pytest.approx(alone.prediction, rel=1e-5)
    np.testing.assert_allclose(ex.predict(smiles), [e.prediction for e in together], rtol=1e-6)


def test_same_numbers_as_the_command_line(molecule_model, cli, tmp_path):
    (tmp_path / "mols.csv").write_text(f"smiles\n{NITROBENZENE}\nNc1ccc(Cl)cc1\n")
    out = tmp_path / "out.jsonl"
    run_cli(cli, "explain-mol", "--model", molecule_model, "--method", "saliency", "--input",
            str(tmp_path / "mols.csv"), "--output", str(out))
    records = [json.loads(line) for line in out.read_text().splitlines()]
    ours = gnnx.MoleculeExplainer(molecule_model, "saliency").explain_file(
        tmp_path / "mols.csv")
    assert len(records) == len(ours) == 2
    for r, o in zip(records, ours):
        e = o["explanation"]
        assert e.prediction == pytest.approx(r["prediction"], rel=1e-5)
        np.testing.assert_allclose(e.atoms, r["atoms"], rtol=1e-5, atol=1e-7)
        assert e.fragment.smiles == r["fragment_smiles"]


def test_default_method_is_the_command_lines(molecule_model, cli, tmp_path):
    (tmp_path / "mols.csv").write_text(f"smiles\n{NITROBENZENE}\n")
    out = tmp_path / "out.jsonl"
    run_cli(cli, "explain-mol", "--model", molecule_model, "--input", str(tmp_path / "mols.csv"),
            "--output", str(out))
    record = json.loads(out.read_text().splitlines()[0])
    ex = gnnx.MoleculeExplainer(molecule_model)
    assert ex.method == record["method"] == gnnx.DEFAULT_MOLECULE_METHOD == "guided-backprop"
    np.testing.assert_allclose(ex.explain(NITROBENZENE).atoms, record["atoms"], rtol=1e-5,
                               atol=1e-7)


def test_bad_records_are_reported_not_dropped(molecule_model, tmp_path):
    (tmp_path / "mols.csv").write_text("name,smiles\na,CCO\nb,C1CC(\nc,Nc1ccccc1\n")
    records = gnnx.MoleculeExplainer(molecule_model, "saliency").explain_file(
        tmp_path / "mols.csv", id_column="name")
    assert [r["id"] for r in records] == ["a", "b", "c"]
    assert records[1]["explanation"] is None and records[1]["error"]
    assert records[1]["line"] == 3
    assert records[0]["explanation"] is not None and records[2]["explanation"] is not None


@pytest.fixture(scope="module")
def named_mutag_model(cli, workdir):
    """A model of MUTAG's elements (so that S and Si cannot be featurised) with class names."""
    (workdir / "named.csv").write_text("smiles,active\nCCO,0\nNc1ccccc1,1\nCCCC,0\n"
                                       "O=[N+]([O-])c1ccccc1,1\nCC(=O)O,0\nNc1ccc(Cl)cc1,1\n")
    run_cli(cli, "train", "--data", "named.csv", "--target", "active", "--epochs", "2",
            "--hidden", "8", "--featurizer", "mutag", "--class-names", "inactive,active",
            "--out", "named.gnnx", cwd=workdir)
    return workdir / "named.gnnx"


def test_batch_gives_one_result_or_error_per_molecule(named_mutag_model):
    # Issue 19: the batch call stopped at the first molecule it could not read or featurise.
    # errors="return" keeps every molecule's place: an explanation, or the error naming it.
    ex = gnnx.MoleculeExplainer(named_mutag_model, "saliency", batch=2)
    smiles = ["CCO", "C1CC(", "Nc1ccccc1", "C[Si](C)C", "CC(=O)O", "CCS"]
    results = ex.explain(smiles, errors="return")
    assert len(results) == 6
    assert isinstance(results[1], gnnx.InputError) and "smiles[1] 'C1CC('" in str(results[1])
    assert isinstance(results[3], gnnx.InputError) and "is Si" in str(results[3])
    assert isinstance(results[5], gnnx.InputError) and "is S" in str(results[5])
    for i in (0, 2, 4):
        alone = ex.explain(smiles[i])
        np.testing.assert_allclose(results[i].atoms, alone.atoms, rtol=1e-5, atol=1e-7)
    with pytest.raises(gnnx.InputError, match="is Si"):
        ex.explain(["CCO", "C[Si](C)C"])
    with pytest.raises(gnnx.InputError, match="errors"):
        ex.explain(["CCO"], errors="ignore")


def test_class_names_from_the_model_file(named_mutag_model):
    ex = gnnx.MoleculeExplainer(named_mutag_model, "saliency", fragment_min_atoms=3)
    assert ex.class_names == ["inactive", "active"]
    e = ex.explain(NITROBENZENE)
    assert e.explained_class_name == ex.class_names[e.explained_class]
    assert e.predicted_class_name == ex.class_names[e.predicted_class]
    assert f"explaining '{e.explained_class_name}'" in e.legend
    assert len(e.fragment.atoms) >= 3
    assert gnnx.MoleculeExplainer(named_mutag_model, "saliency").class_names == ["inactive",
                                                                                 "active"]


def test_drawings(molecule_model):
    ex = gnnx.MoleculeExplainer(molecule_model, "saliency")
    e = ex.explain(NITROBENZENE)
    svg = ex.draw(NITROBENZENE, e)
    assert isinstance(svg, str) and "<svg" in svg
    png = ex.draw(NITROBENZENE, e, format="png", width=300, height=200)
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG")
    with pytest.raises(gnnx.InputError, match="format"):
        ex.draw(NITROBENZENE, e, format="gif")


def test_bad_molecule_input(molecule_model, tmp_path):
    ex = gnnx.MoleculeExplainer(molecule_model, "saliency")
    with pytest.raises(gnnx.InputError, match=r"smiles\[1\] 'C1CC\('"):
        ex.explain(["CCO", "C1CC("])
    with pytest.raises(gnnx.InputError, match="missing.csv"):
        ex.explain_file(tmp_path / "missing.csv")
    with pytest.raises(gnnx.InputError, match="unknown"):
        gnnx.MoleculeExplainer(molecule_model, "lime")
    with pytest.raises(gnnx.InputError, match="has no option"):
        gnnx.MoleculeExplainer(molecule_model, "saliency", epochs=3)
    with pytest.raises(gnnx.InputError, match="batch"):
        gnnx.MoleculeExplainer(molecule_model, "saliency", batch=0)


def test_a_node_model_is_not_a_molecule_model(ba_shapes):
    model, _, _ = ba_shapes
    with pytest.raises(gnnx.InputError, match="molecule"):
        gnnx.MoleculeExplainer(model.path, "saliency")
