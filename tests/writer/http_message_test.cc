#include "writer/http_message.h"

#include <gtest/gtest.h>

namespace quire {
namespace {

TEST(HttpMessage, SplitsStatusHeadersAndBody) {
  std::string block = "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nX-A:  b \r\n\r\nnope";
  auto h = parse_http_message(block);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 404);
  EXPECT_EQ(h->status_line, "HTTP/1.1 404 Not Found");
  EXPECT_EQ(h->header_text, "Content-Type: text/plain\r\nX-A:  b \r\n");
  EXPECT_EQ(h->header("content-type"), "text/plain");
  EXPECT_EQ(h->header("X-A"), "b");
  EXPECT_EQ(block.substr(h->body_offset), "nope");
}

TEST(HttpMessage, AcceptsLfLineEndsFoldingAndRequests) {
  auto h = parse_http_message("HTTP/1.0 200\nA: one\n  two\n\nbody");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
  EXPECT_EQ(h->header("A"), "one two");
  auto r = parse_http_message("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 0);
  EXPECT_EQ(r->header("Host"), "a");
}

TEST(HttpMessage, RejectsWhatIsNotHttpOrHasNoEndOfHead) {
  EXPECT_FALSE(parse_http_message("<html>"));
  EXPECT_FALSE(parse_http_message("HTTP/1.1 2OO OK\r\n\r\n"));
  EXPECT_FALSE(parse_http_message("HTTP/1.1 200 OK\r\nA: b\r\n"));  // head never ends
  EXPECT_FALSE(parse_http_message(""));
}

TEST(HttpMessage, KnowsChunkedFromTheLastCoding) {
  EXPECT_TRUE(is_chunked(*parse_http_message("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n")));
  EXPECT_FALSE(is_chunked(*parse_http_message("HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n")));
}

TEST(RemoveChunking, JoinsChunksAndDropsExtensionsAndTrailers) {
  auto body = remove_chunking("4;name=v\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\n");
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, "Wikipedia in\r\n\r\nchunks.");
}

TEST(RemoveChunking, NamesWhereTheFramingBreaks) {
  auto cut = remove_chunking("10\r\nshort\r\n");
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.status().message().find("runs past the end"), std::string::npos);
  auto bad = remove_chunking("zz\r\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("bad chunk size 'zz'"), std::string::npos);
  EXPECT_FALSE(remove_chunking("3\r\nabcX"));  // no line end after the data
}

TEST(RemoveChunking, TellsUnchunkedBodiesApart) {
  EXPECT_TRUE(starts_like_chunked("1f4\r\n..."));
  EXPECT_TRUE(starts_like_chunked("0\r\n\r\n"));
  EXPECT_FALSE(starts_like_chunked("<!doctype html>"));
  EXPECT_FALSE(starts_like_chunked("\x89PNG"));
  EXPECT_FALSE(starts_like_chunked(""));
}

}  // namespace
}  // namespace quire
