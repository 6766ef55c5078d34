"""PyTorch Geometric's GCNConv with edge_weight, timed the way bench/gcn_cuda_bench.cpp times
gnnx: same graph (edge list read from the file it writes), same widths, CUDA events, 3 warm-ups.
Prints one JSON line: {"version", "fwd_ms", "fwd_bwd_ms"}."""
import argparse
import json

import numpy as np
import torch
import torch_geometric
from torch_geometric.nn import GCNConv


def time_ms(f, iters):
    for _ in range(3):
        f()
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(iters):
        f()
    stop.record()
    stop.synchronize()
    return start.elapsed_time(stop) / iters


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--edges-file", required=True)
    p.add_argument("--nodes", type=int, required=True)
    p.add_argument("--width", type=int, required=True)
    p.add_argument("--iters", type=int, default=20)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    dev = torch.device("cuda")
    edge_index = torch.from_numpy(np.fromfile(a.edges_file, dtype=np.int64).reshape(2, -1)).to(dev)
    torch.manual_seed(a.seed + 1)
    n, f = a.nodes, a.width
    x = torch.randn(n, f, device=dev)
    g = torch.randn(n, f, device=dev)
    w = torch.rand(edge_index.size(1), device=dev, requires_grad=True)
    conv = GCNConv(f, f).to(dev)  # normalize with the weighted degree, self-loops, not cached

    def fwd_bwd():
        conv(x, edge_index, w).backward(g)

    def fwd():
        with torch.no_grad():
            conv(x, edge_index, w)

    print(json.dumps({"version": torch_geometric.__version__,
                      "fwd_ms": time_ms(fwd, a.iters), "fwd_bwd_ms": time_ms(fwd_bwd, a.iters)}))


if __name__ == "__main__":
    main()
