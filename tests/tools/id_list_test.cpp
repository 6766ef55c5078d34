// Target lists and shards of the command line (tools/cli/id_list.h, tools/cli/validators.h):
// parsed strictly, checked against the data set's size before they are expanded, and refused by
// CLI11 while the flags are parsed.

#include "cli/id_list.h"

#include <gnnx/gnn/error.h>
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/validators.h"

namespace gnnx::tools {
namespace {

using Ids = std::vector<int64_t>;

/// The message of the InputError parse_id_list throws, or "" when it throws none.
std::string id_list_error(const std::string& spec, int64_t limit) {
  try {
    parse_id_list(spec, limit, "--nodes");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(IdListTest, IdsListsRangesAndAll) {
  EXPECT_EQ(parse_id_list("7", 10, "--nodes"), Ids{7});
  EXPECT_EQ(parse_id_list("1,5,9", 10, "--nodes"), (Ids{1, 5, 9}));
  EXPECT_EQ(parse_id_list("2:5", 10, "--nodes"), (Ids{2, 3, 4}));
  EXPECT_EQ(parse_id_list("0:10:4", 10, "--nodes"), (Ids{0, 4, 8}));
  EXPECT_EQ(parse_id_list("0:2,7", 10, "--nodes"), (Ids{0, 1, 7}));
  EXPECT_EQ(parse_id_list("all", 3, "--nodes"), (Ids{0, 1, 2}));
  EXPECT_EQ(parse_id_list("5:3,1", 10, "--nodes"), Ids{1});  // an empty range adds nothing
  EXPECT_EQ(parse_id_list("3:5:9223372036854775807", 10, "--nodes"), Ids{3});
}

TEST(IdListTest, MalformedPartsAreNamed) {
  const std::string syntax = "is not an id, a list or a range a:b[:step]";
  for (const std::string bad :
       {"x", "1x", "0x10", " 5", "1,,2", "1,", "1:2:3:4", "1:", ":5", "99999999999999999999"}) {
    EXPECT_NE(id_list_error(bad, 10).find(syntax), std::string::npos) << bad;
    EXPECT_NE(id_list_problem(bad).find(syntax), std::string::npos) << bad;
  }
  EXPECT_EQ(id_list_error("1,2x", 10), "--nodes: '2x' " + syntax);
  EXPECT_EQ(id_list_error("0:5:0", 10), "--nodes: step in '0:5:0' must be positive");
  EXPECT_EQ(id_list_error("5:3", 10), "--nodes: '5:3' selects nothing");
  EXPECT_EQ(id_list_problem("all"), "");
  EXPECT_EQ(id_list_problem("400:700:5"), "");
}

TEST(IdListTest, FirstIdOutOfRangeIsNamed) {
  EXPECT_EQ(id_list_error("9999", 700), "--nodes: 9999 is out of range [0, 700)");
  EXPECT_EQ(id_list_error("-1", 700), "--nodes: -1 is out of range [0, 700)");
  EXPECT_EQ(id_list_error("690:720", 700), "--nodes: 700 is out of range [0, 700)");
  EXPECT_EQ(id_list_error("690:720:4", 700), "--nodes: 702 is out of range [0, 700)");
  EXPECT_EQ(id_list_error("690:703:5", 700), "--nodes: 700 is out of range [0, 700)");
  EXPECT_EQ(id_list_error("690:700:5", 700), "");
  EXPECT_EQ(id_list_error("1,800,-3", 700), "--nodes: 800 is out of range [0, 700)");
  // Refused before 10^18 ids are listed.
  EXPECT_EQ(id_list_error("0:1000000000000000000", 700), "--nodes: 700 is out of range [0, 700)");
}

TEST(IdListTest, ATargetListedTwiceIsRefused) {
  EXPECT_EQ(id_list_error("400,400,400", 700),
            "--nodes: 400 is listed 3 times (list each target once)");
  EXPECT_EQ(id_list_error("0:10,5", 700), "--nodes: 5 is listed 2 times (list each target once)");
  EXPECT_EQ(id_list_error("0:10:2,1:10:2", 700), "");  // interleaved ranges do not overlap
}

TEST(ShardTest, ParseShard) {
  EXPECT_EQ(parse_shard("0/4"), (std::pair<int64_t, int64_t>{0, 4}));
  EXPECT_EQ(parse_shard("3/4"), (std::pair<int64_t, int64_t>{3, 4}));
  for (const std::string bad :
       {"4/4", "-1/4", "0/0", "1/x", "1/", "/4", "1/4/2", "1", " 1/4", "0x1/4"}) {
    EXPECT_FALSE(parse_shard(bad).has_value()) << bad;
  }
}

TEST(ShardTest, FlagsAreCheckedWhileParsing) {
  std::string shard_text, nodes;
  CLI::App app;
  app.add_option("--shard", shard_text)->check(shard());
  app.add_option("--nodes", nodes)->check(id_list());
  EXPECT_NO_THROW(app.parse(std::vector<std::string>{"0:10", "--nodes", "1/2", "--shard"}));
  try {
    app.parse(std::vector<std::string>{"3/3", "--shard"});
    ADD_FAILURE() << "no error";
  } catch (const CLI::ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("--shard"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("0 <= i < N"), std::string::npos) << e.what();
  }
  try {
    app.parse(std::vector<std::string>{"1x", "--nodes"});
    ADD_FAILURE() << "no error";
  } catch (const CLI::ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("--nodes: '1x' is not an id"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace gnnx::tools
