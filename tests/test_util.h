// Helpers shared by the tests: temporary directories, corpora, and byte-level
// damage (flip, truncate) for the corruption tests.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "reader/archive.h"
#include "reader/section_scan.h"
#include "writer/jsonl_input.h"
#include "writer/writer.h"

namespace quire::test {

using ::quire::OwnedArticle;

// A fresh directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "quire-test-XXXXXX").string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    path_ = mkdtemp(buf.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string path(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& root() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs a shell command line; returns its exit status (-1 if killed) and stdout.
struct ShellResult {
  int code = -1;
  std::string out;
};
inline ShellResult run_shell(const std::string& command) {
  ShellResult r;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return r;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_file(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The `quire` binary run in `dir` as a user would (SOURCE_DATE_EPOCH fixed,
// so archives are reproducible): exit status, stdout and stderr.
struct CliRun {
  int code = -1;
  std::string out, err;
};
inline CliRun run_quire(const std::string& args, const TempDir& dir, const std::string& env = "") {
  std::string err_path = dir.path("stderr.txt");
  auto shell = run_shell("cd '" + dir.root().string() + "' && SOURCE_DATE_EPOCH=1700000000 " + env + " " QUIRE_BIN " " +
                         args + " 2>'" + err_path + "'");
  return CliRun{shell.code, std::move(shell.out), read_file(err_path)};
}

// Writes `articles` to `path` with `options` (SOURCE_DATE_EPOCH-like fixed time).
inline void write_archive(const std::string& path, const std::vector<OwnedArticle>& articles,
                          WriterOptions options = {}) {
  options.sync = false;
  options.info.created_unix_seconds = 1700000000;
  auto w = Writer::create(path, options);
  ASSERT_TRUE(w.is_ok()) << w.status().to_string();
  for (const auto& a : articles) {
    Status s = (*w)->add(a.view());
    ASSERT_TRUE(s.is_ok()) << s.to_string();
  }
  Status s = (*w)->finish();
  ASSERT_TRUE(s.is_ok()) << s.to_string();
}

// The offset of a byte 3 from the end of block `block`'s payload (inside its
// last frame), found by walking the sections of `bytes`; 0 if there is no
// such block. Flipping it damages that block alone.
inline uint64_t block_tail_offset(const std::string& bytes, uint64_t block) {
  uint64_t target = 0;
  scan_sections(
      std::as_bytes(std::span(bytes.data(), bytes.size())), bytes.size() - 64,
      [&](const ScannedSection& s) {
        if (s.header.kind == SectionKind::kBlock && s.header.sequence == block) {
          target = s.offset + 48 + s.header.payload_length - 3;
        }
      },
      [](const ScanGap&) {});
  return target;
}

inline OwnedArticle make_article(std::string id, std::string body) {
  OwnedArticle a;
  a.meta.id = std::move(id);
  a.body = std::move(body);
  return a;
}

// Text-like bytes with some repetition so compression has work to do.
inline std::string random_text(std::mt19937_64& rng, size_t n) {
  static const char* words[] = {"the ", "news ", "Hanoi ", "minister ", "said ", "on ", "Tuesday ", "that ",
                                "rice ", "harvest ", "metro ", "line ", "will ", "open ", "in ", "2024, ",
                                "Đà Nẵng ", "Москва ", "京都 ", "\n"};
  std::string s;
  while (s.size() < n) s += words[rng() % 20];
  s.resize(n);
  // Cut back to a whole UTF-8 sequence, so the text is valid UTF-8 (JSON needs it).
  size_t end = s.size();
  while (end > 0 && (static_cast<unsigned char>(s[end - 1]) & 0xC0) == 0x80) --end;
  if (end > 0 && static_cast<unsigned char>(s[end - 1]) >= 0xC0) {
    size_t lead = end - 1;
    unsigned char c = static_cast<unsigned char>(s[lead]);
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (s.size() - lead < need) s.resize(lead);
  }
  return s;
}

}  // namespace quire::test
