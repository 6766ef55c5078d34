#!/usr/bin/env python3
"""GNNExplainer from Python, side by side in one process: gnnx's (gnnx.explain_nodes) against
PyTorch Geometric's (torch_geometric.explain.GNNExplainer) on the same BA-Shapes GCN, the same
targets and PyG's default coefficients (100 epochs, lr 0.01, edge size 0.005 summed, edge
entropy 1.0, one mask entry per directed edge, the model's prediction explained).

Where PyG is not importable (Debian has no package for it), the baseline is PyG 2.x's algorithm
written out in plain PyTorch (its mask initialisation, loss, hard mask from the first step's
gradient and post-processing, on the full graph as PyG runs it), and the output says so.

The model is gnnx's (trained here with gnnx.train_benchmark, or --model); its weights are
copied into the PyTorch model and the two models' logits are checked to agree first. Both sides
run on one thread first (gnnx: one worker, one intra-op thread; torch.set_num_threads(1)), then
gnnx with its default threads. Edge AUC: each target's edges scored against the ground truth,
pooled, over the edges of the target's 3-hop subgraph (gnnx.explanation_auc's protocol).

    PYTHONPATH=build/python python3 python/bench/gnnexplainer_vs_pyg.py --json out.json
"""

import argparse
import json
import math
import os
import platform
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F

import gnnx

try:
    import torch_geometric  # noqa: F401
    from torch_geometric.explain import Explainer, GNNExplainer
    from torch_geometric.nn import GCNConv as PygGCNConv

    HAVE_PYG = True
except ImportError:
    HAVE_PYG = False

EPOCHS, LR, EDGE_SIZE, EDGE_ENT, EPS = 100, 0.01, 0.005, 1.0, 1e-15


class PlainGCNConv(torch.nn.Module):
    """PyG's GCNConv (self-loops, symmetric normalisation, lin then propagate, bias after); an
    edge mask multiplies each real edge's normalised message, self-loops unmasked, as PyG's
    explain hook does."""

    def __init__(self, weight, bias):
        super().__init__()
        self.weight, self.bias = weight, bias  # weight [in, out]

    def forward(self, x, edge_index, edge_mask=None):
        n = x.shape[0]
        loops = torch.arange(n)
        src, dst = torch.cat([edge_index[0], loops]), torch.cat([edge_index[1], loops])
        deg = torch.zeros(n).index_add_(0, dst, torch.ones(src.shape[0]))
        norm = deg.pow(-0.5)[src] * deg.pow(-0.5)[dst]
        if edge_mask is not None:
            norm = norm * torch.cat([edge_mask, torch.ones(n)])
        h = x @ self.weight
        return torch.zeros(n, h.shape[1]).index_add_(0, dst, norm[:, None] * h[src]) + self.bias


class GcnModel(torch.nn.Module):
    """gnnx's node classifier: GCN layers with ReLU, their outputs concatenated, a linear head."""

    def __init__(self, state, layers, use_pyg):
        super().__init__()
        t = {k: torch.from_numpy(v) for k, v in state.items()}
        self.use_pyg = use_pyg
        if use_pyg:
            self.convs = torch.nn.ModuleList()
            for i in range(layers):
                w = t[f"conv{i}.weight"]
                conv = PygGCNConv(w.shape[0], w.shape[1])
                conv.lin.weight.data.copy_(w.T)
                conv.bias.data.copy_(t[f"conv{i}.bias"])
                self.convs.append(conv)
        else:
            self.convs = [PlainGCNConv(t[f"conv{i}.weight"], t[f"conv{i}.bias"])
                          for i in range(layers)]
        self.head_weight, self.head_bias = t["head.weight"], t["head.bias"]

    def forward(self, x, edge_index, edge_mask=None):
        hs, h = [], x
        for conv in self.convs:
            h = torch.relu(conv(h, edge_index) if self.use_pyg else conv(h, edge_index, edge_mask))
            hs.append(h)
        return torch.cat(hs, dim=1) @ self.head_weight.T + self.head_bias


def plain_gnnexplainer(model, x, edge_index, node, seed):
    """PyG 2.x's GNNExplainer for one node (explanation_type 'model', edge mask 'object')."""
    torch.manual_seed(seed)
    n, e = x.shape[0], edge_index.shape[1]
    with torch.no_grad():
        target = model(x, edge_index)[node].argmax()
    std = torch.nn.init.calculate_gain("relu") * math.sqrt(2.0 / (2 * n))
    mask = torch.nn.Parameter(torch.randn(e) * std)
    optimizer = torch.optim.Adam([mask], lr=LR)
    hard = None
    for i in range(EPOCHS):
        optimizer.zero_grad()
        logits = model(x, edge_index, mask.sigmoid())[node]
        loss = F.cross_entropy(logits[None], target[None])
        if hard is not None:
            m = mask[hard].sigmoid()
            ent = -m * torch.log(m + EPS) - (1 - m) * torch.log(1 - m + EPS)
            loss = loss + EDGE_SIZE * m.sum() + EDGE_ENT * ent.mean()
        loss.backward()
        optimizer.step()
        if i == 0:
            hard = mask.grad != 0.0
    out = mask.detach().sigmoid()
    out[~hard] = 0
    return out.numpy()


