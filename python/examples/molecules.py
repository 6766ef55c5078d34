#!/usr/bin/env python3
"""Molecules from Python, as the README's C++ example: a property model (`gnnx train --data`)
explains SMILES with Grad-CAM; prints the prediction and the explanation fragment and writes
the drawing.

    PYTHONPATH=build/python python3 python/examples/molecules.py MODEL [SMILES] [OUT.svg]
"""
import sys

import gnnx

model = sys.argv[1]
smiles = sys.argv[2] if len(sys.argv) > 2 else "O=[N+]([O-])c1ccccc1"
out = sys.argv[3] if len(sys.argv) > 3 else "explanation.svg"

explainer = gnnx.MoleculeExplainer(model, "grad-cam")
e = explainer.explain(smiles)  # a list of SMILES is explained in batches
print(e.legend)
print("atoms:", " ".join(f"{v:.2f}" for v in e.atoms))
print(f"fragment {e.fragment.smiles} (atoms {e.fragment.atoms})")
with open(out, "w") as f:
    f.write(explainer.draw(smiles, e))
print("drawing ->", out)
