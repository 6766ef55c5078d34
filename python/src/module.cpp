// The gnnx Python module's native part, _gnnx. gnnx errors become Python exceptions with the
// same message: gnnx.InputError (a ValueError) for wrong input, gnnx.Error (a RuntimeError) for
// the rest.

#include <gnnx/gnn/error.h>
#include <gnnx/gnn/threads.h>
#include <pybind11/pybind11.h>

#include "bindings.h"
#include "call_scope.h"

namespace py = pybind11;

PYBIND11_MODULE(_gnnx, m) {
  m.doc() = "gnnx: explaining graph neural networks (native part; use the gnnx package)";
  // Translators are tried last registered first: InputError before its base Error.
  py::register_exception<gnnx::Error>(m, "Error", PyExc_RuntimeError);
  py::register_exception<gnnx::InputError>(m, "InputError", PyExc_ValueError);

  // As the command line's `--threads auto`: gnnx's own workers on every core the process may
  // use; LibTorch's intra-op threads stay at 1 inside gnnx calls (call_scope.h).
  gnnx::gnn::set_worker_threads(gnnx::gnn::usable_cores());
  m.def(
      "set_threads",
      [](int workers, int intra_op) {
        gnnx::gnn::set_worker_threads(workers);
        gnnx::python::set_intra_op_threads(intra_op);
      },
      py::arg("workers"), py::arg("intra_op"));
  m.def("get_threads", [] {
    return py::make_tuple(gnnx::gnn::worker_threads(), gnnx::python::intra_op_threads());
  });
  m.def("usable_cores", &gnnx::gnn::usable_cores);

  gnnx::python::bind_models(m);
  gnnx::python::bind_explanations(m);
  gnnx::python::bind_datasets(m);
  gnnx::python::bind_metrics(m);
#ifdef GNNX_PYTHON_WITH_RDKIT
  gnnx::python::bind_molecules(m);
#endif
  m.attr("with_rdkit") =
#ifdef GNNX_PYTHON_WITH_RDKIT
      true;
#else
      false;
#endif
}
