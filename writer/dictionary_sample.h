// Picking the bodies a dictionary is trained on, spread evenly over the whole
// input rather than taken from its start: corpora often arrive sorted by
// source, and a dictionary learnt from the first source alone serves the
// others poorly. Deterministic: the same input gives the same sample.
#pragma once

#include <string>
#include <vector>

#include "format/status.h"
#include "writer/jsonl_input.h"

namespace quire {

// Bodies from about `count` lines at evenly spaced offsets of a JSONL file,
// each cut to 16 KiB, `budget` bytes in all. Lines that do not parse are
// skipped here (the pack itself reports them).
Result<std::vector<std::string>> sample_jsonl_bodies(const std::string& path, JsonlParser& parser, size_t count,
                                                     size_t budget);

// The same over files (evenly spaced in the given order).
std::vector<std::string> sample_file_bodies(const std::vector<std::string>& paths, size_t count, size_t budget);

}  // namespace quire
