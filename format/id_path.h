// How an article id becomes a relative file path when an archive is
// extracted to a directory (SPEC.md 12). The mapping never produces a path
// that leaves the target directory. It is injective except where a component
// is shortened (an id could spell out another's shortened form) and under case
// folding: extract detects those collisions and uses collision_name().
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

// The file or directory name used instead of `name` when it collides (after
// ASCII case folding, with an existing entry, or a file/directory clash):
// "<name>~<16 hex of XXH3-64 of the id>", with `name` first cut (at a UTF-8
// boundary) so the result stays within 255 bytes.
std::string collision_name(std::string_view name, std::string_view id);

}  // namespace quire
