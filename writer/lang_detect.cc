#include "writer/lang_detect.h"

// CLD2's public header uses FILE without including <cstdio>.
#include <cstdio>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include "format/model.h"

namespace quire {
namespace {

constexpr size_t kMaxDetectBytes = 64 * 1024;

// CLD2 codes -> BCP 47: the two legacy ISO 639 codes it still uses, "xx-Scrp"
// (a script, language unknown) as "und-Scrp", and its pseudo-languages dropped.
std::string bcp47(std::string_view code) {
  if (code == "iw") return "he";
  if (code == "jw") return "jv";
  if (code.starts_with("xx-")) return "und-" + std::string(code.substr(3));
  if (code.empty() || code == "un" || code == "xxx" || code.starts_with("zz")) return "";
  return std::string(code);
}

// The longest prefix of at most `max` bytes that does not cut a UTF-8 sequence.
std::string_view prefix(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

}  // namespace

std::optional<DetectedLanguage> detect_language(std::string_view text) {
  text = prefix(text, kMaxDetectBytes);
  if (text.empty() || !is_valid_utf8(text)) return std::nullopt;
  CLD2::Language top3[3];
  int percent3[3] = {0, 0, 0};
  double scores3[3];
  int text_bytes = 0;
  bool reliable = false;
  CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  CLD2::Language lang = CLD2::ExtDetectLanguageSummary(text.data(), static_cast<int>(text.size()), true, &hints, 0,
                                                       top3, percent3, scores3, nullptr, &text_bytes, &reliable);
  std::string code = bcp47(CLD2::LanguageCode(lang));
  if (code.empty()) return std::nullopt;
  int confidence = top3[0] == lang ? percent3[0] : 0;
  return DetectedLanguage{code, confidence, reliable};
}

std::string cld2_version() { return CLD2::DetectLanguageVersion(); }

}  // namespace quire
