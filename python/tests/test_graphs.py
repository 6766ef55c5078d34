"""Graph explanations: graphs as tuples or dicts, targets by position, ground-truth scores."""

import numpy as np
import pytest

import gnnx


def test_explains_every_graph_in_order(ba_2motifs):
    model, data = ba_2motifs
    graphs = data.graphs[:6]
    ex = gnnx.explain_graphs(model, graphs, method="grad-cam")
    assert [e.target for e in ex] == list(range(6))
    for e, g in zip(ex, graphs):
        assert e.task == "graph"
        assert len(e.edge_ids) == g.edge_index.shape[1]
        assert e.node_mask.shape == (g.x.shape[0],)


def test_tuples_dicts_and_namespaces_are_the_same_graphs(ba_2motifs):
    model, data = ba_2motifs
    g = data.graphs[0]
    as_tuple = gnnx.explain_graphs(model, [(g.x, g.edge_index)], method="saliency")[0]
    as_dict = gnnx.explain_graphs(model, [{"x": g.x, "edge_index": g.edge_index}],
                                  method="saliency")[0]
    as_namespace = gnnx.explain_graphs(model, g, method="saliency")[0]
    np.testing.assert_array_equal(as_tuple.edge_mask, as_dict.edge_mask)
    np.testing.assert_array_equal(as_tuple.edge_mask, as_namespace.edge_mask)


def test_ground_truth_scores_per_graph(ba_2motifs):
    model, data = ba_2motifs
    graphs = data.graphs[:20]
    ex = gnnx.explain_graphs(model, graphs, method="saliency")
    gt = [g.gt_edge_mask for g in graphs]
    auc = gnnx.explanation_auc(ex, gt)
    # The pooled AUC is the AUC of all edges' scores against all edges' labels.
    pooled = gnnx.roc_auc(np.concatenate([e.edge_mask for e in ex]),
                          np.concatenate([g[e.edge_ids] for e, g in zip(ex, gt)]))
    assert auc == pytest.approx(pooled)
    with pytest.raises(gnnx.InputError, match="ground-truth"):
        gnnx.explanation_auc(ex, gt[:5])


def test_fidelity_of_graph_explanations(ba_2motifs):
    model, data = ba_2motifs
    graphs = data.graphs[:10]
    ex = gnnx.explain_graphs(model, graphs, method="saliency")
    f = gnnx.fidelity(model, graphs, ex, top_k=6)
    assert set(f) >= {"fidelity_plus_prob", "fidelity_minus_prob", "characterization",
                      "sparsity"}
    assert 0 <= f["sparsity"] <= 1


def test_subgraphx_gives_its_chosen_subgraph(ba_2motifs):
    model, data = ba_2motifs
    graphs = data.graphs[:3]
    ex = gnnx.explain_graphs(model, graphs, method="subgraphx", rollouts=2, samples=5,
                             max_nodes=4)
    for e, g in zip(ex, graphs):
        sub = e.subgraph
        assert sub is not None and sub.explored >= 1 and sub.evaluated >= 1
        assert sub.nodes.dtype == np.int64 and 1 <= len(sub.nodes) <= 4
        assert np.all(np.diff(sub.nodes) > 0) and sub.nodes.max() < g.x.shape[0]
        # The chosen subgraph's edges, and only they, score above 1 (the method's ranking).
        src, dst = g.edge_index[0, e.edge_ids], g.edge_index[1, e.edge_ids]
        inside = np.isin(src, sub.nodes) & np.isin(dst, sub.nodes)
        np.testing.assert_array_equal(e.edge_mask > 1, inside)
    assert gnnx.explain_graphs(model, graphs[:1], method="saliency")[0].subgraph is None
