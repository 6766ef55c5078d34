// Strict number parsing (gnnx/io/number.h): the whole text is the number or it is an error.

#include <gnnx/gnn/error.h>
#include <gnnx/io/number.h>
#include <gtest/gtest.h>
#include <support/expect_error.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace gnnx::io {
namespace {

using gnnx::testing::expect_error;

TEST(NumberTest, IntegersAreTheWholeText) {
  EXPECT_EQ(to_integer<int64_t>("12"), 12);
  EXPECT_EQ(to_integer<int64_t>("-1"), -1);
  EXPECT_EQ(to_integer<int64_t>("007"), 7);
  EXPECT_EQ(to_integer<int>("2147483647"), 2147483647);
  EXPECT_EQ(to_integer<int64_t>("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(to_integer<int64_t>("-9223372036854775808"), std::numeric_limits<int64_t>::min());
  // Spaces are the caller's to trim: " 5" and "5 " are not numbers.
  for (const char* bad : {"", " 5", "5 ", "+5", "0x10", "1e3", "12abc", "1.0", "-", "--1", "١"}) {
    EXPECT_FALSE(to_integer<int64_t>(bad).has_value()) << "'" << bad << "'";
  }
}

TEST(NumberTest, OutOfRangeIsAnErrorNotAWrap) {
  EXPECT_FALSE(to_integer<int64_t>("99999999999999999999").has_value());
  EXPECT_FALSE(to_integer<int64_t>("9223372036854775808").has_value());
  EXPECT_FALSE(to_integer<int>("2147483648").has_value());
  EXPECT_FALSE(to_integer<uint64_t>("18446744073709551616").has_value());
  EXPECT_EQ(to_integer<uint64_t>("18446744073709551615"), std::numeric_limits<uint64_t>::max());
}

TEST(NumberTest, NegativeIsNotUnsigned) {
  EXPECT_FALSE(to_integer<uint64_t>("-1").has_value());
  EXPECT_FALSE(to_integer<uint64_t>("-0").has_value());
  EXPECT_EQ(to_integer<uint64_t>("0"), 0u);
}

TEST(NumberTest, ParseFunctionsNameTheValueAndTheProblem) {
  EXPECT_EQ(parse_int64("-42", "x"), -42);
  EXPECT_EQ(parse_uint64("42", "x"), 42u);
  expect_error([] { parse_int64("0x10", "f.csv:3"); }, "f.csv:3: '0x10' is not an integer");
  expect_error([] { parse_int64("99999999999999999999", "--seed"); },
               "--seed: '99999999999999999999' is out of range");
  expect_error([] { parse_uint64("-1", "--seed"); }, "--seed: '-1' is not a non-negative integer");
  expect_error([] { parse_uint64(" 5", "--seed"); }, "' 5' is not a non-negative integer");
}

TEST(NumberTest, DoublesInDecimalAndScientificNotation) {
  EXPECT_EQ(to_double("0.5"), 0.5);
  EXPECT_EQ(to_double("-2"), -2.0);
  EXPECT_EQ(to_double("1e-3"), 1e-3);
  EXPECT_EQ(to_double(".25"), 0.25);
  EXPECT_EQ(to_double("1E2"), 100.0);
  for (const char* bad : {"", " 1", "1 ", "+1", "0x1p3", "1,5", "abc", "1e", "1e999"}) {
    EXPECT_FALSE(to_double(bad).has_value()) << "'" << bad << "'";
  }
  EXPECT_EQ(parse_double("2.5", "label"), 2.5);
  expect_error([] { parse_double("2,5", "label"); }, "label: '2,5' is not a number");
}

TEST(NumberTest, NonFiniteOnlyWhenAllowed) {
  for (const char* text : {"nan", "NaN", "inf", "-inf", "Infinity"}) {
    EXPECT_FALSE(to_double(text).has_value()) << text;
    EXPECT_TRUE(to_double(text, NonFinite::kAllow).has_value()) << text;
  }
  EXPECT_TRUE(std::isnan(*to_double("nan", NonFinite::kAllow)));
  EXPECT_EQ(*to_double("-inf", NonFinite::kAllow), -std::numeric_limits<double>::infinity());
  expect_error([] { parse_double("inf", "--lr"); }, "--lr: 'inf' is not a finite number");
  EXPECT_TRUE(std::isinf(parse_double("inf", "--lr", NonFinite::kAllow)));
}

}  // namespace
}  // namespace gnnx::io
