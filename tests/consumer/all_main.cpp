// Uses the installed gnnx through gnnx::gnnx alone, the target for "all of gnnx": the benchmark
// catalogue (gnnx::benchmarks), the explainer registry (gnnx::explainers) and, with molecule
// support, a SMILES parse (gnnx::molecules). Prints a line run_consumer_test.sh checks.

#include <gnnx/benchmarks/catalogue.h>
#include <gnnx/explainers/explainer.h>
#ifdef GNNX_CONSUMER_MOLECULES
#include <GraphMol/ROMol.h>
#include <gnnx/molecules/parse.h>
#endif

#include <iostream>

int main() {
  const gnnx::benchmarks::Benchmark& b = gnnx::benchmarks::find_benchmark("ba-2motifs");
  std::cout << "all: " << b.name << " classes=" << b.class_names.size()
            << " methods=" << gnnx::explainers::methods().size();
#ifdef GNNX_CONSUMER_MOLECULES
  std::cout << " atoms=" << gnnx::molecules::smiles_to_mol("CCO")->getNumAtoms();
#endif
  std::cout << "\n";
  return b.class_names.size() == 2 ? 0 : 1;
}
