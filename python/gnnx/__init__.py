"""gnnx from Python: load a model, explain nodes, graphs or molecules with any registered method,
and score the explanations; NumPy arrays in and out.

    import gnnx
    model = gnnx.load_model("ba_shapes.gnnx")
    data = gnnx.dataset("ba-shapes")
    g = data.graphs[0]
    explanations = gnnx.explain_nodes(model, g.x, g.edge_index, [400, 405],
                                      method="gnnexplainer", epochs=300)
    gnnx.explanation_auc(explanations, g.gt_edge_mask)

Method options are the command line's (`gnnx methods`), as keyword arguments with underscores
for dashes (edge_size=0.005); `explained_class` is `--class` and `seed` is `--explainer-seed`.
Every call copies its arrays, releases the GIL while gnnx works and runs LibTorch's operations
on `intra_op` threads (default 1; see set_threads). Wrong input raises gnnx.InputError (a
ValueError) with the message the command line prints.
"""

from types import SimpleNamespace

from . import _gnnx
from ._gnnx import (  # noqa: F401  (the public API)
    Error,
    Explanation,
    InputError,
    Model,
    characterization_score,
    datasets,
    get_threads,
    load_model,
    methods,
    precision_at_k,
    explanation_auc,
    roc_auc,
    usable_cores,
    with_rdkit,
)

__all__ = [
    "Error", "Explanation", "InputError", "Model", "characterization_score", "dataset",
    "datasets", "explain_graphs", "explain_nodes", "explanation_auc", "fidelity", "get_threads",
    "load_model", "methods", "precision_at_k", "roc_auc", "set_threads", "train_benchmark",
    "usable_cores", "with_rdkit",
]

# Python keyword -> the command line's option name, where they differ by more than dashes.
_OPTION_ALIASES = {"explained_class": "class", "class_": "class", "seed": "explainer-seed"}
# The options whose values are lists of ids (the schema's id-list type): only they take a list;
# elsewhere a list is an error, not its items joined (epochs=[1] must not read as 1).
_ID_LIST_OPTIONS = {"fit_targets"}


def _option_text(name, value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    if hasattr(value, "item") and getattr(value, "ndim", 0) == 0:  # a NumPy or torch scalar
        return str(value.item())
    is_list = isinstance(value, (list, tuple, range)) or getattr(value, "ndim", 0) == 1
    if is_list and name in _ID_LIST_OPTIONS:
        return ",".join(str(int(v)) for v in value)
    raise InputError(f"option {name}: expected a number, a flag, a name or a list of ids, "
                     f"got {type(value).__name__}")


def _method_options(options):
    """Keyword arguments as the command line's option names and values, as text."""
    out = {}
    for key, value in options.items():
        name = _OPTION_ALIASES.get(key, key.replace("_", "-"))
        out[name] = _option_text(key, value)
    return out


def set_threads(workers=None, intra_op=None):
    """Threads gnnx uses: `workers` for its own parallel loops (GNNExplainer's target groups,
    molecule batches; default every usable core) and `intra_op` for LibTorch's operations inside
    gnnx calls (default 1: more made gnnx's small operations slower, README "Threads").
    Results are the same for any count. None keeps the current value."""
    current_workers, current_intra = get_threads()
    _gnnx.set_threads(current_workers if workers is None else workers,
                      current_intra if intra_op is None else intra_op)


def explain_nodes(model, x, edge_index, nodes, method="saliency", *, y=None, edge_attr=None,
                  progress=None, **options):
    """Explains a node classifier's predictions for `nodes` (ids into x's rows).

    x: [N, F] node features; edge_index: [2, E] (source, target) ids; y: [N] labels (needed
    for mode="phenomenon"); edge_attr: [E, D] for models that read edge features. `options`:
    the method's options (gnnx.methods()). progress(done, total) is called as work finishes.
    Returns one gnnx.Explanation per node, in order."""
    return _gnnx._explain_nodes(model, x, edge_index, nodes, method, _method_options(options),
                                y, edge_attr, progress)


def _graph_tuple(i, graph):
    if isinstance(graph, dict):
        if "x" not in graph or "edge_index" not in graph:
            raise InputError(f"graph {i}: a dict needs 'x' and 'edge_index'")
        return (graph["x"], graph["edge_index"], graph.get("y"), graph.get("edge_attr"))
    if isinstance(graph, SimpleNamespace):
        return _graph_tuple(i, vars(graph))
    if isinstance(graph, (tuple, list)) and 2 <= len(graph) <= 4:
        parts = list(graph) + [None] * (4 - len(graph))
        return tuple(parts)
    raise InputError(f"graph {i}: expected (x, edge_index[, y[, edge_attr]]) or a dict with "
                     f"'x' and 'edge_index', got {type(graph).__name__}")


def _graph_tuples(graphs):
    if isinstance(graphs, (dict, SimpleNamespace)):
        graphs = [graphs]
    return [_graph_tuple(i, g) for i, g in enumerate(graphs)]


def explain_graphs(model, graphs, method="saliency", *, progress=None, **options):
    """Explains a graph classifier's prediction for each graph. A graph is (x, edge_index),
    (x, edge_index, y, edge_attr) or a dict with those keys (gnnx.dataset's graphs are).
    Explanation.target is the graph's index in `graphs`."""
    return _gnnx._explain_graphs(model, _graph_tuples(graphs), method, _method_options(options),
                                 progress)


def fidelity(model, graphs, explanations, top_k=6):
    """Fidelity+/- (probability and accuracy forms), characterisation and sparsity of the
    explanations' top_k edges (Amara et al. 2022): `graphs` as for explain_graphs; a node task
    passes its one graph."""
    return _gnnx._fidelity(model, _graph_tuples(graphs), explanations, top_k)


def _namespace(graph):
    return SimpleNamespace(**graph)


def dataset(name, seed=0, data_dir=""):
    """A benchmark of gnnx.datasets() with its ground truth, as NumPy arrays: name, task,
    num_classes, class_names, eval_targets and graphs (x, edge_index, y, edge_attr,
    gt_edge_mask, gt_node_mask, motif_id; None where absent). The same seed gives the same
    graphs as `gnnx train --dataset NAME --seed SEED`. Molecule benchmarks read their files
    from data_dir (default: $GNNX_SHARED_DATA)."""
    d = _gnnx._dataset(name, seed, data_dir)
    d["graphs"] = [_namespace(g) for g in d["graphs"]]
    return SimpleNamespace(**d)


def train_benchmark(name, out, seed=0, epochs=None):
    """Trains a model on a synthetic benchmark as `gnnx train --dataset NAME --seed SEED` does
    (the same file, bit for bit, apart from the card's `created_by`) and writes it to `out`.
    Returns the train/validation/test accuracies."""
    return _gnnx._train_benchmark(name, out, seed, epochs)


if with_rdkit:
    from ._gnnx import DEFAULT_MOLECULE_METHOD, Fragment, MoleculeExplanation  # noqa: F401
    from .molecules import MoleculeExplainer  # noqa: F401

    __all__ += ["DEFAULT_MOLECULE_METHOD", "Fragment", "MoleculeExplainer", "MoleculeExplanation"]
