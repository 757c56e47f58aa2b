#include "format/html_text.h"

#include <gtest/gtest.h>

#include "format/html_entities.h"

namespace quire {
namespace {

// Every span lies in the input, in order, and the labels make up the text.
void expect_consistent(std::string_view html, const HtmlText& t) {
  std::string joined;
  uint64_t prev_end = 0;
  ASSERT_EQ(t.layer.spans.size(), t.text_starts.size());
  for (size_t i = 0; i < t.layer.spans.size(); ++i) {
    const Span& s = t.layer.spans[i];
    EXPECT_LE(prev_end, s.start);
    EXPECT_LE(s.start, s.end);
    EXPECT_LE(s.end, html.size());
    EXPECT_EQ(t.text_starts[i], joined.size());
    EXPECT_EQ(s.type, "text");
    joined += s.label;
    prev_end = s.end;
  }
  EXPECT_EQ(joined, t.text);
}

TEST(HtmlText, DropsTagsScriptsStylesAndComments) {
  std::string_view html =
      "<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style>"
      "<script>if (a < b) document.write('<p>x</p>');</script></head>"
      "<body><!-- nav --><p>Hello <b>world</b></p><p>Second</p></body></html>";
  HtmlText t = html_to_text(html);
  EXPECT_EQ(t.text, "Hello world\n\nSecond\n\n");
  EXPECT_EQ(t.layer.name, "text");
  expect_consistent(html, t);
}

TEST(HtmlText, DecodesNamedAndNumericReferences) {
  std::string_view html = "<p>Tom &amp; Jerry &lt;3 &quot;caf&eacute;&quot; &#8211; &#x1F600; &#150; &mdash;&nbsp;x "
                          "&bogus; &amp</p>";
  HtmlText t = html_to_text(html);
  EXPECT_EQ(t.text, "Tom & Jerry <3 \"caf\u00e9\" \u2013 \U0001F600 \u2013 \u2014\u00a0x &bogus; &amp\n\n");
  expect_consistent(html, t);
  std::string out;
  EXPECT_EQ(decode_entity("&#0;", 0, out), 4u);
  EXPECT_EQ(out, "\uFFFD");
  out.clear();
  EXPECT_EQ(decode_entity("&#xD800;", 0, out), 8u);
  EXPECT_EQ(out, "\uFFFD") << "a surrogate is not a character";
  EXPECT_EQ(decode_entity("&#;", 0, out), 0u);
}

TEST(HtmlText, BlockElementsBecomeLineBreaksAndSpaceCollapses) {
  std::string_view html = "<div>One\n   two</div><ul><li>a</li><li>b</li></ul>x<br>y<pre>  keep\n  this</pre>";
  HtmlText t = html_to_text(html);
  EXPECT_EQ(t.text, "One two\n\na\nb\n\nx\ny\n\n  keep\n  this\n\n");
  expect_consistent(html, t);
}

TEST(HtmlText, SpansMapBackToTheOriginalBytes) {
  std::string html = "<h1>Xin ch&agrave;o Vi\xe1\xbb\x87t Nam</h1><p>\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 "
                     "&amp; Hanoi</p>";
  HtmlText t = html_to_text(html);
  EXPECT_EQ(t.h1, "Xin ch\u00e0o Vi\u1ec7t Nam");
  auto [a, b] = t.to_original(t.h1_text_start, t.h1_text_end);
  EXPECT_EQ(html.substr(a, b - a), "Xin ch&agrave;o Vi\xe1\xbb\x87t Nam");
  size_t m = t.text.find("\xd0\x9c");  // "Москва" maps byte for byte
  auto [c, d] = t.to_original(m, m + 12);
  EXPECT_EQ(html.substr(c, d - c), "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0");
  size_t amp = t.text.find('&');  // one decoded character widens to its reference
  auto [e, f] = t.to_original(amp, amp + 1);
  EXPECT_EQ(html.substr(e, f - e), "&amp;");
  expect_consistent(html, t);
}

TEST(HtmlText, TitleAndFirstH1) {
  std::string_view html = "<html><head><title>\n  Page &amp; title | Site </title></head>"
                          "<body><h1> </h1><h1>Real <i>headline</i></h1><h1>Second</h1></body></html>";
  HtmlText t = html_to_text(html);
  EXPECT_EQ(t.title, "Page & title | Site");
  EXPECT_EQ(html.substr(t.title_start, t.title_end - t.title_start), "Page &amp; title | Site");
  EXPECT_EQ(t.h1, "Real headline");
  EXPECT_EQ(t.text.substr(t.h1_text_start, t.h1_text_end - t.h1_text_start), "Real headline");
}

TEST(HtmlText, UnclosedMarkupHidesTheRestAndStrayLessThanIsText) {
  EXPECT_EQ(html_to_text("a < b and c<3 <p>x").text, "a < b and c<3 \n\nx");
  EXPECT_EQ(html_to_text("before<a href=\"x>y").text, "before");
  EXPECT_EQ(html_to_text("before<!-- never closed <p>x").text, "before");
  EXPECT_EQ(html_to_text("<p title='a>b'>text</p>").text, "text\n\n") << "'>' inside a quoted value";
  EXPECT_EQ(html_to_text("<script>never closed").text, "");
}

TEST(HtmlText, RecognisesHtml) {
  EXPECT_TRUE(looks_like_html("", "text/html; charset=utf-8", ""));
  EXPECT_TRUE(looks_like_html("", "application/xhtml+xml", ""));
  EXPECT_TRUE(looks_like_html("", "", "pages/a.HTM"));
  EXPECT_TRUE(looks_like_html("\xEF\xBB\xBF  <!doctype HTML>", "", ""));
  EXPECT_TRUE(looks_like_html("<html lang=en>", "", ""));
  EXPECT_FALSE(looks_like_html("Plain text about <html> tags", "text/plain", "a.txt"));
}

}  // namespace
}  // namespace quire
