// CSV records (gnnx/io/csv.h) against the examples of RFC 4180 section 2, worked out by hand.

#include <gnnx/gnn/error.h>
#include <gnnx/io/csv.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace gnnx::io {
namespace {

using Fields = std::vector<std::string>;

std::vector<Fields> fields_of(const std::string& text, char delimiter = ',') {
  std::vector<Fields> out;
  for (auto& r : read_csv(text, "t.csv", delimiter)) out.push_back(r.fields);
  return out;
}

TEST(CsvTest, PlainRecordsWithAndWithoutFinalLineBreak) {  // RFC 4180 2.1, 2.2
  EXPECT_EQ(fields_of("aaa,bbb,ccc\nzzz,yyy,xxx\n"),
            (std::vector<Fields>{{"aaa", "bbb", "ccc"}, {"zzz", "yyy", "xxx"}}));
  EXPECT_EQ(fields_of("aaa,bbb,ccc\nzzz,yyy,xxx"),
            (std::vector<Fields>{{"aaa", "bbb", "ccc"}, {"zzz", "yyy", "xxx"}}));
}

TEST(CsvTest, CrlfLineBreaks) {
  EXPECT_EQ(fields_of("a,b\r\nc,d\r\n"), (std::vector<Fields>{{"a", "b"}, {"c", "d"}}));
}

TEST(CsvTest, QuotedFieldsMayHoldCommasQuotesAndLineBreaks) {  // RFC 4180 2.5-2.7
  EXPECT_EQ(fields_of("\"aaa\",\"bbb\",\"ccc\"\n"), (std::vector<Fields>{{"aaa", "bbb", "ccc"}}));
  EXPECT_EQ(fields_of("\"aaa\",\"b,bb\",\"ccc\"\n"), (std::vector<Fields>{{"aaa", "b,bb", "ccc"}}));
  EXPECT_EQ(fields_of("\"aaa\",\"b\"\"bb\",\"ccc\"\n"),
            (std::vector<Fields>{{"aaa", "b\"bb", "ccc"}}));
  EXPECT_EQ(fields_of("\"aaa\",\"b\nbb\",\"ccc\"\nzzz,yyy,xxx\n"),
            (std::vector<Fields>{{"aaa", "b\nbb", "ccc"}, {"zzz", "yyy", "xxx"}}));
}

TEST(CsvTest, EmptyFieldsAndAnEmptyQuotedField) {
  EXPECT_EQ(fields_of("a,,c,\n"), (std::vector<Fields>{{"a", "", "c", ""}}));
  EXPECT_EQ(fields_of("\"\",x,\"\"\"\"\n"), (std::vector<Fields>{{"", "x", "\""}}));
}

TEST(CsvTest, GraphAttributionRuleMatchesStayOneField) {
  EXPECT_EQ(fields_of("0,4,\"fluoride=3;carbonyl=1,2\",1\n"),
            (std::vector<Fields>{{"0", "4", "fluoride=3;carbonyl=1,2", "1"}}));
}

TEST(CsvTest, RecordsStartOnTheLinesTheyAreOn) {
  const auto records = read_csv("h1,h2\n\n  \n\"multi\nline\",x\r\nlast,y\n", "t.csv");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].line, 1);
  EXPECT_EQ(records[1].line, 4);  // blank and whitespace-only lines are no records
  EXPECT_EQ(records[1].fields, (Fields{"multi\nline", "x"}));
  EXPECT_EQ(records[2].line, 6);
}

TEST(CsvTest, TabsAsDelimiter) {
  EXPECT_EQ(fields_of("SMILES\tlogS\nCCO \t0.5\n", '\t'),
            (std::vector<Fields>{{"SMILES", "logS"}, {"CCO ", "0.5"}}));
}

TEST(CsvTest, LenientQuoteInsideAnUnquotedField) {
  // Not RFC 4180; the molecule readers always read it this way.
  EXPECT_EQ(fields_of("a\"b,c\"d,e\n"), (std::vector<Fields>{{"ab,cd", "e"}}));
}

TEST(CsvTest, UnterminatedQuoteNamesTheFileAndTheRecordsLine) {
  try {
    read_csv("a,b\n1,\"open\nstill open\n", "data.csv");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "data.csv:2: unterminated quoted field");
  }
}

TEST(CsvTest, FieldsAreQuotedOnlyWhenTheyMustBe) {
  EXPECT_EQ(csv_field("CCO"), "CCO");
  EXPECT_EQ(csv_field("[C,N]"), "\"[C,N]\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("a\tb"), "a\tb");
  EXPECT_EQ(csv_field("a\tb", '\t'), "\"a\tb\"");
  // Written, then read back.
  const std::vector<std::string> values = {"plain", "[C,N]", "q\"q", "two\nlines", "", "x\r"};
  std::string line;
  for (const auto& v : values) line += (line.empty() ? "" : ",") + csv_field(v);
  const auto records = read_csv(line + "\n", "w.csv");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, values);
}

TEST(CsvTest, ReaderReadsOneRecordAtATime) {
  std::istringstream in("x,y\n1,2\n");
  CsvReader reader(in, "s.csv");
  const auto header = reader.next();
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(header->fields, (Fields{"x", "y"}));
  const auto row = reader.next();
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->line, 2);
  EXPECT_FALSE(reader.next().has_value());
  EXPECT_FALSE(reader.next().has_value());
}

}  // namespace
}  // namespace gnnx::io
