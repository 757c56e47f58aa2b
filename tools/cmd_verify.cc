// quire verify: check every checksum and every body's SHA-256.
#include <fmt/format.h>

#include "format/json_writer.h"
#include "reader/archive_set.h"
#include "reader/verify.h"
#include "tools/cli.h"

namespace quire::cli {
namespace {

struct VerifyArgs {
  std::string archive, expect;
  std::vector<std::string> ids;
  bool json = false, quick = false;
};

// Verifies only the named articles (their blocks, bodies and annotations).
int run_articles(const VerifyArgs& a) {
  auto archive = ArchiveSet::open(a.archive);
  if (!archive) return fail_open("verify", archive.status());
  int code = kExitOk;
  JsonWriter w;
  w.begin_array();
  for (const std::string& ref : a.ids) {
    auto art = archive->resolve(ref);
    Status s = art ? art->verify() : art.status();
    if (!s.is_ok()) code = std::max(code, s.code() == Code::kNotFound ? kExitBadInput : kExitDamaged);
    if (a.json) {
      w.begin_object().field("article", ref).field("ok", s.is_ok());
      if (!s.is_ok()) w.field("message", s.message());
      w.end_object();
    } else if (s.is_ok()) {
      fmt::print("{}: OK\n", ref);
    } else {
      fmt::print("{}: {}\n", ref, s.to_string());
    }
  }
  if (a.json) fmt::print("{}\n", w.end_array().str());
  return code;
}

int run(const VerifyArgs& a) {
  if (!a.ids.empty()) return run_articles(a);
  VerifyOptions options;
  options.quick = a.quick;
  if (!a.expect.empty()) {
    Sha256 d;
    if (!parse_sha256_hex(a.expect, d)) {
      return fail("verify", Status::invalid_argument("--expect: a content digest is 64 hex digits"));
    }
    options.expected_content_digest = d;
  }
  auto start = std::chrono::steady_clock::now();
  auto report = verify_set(a.archive, options);  // a single archive: verify_archive
  if (!report) return fail_open("verify", report.status());
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int code = !report->readable ? kExitUnreadable : report->damage.empty() ? kExitOk : kExitDamaged;
  if (a.json) {
    JsonWriter w;
    w.begin_object().field("archive", a.archive).field("ok", report->ok()).field("readable", report->readable);
    w.field("mode", a.quick ? "quick" : "full");
    w.field("sections", report->sections).field("blocks", report->blocks).field("articles", report->articles);
    w.field("bytes_hashed", report->bytes_hashed).field("seconds", secs);
    w.field("content_digest", to_hex(report->content_digest)).field("content_digest_checked", report->content_digest_checked);
    w.key("damage").begin_array();
    for (const Damage& d : report->damage) {
      w.begin_object().field("item", d.item).field("offset", d.offset).field("message", d.message);
      w.key("articles").begin_array();
      for (const auto& id : d.articles) w.value(id);
      w.end_array().end_object();
    }
    w.end_array().end_object();
    fmt::print("{}\n", w.str());
    return code;
  }
  for (const Damage& d : report->damage) {
    fmt::print("DAMAGED {} at offset {}: {}\n", d.item, d.offset, d.message);
    for (const auto& id : d.articles) fmt::print("  article: {}\n", id);
  }
  if (code == kExitOk) {
    fmt::print("{}: OK ({} verify) {} articles in {} blocks, {} sections, {} hashed, {:.2f}s\n", a.archive,
               a.quick ? "quick" : "full", report->articles, report->blocks, report->sections,
               human_bytes(report->bytes_hashed), secs);
    if (report->content_digest_checked) fmt::print("content digest {}\n", to_hex(report->content_digest));
  } else {
    fmt::print("{}: {} ({} problems found)\n", a.archive, report->readable ? "DAMAGED" : "UNREADABLE",
               report->damage.size());
  }
  return code;
}

}  // namespace

void register_verify(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<VerifyArgs>();
  auto* cmd = app.add_subcommand("verify", "Check every checksum and every body's SHA-256");
  cmd->footer(
      "Exit status: 0 intact, 1 damaged (each damaged item is listed with its offset),\n"
      "2 unreadable (not a Quire archive, or it cannot be opened).\n"
      "A set (directory or quire-set.json) is checked shard by shard, then each shard's\n"
      "size, content and file digests against the manifest and the set's content digest\n"
      "(SPEC.md 15.4); a missing or altered shard is named.\n\n"
      "Examples:\n"
      "  quire verify sample.quire\n"
      "  quire verify sample.quire --quick --json\n"
      "  quire verify sample.quire --id news/2024/04/26/hanoi-metro-extension\n"
      "  quire verify sample.quire --expect 3f2a...   (a published content digest)");
  cmd->add_option("archive", args->archive, "archive file or set (directory or quire-set.json)")->required();
  cmd->add_flag("--json", args->json, "one JSON object with every damaged item");
  cmd->add_flag("--quick", args->quick, "structure and checksums only; no decompression or SHA-256 of bodies");
  cmd->add_option("--expect", args->expect, "the content digest the archive must have");
  cmd->add_option("--id", args->ids, "verify only this article (id, sha256:HEX or #N; repeatable)");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace quire::cli
