// quire salvage: recover every intact article of a damaged archive into a new one.
#include <fmt/format.h>

#include "format/json_writer.h"
#include "reader/salvage.h"
#include "tools/cli.h"
#include "writer/writer.h"

namespace quire::cli {
namespace {

struct SalvageArgs {
  std::string damaged, output;
  bool json = false, no_sync = false;
};

int run(const SalvageArgs& a) {
  WriterOptions options;
  options.sync = !a.no_sync;
  options.info.tool = "quire salvage";
  options.info.tool_version = "0.1.0";
  std::unique_ptr<Writer> w;
  uint64_t skipped = 0;
  std::vector<std::string> notes;
  // Once the sections are scanned: keep the damaged archive's own metadata
  // when its manifest survives, and open the output.
  auto on_scanned = [&](const SalvageReport& scanned) -> Status {
    if (scanned.info_known) {
      options.info = scanned.info;
      options.info.extra.push_back({"salvaged-by", "quire salvage 0.1.0"});
    }
    QUIRE_ASSIGN_OR_RETURN(w, Writer::create(a.output, options));
    remove_on_signal(w->temp_path());
    return Status::ok();
  };
  auto report = salvage_articles(a.damaged, on_scanned, [&](const RecoveredArticle& r) {
    ArticleInput in{r.meta, r.body, r.sha256, r.layers, std::nullopt};
    Status s = w->add(in);
    if (s.code() == Code::kInvalidArgument) {  // e.g. a duplicate id in a damaged file: keep going
      notes.push_back(fmt::format("record #{} not kept: {}", r.record, s.message()));
      ++skipped;
      return Status::ok();
    }
    return s;
  });
  if (!report) {
    if (w) w->abandon();
    return fail_open("salvage", report.status());
  }
  Status fin = w->finish();
  remove_on_signal("");
  if (!fin.is_ok()) return fail("salvage", fin);
  report->lost.insert(report->lost.end(), notes.begin(), notes.end());
  // A missing footer means the tail was cut: blocks after the cut may be gone
  // without a trace, so the recovery cannot be called complete.
  bool complete = report->lost.empty() && skipped == 0 && report->footer_ok;
  if (a.json) {
    JsonWriter w;
    w.begin_object().field("input", a.damaged).field("output", a.output).field("complete", complete);
    w.field("footer_ok", report->footer_ok).field("manifest_ok", report->manifest_ok);
    w.field("expected_articles", report->expected_articles).field("recovered", report->recovered - skipped);
    w.field("blocks_found", report->blocks_found).field("blocks_recovered", report->blocks_recovered);
    w.key("lost").begin_array();
    for (const auto& l : report->lost) w.value(l);
    w.end_array().key("lost_ids").begin_array();
    for (const auto& id : report->lost_ids) w.value(id);
    w.end_array().end_object();
    fmt::print("{}\n", w.str());
  } else {
    fmt::print("recovered {} articles{} from {} blocks into {}\n", report->recovered - skipped,
               report->expected_articles ? fmt::format(" of {}", report->expected_articles) : "",
               report->blocks_recovered, a.output);
    if (!report->footer_ok) fmt::print("the footer was missing or damaged (file cut short?)\n");
    for (const auto& l : report->lost) fmt::print("LOST {}\n", l);
    for (const auto& id : report->lost_ids) fmt::print("  lost article: {}\n", id);
  }
  return complete ? kExitOk : kExitDamaged;
}

}  // namespace

void register_salvage(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SalvageArgs>();
  auto* cmd = app.add_subcommand("salvage", "Recover every intact article of a damaged archive");
  cmd->footer(
      "Reads the damaged file section by section (it needs no footer, manifest or index),\n"
      "and writes every article whose block is intact and whose body matches its SHA-256\n"
      "to a new archive, with its metadata and annotations. Prints what was lost.\n"
      "Exit status: 0 everything recovered, 1 something was lost, 2 nothing readable.\n\n"
      "Examples:\n"
      "  quire salvage damaged.quire -o recovered.quire\n"
      "  quire salvage .corpus.quire.tmp-Ab12Cd -o corpus.quire --json   (a killed pack)");
  cmd->add_option("damaged", args->damaged, "damaged or truncated archive")->required();
  cmd->add_option("-o,--output", args->output, "archive to write")->required();
  cmd->add_flag("--json", args->json, "one JSON object with the report");
  cmd->add_flag("--no-sync", args->no_sync, "skip fsync before the final rename");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace quire::cli
