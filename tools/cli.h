// Shared pieces of the `quire` subcommands: exit codes, error printing, the
// catalog filter options, size parsing and the progress line.
#pragma once

#include <CLI/CLI.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "format/status.h"
#include "reader/annotation_query.h"
#include "reader/filter.h"
#include "writer/fulltext_index.h"

namespace quire::cli {

// Exit codes (README "Exit codes").
inline constexpr int kExitOk = 0;
inline constexpr int kExitDamaged = 1;     // verify found damage; cat/show: an id was not found
inline constexpr int kExitUnreadable = 2;  // the archive cannot be read at all, or an I/O error
inline constexpr int kExitBadInput = 3;    // bad arguments or a malformed input file

// Prints "quire <cmd>: <message>" to stderr and returns the exit code for the status.
int fail(const std::string& command, const Status& status);
// The same for an archive that cannot be opened at all (missing, unreadable,
// not a Quire file): always kExitUnreadable.
int fail_open(const std::string& command, const Status& status);
int exit_code_for(const Status& status);

struct FilterOptions {
  std::string source, lang, since, until, id_prefix;
  std::vector<std::string> ids;             // --id, exact, repeatable
  std::vector<std::string> has_annotation;  // TYPE or TYPE=LABEL, each must match
  void add_to(CLI::App& app);
  Result<ArticleFilter> build() const;
};

// --offsets bytes|codepoints, for commands that print annotation spans.
CLI::Option* add_offsets_option(CLI::App& app, OffsetUnit& unit);

// "64KiB", "1MiB", "65536", "2G" -> bytes.
Result<uint64_t> parse_size(const std::string& text);

// A throttled one-line progress report on stderr, shown only when stderr is a terminal.
class Progress {
 public:
  explicit Progress(bool enabled);
  ~Progress();
  void update(const std::string& line, bool force = false);
  void done();

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

std::string human_bytes(uint64_t n);

// Removes `path` if SIGINT or SIGTERM arrives (then dies of that signal), so
// an interrupted pack or salvage leaves no temporary file; "" forgets it.
// Also makes a file-size limit an EFBIG write error instead of a kill.
// `slot` (0 or 1) lets a command that writes two files register both.
void remove_on_signal(const std::string& path, int slot = 0);
// The same for a temporary Xapian database directory (writer/fulltext_index.h
// kXapianDatabaseFiles, then the directory).
void remove_dir_on_signal(const std::string& dir);

// Each subcommand registers itself on the app and runs when chosen.
void register_pack(CLI::App& app, int& exit_code);
void register_ls(CLI::App& app, int& exit_code);
void register_show(CLI::App& app, int& exit_code);
void register_cat(CLI::App& app, int& exit_code);
void register_extract(CLI::App& app, int& exit_code);
void register_info(CLI::App& app, int& exit_code);
void register_verify(CLI::App& app, int& exit_code);
void register_salvage(CLI::App& app, int& exit_code);
void register_annotations(CLI::App& app, int& exit_code);
void register_grep(CLI::App& app, int& exit_code);
void register_index(CLI::App& app, int& exit_code);
void register_search(CLI::App& app, int& exit_code);
// IndexOptions for `index` and `pack --fulltext`: signal clean-up of the
// temporary file (slot 1) and database directory, progress on `progress`.
IndexOptions index_options(unsigned threads, bool sync, Progress& progress, const char* verb);
std::string index_stats_json(const IndexStats& s);
void print_index_summary(const std::string& command, const IndexStats& s);
void register_serve(CLI::App& app, int& exit_code);

}  // namespace quire::cli
