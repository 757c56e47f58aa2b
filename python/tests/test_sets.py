"""quire.open on an archive set (SPEC.md 15): the same reading API as Archive, checked
article by article against a single archive of the same input and against the CLI.

By hand:  PYTHONPATH=build/python QUIRE_BIN=build/tools/quire /usr/bin/python3 -m pytest -q python/tests/test_sets.py
"""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import quire

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
QUIRE_BIN = os.environ.get("QUIRE_BIN", str(ROOT / "build" / "tools" / "quire"))


def cli(*args, check=True):
    r = subprocess.run([QUIRE_BIN, *map(str, args)], capture_output=True)
    if check and r.returncode != 0:
        raise AssertionError(f"quire {' '.join(map(str, args))}: exit {r.returncode}: {r.stderr.decode()}")
    return r.stdout


@pytest.fixture(scope="module")
def packed(tmp_path_factory):
    """examples/articles.jsonl as a set of several shards and as one archive."""
    root = tmp_path_factory.mktemp("sets")
    single, corpus = root / "single.quire", root / "corpus"
    cli("pack", EXAMPLES / "articles.jsonl", "-o", single)
    cli("pack", EXAMPLES / "articles.jsonl", "--shard-size", "2KiB", "-o", corpus)
    return single, corpus


def copy_set(corpus, dest):
    shutil.copytree(corpus, dest)
    return dest


def same(x, y):
    assert x.id == y.id
    assert bytes(x.body) == bytes(y.body)
    assert x.meta == y.meta
    assert x.sha256 == y.sha256 and x.length == y.length
    assert x.annotations() == y.annotations()


def test_open_gives_a_set_for_the_directory_and_its_manifest(packed):
    single, corpus = packed
    with quire.open(corpus) as s:
        assert isinstance(s, quire.ArchiveSet) and s.is_set
        assert s.shard_count() >= 3
        assert s.shard_start(0) == 0
        assert [s.shard_path(i) for i in range(s.shard_count())] == \
            [str(corpus / f"part-{i:05d}.quire") for i in range(s.shard_count())]
    with quire.open(corpus / "quire-set.json") as s:
        assert isinstance(s, quire.ArchiveSet) and s.is_set and len(s) == 12
    with quire.open(single) as a:  # unchanged: a single file stays an Archive
        assert type(a) is quire.Archive and not a.is_set
    assert s.closed
    with pytest.raises(quire.InvalidArgument, match="closed"):
        len(s)


def test_every_article_reads_the_same_as_the_single_archive(packed):
    single, corpus = packed
    with quire.open(single) as a, quire.open(corpus) as s:
        assert len(s) == len(a) == 12
        by_iteration = list(s)
        assert [x.record for x in by_iteration] == list(range(12))
        for n, expected in enumerate(a):
            same(by_iteration[n], expected)
            same(s.at(n), expected)
            assert s.at(n).record == n
            got = s[expected.id]
            same(got, expected)
            assert got.record == n  # global record number
            assert expected.id in s
            assert s.by_sha256(expected.sha256).record == a.by_sha256(expected.sha256).record
            same(s.resolve(f"#{n}"), expected)
        same(s.at(-1), a.at(-1))
        with pytest.raises(IndexError):
            s.at(len(s))
        assert list(s.records(3, 9)) and [x.id for x in s.records(3, 9)] == [x.id for x in a.records(3, 9)]


def test_absent_ids_and_digests_raise_not_found(packed):
    _, corpus = packed
    with quire.open(corpus) as s:
        assert "no/such/id" not in s
        with pytest.raises(quire.NotFound, match="no article with id 'no/such/id'") as e:
            s["no/such/id"]
        assert isinstance(e.value, KeyError)
        with pytest.raises(quire.NotFound):
            s["#3"]  # an id, not a record reference
        with pytest.raises(quire.NotFound):
            s.by_sha256("0" * 64)
        with pytest.raises(quire.InvalidArgument):
            s.by_sha256("abc")


