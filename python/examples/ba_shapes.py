#!/usr/bin/env python3
"""BA-Shapes from Python, as the README's C++ example: train a GCN (or load one), explain the 60
evaluation targets with GNNExplainer and score them against the planted houses.

    PYTHONPATH=build/python python3 python/examples/ba_shapes.py [MODEL]
"""
import sys

import gnnx

model_path = sys.argv[1] if len(sys.argv) > 1 else "ba-shapes.gnnx"
if len(sys.argv) <= 1:
    scores = gnnx.train_benchmark("ba-shapes", model_path, seed=0)  # = gnnx train --dataset
    print(f"trained: test accuracy {scores['test_accuracy']:.3f}")
model = gnnx.load_model(model_path)

data = gnnx.dataset("ba-shapes", seed=0)
g = data.graphs[0]  # x [700, 10], edge_index [2, 4110], y, gt_edge_mask, ...
explanations = gnnx.explain_nodes(model, g.x, g.edge_index, data.eval_targets,
                                  method="gnnexplainer", epochs=300)
e = explanations[0]  # node 400: e.edge_ids, e.edge_mask over its 3-hop subgraph
print(f"node {e.target}: class {e.predicted_class} (p = {e.probability:.3f}), "
      f"{len(e.edge_ids)} edges explained")
print(f"edge AUC {gnnx.explanation_auc(explanations, g.gt_edge_mask):.3f}, "
      f"precision@k {gnnx.precision_at_k(explanations, g.gt_edge_mask):.3f}")
f = gnnx.fidelity(model, g, explanations, top_k=6)
print(f"fidelity+ {f['fidelity_plus_prob']:.3f}, fidelity- {f['fidelity_minus_prob']:.3f}")
