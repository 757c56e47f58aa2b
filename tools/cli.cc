#include "tools/cli.h"

#include <fmt/format.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>

namespace quire::cli {

int exit_code_for(const Status& status) {
  switch (status.code()) {
    case Code::kOk: return kExitOk;
    case Code::kInvalidArgument: return kExitBadInput;
    case Code::kNotFound: return kExitDamaged;
    default: return kExitUnreadable;
  }
}

int fail(const std::string& command, const Status& status) {
  fmt::print(stderr, "quire {}: {}\n", command, status.to_string());
  return exit_code_for(status);
}

int fail_open(const std::string& command, const Status& status) {
  fail(command, status);
  if (status.code() == Code::kCorruption && command != "verify" && command != "salvage") {
    fmt::print(stderr, "hint: `quire verify` locates the damage; `quire salvage` recovers every intact article\n");
  }
  return kExitUnreadable;
}

void FilterOptions::add_to(CLI::App& app) {
  app.add_option("--id", ids, "only the article with this exact id (repeatable)")->allow_extra_args(false);
  app.add_option("--source", source, "only articles from this source id");
  app.add_option("--lang", lang, "only this language (\"en\" also matches \"en-GB\")");
  app.add_option("--since", since, "only articles dated on or after this date (2024, 2024-04, 2024-04-26, ...)");
  app.add_option("--until", until, "only articles dated on or before this date");
  app.add_option("--id-prefix", id_prefix, "only ids starting with this text");
  app.add_option("--has-annotation", has_annotation,
                 "only articles with a span of this type (TYPE) or type and label (TYPE=LABEL); repeatable, all must match")
      ->allow_extra_args(false)
      ->type_name("TYPE[=LABEL]");
}

Result<ArticleFilter> FilterOptions::build() const {
  ArticleFilter f;
  f.ids.insert(ids.begin(), ids.end());
  if (!source.empty()) f.source = source;
  if (!lang.empty()) f.lang = lang;
  if (!id_prefix.empty()) f.id_prefix = id_prefix;
  if (!since.empty()) {
    auto d = Date::parse(since);
    if (!d) return d.status().with_context("--since");
    f.since = *d;
  }
  if (!until.empty()) {
    auto d = Date::parse(until);
    if (!d) return d.status().with_context("--until");
    f.until = *d;
  }
  for (const std::string& text : has_annotation) {
    auto m = SpanMatch::parse(text);
    if (!m) return m.status().with_context("--has-annotation");
    f.has_annotation.push_back(std::move(*m));
  }
  return f;
}

CLI::Option* add_offsets_option(CLI::App& app, OffsetUnit& unit) {
  std::map<std::string, OffsetUnit> units{{"bytes", OffsetUnit::kBytes}, {"codepoints", OffsetUnit::kCodepoints}};
  return app.add_option("--offsets", unit, "span offsets in UTF-8 bytes (default, as stored) or Unicode code points")
      ->transform(CLI::CheckedTransformer(units))
      ->option_text("bytes|codepoints");
}

Result<uint64_t> parse_size(const std::string& text) {
  size_t pos = 0;
  uint64_t n = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    if (n > (uint64_t{1} << 40)) return Status::invalid_argument(fmt::format("'{}' is too large", text));
    n = n * 10 + static_cast<uint64_t>(text[pos++] - '0');
  }
  if (pos == 0) return Status::invalid_argument(fmt::format("'{}' is not a size (e.g. 64KiB, 1MiB, 65536)", text));
  std::string unit = text.substr(pos);
  uint64_t mult = 1;
  if (unit.empty() || unit == "B") mult = 1;
  else if (unit == "K" || unit == "KiB" || unit == "k") mult = 1024;
  else if (unit == "M" || unit == "MiB") mult = 1024 * 1024;
  else if (unit == "G" || unit == "GiB") mult = 1024 * 1024 * 1024;
  else return Status::invalid_argument(fmt::format("'{}': unknown size unit '{}' (use KiB, MiB or GiB)", text, unit));
  return n * mult;
}

std::string human_bytes(uint64_t n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", n) : fmt::format("{:.1f} {}", v, units[u]);
}

namespace {

// The temporary file to remove when a signal arrives. A signal handler can
// only reach static storage, so this is the CLI's one global.
char g_temp_path[2][4096];
char g_temp_dir[4096];

// Only unlink, rmdir and copying into a stack buffer: async-signal-safe.
void remove_temp_dir() {
  if (!g_temp_dir[0]) return;
  char path[4096 + 64];
  for (const char* const* f = kXapianDatabaseFiles; *f != nullptr; ++f) {
    size_t n = std::strlen(g_temp_dir), m = std::strlen(*f);
    if (n + 1 + m + 1 > sizeof path) continue;
    std::memcpy(path, g_temp_dir, n);
    path[n] = '/';
    std::memcpy(path + n + 1, *f, m + 1);
    unlink(path);
  }
  rmdir(g_temp_dir);
}

void remove_temp_and_die(int sig) {
  for (const char* path : g_temp_path) {
    if (path[0]) unlink(path);
  }
  remove_temp_dir();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

namespace {
void install_signal_handlers() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  std::signal(SIGINT, remove_temp_and_die);
  std::signal(SIGTERM, remove_temp_and_die);
  std::signal(SIGXFSZ, SIG_IGN);
}
}  // namespace

void remove_on_signal(const std::string& path, int slot) {
  install_signal_handlers();
  std::strncpy(g_temp_path[slot], path.c_str(), sizeof(g_temp_path[slot]) - 1);
}

void remove_dir_on_signal(const std::string& dir) {
  install_signal_handlers();
  std::strncpy(g_temp_dir, dir.c_str(), sizeof(g_temp_dir) - 1);
}

Progress::Progress(bool enabled) : enabled_(enabled && isatty(STDERR_FILENO)) {}
Progress::~Progress() { done(); }

void Progress::update(const std::string& line, bool force) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (!force && shown_ && now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  shown_ = true;
  fmt::print(stderr, "\r\033[K{}", line);
  std::fflush(stderr);
}

void Progress::done() {
  if (enabled_ && shown_) fmt::print(stderr, "\n");
  shown_ = false;
}

}  // namespace quire::cli