@pytest.mark.parametrize("filters", [
    {}, {"lang": "vi"}, {"lang": "en", "since": "2024"}, {"until": "2023-12-31"},
    {"id_prefix": "news/2024/"}, {"ids": ["local/2024/03/14/pi-day-bake-sale"]},
])
def test_select_and_catalog_match_the_single_archive(packed, filters):
    pd = pytest.importorskip("pandas")
    single, corpus = packed
    with quire.open(single) as a, quire.open(corpus) as s:
        mine, theirs = list(s.select(**filters)), list(a.select(**filters))
        assert [x.id for x in mine] == [x.id for x in theirs]
        assert [x.record for x in mine] == [x.record for x in theirs]
        for x, y in zip(mine, theirs):
            same(x, y)
        pd.testing.assert_frame_equal(s.catalog(**filters), a.catalog(**filters))
        listing = [json.loads(line) for line in cli("ls", "--json", corpus).decode().splitlines()]
        assert list(s.catalog()["id"]) == [x["id"] for x in listing]


def test_blocks_split_the_set_like_the_records(packed):
    single, corpus = packed
    with quire.open(corpus) as s:
        blocks = [s.block_records(b) for b in range(s.block_count())]
        assert blocks[0][0] == 0
        assert all(f + n == g for (f, n), (g, _) in zip(blocks, blocks[1:]))
        assert blocks[-1][0] + blocks[-1][1] == len(s)
        with pytest.raises(IndexError):
            s.block_records(s.block_count())


def test_info_matches_quire_info(packed):
    single, corpus = packed
    with quire.open(corpus) as s, quire.open(single) as a:
        info = s.info()
        assert info == json.loads(cli("info", "--json", corpus))
        assert info["format"] == "quire-set" and info["articles"] == 12 == a.info()["articles"]
        assert info["body_bytes"] == a.info()["body_bytes"]
        assert len(info["shards"]) == s.shard_count() and sum(x["articles"] for x in info["shards"]) == 12
        assert info["file_bytes"] == sum(x["bytes"] for x in info["shards"])
        digest = s.info(digest=True)
        assert all(x["file_digest_computed"] == x["file_digest"] for x in digest["shards"])
        assert digest == json.loads(cli("info", "--json", "--digest", corpus))


def test_verify_matches_quire_verify(packed):
    _, corpus = packed
    with quire.open(corpus) as s:
        for quick in (False, True):
            mine = s.verify(quick=quick)
            theirs = json.loads(cli("verify", "--json", *(["--quick"] if quick else []), corpus))
            del mine["seconds"], theirs["seconds"]
            assert mine == theirs and mine["ok"] and not mine["damage"]
        assert s.verify(expect=s.info()["content_digest"])["ok"]
        assert not s.verify(expect="0" * 64)["ok"]


def test_verify_reports_a_deleted_shard(packed, tmp_path):
    _, corpus = packed
    broken = copy_set(corpus, tmp_path / "corpus")
    (broken / "part-00001.quire").unlink()
    with quire.open(broken) as s:  # opening reads the manifest only
        report = s.verify()
        assert not report["ok"] and report["damage"]
        assert any("part-00001.quire" in d["item"] for d in report["damage"])
        theirs = json.loads(cli("verify", "--json", broken, check=False))
        assert report["damage"] == theirs["damage"]
        with pytest.raises(quire.Error, match="part-00001.quire"):
            list(s)
        # Articles in the other shards still read.
        assert s.at(0).id


def test_verify_reports_a_flipped_byte_in_a_shard(packed, tmp_path):
    _, corpus = packed
    broken = copy_set(corpus, tmp_path / "corpus")
    shard = broken / "part-00002.quire"
    data = bytearray(shard.read_bytes())
    data[len(data) // 3] ^= 0x40
    shard.write_bytes(bytes(data))
    with quire.open(broken) as s:
        report = s.verify()
        assert not report["ok"] and report["damage"]
        assert any("part-00002.quire" in d["item"] for d in report["damage"])
        theirs = json.loads(cli("verify", "--json", broken, check=False))
        assert report["damage"] == theirs["damage"]


def test_a_directory_without_a_manifest_is_an_io_error(tmp_path):
    with pytest.raises(quire.ArchiveIOError, match="quire-set.json"):
        quire.open(tmp_path)


def test_a_shard_opens_as_its_own_archive(packed):
    _, corpus = packed
    with quire.open(corpus) as s:
        shard = s.shard(1)
        assert type(shard) is quire.Archive and not shard.is_set
        assert len(shard) == s.info()["shards"][1]["articles"]
        same(shard.at(0), s.at(s.shard_start(1)))
        with pytest.raises(IndexError):
            s.shard(s.shard_count())
