#!/usr/bin/env python3
"""Writes PyTorch-trained-model fixtures for `gnnx import` into OUTDIR: for each architecture
NAME, NAME.pt (torch.save(model.state_dict())), NAME.json (the description gnnx import reads),
NAME.graph (the input graph: "n f e d", edge index, features, edge features when d > 0) and NAME.logits (PyTorch's logits on it, float64, in hex).

The layers are plain torch modules written to PyTorch Geometric's semantics and parameter names
(GCNConv, GINConv, GraphConv, SAGEConv, GATConv of torch_geometric.nn), so CI needs no PyG:
a PyG model with the same names exports the same state_dict. Needs torch (python3-torch).
"""
import json
import os
import sys

import torch
from torch import nn


def scatter_sum(src, index, n):
    out = torch.zeros((n,) + src.shape[1:], dtype=src.dtype)
    return out.index_add_(0, index, src)


class GCNConv(nn.Module):  # PyG: add self-loops, symmetric normalisation, lin then propagate
    def __init__(self, i, o):
        super().__init__()
        self.lin = nn.Linear(i, o, bias=False)
        self.bias = nn.Parameter(torch.randn(o) * 0.1)

    def forward(self, x, ei):
        n = x.shape[0]
        loops = torch.arange(n)
        src = torch.cat([ei[0], loops])
        dst = torch.cat([ei[1], loops])
        deg = scatter_sum(torch.ones(src.shape[0], dtype=x.dtype), dst, n)
        norm = deg.pow(-0.5)[src] * deg.pow(-0.5)[dst]
        h = self.lin(x)
        return scatter_sum(norm[:, None] * h[src], dst, n) + self.bias


class GINConv(nn.Module):  # PyG: nn((1 + eps) x_i + sum_j x_j), eps a buffer unless trained
    def __init__(self, i, o):
        super().__init__()
        self.nn = nn.Sequential(nn.Linear(i, o), nn.ReLU(), nn.Linear(o, o))
        self.register_buffer("eps", torch.tensor([0.25]))

    def forward(self, x, ei):
        return self.nn((1 + self.eps) * x + scatter_sum(x[ei[0]], ei[1], x.shape[0]))


class GINEConv(nn.Module):  # PyG: nn((1 + eps) x_i + sum_j ReLU(x_j + lin(e_ji)))
    def __init__(self, i, o, edge_dim):
        super().__init__()
        self.nn = nn.Sequential(nn.Linear(i, o), nn.ReLU(), nn.Linear(o, o))
        self.register_buffer("eps", torch.tensor([-0.5]))
        self.lin = nn.Linear(edge_dim, i)

    def forward(self, x, ei, edge_attr):
        messages = torch.relu(x[ei[0]] + self.lin(edge_attr))
        return self.nn((1 + self.eps) * x + scatter_sum(messages, ei[1], x.shape[0]))


class GraphConv(nn.Module):  # PyG: lin_rel(sum_j x_j) + lin_root(x_i)
    def __init__(self, i, o):
        super().__init__()
        self.lin_rel = nn.Linear(i, o)
        self.lin_root = nn.Linear(i, o, bias=False)

    def forward(self, x, ei):
        return self.lin_rel(scatter_sum(x[ei[0]], ei[1], x.shape[0])) + self.lin_root(x)


class SAGEConv(nn.Module):  # PyG: lin_l(mean_j x_j) + lin_r(x_i)
    def __init__(self, i, o):
        super().__init__()
        self.lin_l = nn.Linear(i, o)
        self.lin_r = nn.Linear(i, o, bias=False)

    def forward(self, x, ei):
        n = x.shape[0]
        deg = scatter_sum(torch.ones(ei.shape[1], dtype=x.dtype), ei[1], n).clamp(min=1)
        return self.lin_l(scatter_sum(x[ei[0]], ei[1], n) / deg[:, None]) + self.lin_r(x)


class GATConv(nn.Module):  # PyG: heads of softmax(LeakyReLU_0.2(a_s.Wx_j + a_d.Wx_i)), self-loops
    def __init__(self, i, o, heads):
        super().__init__()
        self.heads, self.c = heads, o // heads
        self.att_src = nn.Parameter(torch.randn(1, heads, self.c) * 0.5)
        self.att_dst = nn.Parameter(torch.randn(1, heads, self.c) * 0.5)
        self.bias = nn.Parameter(torch.randn(o) * 0.1)
        self.lin = nn.Linear(i, o, bias=False)

    def forward(self, x, ei):
        n = x.shape[0]
        keep = ei[0] != ei[1]
        loops = torch.arange(n)
        src = torch.cat([ei[0][keep], loops])
        dst = torch.cat([ei[1][keep], loops])
        h = self.lin(x).view(n, self.heads, self.c)
        a_src = (h * self.att_src).sum(-1)
        a_dst = (h * self.att_dst).sum(-1)
        e = torch.nn.functional.leaky_relu(a_src[src] + a_dst[dst], 0.2)  # [E, H]
        e_max = torch.full((n, self.heads), -float("inf"), dtype=x.dtype)
        e_max = e_max.scatter_reduce(0, dst[:, None].expand_as(e), e, "amax")
        w = (e - e_max[dst]).exp()
        alpha = w / scatter_sum(w, dst, n)[dst]
        out = scatter_sum(alpha[:, :, None] * h[src], dst, n)
        return out.reshape(n, -1) + self.bias


