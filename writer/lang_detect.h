// Language identification of article text with CLD2 (Compact Language
// Detector 2, Debian package libcld2-dev; its tables cover about 80 languages).
// Part of the page extractor (writer/page_extract.h), usable on its own.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace quire {

struct DetectedLanguage {
  std::string code;     // BCP 47: "en", "vi", "zh", "zh-Hant", "he" (CLD2's "iw" mapped), "und-Bali"
  int confidence = 0;   // percent of the text's letters in that language, 0..100
  bool reliable = false;  // CLD2's own judgement: enough text and a clear winner
};

// The main language of `text` (plain UTF-8), or nullopt when the text is not
// valid UTF-8 or CLD2 finds no language (too short, only digits and marks).
// Only the first 64 KiB are looked at (cut at a code point boundary): enough
// for CLD2, and it keeps the time per article bounded.
std::optional<DetectedLanguage> detect_language(std::string_view text);

// CLD2's version string, e.g. "V2.0 - 20141016".
std::string cld2_version();

}  // namespace quire
