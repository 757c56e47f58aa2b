// Crash-safe writing: `quire pack` killed with SIGKILL at 20 points never
// leaves a complete-looking file at the target, its temporary file is
// salvageable, and a re-run succeeds; SIGINT and SIGTERM remove the temporary
// file; a full disk (a file-size limit) is a clear error with nothing left.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "reader/archive.h"
#include "reader/salvage.h"
#include "test_util.h"

namespace quire {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Starts `quire pack IN -o OUT ...` with stderr to a file; optional file-size limit.
pid_t start_pack(const test::TempDir& dir, const std::string& in, const std::string& out, rlim_t fsize_limit = 0) {
  pid_t pid = fork();
  if (pid == 0) {
    if (fsize_limit) {
      rlimit r{fsize_limit, fsize_limit};
      setrlimit(RLIMIT_FSIZE, &r);
    }
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);  // so a re-run can be compared byte for byte
    std::string err = dir.path("pack.err");
    freopen(err.c_str(), "w", stderr);
    execl(QUIRE_BIN, QUIRE_BIN, "pack", "-q", in.c_str(), "-o", out.c_str(), nullptr);
    _exit(127);
  }
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

std::vector<fs::path> temp_files(const test::TempDir& dir) {
  std::vector<fs::path> out;
  for (auto& e : fs::directory_iterator(dir.root())) {
    if (e.path().filename().string().find(".tmp-") != std::string::npos) out.push_back(e.path());
  }
  return out;
}

class Crash : public ::testing::Test {
 protected:
  void SetUp() override {
    std::mt19937_64 rng(99);
    std::string jsonl;
    for (int i = 0; i < 3000; ++i) {
      auto body = test::random_text(rng, 2000 + rng() % 6000);
      bodies_.push_back(body);
      jsonl += "{\"id\":\"c/" + std::to_string(i) + "\",\"text\":\"";
      for (char c : body) jsonl += c == '\n' ? std::string("\\n") : std::string(1, c);
      jsonl += "\"}\n";
    }
    test::write_file(dir_.path("in.jsonl"), jsonl);
    auto t = Clock::now();
    ASSERT_EQ(wait_for(start_pack(dir_, dir_.path("in.jsonl"), dir_.path("reference.quire"))), 0)
        << test::read_file(dir_.path("pack.err"));
    duration_ = Clock::now() - t;
  }

