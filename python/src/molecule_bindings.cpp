// gnnx.MoleculeExplainer: molecules from SMILES or files (through RDKit, in C++), explained by a
// property model; importances per atom and bond as NumPy arrays, the explanation fragment and
// the drawings as bytes.

#include <GraphMol/ROMol.h>
#include <gnnx/gnn/error.h>
#include <gnnx/molecules/molecule_explainer.h>
#include <gnnx/molecules/parse.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "bindings.h"
#include "call_scope.h"
#include "method_kwargs.h"

namespace py = pybind11;

namespace gnnx::python {
namespace {

using molecules::MoleculeExplanation;

py::array_t<double> doubles(const std::vector<double>& v) {
  return py::array_t<double>(static_cast<py::ssize_t>(v.size()), v.data());
}

// One explainer and the lock that keeps two Python threads from using it at once (a
// MoleculeExplainer is not reentrant; the GIL is released while it works).
class PyMoleculeExplainer {
 public:
  PyMoleculeExplainer(const std::string& model, const std::string& method,
                      const std::map<std::string, std::string>& options, const std::string& task,
                      int64_t fragment_size, double fragment_threshold, int64_t fragment_min_atoms,
                      int64_t batch) {
    molecules::MoleculeExplainerOptions o;
    o.task = task;
    o.method = method_options(method, options, o.method);
    o.fragment.size = fragment_size;
    o.fragment.threshold = fragment_threshold;
    o.fragment.min_atoms = fragment_min_atoms;
    o.batch = batch;
    if (batch < 1) throw InputError("batch must be >= 1, got " + std::to_string(batch));
    CallScope scope;
    impl_ = std::make_unique<molecules::MoleculeExplainer>(model, method, o);
  }

  // One (explanation or None, error) pair per SMILES, in order: a SMILES RDKit cannot read gets
  // its error here, the others go to the library's batch call together.
  std::vector<std::pair<std::optional<MoleculeExplanation>, std::string>> explain(
      const std::vector<std::string>& smiles) {
    std::vector<std::pair<std::optional<MoleculeExplanation>, std::string>> out(smiles.size());
    std::vector<std::unique_ptr<RDKit::ROMol>> owned;
    std::vector<const RDKit::ROMol*> views;
    std::vector<size_t> parsed;
    for (size_t i = 0; i < smiles.size(); ++i) {
      molecules::ParseResult r = molecules::parse_smiles(smiles[i]);
      if (!r) {
        out[i].second = "smiles[" + std::to_string(i) + "] '" + smiles[i] +
                        "' is not a valid molecule: " + r.error;
        continue;
      }
      views.push_back(r.mol.get());
      owned.push_back(std::move(r.mol));
      parsed.push_back(i);
    }
    std::vector<molecules::MoleculeResult> results;
    {
      CallScope scope;
      std::lock_guard<std::mutex> lock(mutex_);
      results = impl_->explain(views);
    }
    for (size_t k = 0; k < parsed.size(); ++k) {
      const size_t i = parsed[k];
      out[i].first = std::move(results[k].explanation);
      if (!out[i].first)
        out[i].second =
            "smiles[" + std::to_string(i) + "] '" + smiles[i] + "': " + results[k].error;
    }
    return out;
  }

  std::vector<double> predict(const std::vector<std::string>& smiles) {
    const Parsed mols(smiles);
    CallScope scope;
    std::lock_guard<std::mutex> lock(mutex_);
    return impl_->predict(mols.views);
  }

  py::list explain_file(const std::string& path, const std::string& smiles_column,
                        const std::string& id_column, const std::string& format) {
    molecules::ReadOptions read;
    read.smiles_column = smiles_column;
    read.id_column = id_column;
    read.format = format;
    molecules::MoleculeSet set;
    std::vector<molecules::RecordExplanation> records;
    {
      CallScope scope;
      std::lock_guard<std::mutex> lock(mutex_);
      set = molecules::read_molecules(path, read);
      records = impl_->explain_records(set);
    }
    py::list out;
    for (const auto& r : records) {
      py::dict d;
      d["index"] = r.index;
      d["line"] = r.line;
      d["id"] = r.id;
      d["smiles"] = r.smiles;
      d["explanation"] = r.explanation ? py::cast(*r.explanation) : py::none();
      d["error"] = r.error;
      out.append(d);
    }
    return out;
  }

  py::object draw(const std::string& smiles, const MoleculeExplanation& e,
                  const std::string& format, int width, int height, bool contours,
                  bool atom_indices) {
    if (format != "svg" && format != "png") {
      throw InputError("format must be 'svg' or 'png', got '" + format + "'");
    }
    const auto mol = molecules::smiles_to_mol(smiles);
    molecules::DrawOptions o;
    o.width = width;
    o.height = height;
    o.contours = contours;
    o.atom_indices = atom_indices;
    std::string picture;
    {
      CallScope scope;
      std::lock_guard<std::mutex> lock(mutex_);
      picture = impl_->draw(
          *mol, e, format == "svg" ? molecules::ImageFormat::kSvg : molecules::ImageFormat::kPng,
          o);
    }
    if (format == "svg") return py::str(picture);
    return py::bytes(picture);
  }

