// Lists and trimming (gnnx/io/text.h), against cases worked out by hand.

#include <gnnx/io/text.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gnnx::io {
namespace {

using Items = std::vector<std::string>;

TEST(TextTest, SplitListSkipsEmptyItemsByDefault) {
  EXPECT_EQ(split_list("C,N,O"), (Items{"C", "N", "O"}));
  EXPECT_EQ(split_list("a,,b,"), (Items{"a", "b"}));
  EXPECT_EQ(split_list(",,"), Items{});
  EXPECT_EQ(split_list(""), Items{});
  EXPECT_EQ(split_list(" a , b"), (Items{" a ", " b"}));  // not trimmed
}

TEST(TextTest, SplitListKeepsEveryItemWhenAsked) {
  EXPECT_EQ(split_list("a,,b", ',', EmptyItems::kKeep), (Items{"a", "", "b"}));
  EXPECT_EQ(split_list("a,", ',', EmptyItems::kKeep), (Items{"a", ""}));
  EXPECT_EQ(split_list(",", ',', EmptyItems::kKeep), (Items{"", ""}));
  EXPECT_EQ(split_list("", ',', EmptyItems::kKeep), Items{});
  EXPECT_EQ(split_list("1:5:2", ':', EmptyItems::kKeep), (Items{"1", "5", "2"}));
}

TEST(TextTest, JoinIsTheInverseOfSplitWithEmptyItemsKept) {
  EXPECT_EQ(join({"a", "b", "c"}), "a,b,c");
  EXPECT_EQ(join({"a", "b"}, ", "), "a, b");
  EXPECT_EQ(join({}), "");
  EXPECT_EQ(join({"x"}), "x");
  const std::string text = "p,,q,";
  EXPECT_EQ(join(split_list(text, ',', EmptyItems::kKeep)), text);
}

TEST(TextTest, TrimRemovesSpacesTabsAndLineEnds) {
  EXPECT_EQ(trim("  CCO \t\r\n"), "CCO");
  EXPECT_EQ(trim("a b"), "a b");
  EXPECT_EQ(trim(" \t\r\n"), "");
  EXPECT_EQ(trim(""), "");
}

}  // namespace
}  // namespace gnnx::io
