"""Wrong input raises gnnx.InputError (a ValueError) naming the problem; never a crash."""

import numpy as np
import pytest

import gnnx


def graph(ba_shapes):
    model, data, _ = ba_shapes
    return model, data.graphs[0]


def test_input_error_is_a_value_error():
    assert issubclass(gnnx.InputError, ValueError)


@pytest.mark.parametrize("kwargs,message", [
    ({"method": "lime"}, "unknown"),
    ({"method": "saliency", "epochs": 10}, "has no option 'epochs'"),
    ({"method": "gnnexplainer", "epochs": 0}, "epochs"),
    ({"method": "gnnexplainer", "lr": -1.0}, "lr"),
    ({"method": "gnnexplainer", "epochs": [1]}, "epochs"),
    ({"method": "saliency", "mode": "sometimes"}, "mode"),
    ({"method": "saliency", "explained_class": 9}, "class"),
])
def test_bad_methods_and_options(ba_shapes, kwargs, message):
    model, g = graph(ba_shapes)
    with pytest.raises(gnnx.InputError, match=message):
        gnnx.explain_nodes(model, g.x, g.edge_index, [400], **kwargs)


def test_bad_arrays(ba_shapes):
    model, g = graph(ba_shapes)
    cases = [
        (g.x[:, :5], g.edge_index, [400], "features"),
        (g.x[0], g.edge_index, [400], "x: expected 2 dimensions"),
        (np.where(np.arange(7000).reshape(700, 10) == 3, np.nan, g.x), g.edge_index, [400],
         "NaN"),
        (g.x, g.edge_index[0], [400], "edge_index"),
        (g.x, g.edge_index + 0.5, [400], "integers"),
        (g.x, np.array([[0, 700], [1, 2]]), [0], "edge_index"),
        (g.x, g.edge_index, [700], "700"),
        (g.x, g.edge_index, [-1], "-1"),
        (g.x, g.edge_index, ["a"], "nodes"),
        (None, g.edge_index, [400], "None"),
    ]
    for x, edge_index, nodes, message in cases:
        with pytest.raises(gnnx.InputError, match=message):
            gnnx.explain_nodes(model, x, edge_index, nodes)


def test_wrong_task(ba_shapes, ba_2motifs):
    node_model, g = graph(ba_shapes)
    graph_model, data = ba_2motifs
    with pytest.raises(gnnx.InputError, match="node-classification model"):
        gnnx.explain_graphs(node_model, [(g.x, g.edge_index)])
    with pytest.raises(gnnx.InputError, match="graph-classification model"):
        gnnx.explain_nodes(graph_model, data.graphs[0].x, data.graphs[0].edge_index, [0])
    with pytest.raises(gnnx.InputError, match="graph 1"):
        gnnx.explain_graphs(graph_model, [data.graphs[0], "not a graph"])


def test_bad_model_files(tmp_path):
    with pytest.raises(gnnx.InputError, match="missing.gnnx"):
        gnnx.load_model(str(tmp_path / "missing.gnnx"))
    bad = tmp_path / "bad.gnnx"
    bad.write_bytes(b"not a model at all")
    with pytest.raises(gnnx.InputError, match="bad.gnnx"):
        gnnx.load_model(str(bad))


def test_corrupt_model_file_is_refused(ba_shapes, tmp_path):
    model, _ = graph(ba_shapes)
    data = bytearray(open(model.path, "rb").read())
    data[len(data) // 2] ^= 0xFF
    corrupt = tmp_path / "corrupt.gnnx"
    corrupt.write_bytes(bytes(data))
    with pytest.raises(gnnx.InputError, match="corrupt.gnnx"):
        gnnx.load_model(str(corrupt))


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(gnnx.InputError, match="ba-shapes"):
        gnnx.dataset("ba-houses")


def test_bad_thread_counts():
    with pytest.raises(gnnx.InputError):
        gnnx.set_threads(workers=0)
    with pytest.raises(gnnx.InputError):
        gnnx.set_threads(intra_op=0)


def test_train_refuses_bad_arguments(tmp_path):
    with pytest.raises(gnnx.InputError, match="epochs"):
        gnnx.train_benchmark("ba-shapes", str(tmp_path / "m.gnnx"), epochs=0)
    with pytest.raises(gnnx.InputError):
        gnnx.train_benchmark("ba-shapes", str(tmp_path / "no" / "such" / "dir" / "m.gnnx"))
    assert not list(tmp_path.iterdir())