  const molecules::MoleculeExplainer& impl() const { return *impl_; }

 private:
  // Every SMILES parsed before any work; a bad one names its position and RDKit's reason.
  struct Parsed {
    explicit Parsed(const std::vector<std::string>& smiles) {
      for (size_t i = 0; i < smiles.size(); ++i) {
        molecules::ParseResult r = molecules::parse_smiles(smiles[i]);
        if (!r) {
          throw InputError("smiles[" + std::to_string(i) + "] '" + smiles[i] +
                           "' is not a valid molecule: " + r.error);
        }
        views.push_back(r.mol.get());
        owned.push_back(std::move(r.mol));
      }
    }
    std::vector<std::unique_ptr<RDKit::ROMol>> owned;
    std::vector<const RDKit::ROMol*> views;
  };

  std::unique_ptr<molecules::MoleculeExplainer> impl_;
  std::mutex mutex_;
};

}  // namespace

void bind_molecules(py::module_& m) {
  py::class_<molecules::Fragment>(m, "Fragment",
                                  "The explanation subgraph: the connected substructure of the "
                                  "most important atoms.")
      .def_readonly("atoms", &molecules::Fragment::atoms, "RDKit atom indices, ascending")
      .def_readonly("bonds", &molecules::Fragment::bonds, "RDKit bond indices, ascending")
      .def_readonly("smiles", &molecules::Fragment::smiles)
      .def_readonly("smarts", &molecules::Fragment::smarts)
      .def("__repr__",
           [](const molecules::Fragment& f) { return "<gnnx.Fragment '" + f.smiles + "'>"; });

  py::class_<MoleculeExplanation>(m, "MoleculeExplanation")
      .def_readonly("prediction", &MoleculeExplanation::prediction,
                    "binary task: P(class 1); regression: the predicted value")
      .def_readonly("predicted_class", &MoleculeExplanation::predicted_class)
      .def_readonly("explained_class", &MoleculeExplanation::explained_class)
      .def_readonly("predicted_class_name", &MoleculeExplanation::predicted_class_name,
                    "the model's name of predicted_class ('' when it names no classes)")
      .def_readonly("explained_class_name", &MoleculeExplanation::explained_class_name,
                    "the model's name of explained_class ('' when it names no classes)")
      .def_property_readonly(
          "atoms", [](const MoleculeExplanation& e) { return doubles(e.atoms); },
          "importance per RDKit atom")
      .def_property_readonly(
          "bonds", [](const MoleculeExplanation& e) { return doubles(e.bonds); },
          "importance per RDKit bond")
      .def_readonly("fragment", &MoleculeExplanation::fragment)
      .def_readonly("legend", &MoleculeExplanation::legend)
      .def("__repr__", [](const MoleculeExplanation& e) {
        return "<gnnx.MoleculeExplanation " + e.legend + ", fragment '" + e.fragment.smiles + "'>";
      });

  m.attr("DEFAULT_MOLECULE_METHOD") = molecules::kDefaultMoleculeMethod;
  py::class_<PyMoleculeExplainer>(m, "_MoleculeExplainer")
      .def(py::init<const std::string&, const std::string&,
                    const std::map<std::string, std::string>&, const std::string&, int64_t, double,
                    int64_t, int64_t>(),
           py::arg("model"), py::arg("method"), py::arg("options"), py::arg("task"),
           py::arg("fragment_size"), py::arg("fragment_threshold"), py::arg("fragment_min_atoms"),
           py::arg("batch"))
      .def("explain", &PyMoleculeExplainer::explain, py::arg("smiles"))
      .def("predict", &PyMoleculeExplainer::predict, py::arg("smiles"))
      .def("explain_file", &PyMoleculeExplainer::explain_file, py::arg("path"),
           py::arg("smiles_column"), py::arg("id_column"), py::arg("format"))
      .def("draw", &PyMoleculeExplainer::draw, py::arg("smiles"), py::arg("explanation"),
           py::arg("format"), py::arg("width"), py::arg("height"), py::arg("contours"),
           py::arg("atom_indices"))
      .def_property_readonly("task", [](const PyMoleculeExplainer& e) { return e.impl().task(); })
      .def_property_readonly("method",
                             [](const PyMoleculeExplainer& e) { return e.impl().method(); })
      .def_property_readonly("regression",
                             [](const PyMoleculeExplainer& e) { return e.impl().regression(); })
      .def_property_readonly("class_names",
                             [](const PyMoleculeExplainer& e) { return e.impl().class_names(); });
}

}  // namespace gnnx::python
