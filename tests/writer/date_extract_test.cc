#include "writer/date_extract.h"

#include <gtest/gtest.h>

namespace quire {
namespace {

// The canonical Date text of the date that is the whole line, "" if none.
std::string line_date(std::string_view line, std::optional<int> year = std::nullopt) {
  auto m = parse_date_line(line);
  return m ? m->resolve(year).to_string() : "<no match>";
}

TEST(DateExtract, WeekdayMonthDayYear) {
  auto m = parse_date_line("Fri Apr 26 2024");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->form, "month-day-year");
  EXPECT_EQ(m->resolve().to_string(), "2024-04-26");
  EXPECT_EQ(m->resolve().precision, Date::Precision::kDay);
  EXPECT_EQ(line_date("Friday, April 26, 2024"), "2024-04-26");
  EXPECT_EQ(line_date("Sept. 3rd, 2023"), "2023-09-03");
}

TEST(DateExtract, DayMonthYearWithTimeIsALocalTimestamp) {
  auto m = parse_date_line("20 Sep 2022 - 9:43");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->form, "day-month-year");
  EXPECT_EQ(m->end, 18u);
  Date d = m->resolve();
  EXPECT_EQ(d.precision, Date::Precision::kTimestamp);
  EXPECT_FALSE(d.has_utc_offset);
  EXPECT_EQ(d.to_string(), "2022-09-20T09:43:00");
  EXPECT_EQ(line_date("26 April 2024 at 9:43 pm"), "2024-04-26T21:43:00");
  EXPECT_EQ(line_date("Fri, 26 Apr 2024 09:43:05 +0700"), "2024-04-26T09:43:05+07:00");
  EXPECT_EQ(line_date("26 Apr 2024, 12:05 AM GMT"), "2024-04-26T00:05:00Z");
}

TEST(DateExtract, MonthDayWithoutYearNeedsAHint) {
  auto m = parse_date_line("April 26");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->form, "month-day");
  EXPECT_EQ(m->year, 0);
  EXPECT_FALSE(m->resolve().known()) << "no precision means 'day known, year not'";
  EXPECT_EQ(m->resolve(2024).to_string(), "2024-04-26");
  EXPECT_EQ(line_date("15 August", 2023), "2023-08-15");
  EXPECT_EQ(line_date("February 29", 2023), "") << "not a day of 2023";
  EXPECT_EQ(line_date("February 29", 2024), "2024-02-29");
}

TEST(DateExtract, DatelineForms) {
  std::string_view ria = "NEW DELHI, April 28 \u2013 RIA Novosti. Russian Defense Minister";
  auto m = find_date(ria);
  ASSERT_TRUE(m);
  EXPECT_EQ(ria.substr(m->start, m->end - m->start), "April 28");
  EXPECT_EQ(m->month, 4);
  EXPECT_EQ(m->day, 28);
  std::string_view tass = "PATRIOT PARK /Moscow Region/, August 15. /TASS/. Russia will";
  m = find_date(tass);
  ASSERT_TRUE(m);
  EXPECT_EQ(tass.substr(m->start, m->end - m->start), "August 15");
}

TEST(DateExtract, IsoAndDottedForms) {
  EXPECT_EQ(line_date("2024-04-26"), "2024-04-26");
  EXPECT_EQ(line_date("2024-04-26T09:43:00+07:00"), "2024-04-26T09:43:00+07:00");
  EXPECT_EQ(line_date("Published: 2024-04-26 09:43"), "2024-04-26T09:43:00");
  EXPECT_EQ(line_date("28.04.2023"), "2023-04-28");
  EXPECT_EQ(line_date("28.04.2023 09:43"), "2023-04-28T09:43:00");
  EXPECT_EQ(line_date("April 2024"), "2024-04");
  auto m = find_date("updated 2024-04-26T09:43Z, then");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->form, "iso");
  EXPECT_EQ(m->resolve().to_string(), "2024-04-26T09:43:00Z");
}

TEST(DateExtract, RejectsWhatIsNotADate) {
  for (std::string_view s : {"", "may 5", "April 31", "31.02.2023", "Friday", "1920", "April 26th street",
                             "2024-13-01", "26 Aprils 2024", "Story Code: 258820"}) {
    EXPECT_FALSE(parse_date_line(s)) << s;
  }
  EXPECT_FALSE(find_date("in 2021, troops withdrew; RIA Novosti, 1920, the")) << "a bare year is not a date";
  EXPECT_FALSE(parse_date_line("20 Sep 2022 - 9:43 comments")) << "a line with more than a date";
}

TEST(DateExtract, SpacedDashAfterTimeIsNotAnOffset) {
  auto m = find_date("20 Sep 2022 - 9:43 - 12 comments");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->resolve().to_string(), "2022-09-20T09:43:00");
}

TEST(DateExtract, FindsTheYearOfTheSameDayElsewhere) {
  std::string_view page = "NEW DELHI, April 28 - ...\nFlags - RIA Novosti, 1920, 25.04.2023\n"
                          "Militant - RIA Novosti, 1920, 28.04.2023\n";
  EXPECT_EQ(find_year_for(page, 4, 28), 2023);
  EXPECT_EQ(find_year_for(page, 4, 26), std::nullopt);
}

}  // namespace
}  // namespace quire
