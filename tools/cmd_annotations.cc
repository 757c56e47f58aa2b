// quire annotations: every annotation span of the (matching) articles, as JSON lines.
#include <fmt/format.h>

#include "reader/annotation_query.h"
#include "tools/cli.h"

namespace quire::cli {
namespace {

struct AnnotationsArgs {
  std::string archive;
  std::string type;
  std::optional<std::string> label;
  FilterOptions filter;
  OffsetUnit offsets = OffsetUnit::kBytes;
};

int run(const AnnotationsArgs& a) {
  AnnotationQuery query;
  auto filter = a.filter.build();
  if (!filter) return fail("annotations", filter.status());
  query.filter = std::move(*filter);
  if (!a.type.empty()) query.spans.type = a.type;
  query.spans.label = a.label;
  query.offsets = a.offsets;
  auto archive = Archive::open(a.archive);
  if (!archive) return fail_open("annotations", archive.status());
  Status s = for_each_annotation(*archive, query, [](const Article& art, const ArticleAnnotations& ann,
                                                     const PlacedSpan& p) {
    fmt::print("{}\n", annotation_to_json(art, ann, p));
    return Status::ok();
  });
  return s.is_ok() ? kExitOk : fail("annotations", s);
}

}  // namespace

void register_annotations(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<AnnotationsArgs>();
  auto* cmd = app.add_subcommand("annotations", "List annotation spans with the text they cover, as JSON lines");
  cmd->footer(
      "One JSON object per span, in archive order and, within an article, layer by\n"
      "layer in stored order:\n"
      "  {\"type\",\"label\",\"id\",\"layer\",\"producer\",\"start\",\"end\",\"text\"}\n"
      "\"text\" is the covered text; \"text_b64\" (base64) replaces it when those bytes\n"
      "are not valid UTF-8. \"attrs\" follows when the span has attributes. Offsets\n"
      "are UTF-8 byte offsets into the body, end exclusive; with --offsets codepoints\n"
      "they count Unicode code points, and an article whose body is not UTF-8 stops\n"
      "the listing with an error naming it (exit code 3).\n\n"
      "Examples:\n"
      "  quire annotations sample.quire\n"
      "  quire annotations sample.quire entity --label PERSON --lang vi\n"
      "  quire annotations sample.quire dateline --offsets codepoints\n"
      "  quire annotations sample.quire entity --has-annotation dateline | jq -r .text");
  cmd->add_option("archive", args->archive, "archive file")->required();
  cmd->add_option("type", args->type, "only spans of this type (all types when absent)");
  cmd->add_option("--label", args->label, "only spans with this label (\"\" for spans without one)");
  add_offsets_option(*cmd, args->offsets);
  args->filter.add_to(*cmd);
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace quire::cli
