#!/usr/bin/env python3
"""Writes the fuzz harnesses' seed corpora into tests/fuzz/corpus/<harness>/ (committed).

Usage: make_seed_corpus.py GNNX_CLI PYG_FIXTURES STATE_DICT_FIXTURES SHARED_DATA
  GNNX_CLI             the gnnx binary (trains the small model files)
  PYG_FIXTURES         build/tests/pyg_model_fixtures (tools/make_pyg_models.py)
  STATE_DICT_FIXTURES  build/tests/state_dict_fixtures (io/make_state_dict_fixtures.py)
  SHARED_DATA          ../shared/data (the molecule sets and MUTAG)

Seeds are small on purpose: libFuzzer's mutations stay near the seeds' lengths, and one
execution per input must stay in the milliseconds. The input layouts are described at the top
of each harness.
"""
import gzip
import os
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def out_dir(harness):
    d = os.path.join(HERE, "corpus", harness)
    os.makedirs(d, exist_ok=True)
    return d


def write(harness, name, data):
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(out_dir(harness), name), "wb") as f:
        f.write(data)


def head_lines(path, n):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", newline="") as f:
        return "".join(line for _, line in zip(range(n), f))


def model_files(cli):
    """Small models of every architecture and both tasks, trained for a few epochs."""
    runs = {
        "gcn_node": ["--dataset", "ba-shapes", "--hidden", "8", "--layers", "2"],
        "gin_node": ["--dataset", "ba-shapes", "--arch", "gin", "--hidden", "8", "--layers", "2"],
        "gat_node": ["--dataset", "ba-shapes", "--arch", "gat", "--hidden", "8", "--heads", "2",
                     "--layers", "2"],
        "sage_graph": ["--dataset", "ba-2motifs", "--arch", "sage", "--hidden", "8",
                       "--layers", "2"],
        "graphconv_graph": ["--dataset", "ba-2motifs", "--arch", "graphconv", "--hidden", "8",
                            "--layers", "2"],
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in runs.items():
            path = os.path.join(tmp, name + ".gnnx")
            subprocess.run([cli, "train", *args, "--epochs", "2", "--out", path, "--quiet"],
                           check=True, stdout=subprocess.DEVNULL)
            with open(path, "rb") as f:
                write("model_file", name + ".gnnx", f.read())
    for name in ("ba2motifs_before_card.gnnx", "molecule_before_card.gnnx"):
        with open(os.path.join(HERE, "..", "gnn", "data", name), "rb") as f:
            write("model_file", name, f.read())


def state_dicts(pyg_fixtures, state_dict_fixtures):
    """PyG models as <description> \f <storage sizes> \f <data.pkl>, and whole .pt files."""
    for name in sorted(os.listdir(pyg_fixtures)):
        if not name.endswith(".pt"):
            continue
        stem = name[:-3]
        with zipfile.ZipFile(os.path.join(pyg_fixtures, name)) as z:
            records = {n.split("/", 1)[1]: z.read(n) for n in z.namelist()}
        sizes = []
        while "data/%d" % len(sizes) in records:
            sizes.append(len(records["data/%d" % len(sizes)]))
        with open(os.path.join(pyg_fixtures, stem + ".json"), "rb") as f:
            description = f.read()
        write("state_dict", stem + "_import",
              description + b"\f" + " ".join(map(str, sizes)).encode() + b"\f" +
              records["data.pkl"])
        write("state_dict", stem + "_read_only",
              b"\f" + " ".join(map(str, sizes)).encode() + b"\f" + records["data.pkl"])
    for name in ("module.pt", "views.pt", "module_torch2_layout.pt"):
        with open(os.path.join(state_dict_fixtures, name), "rb") as f:
            write("state_dict", name, f.read())


def tu_dataset(shared):
    """The first graphs of MUTAG (with edge labels) and of Mutagenicity (with edge_gt)."""
    for name, folder, graphs in (("MUTAG", "MUTAG/tudataset", 3),
                                 ("Mutagenicity", "Mutagenicity/tudataset", 2)):
        base = os.path.join(shared, folder, name)

        def lines(suffix):
            for path in (base + suffix + ".txt", base + suffix + ".txt.gz"):
                if os.path.exists(path):
                    opener = gzip.open if path.endswith(".gz") else open
                    with opener(path, "rt") as f:
                        return f.read().splitlines()
            return None

        indicator = lines("_graph_indicator")
        nodes = sum(1 for g in indicator if int(g) <= graphs)
        edges = lines("_A")
        keep = [i for i, e in enumerate(edges) if int(e.split(",")[0]) <= nodes]
        parts = ["\n".join(edges[i] for i in keep), "\n".join(indicator[:nodes]),
                 "\n".join(lines("_graph_labels")[:graphs]),
                 "\n".join(lines("_node_labels")[:nodes])]
        for suffix in ("_edge_labels", "_edge_gt"):
            extra = lines(suffix)
            parts.append("\n".join(extra[i] for i in keep) if extra else "")
        while parts and parts[-1] == "":
            parts.pop()
        write("tu_dataset", name.lower(), "\f".join(p + "\n" for p in parts))


def graph_files():
    """A small node task in every shape the reader accepts: CSV and TSV, headers, weights,
    features, splits, named classes and ground truth."""
    edges = "source,target,weight\n0,1,1.5\n1,2,0.5\n2,0,1\n2,3,2\n3,4,1\n4,5,1\n5,3,1\n"
    labels = "node,label,split\n0,0,train\n1,0,train\n2,1,val\n3,1,test\n4,1,train\n5,0,test\n"
    features = "f1,f2\n1,0\n0,1\n1,1\n0.5,0.5\n2,-1\n0,0\n"
    write("graph_files", "full", "\f".join([edges, labels, features, "3,4\n4,5\n", "3\n4\n5\n"]))
    write("graph_files", "minimal", "0,1\n1,2\n\f0,a\n1,b\n2,a\n")
    write("graph_files", "tsv_directed",
          "src\tdst\n0\t1\n1\t2\n2\t0\n\fnode\tlabel\n0\tx\n1\ty\n2\tx\n\f1\t2\n3\t4\n5\t6\n ")


def molecule_text(shared):
    """CSV, TSV and .smi records from the shared sets, each behind its options line."""
    bbbp = head_lines(os.path.join(shared, "bbbp", "BBBP.csv"), 12)
    write("molecule_text", "bbbp", "csv smiles p_np name 0/1\f" + bbbp)
    tox21 = head_lines(os.path.join(shared, "tox21", "tox21.csv"), 8)
    write("molecule_text", "tox21", "csv smiles NR-AR,NR-AhR mol_id 1/2\f" + tox21)
    esol = head_lines(os.path.join(shared, "esol_delaney", "delaney-processed.csv"), 8)
    write("molecule_text", "esol",
          "any smiles - - 0/1\f" + esol)
    mut = head_lines(os.path.join(shared, "Mutagenicity", "mutagenicity_smiles_gt.csv"), 6)
    write("molecule_text", "mutagenicity_gt", "csv smiles - - 0/1\f" + mut)
    ames = head_lines(os.path.join(shared, "ames_hansen2009", "smiles_cas_N6512.smi"), 10)
    write("molecule_text", "ames_smi", "smi - - - 0/1\f" + ames)
    tsv = "id\tSMILES\tactive\nm1\tc1ccccc1[N+](=O)[O-]\t1\nm2\tCC(=O)Oc1ccccc1C(=O)O\t0\n" \
          "m3\t\"C1=CC=CN=C1\"\tNA\nm4\tnot_a_smiles\t1\n"
    write("molecule_text", "tsv", "tsv SMILES active id 0/1\f" + tsv)
    bace = head_lines(os.path.join(shared, "bace", "bace.csv.gz"), 6)
    write("molecule_text", "bace_gz", b"any mol Class - 0/1\f" + gzip.compress(bace.encode(),
                                                                              mtime=0))


MOLBLOCK_V2000 = """nitromethane
  gnnx

  4  3  0  0  0  0  0  0  0  0999 V2000
    0.0000    0.0000    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0
    1.5000    0.0000    0.0000 N   0  3  0  0  0  0  0  0  0  0  0  0
    2.2000    1.2000    0.0000 O   0  0  0  0  0  0  0  0  0  0  0  0
    2.2000   -1.2000    0.0000 O   0  5  0  0  0  0  0  0  0  0  0  0
  1  2  1  0
  2  3  2  0
  2  4  1  0
M  CHG  2   2   1   4  -1
M  END
> <activity>
1

> <name>
nitromethane

$$$$
"""

MOLBLOCK_V3000 = """ethanol
  gnnx

  0  0  0     0  0            999 V3000
M  V30 BEGIN CTAB
M  V30 COUNTS 3 2 0 0 0
M  V30 BEGIN ATOM
M  V30 1 C 0 0 0 0
M  V30 2 C 1.5 0 0 0
M  V30 3 O 2.2 1.2 0 0
M  V30 END ATOM
M  V30 BEGIN BOND
M  V30 1 1 1 2
M  V30 2 1 2 3
M  V30 END BOND
M  V30 END CTAB
M  END
> <activity>
0

$$$$
"""

BENZENE = """benzene
  gnnx

  6  6  0  0  0  0  0  0  0  0999 V2000
    1.2124    0.7000    0.0000 C   0  0
    0.0000    1.4000    0.0000 C   0  0
   -1.2124    0.7000    0.0000 C   0  0
   -1.2124   -0.7000    0.0000 C   0  0
    0.0000   -1.4000    0.0000 C   0  0
    1.2124   -0.7000    0.0000 C   0  0
  1  2  4  0
  2  3  4  0
  3  4  4  0
  4  5  4  0
  5  6  4  0
  6  1  4  0
M  END
> <activity>
NA

$$$$
"""


def sdf():
    write("sdf", "v2000_charged", MOLBLOCK_V2000)
    write("sdf", "v3000", MOLBLOCK_V3000)
    write("sdf", "three_records", BENZENE + MOLBLOCK_V2000 + MOLBLOCK_V3000)
    write("sdf", "no_terminator", MOLBLOCK_V2000.replace("$$$$\n", ""))


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    cli, pyg, state, shared = sys.argv[1:]
    model_files(cli)
    state_dicts(pyg, state)
    tu_dataset(shared)
    graph_files()
    molecule_text(shared)
    sdf()


if __name__ == "__main__":
    main()
