"""Node explanations from NumPy arrays: the same numbers as the command line, any input type,
the same result for any thread count."""

import json

import numpy as np
import pytest

import gnnx
from conftest import run_cli

TARGETS = [400, 405, 410]


def test_trained_model_reports_accuracy_and_metadata(ba_shapes):
    model, data, scores = ba_shapes
    assert scores["test_accuracy"] > 0.9
    assert model.task == "node" and model.arch == "gcn"
    assert model.in_features == data.graphs[0].x.shape[1] == 10
    assert model.num_classes == data.num_classes == 4
    assert model.class_names == data.class_names
    assert model.card["dataset"] == "ba-shapes"


def test_dataset_arrays(ba_shapes):
    _, data, _ = ba_shapes
    g = data.graphs[0]
    assert g.x.dtype == np.float32 and g.x.shape == (700, 10)
    assert g.edge_index.dtype == np.int64 and g.edge_index.shape[0] == 2
    assert g.gt_edge_mask.dtype == bool and g.gt_edge_mask.shape == (g.edge_index.shape[1],)
    assert list(data.eval_targets[:3]) == [400, 405, 410]


@pytest.mark.parametrize("method,options", [
    ("saliency", {}),
    ("gnnexplainer", {"epochs": 50}),
    ("integrated-gradients", {"steps": 10}),
    ("integrated-gradients", {"steps": 10, "ig_rule": "gauss-legendre"}),
    ("deeplift", {}),
    ("shapley-sampling", {"samples": 2, "explainer_seed": 3}),
    ("pgexplainer", {"epochs": 5, "fit_targets": "300:400:4", "explainer_seed": 2}),
    ("pgexplainer", {"epochs": 3, "temperature_start": 2, "temperature_end": 0.5,
                     "edge_size": 0.01, "edge_entropy": 0.5, "lr": 0.01}),
    ("graphmask", {"epochs": 3, "fit_targets": "300:320", "edge_size": 2, "explainer_seed": 1}),
    ("random", {"explainer_seed": 5}),
    ("lrp", {}),
    ("lrp", {"lrp_rule": "alpha-beta", "alpha": 2}),
    ("cf-gnnexplainer", {"epochs": 30, "momentum": 0.9}),
])
def test_same_numbers_as_the_command_line(ba_shapes, cli, workdir, method, options):
    model, data, _ = ba_shapes
    g = data.graphs[0]
    ours = gnnx.explain_nodes(model, g.x, g.edge_index, TARGETS, method=method, **options)
    flags = [a for k, v in options.items() for a in (f"--{k.replace('_', '-')}", str(v))]
    out = workdir / f"cli_{method}.json"
    run_cli(cli, "explain", "--model", model.path, "--method", method, "--nodes",
            ",".join(map(str, TARGETS)), "--precision", "9", "--out", str(out), *flags)
    theirs = json.loads(out.read_text())["explanations"]
    assert [e.target for e in ours] == TARGETS
    for e, t in zip(ours, theirs):
        assert e.target == t["target"]
        assert e.predicted_class == t["predicted_class"]
        # The file lists an undirected pair once when the mask ties both directions.
        pairs = 2 if t["undirected_edges"] else 1
        assert len(t["edges"]["id"]) * pairs == len(e.edge_ids)
        ours_by_id = dict(zip(e.edge_ids, e.edge_mask))
        np.testing.assert_allclose([ours_by_id[i] for i in t["edges"]["id"]],
                                   t["edges"]["importance"], rtol=1e-6, atol=1e-9)
        # Integrated gradients' completeness gaps, the same in both.
        theirs_diagnostics = t.get("diagnostics", {})
        assert e.diagnostics.keys() == theirs_diagnostics.keys()
        for key, value in theirs_diagnostics.items():
            assert e.diagnostics[key] == pytest.approx(value, rel=1e-6, abs=1e-9)
        # LRP's per-feature relevance, the same in both.
        assert ("feature_mask" in t) == (e.feature_mask is not None)
        if "feature_mask" in t:
            np.testing.assert_allclose(e.feature_mask, t["feature_mask"], rtol=1e-6, atol=1e-9)


def test_pgexplainer_fit_targets_from_a_list_as_from_the_text(ba_shapes):
    model, data, _ = ba_shapes
    g = data.graphs[0]
    listed = gnnx.explain_nodes(model, g.x, g.edge_index, TARGETS, method="pgexplainer",
                                epochs=3, fit_targets=[300, 305, 310])
    text = gnnx.explain_nodes(model, g.x, g.edge_index, TARGETS, method="pgexplainer",
                              epochs=3, fit_targets="300:315:5")
    for a, b in zip(listed, text):
        np.testing.assert_array_equal(a.edge_mask, b.edge_mask)
        assert a.diagnostics["fit_targets"] == 3
    with pytest.raises(gnnx.InputError, match="--fit-targets: 700 is out of range"):
        gnnx.explain_nodes(model, g.x, g.edge_index, TARGETS, method="pgexplainer",
                           fit_targets="690:720")


