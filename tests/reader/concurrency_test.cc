// Many threads reading one open archive get exactly what one thread gets.
// Run under ThreadSanitizer by the "tsan" CTest label (scripts/test).
#include <gtest/gtest.h>

#include <thread>

#include "format/checksum.h"
#include "reader/archive.h"
#include "test_util.h"

namespace quire {
namespace {

TEST(Concurrency, SixteenThreadsRandomReadsAndIteration) {
  test::TempDir dir;
  std::mt19937_64 rng(9);
  std::vector<test::OwnedArticle> corpus;
  for (int i = 0; i < 2000; ++i) corpus.push_back(test::make_article("c/" + std::to_string(i), test::random_text(rng, 100 + rng() % 4000)));
  WriterOptions o;
  o.block_size = 8 * 1024;
  o.dictionary_sample_bytes = 256 * 1024;
  test::write_archive(dir.path("c.quire"), corpus, o);
  ReaderOptions ro;
  ro.cache_blocks = 8;  // small, so threads evict each other's blocks
  ro.cache_catalogs = 8;
  auto archive = Archive::open(dir.path("c.quire"), ro);
  ASSERT_TRUE(archive.is_ok());
  std::vector<Sha256> expected;
  for (const auto& a : corpus) expected.push_back(sha256(a.body));

  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 r(static_cast<uint64_t>(t));
      for (int k = 0; k < 400; ++k) {
        size_t i = r() % corpus.size();
        auto a = (t % 2 == 0) ? archive->find("c/" + std::to_string(i)) : archive->at(i);
        if (!a) { failures++; continue; }
        auto body = a->body();
        if (!body || sha256(body->bytes()) != expected[i] || a->id() != corpus[i].meta.id) failures++;
      }
      if (t % 4 == 0) {  // some threads also iterate
        for (uint64_t rec = 0; rec < archive->size(); rec += 13) {
          auto a = archive->at(rec);
          if (!a || a->body()->size() != corpus[rec].body.size()) failures++;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace quire
