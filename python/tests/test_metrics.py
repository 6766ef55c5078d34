"""Metrics on NumPy input, against values worked out by hand."""

import math

import numpy as np
import pytest

import gnnx


def test_roc_auc_by_hand():
    # Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 3 of the 4 pairs ordered.
    assert gnnx.roc_auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) == pytest.approx(0.75)
    # A tie between a positive and a negative counts one half.
    assert gnnx.roc_auc(np.array([0.5, 0.5]), np.array([0, 1])) == pytest.approx(0.5)
    assert math.isnan(gnnx.roc_auc([0.1, 0.2], [1, 1]))


def test_roc_auc_refuses_bad_input():
    with pytest.raises(gnnx.InputError, match="scores"):
        gnnx.roc_auc([0.1, 0.2], [0, 1, 1])
    with pytest.raises(gnnx.InputError, match="0 and 1"):
        gnnx.roc_auc([0.1, 0.2], [0, 2])
    with pytest.raises(gnnx.InputError, match="NaN"):
        gnnx.roc_auc([0.1, float("nan")], [0, 1])


def test_characterization_score_formula():
    # (0.5 + 0.5) / (0.5 / 0.8 + 0.5 / (1 - 0.2))
    assert gnnx.characterization_score(0.8, 0.2) == pytest.approx(1 / (0.625 + 0.625))


def test_explanation_auc_and_precision_on_a_trained_model(ba_shapes):
    model, data, _ = ba_shapes
    g = data.graphs[0]
    ex = gnnx.explain_nodes(model, g.x, g.edge_index, data.eval_targets, method="saliency")
    auc = gnnx.explanation_auc(ex, g.gt_edge_mask)
    assert auc > 0.9  # a trained BA-Shapes GCN's saliency finds the houses
    pooled = gnnx.roc_auc(np.concatenate([e.edge_mask for e in ex]),
                          np.concatenate([g.gt_edge_mask[e.edge_ids] for e in ex]))
    assert auc == pytest.approx(pooled)
    # precision@k with k given, by hand for the first explanation.
    e = ex[0]
    best = e.edge_ids[np.argsort(-e.edge_mask, kind="stable")[:6]]
    by_hand = g.gt_edge_mask[best].mean()
    assert gnnx.precision_at_k([e], g.gt_edge_mask, k=6) == pytest.approx(by_hand)
    with pytest.raises(gnnx.InputError, match="edges"):
        gnnx.explanation_auc(ex, g.gt_edge_mask[:100])
