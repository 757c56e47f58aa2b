// `quire pack` on hostile tar and zip input, run as a user would: paths that
// climb out or are absolute, links, and a zip bomb each get a warning naming
// the member, the rest is packed, and extraction never leaves its directory.
#include <gtest/gtest.h>

#include <filesystem>

#include "test_util.h"

namespace quire {
namespace {

namespace fs = std::filesystem;

TEST(HostileArchive, WarnsPerMemberPacksTheRestAndExtractsSafely) {
  test::TempDir dir;
  // Python's tarfile writes exactly the member names it is given.
  ASSERT_EQ(system(("cd '" + dir.root().string() + "' && /usr/bin/python3 - <<'PY'\n"
                    "import io, tarfile\n"
                    "t = tarfile.open('hostile.tar', 'w')\n"
                    "def add(name, data=b'', kind=tarfile.REGTYPE, link=''):\n"
                    "    i = tarfile.TarInfo(name); i.type = kind; i.linkname = link; i.size = len(data)\n"
                    "    t.addfile(i, io.BytesIO(data))\n"
                    "add('ok.txt', b'fine\\n')\n"
                    "add('../evil.txt', b'climbs\\n')\n"
                    "add('/abs.txt', b'absolute\\n')\n"
                    "add('sl', kind=tarfile.SYMTYPE, link='/etc/passwd')\n"
                    "add('hl', kind=tarfile.LNKTYPE, link='ok.txt')\n"
                    "t.close()\n"
                    "PY")
                       .c_str()),
            0);
  auto r = test::run_quire("pack hostile.tar -o h.quire --no-sync -q", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("member '../evil.txt' has a path outside the archive's root"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("member '/abs.txt' has a path outside the archive's root"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("member 'sl' is a link or special file to /etc/passwd, not stored"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("member 'hl' is a link or special file to ok.txt, not stored"), std::string::npos) << r.err;
  EXPECT_EQ(test::run_quire("cat h.quire ../evil.txt", dir).out, "climbs\n");
  EXPECT_EQ(test::run_quire("cat h.quire ok.txt", dir).out, "fine\n");
  auto x = test::run_quire("extract -q h.quire -o out", dir);
  ASSERT_EQ(x.code, 0) << x.err;
  EXPECT_FALSE(fs::exists(dir.path("evil.txt")));
  EXPECT_FALSE(fs::exists("/abs.txt"));
  size_t files = 0;
  for (auto& e : fs::recursive_directory_iterator(dir.path("out"))) files += e.is_regular_file();
  EXPECT_EQ(files, 3u);  // ok.txt and the two renamed ones, all inside out/
}

TEST(HostileArchive, AZipBombIsSkippedUnheldAndTheRestPacked) {
  test::TempDir dir;
  // 512 MiB of zeros deflate to about half a megabyte.
  ASSERT_EQ(system(("cd '" + dir.root().string() + "' && /usr/bin/python3 - <<'PY'\n"
                    "import zipfile\n"
                    "z = zipfile.ZipFile('bomb.zip', 'w', zipfile.ZIP_DEFLATED)\n"
                    "z.writestr('small.txt', 'kept\\n')\n"
                    "with z.open('bomb.bin', 'w', force_zip64=True) as f:\n"
                    "    block = bytes(1 << 20)\n"
                    "    for _ in range(512): f.write(block)\n"
                    "z.writestr('after.txt', 'also kept\\n')\n"
                    "z.close()\n"
                    "PY")
                       .c_str()),
            0);
  ASSERT_LT(fs::file_size(dir.path("bomb.zip")), 4u << 20);
  auto r = test::run_quire("--version >/dev/null && /usr/bin/time -f 'maxrss-kib %M' " QUIRE_BIN
                           " pack bomb.zip -o b.quire --no-sync -q",
                           dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("member 'bomb.bin'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("more than the limit of 268435456 bytes (--max-record); skipped"), std::string::npos) << r.err;
  size_t at = r.err.find("maxrss-kib ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_LT(std::stol(r.err.substr(at + 11)), 400 * 1024) << "more than the limit was held";
  EXPECT_EQ(test::run_quire("cat b.quire small.txt", dir).out, "kept\n");
  EXPECT_EQ(test::run_quire("cat b.quire after.txt", dir).out, "also kept\n");
}

}  // namespace
}  // namespace quire
