// Golden files (tests/golden/, made by scripts/make-golden): the writer
// reproduces every valid archive byte for byte, the reader lists and
// describes it exactly as recorded, and every must-reject file gives its
// expected error and exit status. These catch format drift that round trips miss.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>

#include "test_util.h"

namespace quire {
namespace {

namespace fs = std::filesystem;
const fs::path kGolden = fs::path(QUIRE_SOURCE_DIR) / "tests/golden";

// `quire ARGS` run from the source root, stderr merged into stdout.
test::ShellResult run(const std::string& args) {
  return test::run_shell("cd '" QUIRE_SOURCE_DIR "' && SOURCE_DATE_EPOCH=1700000000 " QUIRE_BIN " " + args + " 2>&1");
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::vector<std::string> names(const fs::path& dir, const std::string& ext) {
  std::vector<std::string> out;
  for (auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ext) out.push_back(e.path().stem().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Golden, WriterReproducesEveryValidArchive) {
  test::TempDir dir;
  auto valid = names(kGolden / "valid", ".quire");
  ASSERT_GE(valid.size(), 2u);
  for (const auto& name : valid) {
    std::string args = trim(test::read_file((kGolden / "valid" / (name + ".args")).string()));
    std::string out = dir.path(name + ".quire");
    auto r = run("pack -q tests/golden/valid/" + name + ".jsonl -o " + out + " --no-sync " + args);
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_TRUE(test::read_file(out) == test::read_file((kGolden / "valid" / (name + ".quire")).string()))
        << name << ": the writer no longer produces the golden bytes (a format change needs scripts/make-golden, "
                   "SPEC.md and the version rules)";
  }
}

TEST(Golden, ListingAndInfoMatchTheRecordedOutput) {
  for (const auto& name : names(kGolden / "valid", ".quire")) {
    std::string file = "tests/golden/valid/" + name + ".quire";
    EXPECT_EQ(run("ls " + file + " --json").out, test::read_file((kGolden / "valid" / (name + ".ls.json")).string()))
        << name;
    EXPECT_EQ(run("info " + file + " --json").out,
              test::read_file((kGolden / "valid" / (name + ".info.json")).string()))
        << name;
    EXPECT_EQ(run("verify " + file).code, 0) << name;
  }
}

// A golden index answers a golden query the same way (SPEC.md 17): the
// ranking, snippets and highlights recorded when it was written.
TEST(Golden, IndexedArchiveAnswersTheRecordedSearch) {
  std::string file = "tests/golden/valid/sample-indexed.quire";
  EXPECT_EQ(run("search " + file + " 'metro OR \"rice harvest\" OR lang:de' --json").out,
            test::read_file((kGolden / "valid" / "sample-indexed.search.json").string()));
}

TEST(Golden, EveryInvalidFileIsRejectedWithItsExpectedError) {
  auto invalid = names(kGolden / "invalid", ".quire");
  ASSERT_GE(invalid.size(), 5u);
  for (const auto& name : invalid) {
    std::string file = "tests/golden/invalid/" + name + ".quire";
    std::string expected = trim(test::read_file((kGolden / "invalid" / (name + ".expected")).string()));
    int status = std::stoi(test::read_file((kGolden / "invalid" / (name + ".status")).string()));
    auto v = run("verify " + file);
    EXPECT_EQ(v.code, status) << name << ": " << v.out;
    EXPECT_NE(v.out.find(expected), std::string::npos) << name << ": expected '" << expected << "' in\n" << v.out;
    auto ls = run("ls " + file);
    EXPECT_NE(ls.code, 0) << name << " listed without error";
    EXPECT_EQ(run("salvage " + file + " -o /dev/null --no-sync").code == -1, false) << name;
  }
}

}  // namespace
}  // namespace quire
