// Trains the zstd dictionary of SPEC.md 5.3 from a sample of bodies.
// Deterministic: zstd's fastCover trainer with fixed parameters on one thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace quire {

// Returns the dictionary bytes, or "" when the sample is too small for a
// dictionary to help (then blocks are compressed without one).
std::string train_dictionary(const std::vector<std::string_view>& bodies, size_t max_size);

}  // namespace quire