def pyg_explainer(model):
    return Explainer(model=model, algorithm=GNNExplainer(epochs=EPOCHS, lr=LR),
                     explanation_type="model", edge_mask_type="object", node_mask_type=None,
                     model_config=dict(mode="multiclass_classification", task_level="node",
                                       return_type="raw"))


def pooled_auc(masks, ex, gt):
    """AUC of dense [E] masks over each target's subgraph edges (from gnnx's explanation)."""
    scores = np.concatenate([m[e.edge_ids] for m, e in zip(masks, ex)])
    labels = np.concatenate([gt[e.edge_ids] for e in ex])
    return gnnx.roc_auc(scores, labels)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", help="a gnnx BA-Shapes model (default: trained here, seed 0)")
    p.add_argument("--nodes", type=int, default=60, help="first N of the 60 evaluation targets")
    p.add_argument("--repeats", type=int, default=3, help="timed runs (the median is shown)")
    p.add_argument("--json", help="write the results here")
    a = p.parse_args()

    data = gnnx.dataset("ba-shapes", seed=0)
    g = data.graphs[0]
    targets = [int(t) for t in data.eval_targets[: a.nodes]]
    model_path = a.model
    if model_path is None:
        model_path = os.path.join(tempfile.mkdtemp(), "ba_shapes.gnnx")
        gnnx.train_benchmark("ba-shapes", model_path, seed=0)
    model = gnnx.load_model(model_path)
    x, ei = torch.from_numpy(g.x), torch.from_numpy(g.edge_index)
    torch_model = GcnModel(model.state_dict(), model.num_layers, HAVE_PYG)
    with torch.no_grad():
        np.testing.assert_allclose(torch_model(x, ei).numpy(), model.logits(g.x, g.edge_index),
                                   rtol=1e-4, atol=1e-4)

    options = dict(method="gnnexplainer", epochs=EPOCHS, lr=LR, edge_size=EDGE_SIZE,
                   edge_entropy=EDGE_ENT, edge_laplacian=0.0, asymmetric=True)
    torch.set_num_threads(1)
    gnnx.set_threads(workers=1, intra_op=1)

    def gnnx_batched():
        return gnnx.explain_nodes(model, g.x, g.edge_index, targets, **options)

    def gnnx_singles():
        return [gnnx.explain_nodes(model, g.x, g.edge_index, [t], **options)[0]
                for t in targets]

    def gnnx_own_defaults():
        return gnnx.explain_nodes(model, g.x, g.edge_index, targets, method="gnnexplainer")

    def baseline():
        if not HAVE_PYG:
            return [plain_gnnexplainer(torch_model, x, ei, t, seed=0) for t in targets]
        explainer = pyg_explainer(torch_model)
        masks = []
        for t in targets:
            torch.manual_seed(0)
            masks.append(explainer(x, ei, index=t).edge_mask.detach().numpy())
        return masks

    # One untimed call of each first (allocations, lazy initialisation), then the median of
    # a.repeats timed calls.
    def timed(run):
        run_once = run()
        seconds = []
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            run_once = run()
            seconds.append(time.perf_counter() - t0)
        return run_once, float(np.median(seconds))

    rows = []
    ours, s = timed(gnnx_batched)
    rows.append(("gnnx, all targets in one call", 1, s, gnnx.explanation_auc(ours, g.gt_edge_mask)))
    singles, s = timed(gnnx_singles)
    rows.append(("gnnx, one call per target", 1, s,
                 gnnx.explanation_auc(singles, g.gt_edge_mask)))
    masks, s = timed(baseline)
    name = (f"PyG {torch_geometric.__version__} GNNExplainer, one call per target" if HAVE_PYG
            else "PyG 2.x's GNNExplainer in plain PyTorch (PyG not importable), one call per "
                 "target")
    rows.append((name, 1, s, pooled_auc(masks, ours, g.gt_edge_mask)))
    cores = gnnx.usable_cores()
    gnnx.set_threads(workers=cores, intra_op=1)
    ours, s = timed(gnnx_batched)
    rows.append(("gnnx, all targets in one call, default threads", cores, s,
                 gnnx.explanation_auc(ours, g.gt_edge_mask)))
    own, s = timed(gnnx_own_defaults)
    rows.append(("gnnx, its own defaults (lr 0.1, Laplacian term 100, symmetric mask), "
                 "default threads", cores, s, gnnx.explanation_auc(own, g.gt_edge_mask)))

    baseline = rows[2][2]
    print(f"BA-Shapes, {len(targets)} targets, {EPOCHS} epochs, torch {torch.__version__}, "
          f"{platform.processor() or platform.machine()}, {cores} usable cores")
    print("| run | threads | seconds | per target (ms) | edge AUC | speed-up |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, threads, seconds, auc in rows:
        print(f"| {name} | {threads} | {seconds:.2f} | {1000 * seconds / len(targets):.1f} | "
              f"{auc:.3f} | {baseline / seconds:.1f}x |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"pyg": torch_geometric.__version__ if HAVE_PYG else None,
                       "torch": torch.__version__, "targets": len(targets), "epochs": EPOCHS,
                       "rows": [dict(run=r[0], threads=r[1], seconds=r[2], auc=r[3])
                                for r in rows]}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
