// Numbers to N significant digits (gnnx/io/significant_digits.h), alone and in JSON.

#include <gnnx/io/significant_digits.h>
#include <gtest/gtest.h>
#include <support/expect_error.h>
#include <support/significant_digits.h>

#include <c10/util/Exception.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>

namespace gnnx::io {
namespace {

using gnnx::testing::expect_error;
using gnnx::testing::significant_digits;

TEST(SignificantDigitsTest, RoundsToNearest) {
  EXPECT_EQ(round_significant(0.123456789, 6), 0.123457);
  EXPECT_EQ(round_significant(0.123456789, 3), 0.123);
  EXPECT_EQ(round_significant(-98765.4321, 2), -99000.0);
  EXPECT_EQ(round_significant(0.1f, 6), 0.1);  // a float's binary tail goes
  EXPECT_EQ(round_significant(0.0, 6), 0.0);
  EXPECT_TRUE(std::isnan(round_significant(std::nan(""), 6)));
  EXPECT_EQ(round_significant(std::numeric_limits<double>::infinity(), 6),
            std::numeric_limits<double>::infinity());
  // Rounding up past the largest double keeps the value rather than making it infinite.
  EXPECT_EQ(round_significant(std::numeric_limits<double>::max(), 1),
            std::numeric_limits<double>::max());
  EXPECT_EQ(round_significant(0.1 + 0.2, 17), 0.1 + 0.2);  // 17 digits: every double as it is
}

TEST(SignificantDigitsTest, TextIsTheShortestThatReadsBack) {
  EXPECT_EQ(significant_text(0.123456789, 6), "0.123457");
  EXPECT_EQ(significant_text(0.1f, 6), "0.1");
  EXPECT_EQ(significant_text(1e-7, 6), "1e-07");
  EXPECT_EQ(significant_text(0.0, 6), "0");
  EXPECT_EQ(significant_text(-2.5, 6), "-2.5");
  EXPECT_EQ(significant_text(1234567.0, 3), "1230000");  // shorter than 1.23e+06
  EXPECT_EQ(significant_text(1.5e20, 6), "1.5e+20");
  EXPECT_EQ(significant_text(std::nan(""), 6), "nan");
  EXPECT_EQ(significant_text(-std::numeric_limits<double>::infinity(), 6), "-inf");
}

// nlohmann's dump() of the same rounded doubles prints about one in a thousand with 17 digits
// (Grisu2): these are such values, and many random ones, at every precision.
TEST(SignificantDigitsTest, NeverMoreDigitsThanAskedFor) {
  EXPECT_EQ(dump_significant(nlohmann::ordered_json(-2.42e-27), 3), "-2.42e-27");
  EXPECT_EQ(dump_significant(nlohmann::ordered_json(2.91e-11), 3), "2.91e-11");
  std::mt19937_64 rng(0);
  std::uniform_real_distribution<double> exponent(-30, 5);
  for (int digits = 1; digits <= 17; ++digits) {
    for (int i = 0; i < 20000; ++i) {
      const double value = std::pow(10.0, exponent(rng)) * (i % 2 ? 1 : -1);
      const std::string text = dump_significant(nlohmann::ordered_json(value), digits);
      ASSERT_LE(significant_digits(text), digits) << value << " -> " << text;
      ASSERT_EQ(std::strtod(text.c_str(), nullptr), round_significant(value, digits)) << text;
    }
  }
}

TEST(SignificantDigitsTest, JsonKeepsEverythingButTheRealNumbers) {
  nlohmann::ordered_json j = {{"p", 0.123456789},
                              {"n", 3},
                              {"big", uint64_t{18446744073709551615u}},
                              {"s", "a \"quoted\" 0.123456789"},
                              {"b", true},
                              {"none", nullptr},
                              {"list", {0.5, 1.0, 2e-9, std::nan("")}},
                              {"nested", {{"q\n", 0.98765}}},
                              {"empty", nlohmann::ordered_json::object()}};
  EXPECT_EQ(dump_significant(j, 3),
            R"({"p":0.123,"n":3,"big":18446744073709551615,"s":"a \"quoted\" 0.123456789",)"
            R"("b":true,"none":null,"list":[0.5,1,2e-09,null],"nested":{"q\n":0.988},"empty":{}})");
  // The text is JSON, and reads back as the rounded values.
  const auto back = nlohmann::json::parse(dump_significant(j, 3));
  EXPECT_EQ(back["p"].get<double>(), 0.123);
  EXPECT_EQ(back["s"], j["s"].get<std::string>());
}

TEST(SignificantDigitsTest, DigitsOutsideOneToSeventeenAreRefused) {
  expect_error<c10::Error>([] { round_significant(0.5, 0); }, "digits must be 1..17, got 0");
  expect_error<c10::Error>([] { significant_text(0.5, 18); }, "got 18");
  expect_error<c10::Error>([] { dump_significant(nlohmann::ordered_json(1), 0); }, "got 0");
}

}  // namespace
}  // namespace gnnx::io
