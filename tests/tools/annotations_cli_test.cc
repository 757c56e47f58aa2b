// The annotation features of the `quire` binary, run as a user would:
// `annotations`, `show --annotations` and the --has-annotation filter.
#include <gtest/gtest.h>

#include <string>

#include "format/base64.h"
#include "test_util.h"

namespace quire {
namespace {

using test::CliRun;
CliRun quire(const std::string& args, const test::TempDir& dir) { return test::run_quire(args, dir); }

// Offsets of a/multi counted by hand ("Hà Nội – 京都 😀 end", 29 bytes, 17
// code points): "Hà Nội" bytes [0,9) = code points [0,6); "京都" [14,20) =
// [9,11); "😀" [21,25) = [12,13); "end" [26,29) = [14,17).
std::string corpus() {
  std::string tricky = "Tab\\there \\\"q\\\" \\\\ end\\n" + std::string(100, 'x');
  return R"({"id":"a/multi","lang":"vi","text":"Hà Nội – 京都 😀 end","layers":[)"
         R"({"name":"ner","producer":"tagger 2.1","spans":[{"type":"entity","start":0,"end":9,"label":"GPE"},)"
         R"({"type":"entity","start":14,"end":20,"label":"GPE","attrs":{"lang":"ja"}}]},)"
         R"({"name":"structure","spans":[{"type":"emoji","start":21,"end":25},{"type":"word","start":26,"end":29}]}]})"
         "\n"
         R"({"id":"b/latin1","body_b64":")" + base64_encode("caf\xE9 ol\xE9\n") +
         R"(","layers":[{"name":"ner","producer":"tagger 2.1","spans":[)"
         R"({"type":"entity","start":0,"end":5,"label":"ORG"},{"type":"word","start":0,"end":3}]}]})"
         "\n"
         R"({"id":"c/tricky","lang":"en","text":")" + tricky +
         R"(","layers":[{"name":"all","producer":"","spans":[{"type":"quote","start":0,"end":119}]}]})"
         "\n"
         R"({"id":"d/plain","lang":"en","text":"no annotations"})"
         "\n";
}

class AnnotationsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_file(dir.path("t.jsonl"), corpus());
    CliRun r = quire("pack -q t.jsonl -o t.quire --no-sync", dir);
    ASSERT_EQ(r.code, 0) << r.err;
  }
  std::vector<std::string> lines(const std::string& out) {
    std::vector<std::string> v;
    size_t at = 0;
    for (size_t nl; (nl = out.find('\n', at)) != std::string::npos; at = nl + 1) v.push_back(out.substr(at, nl - at));
    EXPECT_EQ(at, out.size()) << "output does not end with a newline";
    return v;
  }
  test::TempDir dir;
};

const std::string kGpe0 =
    R"({"type":"entity","label":"GPE","id":"a/multi","layer":"ner","producer":"tagger 2.1","start":0,"end":9,"text":"Hà Nội"})";
const std::string kGpe1 =
    R"({"type":"entity","label":"GPE","id":"a/multi","layer":"ner","producer":"tagger 2.1","start":14,"end":20,"text":"京都","attrs":{"lang":"ja"}})";

TEST_F(AnnotationsCli, PrintsOneJsonLinePerSpanFilteredByTypeAndLabel) {
  CliRun r = quire("annotations t.quire entity --label GPE", dir);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(lines(r.out), (std::vector<std::string>{kGpe0, kGpe1}));
  CliRun words = quire("annotations t.quire word", dir);
  EXPECT_EQ(lines(words.out),
            (std::vector<std::string>{
                R"({"type":"word","label":"","id":"a/multi","layer":"structure","producer":"","start":26,"end":29,"text":"end"})",
                R"({"type":"word","label":"","id":"b/latin1","layer":"ner","producer":"tagger 2.1","start":0,"end":3,"text":"caf"})"}));
  CliRun org = quire("annotations t.quire --label ORG", dir);
  EXPECT_EQ(lines(org.out),
            (std::vector<std::string>{
                R"({"type":"entity","label":"ORG","id":"b/latin1","layer":"ner","producer":"tagger 2.1","start":0,"end":5,"text_b64":")" +
                base64_encode("caf\xE9 ") + R"("})"}));
  CliRun all = quire("annotations t.quire", dir);
  EXPECT_EQ(lines(all.out).size(), 7u);
}

