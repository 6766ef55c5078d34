"""The Python molecule pipeline that bench/mol_bench.cpp times gnnx against (issue 19, item 1):
what a Python user writes, one molecule at a time.

  parse + featurise   RDKit parses each SMILES; the atoms get gnnx's default features
                      (molecules/include/gnnx/molecules/featurize.h: element one-hot, degree,
                      charge, H count, aromatic, hybridisation, in ring)
  + predict           a GCN forward with the gnnx model's weights (no_grad)
  + explain           torch autograd saliency: d logit[predicted class] / d x, one L2 norm per
                      atom (gnnx's saliency), forward + backward per molecule
  + PNG               one RDKit MolDraw2DCairo PNG per molecule, atoms and bonds highlighted in
                      one drawMolecule call (viridis colours, radius growing with the score)

The GCN is PyTorch Geometric's GCNConv when torch_geometric imports, otherwise the same layer
in plain torch (D^-1/2 (A + I) D^-1/2 x W + b with a sparse adjacency); the JSON line says which
("gcn"). The weights come from the JSON file mol_bench writes (--weights): the model's spec,
its featuriser, every named parameter, and gnnx's logits for the first molecules, which this
script reproduces before timing ("max_logit_diff").

  python3 bench/mol_pipeline.py --weights w.json --data BBBP.csv [--limit N] [--repeats R]
                                [--no-png]

Prints one JSON line: molecules, the seconds (best of --repeats) and molecules/s of each stage
stack, every stack timed from the file as mol_bench's rows are (--no-png: the first three).
"""
import argparse
import csv
import json
import sys
import time

import torch
from rdkit import Chem, RDLogger
from rdkit.Chem.Draw import rdMolDraw2D

try:
    from torch_geometric.nn import GCNConv  # noqa: F401
    HAVE_PYG = True
except ImportError:
    HAVE_PYG = False

HYBRIDISATIONS = [Chem.HybridizationType.SP, Chem.HybridizationType.SP2,
                  Chem.HybridizationType.SP3, Chem.HybridizationType.SP3D,
                  Chem.HybridizationType.SP3D2]
VIRIDIS = [(68, 1, 84), (72, 36, 117), (65, 68, 135), (53, 95, 141), (42, 120, 142),
           (33, 145, 140), (34, 168, 132), (68, 191, 112), (122, 209, 81), (189, 223, 38),
           (253, 231, 37)]


