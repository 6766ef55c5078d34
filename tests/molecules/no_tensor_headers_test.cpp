// molecule_explainer.h promises pipelines an API without tensors, and with it a compile without
// LibTorch's headers (4,500 of them, most of a file's compile time). This file includes it and
// nothing from LibTorch (its target has no precompiled header) and stops compiling when ATen or
// c10 comes in through it.

#include <gnnx/molecules/molecule_explainer.h>
#include <gnnx/molecules/parse.h>

#if defined(C10_MACROS_MACROS_H_) || defined(TORCH_CHECK)
#error "molecule_explainer.h or parse.h includes LibTorch (c10): keep tensors out of them"
#endif

#include <gtest/gtest.h>

namespace {

TEST(NoTensorHeadersTest, MoleculeExplainerHeaderCompilesWithoutLibTorch) {
  gnnx::molecules::MoleculeExplainerOptions options;
  options.fragment.size = 3;
  EXPECT_TRUE(options.method.symmetric_edges);  // molecules are undirected
  EXPECT_EQ(options.batch, 64);
}

}  // namespace
