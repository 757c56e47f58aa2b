// SURT keys as pywb and the Internet Archive's `surt` package spell them (the
// expected values are those the package's own tests state).
#include "reader/surt.h"

#include <gtest/gtest.h>

namespace quire {
namespace {

TEST(Surt, ReversesTheHostAndDropsSchemeAndWww) {
  EXPECT_EQ(surt_key("http://www.archive.org/"), "org,archive)/");
  EXPECT_EQ(surt_key("http://archive.org/"), "org,archive)/");
  EXPECT_EQ(surt_key("https://archive.org/"), "org,archive)/");
  EXPECT_EQ(surt_key("http://www.archive.org"), "org,archive)/");
  EXPECT_EQ(surt_key("http://ARCHIVE.ORG/"), "org,archive)/");
  EXPECT_EQ(surt_key("http://www12.foo.com/"), "com,foo)/");
  EXPECT_EQ(surt_key("http://www2foo.com/"), "com,www2foo)/");
  EXPECT_EQ(surt_key("http://www2.www2foo.com/"), "com,www2foo)/");
  EXPECT_EQ(surt_key("whois://whois.isoc.org.il/shaveh.co.il"), "il,org,isoc,whois)/shaveh.co.il");
}

TEST(Surt, DropsDefaultPortsOnly) {
  EXPECT_EQ(surt_key("http://www.archive.org:80/"), "org,archive)/");
  EXPECT_EQ(surt_key("https://www.archive.org:443/"), "org,archive)/");
  EXPECT_EQ(surt_key("http://www.archive.org:443/"), "org,archive:443)/");
  EXPECT_EQ(surt_key("https://www.archive.org:80/"), "org,archive:80)/");
  EXPECT_EQ(surt_key("http://mineral.galleries.com:/minerals/x.htm"), "com,galleries,mineral)/minerals/x.htm");
  EXPECT_EQ(surt_key("http://user:pass@example.com/a"), "com,example)/a");
}

TEST(Surt, PathIsLowerCasedWithoutTrailingSlashOrFragment) {
  EXPECT_EQ(surt_key("http://archive.org/goo/"), "org,archive)/goo");
  EXPECT_EQ(surt_key("http://archive.org/goo/?"), "org,archive)/goo");
  EXPECT_EQ(surt_key("http://example.com/Path/To/Page.HTML#Top"), "com,example)/path/to/page.html");
  EXPECT_EQ(surt_key("http://www.google.com/blah/.."), "com,google)/");
  EXPECT_EQ(surt_key("http://host.com/a/./b/../c"), "com,host)/a/c");
  EXPECT_EQ(surt_key("http://host.com//twoslashes?more//slashes"), "com,host)/twoslashes?more//slashes");
}

TEST(Surt, QueryArgumentsAreSortedAndLowerCased) {
  EXPECT_EQ(surt_key("http://archive.org/goo/?b&a"), "org,archive)/goo?a&b");
  EXPECT_EQ(surt_key("http://archive.org/goo/?a=2&b&a=1"), "org,archive)/goo?a=1&a=2&b");
  EXPECT_EQ(surt_key("http://example.com/foo?X=Y"), "com,example)/foo?x=y");
  EXPECT_EQ(surt_key("http://example.com/?a-b=2&a=1"), "com,example)/?a=1&a-b=2") << "by name, then value";
  // The package's "Yahoo web bug" case: an empty first argument sorts first,
  // escapes of printable bytes are decoded, %20 stays.
  EXPECT_EQ(surt_key("http://visit.webhosting.yahoo.com/visit.gif?&r=http%3A//web.archive.org/web/20090517140029/"
                     "http%3A//anthonystewarthead.electric-chi.com/&b=Netscape%205.0%20%28Windows%3B%20en-US%29"
                     "&s=1366x768&o=Win32&c=24&j=true&v=1.2"),
            "com,yahoo,webhosting,visit)/visit.gif?&b=netscape%205.0%20(windows;%20en-us)&c=24&j=true&o=win32"
            "&r=http://web.archive.org/web/20090517140029/http://anthonystewarthead.electric-chi.com/&s=1366x768&v=1.2");
}

TEST(Surt, EscapesAreNormalised) {
  EXPECT_EQ(surt_key("http://host/%25%32%35"), "host)/%25");
  EXPECT_EQ(surt_key("http://host/%7Euser"), "host)/~user");
  EXPECT_EQ(surt_key("http://host/a b"), "host)/a%20b");
  EXPECT_EQ(surt_key("http://host/caf\xC3\xA9"), "host)/caf%c3%a9");
}

TEST(Surt, WhiteSpaceAndLineBreaksAreDropped) {
  EXPECT_EQ(surt_key("  http://www.google.com/  "), "com,google)/");
  EXPECT_EQ(surt_key("http://www.google.com/foo\tbar\rbaz\n2"), "com,google)/foobarbaz2");
}

TEST(Surt, NonHierarchicalUrisAreKeptAsGiven) {
  EXPECT_EQ(surt_key(""), "-");
  EXPECT_EQ(surt_key("dns:alexa.com"), "dns:alexa.com");
  EXPECT_EQ(surt_key("mailto:foo@example.com"), "mailto:foo@example.com");
  EXPECT_EQ(surt_key("filedesc:foo.arc.gz"), "filedesc:foo.arc.gz");
  EXPECT_EQ(surt_key("filedesc://foo.arc.gz"), "filedesc://foo.arc.gz");
  EXPECT_EQ(surt_key("warcinfo:foo.warc.gz"), "warcinfo:foo.warc.gz");
}

TEST(Surt, AStringWithoutSchemeIsReadAsHttp) {
  EXPECT_EQ(surt_key("www.google.com"), "com,google)/");
  EXPECT_EQ(surt_key("example.com:8080/x"), "com,example:8080)/x");
  EXPECT_EQ(surt_key("localhost:8080/x"), "localhost:8080)/x");
  EXPECT_EQ(surt_key("news/2024/04/26/hanoi-metro"), "news)/2024/04/26/hanoi-metro");
}

}  // namespace
}  // namespace quire
