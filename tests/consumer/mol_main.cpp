// Explain a molecule with an installed gnnx: RDKit molecule in, importances, fragment and a
// PNG out, no tensors. Usage: mol_consumer MODEL.gnnx SMILES OUT.png
#include <GraphMol/ROMol.h>
#include <gnnx/molecules/molecule_explainer.h>
#include <gnnx/molecules/parse.h>

#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  namespace mol = gnnx::molecules;
  mol::MoleculeExplainerOptions options;
  options.fragment.size = 3;  // explanation fragment: the 3 most important connected atoms
  mol::MoleculeExplainer explainer(argv[1], "grad-cam", options);

  std::unique_ptr<RDKit::ROMol> m = mol::smiles_to_mol(argv[2]);  // or any RDKit::ROMol
  mol::MoleculeExplanation e = explainer.explain(*m);  // explain({&m1, &m2, ...}) batches
  std::cout << "prediction " << e.prediction << " fragment " << e.fragment.smiles << " smarts "
            << e.fragment.smarts << "\natoms";
  for (double w : e.atoms) std::cout << " " << w;  // one weight per atom, e.bonds per bond
  std::cout << "\n";

  std::string png = explainer.draw(*m, e, mol::ImageFormat::kPng);  // or kSvg: SVG text
  std::ofstream(argv[3], std::ios::binary) << png;
  return e.atoms.size() == m->getNumAtoms() && e.bonds.size() == m->getNumBonds() ? 0 : 1;
}