TEST_F(AnnotationsCli, CodePointOffsetsAndTheirErrorOnANonUtf8Body) {
  CliRun r = quire("annotations t.quire --id-prefix a/ --offsets codepoints", dir);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(lines(r.out),
            (std::vector<std::string>{
                R"({"type":"entity","label":"GPE","id":"a/multi","layer":"ner","producer":"tagger 2.1","start":0,"end":6,"text":"Hà Nội"})",
                R"({"type":"entity","label":"GPE","id":"a/multi","layer":"ner","producer":"tagger 2.1","start":9,"end":11,"text":"京都","attrs":{"lang":"ja"}})",
                R"({"type":"emoji","label":"","id":"a/multi","layer":"structure","producer":"","start":12,"end":13,"text":"😀"})",
                R"({"type":"word","label":"","id":"a/multi","layer":"structure","producer":"","start":14,"end":17,"text":"end"})"}));
  CliRun bad = quire("annotations t.quire --offsets codepoints", dir);
  EXPECT_EQ(bad.code, 3);
  EXPECT_EQ(lines(bad.out).size(), 4u);  // a/multi comes first
  EXPECT_EQ(bad.err,
            "quire annotations: invalid argument: article 'b/latin1': the body is not valid UTF-8, so it has no code "
            "point offsets\n");
  EXPECT_EQ(quire("annotations t.quire --offsets lines", dir).code, 3);
}

TEST_F(AnnotationsCli, EmptyResultsMissingArchivesAndHelp) {
  CliRun none = quire("annotations t.quire no-such-type", dir);
  EXPECT_EQ(none.code, 0);
  EXPECT_EQ(none.out, "");
  EXPECT_EQ(quire("annotations t.quire --id-prefix d/", dir).out, "");
  CliRun missing = quire("annotations missing.quire", dir);
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("quire annotations:"), std::string::npos) << missing.err;
  CliRun help = quire("annotations --help", dir);
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("quire annotations sample.quire entity --label PERSON"), std::string::npos) << help.out;
  EXPECT_NE(quire("show --help", dir).out.find("--annotations --offsets codepoints"), std::string::npos);
  EXPECT_NE(quire("ls --help", dir).out.find("--has-annotation"), std::string::npos);
}

TEST_F(AnnotationsCli, HasAnnotationFiltersLsAndExtract) {
  auto ids = [&](const std::string& args) {
    CliRun r = quire(args, dir);
    EXPECT_EQ(r.code, 0) << args << ": " << r.err;
    std::vector<std::string> v;
    for (const std::string& l : lines(r.out)) v.push_back(l.substr(7, l.find('"', 7) - 7));  // {"id":"...
    return v;
  };
  EXPECT_EQ(ids("ls t.quire --json --has-annotation entity"), (std::vector<std::string>{"a/multi", "b/latin1"}));
  EXPECT_EQ(ids("ls t.quire --json --has-annotation entity=GPE"), (std::vector<std::string>{"a/multi"}));
  EXPECT_EQ(ids("ls --has-annotation entity --has-annotation word=ORG t.quire --json"), (std::vector<std::string>{}));
  EXPECT_EQ(ids("ls --has-annotation entity=ORG --has-annotation word t.quire --json"),
            (std::vector<std::string>{"b/latin1"}));
  EXPECT_EQ(ids("ls t.quire --json --has-annotation quote --lang en"), (std::vector<std::string>{"c/tricky"}));
  EXPECT_EQ(ids("extract t.quire -q --jsonl - --has-annotation emoji"), (std::vector<std::string>{"a/multi"}));
  CliRun bad = quire("ls t.quire --has-annotation =GPE", dir);
  EXPECT_EQ(bad.code, 3);
  EXPECT_EQ(bad.err, "quire ls: invalid argument: --has-annotation: '=GPE': expected TYPE or TYPE=LABEL\n");
}

