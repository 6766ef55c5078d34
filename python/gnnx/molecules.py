"""gnnx.MoleculeExplainer: a property model (`gnnx train --data`) explaining molecules given as
SMILES or read from a file (CSV, TSV, SMILES, SDF, optionally gzipped) by RDKit inside gnnx."""

from . import _gnnx
from ._gnnx import InputError


class MoleculeExplainer:
    """Loads a molecule property model once and explains any number of molecules with `method`.

        explainer = gnnx.MoleculeExplainer("bbbp.gnnx")  # guided backprop; or name a method
        e = explainer.explain("O=[N+]([O-])c1ccccc1")
        e.prediction, e.atoms, e.bonds, e.fragment.smiles
        svg = explainer.draw("O=[N+]([O-])c1ccccc1", e)

    method: any of gnnx.methods(); by default gnnx.DEFAULT_MOLECULE_METHOD (guided backprop,
    chosen on Mutagenicity's validation molecules: README, "Defaults on molecules").
    task: which output of a multi-task model ("" = the first). fragment_size > 0: the
    explanation fragment has that many atoms; otherwise it grows while an atom's value is at
    least fragment_threshold times the top atom's, or while it has fewer than
    fragment_min_atoms atoms. batch: molecules per explainer call.
    `options`: the method's options, as for gnnx.explain_nodes (both directions of a bond share
    one mask entry unless asymmetric=True)."""

    def __init__(self, model, method=_gnnx.DEFAULT_MOLECULE_METHOD, *, task="", fragment_size=0,
                 fragment_threshold=0.5, fragment_min_atoms=0, batch=64, **options):
        from . import _method_options

        self._impl = _gnnx._MoleculeExplainer(str(model), method, _method_options(options), task,
                                              fragment_size, fragment_threshold,
                                              fragment_min_atoms, batch)

    @property
    def task(self):
        return self._impl.task

    @property
    def method(self):
        return self._impl.method

    @property
    def regression(self):
        return self._impl.regression

    @property
    def class_names(self):
        """The model's names of class 0 and class 1 (`gnnx train --class-names`); [] if none."""
        return self._impl.class_names

    def explain(self, smiles, *, errors="raise"):
        """One SMILES -> a gnnx.MoleculeExplanation; a list -> a list, in order. The molecules
        that can be explained are batched together whatever the others are.

        errors="raise": a SMILES RDKit cannot read or the model cannot featurise raises
        gnnx.InputError naming the first such one (after all were tried). errors="return" (for
        pipelines): its place in the list holds that gnnx.InputError instead, so every molecule
        gets one result, as with asyncio.gather(return_exceptions=True)."""
        if errors not in ("raise", "return"):
            raise InputError(f"errors must be 'raise' or 'return', got {errors!r}")
        single = isinstance(smiles, str)
        results = []
        for explanation, error in self._impl.explain([smiles] if single else list(smiles)):
            if explanation is None:
                if errors == "raise":
                    raise InputError(error)
                results.append(InputError(error))
            else:
                results.append(explanation)
        return results[0] if single else results

    def predict(self, smiles):
        """The model's predictions (binary task: P(class 1); regression: the value) as a list."""
        if isinstance(smiles, str):
            return self._impl.predict([smiles])[0]
        return self._impl.predict(list(smiles))

    def explain_file(self, path, *, smiles_column="smiles", id_column="", format=""):
        """Every record of a molecule file, in file order: dicts with index, line, id, smiles,
        explanation (None when the record could not be read or explained) and error (why)."""
        return self._impl.explain_file(str(path), smiles_column, id_column, format)

    def draw(self, smiles, explanation, *, format="svg", width=600, height=450, contours=False,
             atom_indices=False):
        """The picture of an explanation: atoms and bonds coloured by importance, the fragment
        outlined, the legend line. SVG as text, PNG as bytes."""
        return self._impl.draw(smiles, explanation, format, width, height, contours,
                               atom_indices)
