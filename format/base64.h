// Base64 (RFC 4648, standard alphabet, with padding) for "body_b64" in the
// JSONL interchange form.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace quire {

std::string base64_encode(std::string_view bytes);
// nullopt on characters outside the alphabet or a bad length.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace quire
