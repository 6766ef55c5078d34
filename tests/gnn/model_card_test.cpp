// The model card: every field survives a model file; the flat string map of the files written
// before the card maps into it (and back to the same keys); model files written by an older
// gnnx (tests/gnn/data/*_before_card.gnnx) still load, their metadata in the card.

#include <gnnx/gnn/model_card.h>
#include <gnnx/gnn/model_file.h>

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <string>

namespace gnnx::gnn {
namespace {

namespace fs = std::filesystem;

ModelSpec tiny_spec() {
  ModelSpec spec;
  spec.task = Task::kGraphClassification;
  spec.in_features = 3;
  spec.num_classes = 2;
  spec.hidden = 4;
  spec.num_layers = 1;
  return spec;
}

ModelCard full_card() {
  ModelCard card;
  card.dataset = "mutagenicity";
  card.source = "../shared/data/Mutagenicity/tudataset";
  card.dataset_seed = 7;
  card.property_kind = PropertyKind::kBinary;
  card.tasks = {"label=1"};
  card.class_names = {"mutagen", "nonmutagen"};
  card.featurisation = {"molecule",
                        {{"featurizer.elements", "C,O,Cl"}, {"featurizer.other_element", "0"}}};
  TrainingRecord& t = card.training;
  t.seed = 7;
  t.epochs = 100;
  t.lr = 0.001;
  t.weight_decay = 5e-4;
  t.batch_size = 64;
  t.edge_dropout = 0.05;
  t.train_fraction = 0.8;
  t.val_fraction = 0.1;
  t.split = "stratified";
  t.best_epoch = 42;
  t.train_accuracy = 0.91;
  t.val_accuracy = 0.1 + 0.2;  // not a short decimal: must round-trip exactly
  t.test_accuracy = 0.85;
  t.test_score = NAN;  // e.g. a test split without both labels
  t.cv_folds = 10;
  t.cv_test_accuracy = 0.8;
  card.created_by = "gnnx train --data";
  card.extras = {{"note", "ünïcode ok"}};
  // Two files of one role (a TUDataset folder's) keep their order; a comma in a path is no list.
  card.data_files = {{"graph", "/data/MUTAG/MUTAG_A.txt", "0badf00d"},
                     {"graph", "/data/MUTAG/MUTAG_graph_indicator.txt", "cbf43926"},
                     {"labels", "/data/a,b/labels.csv", "00000001"}};
  return card;
}

void expect_same(const ModelCard& a, const ModelCard& b) {
  EXPECT_EQ(a.to_metadata(), b.to_metadata());
  EXPECT_EQ(a.dataset, b.dataset);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.dataset_seed, b.dataset_seed);
  EXPECT_EQ(a.property_kind, b.property_kind);
  EXPECT_EQ(a.tasks, b.tasks);
  EXPECT_EQ(a.class_names, b.class_names);
  EXPECT_EQ(a.featurisation.name, b.featurisation.name);
  EXPECT_EQ(a.featurisation.options, b.featurisation.options);
  EXPECT_EQ(a.training.epochs, b.training.epochs);
  EXPECT_EQ(a.training.val_accuracy, b.training.val_accuracy);
  EXPECT_EQ(a.training.split, b.training.split);
  EXPECT_EQ(a.training.test_score.has_value(), b.training.test_score.has_value());
  EXPECT_EQ(a.created_by, b.created_by);
  EXPECT_EQ(a.extras, b.extras);
  ASSERT_EQ(a.data_files.size(), b.data_files.size());
  for (size_t i = 0; i < a.data_files.size(); ++i) {
    EXPECT_EQ(a.data_files[i].role, b.data_files[i].role);
    EXPECT_EQ(a.data_files[i].path, b.data_files[i].path);
    EXPECT_EQ(a.data_files[i].crc32, b.data_files[i].crc32);
  }
}

TEST(ModelCardTest, EveryFieldRoundTripsThroughAModelFile) {
  const fs::path path =
      fs::temp_directory_path() / ("gnnx_model_card_test_" + std::to_string(::getpid()) + ".gnnx");
  const ModelCard card = full_card();
  save_model(path.string(), *make_model(tiny_spec()), card);
  const ModelFile file = load_model(path.string());
  fs::remove(path);
  expect_same(file.card, card);
  ASSERT_TRUE(file.card.training.test_score.has_value());
  EXPECT_TRUE(std::isnan(*file.card.training.test_score));
  EXPECT_EQ(file.metadata, card.to_metadata());
  EXPECT_EQ(file.metadata.at("property.tasks"), "label=1");
}

TEST(ModelCardTest, AnEmptyCardIsAnEmptyMap) {
  EXPECT_TRUE(ModelCard().to_metadata().empty());
  expect_same(ModelCard::from_metadata({}), ModelCard());
}

TEST(ModelCardTest, FlatMapRoundTrips) {
  const ModelCard card = full_card();
  expect_same(ModelCard::from_metadata(card.to_metadata()), card);
}

TEST(ModelCardTest, OldMetadataMapsIntoTheCard) {
  // What `gnnx train --dataset` wrote before the card.
  const std::map<std::string, std::string> synthetic = {{"dataset", "ba-shapes"},
                                                        {"dataset_seed", "3"},
                                                        {"seed", "3"},
                                                        {"epochs", "1000"},
                                                        {"lr", "0.01"},
                                                        {"weight_decay", "0.00050000000000000001"},
                                                        {"batch_size", "64"},
                                                        {"edge_dropout", "0"},
                                                        {"train_fraction", "0.80000000000000004"},
                                                        {"val_fraction", "0.10000000000000001"},
                                                        {"best_epoch", "977"},
                                                        {"train_accuracy", "0.75"},
                                                        {"val_accuracy", "0.5"},
                                                        {"test_accuracy", "0.875"},
                                                        {"created_by", "gnnx train"}};
  const ModelCard a = ModelCard::from_metadata(synthetic);
  EXPECT_EQ(a.dataset, "ba-shapes");
  EXPECT_EQ(a.dataset_seed, 3u);
  EXPECT_EQ(a.training.seed, 3u);
  EXPECT_EQ(a.training.epochs, 1000);
  EXPECT_EQ(a.training.lr, 0.01);
  EXPECT_EQ(a.training.weight_decay, 5e-4);
  EXPECT_EQ(a.training.best_epoch, 977);
  EXPECT_EQ(a.created_by, "gnnx train");
  EXPECT_FALSE(a.is_property_model());
  EXPECT_TRUE(a.extras.empty());
  EXPECT_EQ(a.to_metadata(), synthetic);  // the same keys and values back

  // What `gnnx train --data` wrote, with a key the card does not know and a malformed number.
  const std::map<std::string, std::string> molecule = {{"created_by", "gnnx train --data"},
                                                       {"data", "mutag/tudataset"},
                                                       {"property.kind", "classification"},
                                                       {"property.tasks", "label=1"},
                                                       {"seed", "0"},
                                                       {"epochs", "many"},
                                                       {"split", "random"},
                                                       {"test_score", "nan"},
                                                       {"featurizer.elements", "C,N,O,F,I,Cl,Br"},
                                                       {"featurizer.other_element", "0"},
                                                       {"featurizer.chemistry", "0"},
                                                       {"featurizer.explicit_hydrogens", "0"},
                                                       {"note", "kept"}};
  const ModelCard b = ModelCard::from_metadata(molecule);
  EXPECT_EQ(b.source, "mutag/tudataset");
  EXPECT_EQ(b.property_kind, PropertyKind::kBinary);
  EXPECT_EQ(b.tasks, std::vector<std::string>{"label=1"});
  EXPECT_EQ(b.featurisation.options.size(), 4u);
  EXPECT_EQ(b.featurisation.options.at("featurizer.elements"), "C,N,O,F,I,Cl,Br");
  EXPECT_FALSE(b.training.epochs.has_value());
  EXPECT_TRUE(std::isnan(b.training.test_score.value()));
  EXPECT_EQ(b.extras, (std::map<std::string, std::string>{{"epochs", "many"}, {"note", "kept"}}));
  EXPECT_EQ(b.to_metadata(), molecule);
}

// Files written by `gnnx train` before the card existed (gnnx at ba0903a):
//   gnnx train --dataset ba-2motifs --epochs 2 --hidden 4 --layers 1 --seed 5
//   gnnx train --data mols.csv --target active --featurizer mutag --epochs 1 --hidden 4
TEST(ModelCardTest, FilesWrittenBeforeTheCardLoad) {
  const ModelFile synthetic = load_model(GNNX_TEST_DATA "/ba2motifs_before_card.gnnx");
  EXPECT_EQ(synthetic.card.dataset, "ba-2motifs");
  EXPECT_EQ(synthetic.card.dataset_seed, 5u);
  EXPECT_EQ(synthetic.card.training.epochs, 2);
  EXPECT_TRUE(synthetic.card.training.test_accuracy.has_value());
  EXPECT_EQ(synthetic.card.created_by, "gnnx train");
  EXPECT_FALSE(synthetic.card.is_property_model());
  EXPECT_TRUE(synthetic.card.extras.empty());
  EXPECT_TRUE(synthetic.card.data_files.empty());  // no files of the user's own
  EXPECT_EQ(synthetic.metadata.at("dataset"), "ba-2motifs");
  EXPECT_EQ(synthetic.model->spec().hidden, 4);

  const ModelFile molecule = load_model(GNNX_TEST_DATA "/molecule_before_card.gnnx");
  EXPECT_EQ(molecule.card.property_kind, PropertyKind::kBinary);
  EXPECT_EQ(molecule.card.tasks, std::vector<std::string>{"active"});
  EXPECT_EQ(molecule.card.source, "mols.csv");
  EXPECT_EQ(molecule.card.training.split, "random");
  EXPECT_EQ(molecule.card.featurisation.options.at("featurizer.elements"), "C,N,O,F,I,Cl,Br");
  EXPECT_EQ(molecule.card.created_by, "gnnx train --data");
  EXPECT_TRUE(molecule.card.extras.empty());
  EXPECT_EQ(molecule.metadata.at("property.kind"), "classification");
}

}  // namespace
}  // namespace gnnx::gnn
