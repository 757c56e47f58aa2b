#include "format/content_digest.h"

#include <gtest/gtest.h>

namespace quire {
namespace {

Sha256 digest_of(const ArticleMeta& m, const std::vector<Layer>& layers = {}) {
  ContentDigest d;
  d.add(m, sha256(std::string("body")), layers);
  return d.finish();
}

TEST(ContentDigest, ChangesWithEveryField) {
  ArticleMeta base;
  base.id = "x";
  Sha256 d0 = digest_of(base);
  auto changed = [&](auto edit) {
    ArticleMeta m = base;
    edit(m);
    return digest_of(m) != d0;
  };
  EXPECT_TRUE(changed([](ArticleMeta& m) { m.id = "y"; }));
  EXPECT_TRUE(changed([](ArticleMeta& m) { m.title = "t"; }));
  EXPECT_TRUE(changed([](ArticleMeta& m) { m.source = "s"; }));
  EXPECT_TRUE(changed([](ArticleMeta& m) { m.date = *Date::parse("2024"); }));
  EXPECT_TRUE(changed([](ArticleMeta& m) { m.lang_notes = {""}; }));
  EXPECT_TRUE(changed([](ArticleMeta& m) { m.extra = {{"k", ""}}; }));
  EXPECT_NE(digest_of(base, {{"l", "", {}}}), d0);
}

TEST(ContentDigest, ListsWithEmptyItemsDoNotCollide) {
  ArticleMeta a, b;
  a.id = b.id = "x";
  a.extra = {{"k", ""}, {"", "v"}};
  b.extra = {{"k", "v"}};
  EXPECT_NE(digest_of(a), digest_of(b));
  a.extra.clear();
  b.extra.clear();
  a.lang_notes = {"ab", ""};
  b.lang_notes = {"ab"};
  EXPECT_NE(digest_of(a), digest_of(b));
}

TEST(ContentDigest, FieldBoundariesMatter) {
  ArticleMeta a, b;
  a.id = b.id = "x";
  a.title = "ab";
  a.url = "c";
  b.title = "a";
  b.url = "bc";
  EXPECT_NE(digest_of(a), digest_of(b));
}

}  // namespace
}  // namespace quire
