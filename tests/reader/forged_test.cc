// A body that no longer matches its SHA-256 behind valid checksums (what a
// deliberate edit, or a bug in a writer, would leave): checksums cannot see
// it, the SHA-256 check must. The archive is built from the writer's own
// pieces with one catalog hash changed on purpose.
#include <gtest/gtest.h>

#include <algorithm>

#include "format/checksum.h"
#include "format/index_key.h"
#include "format/layout.h"
#include "reader/archive.h"
#include "reader/verify.h"
#include "test_util.h"
#include "writer/block_encoder.h"
#include "writer/index_writer.h"
#include "writer/output_file.h"

namespace quire {
namespace {

// Writes a one-block archive of `bodies` whose catalog claims `claimed` for
// article 1 instead of its real SHA-256.
void write_forged(const std::string& path, const std::vector<std::string>& bodies, const Sha256& claimed) {
  auto out = OutputFile::create_beside(path, false);
  ASSERT_TRUE(out.is_ok());
  std::array<std::byte, FileHeader::kSize> header{};
  FileHeader{}.encode(header);
  ASSERT_TRUE((*out)->write(header).is_ok());
  PendingBlock block;
  ArchiveTail tail;
  std::vector<BlockEntry> blocks;
  std::vector<uint64_t> id_entries, sha_entries;
  for (size_t i = 0; i < bodies.size(); ++i) {
    PendingArticle a;
    a.meta.id = "f/" + std::to_string(i);
    a.sha256 = i == 1 ? claimed : sha256(bodies[i]);
    a.body = {0, block.bodies.size(), bodies[i].size()};
    block.bodies += bodies[i];
    block.articles.push_back(a);
    id_entries.push_back(index_entry(id_key(a.meta.id), i));
    sha_entries.push_back(index_entry(sha_key(a.sha256), i));
    tail.body_bytes += bodies[i].size();
  }
  BlockEncoder encoder(3);
  auto section = encoder.encode(block, nullptr);
  ASSERT_TRUE(section.is_ok());
  blocks.push_back({(*out)->offset(), section->section.size(), 0, static_cast<uint32_t>(bodies.size()), 0});
  ASSERT_TRUE((*out)->write(section->section).is_ok());
  tail.articles = tail.unique_bodies = bodies.size();
  std::sort(id_entries.begin(), id_entries.end());
  std::sort(sha_entries.begin(), sha_entries.end());
  VectorSource<BlockEntry> block_source(blocks);
  VectorSource<uint64_t> ids(id_entries), shas(sha_entries);
  ASSERT_TRUE(write_tail(**out, tail, TailSources{block_source, ids, shas}).is_ok());
  ASSERT_TRUE((*out)->commit().is_ok());
}

TEST(Forged, ABodyThatDoesNotMatchItsHashIsFoundByVerifyNotByChecksums) {
  test::TempDir dir;
  std::string path = dir.path("forged.quire");
  write_forged(path, {"first body", "second body", "third body"}, sha256(std::string("what it once was")));
  auto archive = Archive::open(path);
  ASSERT_TRUE(archive.is_ok()) << archive.status().to_string();
  EXPECT_TRUE(archive->find("f/1")->body().is_ok()) << "checksums are intact, so the body reads";
  EXPECT_TRUE(archive->find("f/0")->verify().is_ok());
  Status s = archive->find("f/1")->verify();
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_NE(s.message().find("body SHA-256 is " + to_hex(sha256(std::string("second body")))), std::string::npos)
      << s.message();
  VerifyOptions quick;
  quick.quick = true;
  EXPECT_TRUE(verify_archive(path, quick)->ok()) << "quick mode hashes no body: it cannot see this";
  auto full = verify_archive(path, {});
  ASSERT_TRUE(full.is_ok());
  ASSERT_FALSE(full->ok());
  EXPECT_EQ(full->damage[0].item, "article 'f/1'");
  EXPECT_EQ(full->damage[0].articles, std::vector<std::string>{"f/1"});
}

}  // namespace
}  // namespace quire
