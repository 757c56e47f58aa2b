// Where an archive is written: a temporary file beside the target that is
// renamed over it only when the archive is complete (so a failed or killed
// pack never leaves a complete-looking file at the target), or a stream
// such as stdout. Writes are strictly sequential: one forward pass.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "format/status.h"

namespace quire {

// Runs `create` (which makes a temporary file or directory and announces it)
// with SIGINT, SIGTERM and SIGHUP held back on this thread, so a handler the
// announcement registers can never miss what was created; a signal that came
// meanwhile is delivered when it returns.
void with_termination_signals_held(const std::function<void()>& create);

class OutputFile {
 public:
  // Creates "<dir>/.<name>.tmp-XXXXXX" beside `target`.
  // `on_created` gets the temporary file's path with SIGINT, SIGTERM and
  // SIGHUP held back on this thread from just before the file exists until it
  // returns, so a handler it registers can never miss the file.
  static Result<std::unique_ptr<OutputFile>> create_beside(
      const std::string& target, bool sync, const std::function<void(const std::string&)>& on_created = {});
  // Writes to an already open descriptor (not closed, nothing renamed).
  static std::unique_ptr<OutputFile> wrap_fd(int fd, std::string name);
  ~OutputFile();  // abandons unless committed
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  Status write(std::span<const std::byte> bytes);
  Status write_zeros(size_t n);
  uint64_t offset() const { return offset_; }
  // Flushes, fsyncs (unless sync is off), closes and renames over the target,
  // then fsyncs the directory.
  Status commit();
  // Closes and removes the temporary file. Safe to call twice.
  void abandon();
  const std::string& temp_path() const { return temp_path_; }

 private:
  OutputFile() = default;
  Status flush();

  int fd_ = -1;
  bool owns_fd_ = false;
  bool sync_ = true;
  bool done_ = false;
  std::string target_, temp_path_;
  std::vector<std::byte> buffer_;
  uint64_t offset_ = 0;
};

}  // namespace quire
