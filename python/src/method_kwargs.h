#pragma once
// A method's options as Python passes them: {"epochs": "300", "edge-size": "0.005"} (the
// Python layer turns keyword arguments into the command line's option names and their values
// into text), checked against the method's registry entry by the same schema the command line
// uses, so that `explain(..., epochs=0)` fails as `--epochs 0` does.

#include <gnnx/explainers/method_options.h>

#include <map>
#include <string>

namespace gnnx::python {

/// `base` (the defaults of the caller: molecules tie both directions of a bond) with the options
/// of `method` (a registry name) from `values` set on it. Throws InputError for an unknown
/// method, an option the method does not read (listing the ones it does), or a value outside
/// the option's type and range.
explainers::MethodOptions method_options(const std::string& method,
                                         const std::map<std::string, std::string>& values,
                                         explainers::MethodOptions base = {});

}  // namespace gnnx::python
