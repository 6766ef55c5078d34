#pragma once
// Target lists on the command line (--nodes, --graphs): the syntax is gnnx/io/id_list.h's, which
// the explainer option --fit-targets reads too.

#include <gnnx/io/id_list.h>

namespace gnnx::tools {

using io::id_list_problem;
using io::parse_id_list;

}  // namespace gnnx::tools