class Model(nn.Module):
    def __init__(self, conv, task, f, hidden, layers, classes, mlp_hidden=0):
        super().__init__()
        self.task = task
        self.convs = nn.ModuleList([conv(f if l == 0 else hidden, hidden) for l in range(layers)])
        if task == "graph" and mlp_hidden:
            self.hidden_layer = nn.Linear(hidden, mlp_hidden)
            self.head = nn.Linear(mlp_hidden, classes)
        else:
            self.hidden_layer = None
            self.head = nn.Linear(hidden, classes)

    def forward(self, x, ei, edge_attr=None):
        for conv in self.convs:
            x = torch.relu(conv(x, ei) if edge_attr is None else conv(x, ei, edge_attr))
        if self.task == "graph":
            x = x.sum(0, keepdim=True)
            if self.hidden_layer is not None:
                x = torch.relu(self.hidden_layer(x))
        return self.head(x)


def random_graph(n, e, generator):
    src = torch.randint(0, n, (e,), generator=generator)
    dst = torch.randint(0, n, (e,), generator=generator)
    keep = src != dst
    pairs = sorted(set(zip(src[keep].tolist(), dst[keep].tolist())))
    both = sorted(set(pairs) | {(b, a) for a, b in pairs})
    return torch.tensor(both, dtype=torch.long).t()


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    n, f, hidden, classes = 9, 5, 8, 3
    cases = {
        "gcn": (GCNConv, "node", {}),
        "gin": (GINConv, "graph", {"readout": "sum", "mlp_hidden": 6}),
        "graphconv": (GraphConv, "node", {}),
        "sage": (SAGEConv, "node", {}),
        "gat": (lambda i, o: GATConv(i, o, heads=2), "node", {"heads": 2}),
        "gine": (lambda i, o: GINEConv(i, o, edge_dim=3), "graph",
                 {"readout": "sum", "mlp_hidden": 6, "edge_dim": 3}),
    }
    for name, (conv, task, extra) in cases.items():
        model = Model(conv, task, f, hidden, 2, classes, extra.get("mlp_hidden", 0)).double()
        x = torch.rand(n, f, generator=g, dtype=torch.float64)
        ei = random_graph(n, 14, g)
        d = extra.get("edge_dim", 0)
        attr = torch.rand(ei.shape[1], d, generator=g, dtype=torch.float64) if d else None
        torch.save({k: v.float() for k, v in model.state_dict().items()},
                   os.path.join(outdir, name + ".pt"))
        description = {"task": task, "arch": name, "in_features": f, "num_classes": classes,
                       "hidden": hidden, "num_layers": 2, "concat": False, "dropout": 0.0,
                       "class_names": ["a", "b", "c"], **extra}
        with open(os.path.join(outdir, name + ".json"), "w") as out:
            json.dump(description, out)
        with open(os.path.join(outdir, name + ".graph"), "w") as out:
            out.write(f"{n} {f} {ei.shape[1]} {d}\n")
            out.write(" ".join(str(v) for v in ei.reshape(-1).tolist()) + "\n")
            out.write(" ".join(float(v).hex() for v in x.float().double().reshape(-1).tolist()) + "\n")
            if d:
                out.write(" ".join(float(v).hex() for v in attr.float().double().reshape(-1).tolist()) + "\n")
        with open(os.path.join(outdir, name + ".logits"), "w") as out:
            # Logits of the float32-rounded weights and inputs that gnnx reads, in float64.
            m32 = Model(conv, task, f, hidden, 2, classes, extra.get("mlp_hidden", 0)).double()
            m32.load_state_dict({k: v.float().double() for k, v in model.state_dict().items()})
            with torch.no_grad():
                ref = m32(x.float().double(), ei,
                          None if attr is None else attr.float().double())
            out.write(" ".join(float(v).hex() for v in ref.reshape(-1).tolist()) + "\n")


if __name__ == "__main__":
    main()
