#pragma once
// The parts of the gnnx Python module (_gnnx), each bound in its own file; module.cpp calls them
// in order. The Python package (python/gnnx/__init__.py) wraps the underscored functions into
// the documented API.

#include <pybind11/pybind11.h>

namespace gnnx::python {

void bind_models(pybind11::module_& m);        // model_handle.cpp: Model, load_model
void bind_explanations(pybind11::module_& m);  // explain_bindings.cpp
void bind_datasets(pybind11::module_& m);      // dataset_bindings.cpp: benchmarks, training
void bind_metrics(pybind11::module_& m);       // metric_bindings.cpp
void bind_molecules(pybind11::module_& m);     // molecule_bindings.cpp (RDKit builds)

}  // namespace gnnx::python
