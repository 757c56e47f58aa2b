// `quire pack` on WARC input, run as a user would: hostile files (wrong
// Content-Length, a truncated gzip member, a bad digest, a 1 GB record)
// give per-record warnings, the rest is packed, and memory stays bounded.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "test_util.h"
#include "writer/warc_test_util.h"

namespace quire {
namespace {

using test::gzip_member;
using test::response_record;

TEST(WarcCli, PacksTheGoodRecordsOfAHostileFileAndNamesTheBadOnes) {
  test::TempDir dir;
  std::string good1 = gzip_member(response_record("http://good/1", "one", "1"));
  std::string wrong_length = response_record("http://bad/length", "two", "2");
  wrong_length.replace(wrong_length.find("Content-Length: "), 18, "Content-Length: 99");
  std::string bad_digest = gzip_member(response_record("http://bad/digest", "three", "3", "2024-01-01T00:00:00Z",
                                                       {{"WARC-Block-Digest", "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5"}}));
  std::string good2 = gzip_member(response_record("http://good/2", "four", "4"));
  std::string cut = gzip_member(response_record("http://bad/cut", std::string(4000, 'z'), "5"));
  std::string bytes = good1 + gzip_member(wrong_length) + bad_digest + good2 + cut.substr(0, cut.size() / 2);
  test::write_file(dir.path("hostile.warc.gz"), bytes);

  auto r = test::run_quire("pack hostile.warc.gz -o out.quire --no-sync --json", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find(fmt::format("hostile.warc.gz: record at byte {}: dropped: the block does not end where the record "
                                   "does (wrong Content-Length?)",
                                   good1.size())),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("(http://bad/digest): WARC-Block-Digest does not match"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("is cut off by the end of the file"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find(R"("digests_mismatched":1)"), std::string::npos) << r.out;
  auto ls = test::run_quire("ls out.quire --json", dir);
  ASSERT_EQ(ls.code, 0);
  EXPECT_NE(ls.out.find("http://good/1"), std::string::npos);
  EXPECT_NE(ls.out.find("http://good/2"), std::string::npos);
  EXPECT_NE(ls.out.find("http://bad/digest"), std::string::npos);  // warn: packed, marked
  EXPECT_EQ(ls.out.find("http://bad/length"), std::string::npos);
  EXPECT_EQ(ls.out.find("http://bad/cut"), std::string::npos);

  auto strict = test::run_quire("pack hostile.warc.gz -o strict.quire --no-sync --on-bad-digest=fail", dir);
  EXPECT_EQ(strict.code, 3) << strict.err;
  EXPECT_NE(strict.err.find("(http://bad/digest): WARC-Block-Digest does not match"), std::string::npos) << strict.err;
  EXPECT_FALSE(std::filesystem::exists(dir.path("strict.quire")));

  auto skip = test::run_quire("pack hostile.warc.gz -o skip.quire --no-sync --on-bad-digest=skip -q", dir);
  ASSERT_EQ(skip.code, 0) << skip.err;
  auto skipped = test::run_quire("ls skip.quire", dir);
  EXPECT_EQ(skipped.out.find("http://bad/digest"), std::string::npos);
}

TEST(WarcCli, StreamsAOneGigabyteRecordPastInBoundedMemory) {
  test::TempDir dir;
  test::write_file(dir.path("after.warc"), response_record("http://after/", "still here", "9"));
  // 1 GiB of block from a pipe: never a file, never held.
  std::string cmd = "{ printf 'WARC/1.0\\r\\nWARC-Type: resource\\r\\nWARC-Target-URI: urn:big\\r\\n"
                    "Content-Length: 1073741824\\r\\n\\r\\n'; head -c 1073741824 /dev/zero; printf '\\r\\n\\r\\n'; "
                    "cat after.warc; } | /usr/bin/time -f 'maxrss-kib %M' " QUIRE_BIN
                    " pack - -o big.quire --no-sync --max-record 64MiB";
  auto r = test::run_quire("--version >/dev/null && " + cmd, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("(urn:big): a block of 1073741824 bytes is larger than the record limit (--max-record); skipped"),
            std::string::npos)
      << r.err;
  size_t at = r.err.find("maxrss-kib ");
  ASSERT_NE(at, std::string::npos) << r.err;
  long rss_kib = std::stol(r.err.substr(at + 11));
  EXPECT_LT(rss_kib, 200 * 1024) << "the record was held in memory";
  auto ls = test::run_quire("ls big.quire", dir);
  EXPECT_NE(ls.out.find("http://after/"), std::string::npos) << ls.out;
}

TEST(WarcCli, AGzipWarcOnStdinNeedsFormatWarc) {
  if (!std::filesystem::exists(QUIRE_SOURCE_DIR "/../shared/corpora/warc/cc.warc.gz")) GTEST_SKIP();
  test::TempDir dir;
  auto r = test::run_quire("pack - --format warc -o cc.quire --no-sync -q < " QUIRE_SOURCE_DIR
                           "/../shared/corpora/warc/cc.warc.gz",
                           dir);
  ASSERT_EQ(r.code, 0) << r.err;
  auto body = test::run_quire("cat cc.quire http://commoncrawl.org/ | head -c 20", dir);
  EXPECT_NE(body.out.find("<!DOCTYPE html>"), std::string::npos) << body.out;
}

}  // namespace
}  // namespace quire