def test_counterfactuals_as_the_command_line_writes_them(ba_shapes, cli, workdir):
    model, data, _ = ba_shapes
    g = data.graphs[0]
    ours = gnnx.explain_nodes(model, g.x, g.edge_index, TARGETS, method="cf-gnnexplainer",
                              epochs=100)
    out = workdir / "cli_cf.json"
    run_cli(cli, "explain", "--model", model.path, "--method", "cf-gnnexplainer", "--nodes",
            ",".join(map(str, TARGETS)), "--epochs", "100", "--precision", "9", "--out", str(out))
    theirs = json.loads(out.read_text())["explanations"]
    for e, t in zip(ours, theirs):
        cf, tcf = e.counterfactual, t["counterfactual"]
        assert cf is not None
        assert cf.flipped == tcf["flipped"] and cf.size == tcf["size"]
        assert cf.deleted_edges.dtype == np.int64
        # Both directions in Python, one row per undirected edge in the file.
        assert sorted(tcf["deleted_edges"]["id"]) == sorted(
            i for i in cf.deleted_edges if g.edge_index[0, i] <= g.edge_index[1, i])
        if cf.flipped:
            assert cf.new_class == tcf["new_class"] != e.explained_class
            assert cf.new_probability == pytest.approx(tcf["new_probability"], rel=1e-6)
        else:
            assert cf.new_class == -1 and tcf["new_class"] is None
    # Other methods have none.
    assert gnnx.explain_nodes(model, g.x, g.edge_index, TARGETS[:1],
                              method="saliency")[0].counterfactual is None


def test_undirected_graphs_tie_both_directions_unless_asked(ba_shapes):
    model, data, _ = ba_shapes
    g = data.graphs[0]
    tied = gnnx.explain_nodes(model, g.x, g.edge_index, [400], method="gnnexplainer",
                              epochs=20)[0]
    free = gnnx.explain_nodes(model, g.x, g.edge_index, [400], method="gnnexplainer",
                              epochs=20, asymmetric=True)[0]
    assert tied.options["symmetric_edges"] == "true"
    assert free.options["symmetric_edges"] == "false"
    mask = tied.dense_edge_mask(g.edge_index.shape[1])
    reverse = {(u, v): i for i, (u, v) in enumerate(g.edge_index.T)}
    for i in tied.edge_ids[:50]:
        u, v = g.edge_index[:, i]
        assert mask[i] == mask[reverse[(v, u)]]


def test_inputs_as_lists_and_any_dtype_give_the_same_result(ba_shapes):
    model, data, _ = ba_shapes
    g = data.graphs[0]
    a = gnnx.explain_nodes(model, g.x, g.edge_index, TARGETS)
    b = gnnx.explain_nodes(model, g.x.astype(np.float64).tolist(),
                           g.edge_index.astype(np.int32), np.array(TARGETS, dtype=np.uint16))
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x.edge_mask, y.edge_mask)
        np.testing.assert_array_equal(x.edge_ids, y.edge_ids)


def test_arrays_are_copied(ba_shapes):
    model, data, _ = ba_shapes
    x = data.graphs[0].x.copy()
    e = gnnx.explain_nodes(model, x, data.graphs[0].edge_index, [400])[0]
    before = e.edge_mask.copy()
    x[:] = 0  # the explanation must not see this
    e.edge_mask[:] = -1  # nor the caller's writes into a returned array
    np.testing.assert_array_equal(e.edge_mask, before)


def test_same_result_for_any_thread_count(ba_shapes):
    model, data, _ = ba_shapes
    g = data.graphs[0]
    saved = gnnx.get_threads()
    try:
        gnnx.set_threads(workers=1, intra_op=1)
        one = gnnx.explain_nodes(model, g.x, g.edge_index, TARGETS, method="gnnexplainer",
                                 epochs=30)
        gnnx.set_threads(workers=3, intra_op=2)
        three = gnnx.explain_nodes(model, g.x, g.edge_index, TARGETS, method="gnnexplainer",
                                   epochs=30)
    finally:
        gnnx.set_threads(*saved)
    for a, b in zip(one, three):
        np.testing.assert_array_equal(a.edge_mask, b.edge_mask)


def test_progress_is_reported_to_the_end(ba_shapes):
    model, data, _ = ba_shapes
    g = data.graphs[0]
    seen = []
    gnnx.explain_nodes(model, g.x, g.edge_index, TARGETS, method="saliency", batch_size=1,
                       progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_phenomenon_mode_needs_and_uses_labels(ba_shapes):
    model, data, _ = ba_shapes
    g = data.graphs[0]
    with pytest.raises(gnnx.InputError, match="label"):
        gnnx.explain_nodes(model, g.x, g.edge_index, [400], mode="phenomenon")
    e = gnnx.explain_nodes(model, g.x, g.edge_index, [400], y=g.y, mode="phenomenon")[0]
    assert e.explained_class == g.y[400]


def test_dense_masks_cover_the_graph(ba_shapes):
    model, data, _ = ba_shapes
    g = data.graphs[0]
    e = gnnx.explain_nodes(model, g.x, g.edge_index, [400])[0]
    dense = e.dense_edge_mask(g.edge_index.shape[1])
    assert dense.shape == (g.edge_index.shape[1],)
    np.testing.assert_array_equal(dense[e.edge_ids], e.edge_mask)
    outside = np.ones(dense.shape, bool)
    outside[e.edge_ids] = False
    assert not dense[outside].any()


def test_logits_match_the_explained_prediction(ba_shapes):
    model, data, _ = ba_shapes
    g = data.graphs[0]
    logits = model.logits(g.x, g.edge_index)
    assert logits.shape == (700, 4)
    e = gnnx.explain_nodes(model, g.x, g.edge_index, [400])[0]
    assert e.predicted_class == int(np.argmax(logits[400]))
    p = np.exp(logits[400] - logits[400].max())
    assert e.probability == pytest.approx(p[e.explained_class] / p.sum(), rel=1e-5)
