#!/usr/bin/env python3
"""Writes the torch.save fixtures of torch_state_dict_test into OUTDIR (made by PyTorch itself).

For each NAME.pt whose reading should succeed, NAME.expected lists its entries in order, one per
line: name, dtype, shape (comma-separated, "-" for a 0-d tensor) and the values in row-major
order (floats in hex: exact), separated by spaces. Needs torch (Debian: python3-torch).
"""
import collections
import os
import sys
import zipfile

import torch


def write_expected(path, state):
    with open(path, "w") as out:
        for name, t in state.items():
            t = t.detach().contiguous()
            shape = ",".join(str(s) for s in t.shape) or "-"
            flat = t.reshape(-1).tolist()
            if t.dtype.is_floating_point:
                values = [float(v).hex() for v in flat]
            else:
                values = [str(int(v)) for v in flat]
            out.write(" ".join([name, str(t.dtype).replace("torch.", ""), shape] + values) + "\n")


def save(outdir, name, obj, expected=True, **kwargs):
    torch.save(obj, os.path.join(outdir, name + ".pt"), **kwargs)
    if expected:
        write_expected(os.path.join(outdir, name + ".expected"), obj)


def torch2_layout(outdir, source, name):
    """Rewrites SOURCE.pt as torch >= 2.1's torch.save lays an archive out: the records under a
    folder named after the file, plus the records 1.13 does not write (byteorder,
    .format_version, .storage_alignment, .data/serialization_id). The pickle is unchanged:
    2.x still pickles tensors as _rebuild_tensor_v2 over torch.<Type>Storage."""
    with zipfile.ZipFile(os.path.join(outdir, source + ".pt")) as old:
        records = [(info.filename.split("/", 1)[1], old.read(info)) for info in old.infolist()]
    extra = [("byteorder", b"little"), (".format_version", b"1"),
             (".storage_alignment", b"64"), (".data/serialization_id", b"1234567890123456789")]
    with zipfile.ZipFile(os.path.join(outdir, name + ".pt"), "w", zipfile.ZIP_STORED) as new:
        for record, data in records[:1] + extra + records[1:]:
            new.writestr(name + "/" + record, data)
    with open(os.path.join(outdir, source + ".expected")) as src, \
            open(os.path.join(outdir, name + ".expected"), "w") as dst:
        dst.write(src.read())


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    torch.manual_seed(0)

    # A module's state_dict: an OrderedDict with _metadata, nested names, a buffer.
    model = torch.nn.Sequential(
        collections.OrderedDict(
            [("lin", torch.nn.Linear(3, 4)), ("act", torch.nn.ReLU()),
             ("mlp", torch.nn.Sequential(torch.nn.Linear(4, 2), torch.nn.Linear(2, 2, bias=False)))]))
    model.register_buffer("scale", torch.tensor([0.5, 2.0], dtype=torch.float64))
    save(outdir, "module", model.state_dict())
    # The same with pickle protocol 4 (FRAME, MEMOIZE, SHORT_BINUNICODE).
    save(outdir, "module_protocol4", model.state_dict(), pickle_protocol=4)
    # keep_vars: nn.Parameter values (_rebuild_parameter).
    save(outdir, "parameters", model.state_dict(keep_vars=True))
    # The archive layout of torch 2.x (same pickle, more records, another folder name).
    torch2_layout(outdir, "module", "module_torch2_layout")

    # Views: transposed, offset slices of one shared storage, dtypes, empty and 0-d tensors.
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 7
    views = collections.OrderedDict()
    views["transposed"] = base.t()
    views["rows_1_3"] = base[1:3]
    views["column_2"] = base[:, 2]
    views["strided"] = base[::2, 1::2]
    views["long"] = torch.tensor([[1, -2], [3, 2**40]], dtype=torch.int64)
    views["bool"] = torch.tensor([True, False, True])
    views["double"] = torch.tensor([1e-300, -3.25, 1.0 / 3.0], dtype=torch.float64)
    views["empty"] = torch.zeros(0, 5)
    views["scalar"] = torch.tensor(2.5)
    save(outdir, "views", views)

    # Refused: a value that is not a tensor; not a dict; the pre-1.6 format.
    save(outdir, "not_tensor", {"w": torch.ones(2), "num_batches_tracked": 3}, expected=False)
    save(outdir, "not_dict", [torch.ones(2)], expected=False)
    save(outdir, "legacy", {"w": torch.ones(2)}, expected=False,
         _use_new_zipfile_serialization=False)


if __name__ == "__main__":
    main()