  test::TempDir dir_;
  std::vector<std::string> bodies_;
  Clock::duration duration_{};
};

TEST_F(Crash, SigkillAtTwentyPointsLeavesNoCompleteLookingTarget) {
  std::string target = dir_.path("killed.quire");
  size_t salvaged_total = 0;
  for (int i = 0; i < 20; ++i) {
    pid_t pid = start_pack(dir_, dir_.path("in.jsonl"), target);
    std::this_thread::sleep_for(duration_ * (i + 0.5) / 21);
    kill(pid, SIGKILL);
    int status = wait_for(pid);
    if (WIFEXITED(status)) {  // finished before the kill: then the archive must be whole
      ASSERT_EQ(WEXITSTATUS(status), 0);
      EXPECT_TRUE(Archive::open(target).is_ok());
      fs::remove(target);
      continue;
    }
    if (fs::exists(target)) {
      // Killed after the rename (while syncing the directory or exiting): the
      // target is then the finished archive, byte for byte, never a part of one.
      EXPECT_TRUE(test::read_file(target) == test::read_file(dir_.path("reference.quire")))
          << "kill " << i << ": an incomplete file appeared at the target";
      fs::remove(target);
      continue;
    }
    auto temps = temp_files(dir_);
    ASSERT_LE(temps.size(), 1u);
    for (const auto& temp : temps) {
      // The leftover is a prefix of an archive: salvage gets back only true articles.
      auto report = salvage_articles(temp.string(), {}, [&](const RecoveredArticle& r) {
        EXPECT_LT(r.record, bodies_.size());
        EXPECT_EQ(r.body, bodies_[r.record]);
        ++salvaged_total;
        return Status::ok();
      });
      EXPECT_TRUE(report.is_ok() || fs::file_size(temp) < 200) << report.status().to_string();
      fs::remove(temp);
    }
  }
  EXPECT_GT(salvaged_total, 0u) << "later kills leave blocks to salvage";
  ASSERT_EQ(wait_for(start_pack(dir_, dir_.path("in.jsonl"), target)), 0) << "a re-run succeeds";
  EXPECT_TRUE(test::read_file(target) == test::read_file(dir_.path("reference.quire")));
}

TEST_F(Crash, SigintAndSigtermRemoveTheTemporaryFile) {
  for (int sig : {SIGINT, SIGTERM}) {
    std::string target = dir_.path("signalled.quire");
    pid_t pid = start_pack(dir_, dir_.path("in.jsonl"), target);
    // Signal once the temporary file exists (mid-pack whatever the machine's
    // load), rather than after a fixed share of a pack measured earlier.
    auto give_up = Clock::now() + 4 * duration_ + std::chrono::seconds(2);
    while (temp_files(dir_).empty() && Clock::now() < give_up) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_FALSE(temp_files(dir_).empty()) << "no temporary file appeared";
    kill(pid, sig);
    int status = wait_for(pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "signal " << sig;
    EXPECT_EQ(WTERMSIG(status), sig);
    EXPECT_FALSE(fs::exists(target));
    EXPECT_TRUE(temp_files(dir_).empty()) << "signal " << sig << " left a temporary file";
  }
}

// `quire index` holds two temporary things: the output file and the Xapian
// database directory beside it. A signal at any point removes both.
TEST_F(Crash, SigintDuringIndexRemovesTheTemporaryFileAndDatabase) {
  std::string target = dir_.path("indexed.quire");
  auto leftovers = [&] {
    std::vector<std::string> out;
    for (auto& e : fs::directory_iterator(dir_.root())) {
      std::string name = e.path().filename().string();
      if (name.find(".tmp-") != std::string::npos || name.find(".xapian-") != std::string::npos) out.push_back(name);
    }
    return out;
  };
  for (int sig : {SIGINT, SIGTERM}) {
    pid_t pid = fork();
    if (pid == 0) {
      std::string err = dir_.path("index.err");
      freopen(err.c_str(), "w", stderr);
      execl(QUIRE_BIN, QUIRE_BIN, "index", "-q", dir_.path("reference.quire").c_str(), "-o", target.c_str(), nullptr);
      _exit(127);
    }
    // Once the database directory exists the index is being built.
    auto give_up = Clock::now() + 20 * duration_ + std::chrono::seconds(5);
    auto building = [&] {
      for (auto& name : leftovers()) {
        if (name.find(".xapian-") != std::string::npos) return true;
      }
      return false;
    };
    while (!building() && Clock::now() < give_up) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_TRUE(building()) << "no database directory appeared";
    kill(pid, sig);
    int status = wait_for(pid);
    if (WIFEXITED(status)) {  // it finished first (a fast machine): then the output is complete
      ASSERT_EQ(WEXITSTATUS(status), 0);
      EXPECT_TRUE(Archive::open(target).is_ok());
      fs::remove(target);
    } else {
      ASSERT_TRUE(WIFSIGNALED(status));
      EXPECT_EQ(WTERMSIG(status), sig);
      EXPECT_FALSE(fs::exists(target));
    }
    EXPECT_TRUE(leftovers().empty()) << "signal " << sig << " left " << (leftovers().empty() ? "" : leftovers()[0]);
  }
}

TEST_F(Crash, FullDiskIsAClearErrorWithNothingLeft) {
  std::string target = dir_.path("full.quire");
  int status = wait_for(start_pack(dir_, dir_.path("in.jsonl"), target, 200 * 1024));
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  std::string err = test::read_file(dir_.path("pack.err"));
  EXPECT_NE(err.find("File too large"), std::string::npos) << err;
  EXPECT_NE(err.find(".tmp-"), std::string::npos) << "the message names the file: " << err;
  EXPECT_FALSE(fs::exists(target));
  EXPECT_TRUE(temp_files(dir_).empty());
}

}  // namespace
}  // namespace quire
