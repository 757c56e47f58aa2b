// How an article id becomes a relative file path when an archive is
// extracted to a directory (SPEC.md 12). The mapping never produces a path
// that leaves the target directory, and it is injective: two different ids
// never map to the same path (before case folding, which extract handles).
#pragma once

#include <string>
#include <string_view>

namespace quire {

// Splits the id on '/', percent-encodes in every component the bytes that are
// unsafe in file names (controls, '%', '\\', and Windows's <>:"|?*), encodes
// "." and ".." and trailing dots and spaces, escapes reserved device names
// (CON, NUL, COM1, ...), writes an empty component as "%", and shortens a
// component over 255 bytes to 200 bytes plus "~" and a 16-hex hash.
std::string id_to_relative_path(std::string_view id);

// The name used instead when a path collides (after ASCII case folding, or a
// file/directory clash): "<path>~<16 hex of XXH3-64 of the id>".
std::string collision_path(const std::string& path, std::string_view id);

}  // namespace quire