def read_smiles(path, limit):
    """The SMILES column of a CSV (the first column named smiles, any case)."""
    with open(path, newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        col = next(i for i, h in enumerate(header) if h.strip().lower() == "smiles")
        out = [r[col] for r in rows if len(r) > col]
    return out[:limit] if limit > 0 else out


def featurise(mol, feat):
    """gnnx's atom features (featurize.h) and the edge index, two directed edges per bond."""
    elements = feat["elements"]
    index = {e: i for i, e in enumerate(elements)}
    width = len(elements) + (1 if feat["other_element"] else 0) + (24 if feat["chemistry"] else 0)
    n = mol.GetNumAtoms()
    x = torch.zeros(n, width)
    for atom in mol.GetAtoms():
        i = atom.GetIdx()
        col = index.get(atom.GetSymbol())
        if col is None:
            if not feat["other_element"]:
                raise ValueError("element " + atom.GetSymbol() + " not in the model's list")
            col = len(elements)
        x[i, col] = 1
        if not feat["chemistry"]:
            continue
        base = len(elements) + (1 if feat["other_element"] else 0)
        x[i, base + min(atom.GetDegree(), 5)] = 1
        base += 6
        x[i, base + max(-2, min(2, atom.GetFormalCharge())) + 2] = 1
        base += 5
        x[i, base + min(atom.GetTotalNumHs(), 4)] = 1
        base += 5
        x[i, base] = 1 if atom.GetIsAromatic() else 0
        base += 1
        h = atom.GetHybridization()
        x[i, base + (HYBRIDISATIONS.index(h) if h in HYBRIDISATIONS else 5)] = 1
        base += 6
        x[i, base] = 1 if atom.IsInRing() else 0
    src, dst = [], []
    for bond in mol.GetBonds():
        u, v = bond.GetBeginAtomIdx(), bond.GetEndAtomIdx()
        src += [u, v]
        dst += [v, u]
    return x, torch.tensor([src, dst], dtype=torch.long).reshape(2, -1)


class PlainGCNConv(torch.nn.Module):
    """GCNConv without PyTorch Geometric: D^-1/2 (A + I) D^-1/2 (x W) + b, deg = 1 + in-degree."""

    def __init__(self, weight, bias):
        super().__init__()
        self.weight, self.bias = weight, bias  # weight [in, out] as gnnx stores it

    def forward(self, x, edge_index):
        n = x.size(0)
        loops = torch.arange(n).repeat(2, 1)
        ei = torch.cat([edge_index, loops], dim=1)
        deg = torch.zeros(n).index_add_(0, ei[1], torch.ones(ei.size(1)))
        norm = deg[ei[0]].rsqrt() * deg[ei[1]].rsqrt()
        adj = torch.sparse_coo_tensor(ei.flip(0), norm, (n, n))  # row = target, column = source
        return torch.sparse.mm(adj, x @ self.weight) + self.bias


class Gcn(torch.nn.Module):
    """gnnx's GCN graph classifier: ReLU after every layer, a readout, an optional hidden layer,
    a linear head."""

    def __init__(self, weights):
        super().__init__()
        spec, p = weights["spec"], weights["params"]

        def tensor(name):
            t = p[name]
            return torch.tensor(t["data"], dtype=torch.float32).reshape(t["shape"])

        self.convs = torch.nn.ModuleList()
        for i in range(spec["num_layers"]):
            w, b = tensor("conv%d.weight" % i), tensor("conv%d.bias" % i)
            if HAVE_PYG:
                conv = GCNConv(w.size(0), w.size(1))
                with torch.no_grad():
                    conv.lin.weight.copy_(w.t())
                    conv.bias.copy_(b)
            else:
                conv = PlainGCNConv(w, b)
            self.convs.append(conv)
        self.readout = spec["readout"]
        self.hidden = None
        if "hidden_layer.weight" in p:
            self.hidden = (tensor("hidden_layer.weight"), tensor("hidden_layer.bias"))
        self.head = (tensor("head.weight"), tensor("head.bias"))

    def forward(self, x, edge_index):
        h = x
        for conv in self.convs:
            h = torch.relu(conv(h, edge_index))
        if self.readout == "sum":
            g = h.sum(0)
        elif self.readout == "max":
            g = h.max(0).values
        else:
            g = h.mean(0)
        if self.hidden is not None:
            g = torch.relu(g @ self.hidden[0].t() + self.hidden[1])
        return g @ self.head[0].t() + self.head[1]


def viridis(t):
    t = min(max(t, 0.0), 1.0) * 10
    i = min(int(t), 9)
    f = t - i
    return tuple(((1 - f) * VIRIDIS[i][c] + f * VIRIDIS[i + 1][c]) / 255 for c in range(3))


def draw_png(mol, scores, width, height, legend):
    """One MolDraw2DCairo picture: atoms and bonds above 5 % of the largest score highlighted in
    their viridis colour, atom discs growing with the score, in one drawMolecule call."""
    top = max(scores) if scores and max(scores) > 0 else 1.0
    atoms, atom_colours, radii = [], {}, {}
    for i, s in enumerate(scores):
        if s >= 0.05 * top:
            atoms.append(i)
            atom_colours[i] = viridis(s / top)
            radii[i] = 0.25 + 0.2 * s / top
    bonds, bond_colours = [], {}
    for b in mol.GetBonds():
        s = 0.5 * (scores[b.GetBeginAtomIdx()] + scores[b.GetEndAtomIdx()])
        if s >= 0.05 * top:
            bonds.append(b.GetIdx())
            bond_colours[b.GetIdx()] = viridis(s / top)
    drawer = rdMolDraw2D.MolDraw2DCairo(width, height)
    o = drawer.drawOptions()
    o.continuousHighlight = True
    o.fillHighlights = True
    o.atomHighlightsAreCircles = True
    drawer.DrawMolecule(mol, legend=legend, highlightAtoms=atoms, highlightAtomColors=atom_colours,
                        highlightAtomRadii=radii, highlightBonds=bonds,
                        highlightBondColors=bond_colours)
    drawer.FinishDrawing()
    return drawer.GetDrawingText()


def pipeline(smiles, weights, model, stage, width, height):
    """Molecules through the first `stage` steps (1 parse+featurise, 2 + predict, 3 + explain,
    4 + PNG), one at a time; returns how many were parsed."""
    feat = weights["featurizer"]
    done, png_bytes = 0, 0
    for s in smiles:
        mol = Chem.MolFromSmiles(s)
        if mol is None:
            continue
        x, edge_index = featurise(mol, feat)
        done += 1
        if stage == 2:
            with torch.no_grad():
                model(x, edge_index).argmax()
        elif stage >= 3:
            x.requires_grad_(True)
            logits = model(x, edge_index)
            c = int(logits.argmax())
            (grad,) = torch.autograd.grad(logits[c], x)
            scores = grad.norm(dim=1).tolist()
            if stage == 4:
                p = float(torch.softmax(logits.detach(), 0)[c])
                png_bytes += len(draw_png(mol, scores, width, height,
                                          "saliency | p(class %d) = %.3f" % (c, p)))
    if stage == 4 and done > 0 and png_bytes == 0:
        raise RuntimeError("no PNG drawn")
    return done


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--weights", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--limit", type=int, default=0, help="first N records only (0: all)")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--width", type=int, default=600)
    ap.add_argument("--height", type=int, default=450)
    ap.add_argument("--no-png", action="store_true", help="leave out the PNG stage")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    RDLogger.DisableLog("rdApp.*")  # gnnx lists unparsable records on stderr once; not timed
    with open(a.weights) as f:
        weights = json.load(f)
    if weights["spec"]["arch"] != "gcn":
        sys.exit("mol_pipeline: only GCN models (this one is %s)" % weights["spec"]["arch"])
    model = Gcn(weights).eval()
    # The same model as gnnx's: its logits on the first molecules, reproduced.
    diff = 0.0
    for s, expected in zip(weights["check"]["smiles"], weights["check"]["logits"]):
        x, ei = featurise(Chem.MolFromSmiles(s), weights["featurizer"])
        with torch.no_grad():
            got = model(x, ei)
        diff = max(diff, float((got - torch.tensor(expected)).abs().max()))
    smiles = read_smiles(a.data, a.limit)
    names = ["parse+featurise", "+ predict", "+ explain saliency", "+ explain saliency + PNG"]
    if a.no_png:
        names = names[:3]
    stages = []
    for stage, name in enumerate(names, start=1):
        best, n = float("inf"), 0
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            n = pipeline(smiles, weights, model, stage, a.width, a.height)
            best = min(best, time.perf_counter() - t0)
        stages.append({"name": name, "molecules": n, "seconds": best,
                       "per_second": n / best if best > 0 else 0.0})
    print(json.dumps({"gcn": "torch_geometric.GCNConv" if HAVE_PYG else
                      "plain torch, sparse adjacency (torch_geometric is not importable)",
                      "torch": torch.__version__, "rdkit": Chem.rdBase.rdkitVersion,
                      "threads": torch.get_num_threads(), "max_logit_diff": diff,
                      "stages": stages}))


if __name__ == "__main__":
    main()