TEST_F(AnnotationsCli, ShowAnnotationsInFull) {
  CliRun r = quire("show t.quire a/multi --annotations --offsets codepoints", dir);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "id:         a/multi\n"
            "record:     #0 (block 0)\n"
            "sha256:     " + r.out.substr(r.out.find("sha256:") + 12, 64) + "\n"
            "length:     29 bytes\n"
            "lang:       vi\n"
            "layer ner (tagger 2.1), 2 spans, code point offsets:\n"
            "  entity       [0, 6) GPE  \"Hà Nội\"\n"
            "  entity       [9, 11) GPE  \"京都\"  lang=\"ja\"\n"
            "layer structure (no producer), 2 spans, code point offsets:\n"
            "  emoji        [12, 13)  \"😀\"\n"
            "  word         [14, 17)  \"end\"\n");
  CliRun bytes = quire("show t.quire a/multi --annotations", dir);
  EXPECT_NE(bytes.out.find("layer ner (tagger 2.1), 2 spans, byte offsets:\n"
                           "  entity       [0, 9) GPE  \"Hà Nội\"\n"
                           "  entity       [14, 20) GPE  \"京都\"  lang=\"ja\"\n"),
            std::string::npos)
      << bytes.out;
  CliRun brief = quire("show t.quire a/multi", dir);  // the short form leaves attributes out
  EXPECT_NE(brief.out.find("layer ner (tagger 2.1), 2 spans:\n  entity       [0, 9) GPE  \"Hà Nội\"\n"
                           "  entity       [14, 20) GPE  \"京都\"\n"),
            std::string::npos)
      << brief.out;
}

TEST_F(AnnotationsCli, ShowEscapesAndClipsCoveredText) {
  CliRun latin1 = quire("show t.quire b/latin1 --annotations", dir);
  EXPECT_EQ(latin1.code, 0) << latin1.err;
  EXPECT_NE(latin1.out.find("  entity       [0, 5) ORG  \"caf\\xE9 \"\n  word         [0, 3)  \"caf\"\n"),
            std::string::npos)
      << latin1.out;
  CliRun tricky = quire("show t.quire c/tricky --annotations", dir);
  EXPECT_NE(tricky.out.find("  quote        [0, 119)  \"Tab\\there \\\"q\\\" \\\\ end\\n" + std::string(61, 'x') +
                            "\"…\n"),
            std::string::npos)
      << tricky.out;
  CliRun bad = quire("show t.quire b/latin1 --annotations --offsets codepoints", dir);
  EXPECT_EQ(bad.code, 3);
  EXPECT_EQ(bad.out, "");  // nothing half-printed
  EXPECT_NE(bad.err.find("article 'b/latin1'"), std::string::npos) << bad.err;
  EXPECT_EQ(quire("show t.quire a/multi --offsets codepoints", dir).code, 3);  // needs --annotations
}

TEST_F(AnnotationsCli, ShowAnnotationsAsJsonHasTheFullText) {
  CliRun r = quire("show t.quire c/tricky --annotations --json", dir);
  EXPECT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(lines(r.out).size(), 1u);
  EXPECT_EQ(r.out.substr(0, 17), "{\"id\":\"c/tricky\",");
  std::string tail = R"("offsets":"bytes","annotations":[{"type":"quote","label":"","layer":"all","producer":"",)"
                     R"("start":0,"end":119,"text":"Tab\there \"q\" \\ end\n)" +
                     std::string(100, 'x') + "\"}]}\n";
  ASSERT_GT(r.out.size(), tail.size());
  EXPECT_EQ(r.out.substr(r.out.size() - tail.size()), tail) << r.out;
  CliRun plain = quire("show t.quire d/plain --annotations --json", dir);
  EXPECT_NE(plain.out.find(R"("offsets":"bytes","annotations":[]})"), std::string::npos) << plain.out;
}

}  // namespace
}  // namespace quire
