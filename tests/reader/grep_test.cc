// quire grep's engine (reader/grep.h): line semantics of one body search,
// agreement with a line-by-line std::regex reference on random text, the
// same ordered results for any thread count over a many-block archive, and
// damage reported by block without a crash.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <regex>

#include "reader/archive_set.h"
#include "reader/grep.h"
#include "test_util.h"

namespace quire {
namespace {

using Matches = std::vector<std::pair<uint64_t, uint64_t>>;

GrepOptions opts(std::string pattern) {
  GrepOptions o;
  o.pattern = std::move(pattern);
  return o;
}

GrepBodyResult search(const GrepOptions& o, std::string_view body) {
  auto p = GrepPattern::compile(o);
  EXPECT_TRUE(p.is_ok()) << p.status().to_string();
  GrepScratch scratch = p->scratch();
  GrepBodyResult r;
  Status s = p->search(body, scratch, r);
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  return r;
}

// "number@offset:text" for each line.
std::vector<std::string> lines_of(const GrepBodyResult& r) {
  std::vector<std::string> out;
  for (const GrepLine& l : r.lines) out.push_back(fmt::format("{}@{}:{}", l.number, l.offset, l.text));
  return out;
}

TEST(GrepBody, LinesNumbersOffsetsAndCrlf) {
  std::string body = "alpha\nbeta gamma\r\n\nbeta\nlast beta";
  auto r = search(opts("beta"), body);
  EXPECT_EQ(r.count, 3u);
  EXPECT_EQ(lines_of(r), (std::vector<std::string>{"2@6:beta gamma", "4@19:beta", "5@24:last beta"}));
  EXPECT_EQ(r.lines[0].matches, (Matches{{0, 4}}));
  EXPECT_EQ(r.lines[2].matches, (Matches{{5, 9}}));
  // "$" matches before "\r\n" as before "\n", and "\r" is not part of the text.
  EXPECT_EQ(lines_of(search(opts("ma$"), body)), (std::vector<std::string>{"2@6:beta gamma"}));
  EXPECT_EQ(search(opts("\\r"), body).count, 0u);
}

TEST(GrepBody, MatchInTheLastByteAndEmptyBodies) {
  auto r = search(opts("z"), "abc\nxyz");
  ASSERT_EQ(lines_of(r), (std::vector<std::string>{"2@4:xyz"}));
  EXPECT_EQ(r.lines[0].matches, (Matches{{2, 3}}));
  EXPECT_EQ(search(opts("z$"), "z").count, 1u);
  EXPECT_EQ(search(opts("z"), "").count, 0u);
  // An empty match counts each line, and none after the final newline.
  EXPECT_EQ(search(opts("x*"), "a\nb\n").count, 2u);
  EXPECT_EQ(search(opts("^"), "a\n\nb").count, 3u);
  EXPECT_EQ(search(opts("x*"), "").count, 0u);
  EXPECT_TRUE(search(opts("x*"), "a").lines[0].matches.empty());
}

TEST(GrepBody, AMatchNeverSpansLines) {
  EXPECT_EQ(search(opts("a\\sb"), "a\nb").count, 0u);
  EXPECT_EQ(search(opts("a\\n"), "a\nb").count, 0u);
  auto r = search(opts("a\\s*"), "xa\nb");  // the buffer match "a\n" runs past the line
  ASSERT_EQ(r.count, 1u);
  EXPECT_EQ(r.lines[0].matches, (Matches{{1, 2}}));
  // A match cut at the line end still finds a later one in the next line.
  EXPECT_EQ(lines_of(search(opts("o\\s+n|on"), "go\nnot\non")), (std::vector<std::string>{"3@7:on"}));
}

TEST(GrepBody, EveryMatchOfALine) {
  auto r = search(opts("ab*"), "abb a xab");
  ASSERT_EQ(r.count, 1u);
  EXPECT_EQ(r.lines[0].matches, (Matches{{0, 3}, {4, 5}, {7, 9}}));
  r = search(opts("é"), "éé é");  // two-byte characters
  EXPECT_EQ(r.lines[0].matches, (Matches{{0, 2}, {2, 4}, {5, 7}}));
}

TEST(GrepBody, IgnoreCaseFollowsUnicode) {
  GrepOptions o = opts("đà nẵng|москва|straße");
  o.ignore_case = true;
  auto r = search(o, "ĐÀ NẴNG\nМОСКВА\nSTRAßE\nnothing");
  EXPECT_EQ(r.count, 3u);
}

TEST(GrepBody, WordRegexp) {
  GrepOptions o = opts("metro");
  o.word = true;
  auto r = search(o, "metro metros submetro metro. métro");
  ASSERT_EQ(r.count, 1u);
  EXPECT_EQ(r.lines[0].matches, (Matches{{0, 5}, {22, 27}}));
  // Unicode word characters: "Đmetro" is one word.
  EXPECT_EQ(search(o, "Đmetro").count, 0u);
  o.unicode_classes = false;
  EXPECT_EQ(search(o, "Đmetro").count, 1u);
}

TEST(GrepBody, FixedStrings) {
  GrepOptions o = opts("a+b (x)\\");
  o.fixed_strings = true;
  auto r = search(o, "aab (x)\\\nxa+b (x)\\y");
  EXPECT_EQ(lines_of(r), (std::vector<std::string>{"2@9:xa+b (x)\\y"}));
  EXPECT_EQ(r.lines[0].matches, (Matches{{1, 9}}));
  o.pattern = "\\Q";
  o.word = true;
  EXPECT_EQ(search(o, "a \\Q b").count, 1u);
}

TEST(GrepBody, ModesAndMaxCount) {
  std::string body = "x1\nx2\ny\nx3 x4\n";
  GrepOptions o = opts("x");
  o.max_count = 2;
  auto r = search(o, body);
  EXPECT_EQ(lines_of(r), (std::vector<std::string>{"1@0:x1", "2@3:x2"}));
  o.max_count = 0;
  o.mode = GrepMode::kCount;
  r = search(o, body);
  EXPECT_EQ(r.count, 3u);
  EXPECT_TRUE(r.lines.empty());
  o.mode = GrepMode::kArticles;
  EXPECT_EQ(search(o, body).count, 1u);
}

TEST(GrepBody, InvalidUtf8IsSearchedWithoutError) {
  std::string body = "ok\xff\xfe bad\nmetro \xc3\n\xe2\x82 metro";
  auto r = search(opts("bad|metro"), body);
  EXPECT_EQ(lines_of(r), (std::vector<std::string>{"1@0:ok\xff\xfe bad", "2@9:metro \xc3", "3@17:\xe2\x82 metro"}));
  EXPECT_EQ(r.lines[1].matches, (Matches{{0, 5}}));
  EXPECT_EQ(search(opts("."), "\xff\n\xfe").count, 0u);  // invalid bytes match no pattern item
  EXPECT_EQ(search(opts("x*"), "\xff\xfe").count, 1u);
}

TEST(GrepBody, BinaryBodiesAreReportedOnce) {
  std::string body("metro\0metro\nmetro", 17);
  auto r = search(opts("metro"), body);
  EXPECT_TRUE(r.binary);
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(r.count, 1u);
  GrepOptions o = opts("metro");
  o.text = true;
  r = search(o, body);
  EXPECT_FALSE(r.binary);
  ASSERT_EQ(r.count, 2u);
  EXPECT_EQ(r.lines[0].matches, (Matches{{0, 5}, {6, 11}}));
  o.text = false;
  o.mode = GrepMode::kCount;
  EXPECT_EQ(search(o, body).count, 2u);  // counting prints no text: binary or not
  EXPECT_FALSE(search(opts("nothing"), body).binary);
}

TEST(GrepPattern, BadPatternNamesTheOffset) {
  auto p = GrepPattern::compile(opts("ab(c"));
  ASSERT_FALSE(p.is_ok());
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(p.status().message(), "bad pattern at offset 4: missing closing parenthesis");
  GrepOptions o = opts("x[");
  o.word = true;  // the offset is into the pattern as given, not the wrapped one
  p = GrepPattern::compile(o);
  ASSERT_FALSE(p.is_ok());
  EXPECT_EQ(p.status().message().rfind("bad pattern at offset 2: ", 0), 0u) << p.status().message();
  EXPECT_TRUE(GrepPattern::compile(opts("(?<=a)b"))->jit());
}

TEST(GrepPattern, RequiredLiteralIsLookedForFirst) {
  auto literal = [](std::string pattern, bool word = false, bool icase = false) {
    GrepOptions o = opts(std::move(pattern));
    o.word = word;
    o.ignore_case = icase;
    return GrepPattern::compile(o)->literal();
  };
  EXPECT_EQ(literal("Monday|Tuesday|Wednesday"), "day");
  EXPECT_EQ(literal("\\w+ing\\b"), "ing");
  EXPECT_EQ(literal("a\\.b{2}c"), "a.");
  EXPECT_EQ(literal("(x|y)+ zz?[ab] Hà Nội+"), " Hà Nội");
  EXPECT_EQ(literal("said", true), "said");  // -w wraps the pattern
  EXPECT_EQ(literal("the"), "");              // plain: the JIT's scan is as fast
  EXPECT_EQ(literal("said|", false), "");
  EXPECT_EQ(literal("(?i)ab+c"), "");
  EXPECT_EQ(literal("ab+c", false, true), "");
  EXPECT_EQ(literal("\\Qa+b\\E+"), "");
  EXPECT_EQ(literal("ab|cd"), "");
}

// Line by line with std::regex: the obvious way, as the reference.
GrepBodyResult reference(const std::string& pattern, std::string_view body) {
  GrepBodyResult r;
  std::regex re(pattern);
  uint64_t number = 0;
  size_t start = 0;
  while (start < body.size()) {
    size_t nl = body.find('\n', start);
    size_t end = nl == std::string_view::npos ? body.size() : nl;
    ++number;
    std::string line(body.substr(start, end - start));
    GrepLine l;
    for (auto it = std::sregex_iterator(line.begin(), line.end(), re); it != std::sregex_iterator(); ++it) {
      if (it->length(0) > 0) l.matches.emplace_back(it->position(0), it->position(0) + it->length(0));
    }
    if (std::regex_search(line, re)) {
      l.number = number;
      l.offset = start;
      l.text = body.substr(start, end - start);
      r.lines.push_back(l);
      ++r.count;
    }
    start = end + 1;
  }
  return r;
}

TEST(GrepBody, AgreesWithALineByLineReference) {
  std::mt19937_64 rng(5);
  // ASCII classes only, where std::regex and PCRE2 agree.
  const char* patterns[] = {"metro", "rice|harvest", "^the", "in $", "[0-9]+,", "M[a-z]+", "s?aid on",
                            "e\\s+o", "(the|news) [A-Z]\\w+", "\\bon\\b", "a[ a-z]{3}n",
                            // with a required literal found first (reader/grep.cc required_literal)
                            "Ha(noi)? m", "[a-z]+ine", "\\w+ws\\b", "said|aid", "etro l", "Hano+i", "rice|ric",
                            "s\\.?aid", "x{0}metro", "will|still", "ll? o", "[0-9]{4}, "};
  for (int round = 0; round < 20; ++round) {
    std::string body = test::random_text(rng, 500 + rng() % 5000);
    for (const char* pattern : patterns) {
      GrepOptions o = opts(pattern);
      o.unicode_classes = false;
      auto got = search(o, body);
      auto want = reference(pattern, body);
      ASSERT_EQ(got.count, want.count) << pattern << " in round " << round;
      ASSERT_EQ(lines_of(got), lines_of(want)) << pattern;
      for (size_t i = 0; i < got.lines.size(); ++i) {
        ASSERT_EQ(got.lines[i].matches, want.lines[i].matches) << pattern << " line " << got.lines[i].number;
      }
    }
  }
}

// An archive of many small blocks, for the ordering and damage tests.
struct ManyBlocks {
  test::TempDir dir;
  std::string path = dir.path("many.quire");
  std::vector<test::OwnedArticle> corpus;
  ManyBlocks() {
    std::mt19937_64 rng(17);
    for (int i = 0; i < 400; ++i) {
      auto a = test::make_article("doc/" + std::to_string(i), test::random_text(rng, 100 + rng() % 2500));
      a.meta.lang = i % 4 == 0 ? "vi" : "en";
      corpus.push_back(std::move(a));
    }
    WriterOptions o;
    o.block_size = 2 * 1024;
    o.dictionary_sample_bytes = 64 * 1024;
    test::write_archive(path, corpus, o);
  }
};

// Every delivered article as "record id count" and "number:text" lines, plus errors.
struct Collected {
  std::vector<std::string> out;
  std::vector<Status> errors;
  Status status;
};

Collected run_grep(const std::vector<ArchiveSet>& sets, const GrepOptions& o, bool keep_going = false) {
  Collected c;
  auto p = GrepPattern::compile(o);
  EXPECT_TRUE(p.is_ok());
  GrepErrorHandler on_error;
  if (keep_going) on_error = [&](const Status& s) {
    c.errors.push_back(s);
    c.out.push_back("error");
    return Status::ok();
  };
  auto stats = grep(sets, *p, [&](const GrepArticle& a) {
    c.out.push_back(fmt::format("{} {} {} {}", a.archive, a.record, a.id, a.count));
    for (const GrepLine& l : a.lines) c.out.push_back(fmt::format("{}:{}", l.number, l.text));
    return Status::ok();
  }, on_error);
  if (!stats) c.status = stats.status();
  return c;
}

TEST(Grep, ManyBlocksInRecordOrderForAnyThreadCount) {
  ManyBlocks f;
  auto set = ArchiveSet::open(f.path);
  ASSERT_TRUE(set.is_ok());
  ASSERT_GT(set->shard(0)->block_count(), 50u);
  std::vector<ArchiveSet> sets{*set, *set};  // twice: archives in the order given
  GrepOptions o = opts("(?i)hanoi (metro|line)");
  o.unicode_classes = false;
  // The expected results, from the reference over the corpus bodies.
  std::vector<std::string> want;
  for (size_t a = 0; a < 2; ++a) {
    for (size_t r = 0; r < f.corpus.size(); ++r) {
      auto ref = reference("[Hh][Aa][Nn][Oo][Ii] ([Mm][Ee][Tt][Rr][Oo]|[Ll][Ii][Nn][Ee])", f.corpus[r].body);
      if (ref.count == 0) continue;
      want.push_back(fmt::format("{} {} {} {}", a, r, f.corpus[r].meta.id, ref.count));
      for (const GrepLine& l : ref.lines) want.push_back(fmt::format("{}:{}", l.number, l.text));
    }
  }
  ASSERT_GT(want.size(), 400u);
  for (unsigned threads : {1u, 2u, 4u, 7u}) {
    o.threads = threads;
    Collected c = run_grep(sets, o);
    EXPECT_TRUE(c.status.is_ok()) << c.status.to_string();
    EXPECT_EQ(c.out, want) << threads << " threads";
  }
}

TEST(Grep, FilterSelectsArticles) {
  ManyBlocks f;
  std::vector<ArchiveSet> sets{*ArchiveSet::open(f.path)};
  GrepOptions o = opts("^");  // every (non-empty) body
  o.mode = GrepMode::kArticles;
  o.filter.lang = "vi";
  o.threads = 3;
  Collected c = run_grep(sets, o);
  ASSERT_EQ(c.out.size(), 100u);
  for (size_t i = 0; i < c.out.size(); ++i) EXPECT_EQ(c.out[i].rfind(fmt::format("0 {} doc/{} 1", 4 * i, 4 * i), 0), 0u);
  o.filter = {};
  o.filter.ids = {"doc/7", "doc/399"};
  c = run_grep(sets, o);
  EXPECT_EQ(c.out, (std::vector<std::string>{"0 7 doc/7 1", "0 399 doc/399 1"}));
}

TEST(Grep, ADamagedBlockIsAnErrorNamingItInOrder) {
  ManyBlocks f;
  auto archive = Archive::open(f.path);
  uint64_t block = archive->find("doc/200")->block();
  std::string bytes = test::read_file(f.path);
  uint64_t target = test::block_tail_offset(bytes, block);
  ASSERT_GT(target, 0u);
  bytes[target] ^= 0x01;
  std::string damaged = f.dir.path("damaged.quire");
  test::write_file(damaged, bytes);
  std::vector<ArchiveSet> sets{*ArchiveSet::open(damaged)};
  GrepOptions o = opts("the");
  o.mode = GrepMode::kArticles;
  o.threads = 4;
  Collected stop = run_grep(sets, o);
  EXPECT_EQ(stop.status.code(), Code::kCorruption);
  EXPECT_NE(stop.status.message().find(fmt::format("damaged.quire: block {}", block)), std::string::npos)
      << stop.status.message();
  Collected go_on = run_grep(sets, o, true);
  ASSERT_EQ(go_on.errors.size(), 1u);
  EXPECT_TRUE(go_on.status.is_ok());
  // Every article outside the damaged block, in order, and the error in its place.
  auto range = *archive->block_records(block);
  std::vector<std::string> want;
  for (uint64_t r = 0; r < f.corpus.size(); ++r) {
    if (r == range.first) want.push_back("error");
    if (r >= range.first && r < range.first + range.second) continue;
    if (f.corpus[r].body.find("the") != std::string::npos) want.push_back(fmt::format("0 {} doc/{} 1", r, r));
  }
  EXPECT_EQ(go_on.out, want);
}

}  // namespace
}  // namespace quire
