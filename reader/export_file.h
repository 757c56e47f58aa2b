// An output file that appears at its path only when complete: bytes go to a
// temporary file beside the target (".NAME.tmp-XXXXXX", same directory, so
// the final rename is atomic), and commit() renames it over the target. Until
// then, and on any error, the target is untouched; an object destroyed
// without commit() removes its temporary file. Used by every `extract --to`
// form that writes one file (JSONL, tar, zip, WARC, CDXJ).
//
// The path "-" writes to standard output instead (no temporary file, no
// rename: a consumer of a pipe sees bytes as they come). writer/output_file.h
// is the writer's counterpart (buffered, with --no-sync); reader and writer
// do not link each other, so extract has its own.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "format/status.h"

namespace quire {

class ExportFile {
 public:
  static Result<std::unique_ptr<ExportFile>> create(const std::string& path);
  ~ExportFile();
  ExportFile(const ExportFile&) = delete;
  ExportFile& operator=(const ExportFile&) = delete;

  // Appends bytes (through a 64 KiB buffer); an error names the file and the
  // system's reason.
  Status write(std::string_view bytes);
  // Bytes written so far: the offset of the next write.
  uint64_t offset() const { return offset_; }
  const std::string& path() const { return path_; }
  // The temporary file ("" for standard output), e.g. to remove on a signal.
  const std::string& temp_path() const { return temp_; }
  // Flush, fsync, close and rename to the target. Call at most once.
  Status commit();
  // Closes and removes the temporary file now (the destructor does the same).
  void abandon();

 private:
  ExportFile(std::string path, std::string temp, int fd) : path_(std::move(path)), temp_(std::move(temp)), fd_(fd) {}
  static constexpr size_t kBufferBytes = 64 * 1024;
  Status flush();
  Status write_fd(std::string_view bytes);

  std::string path_, temp_;
  int fd_ = -1;
  uint64_t offset_ = 0;
  std::string buffer_;
};

}  // namespace quire
