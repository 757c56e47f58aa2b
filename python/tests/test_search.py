"""quire search from Python (Archive.search / ArchiveSet.search): the same hits as the CLI,
snippets sliced by the highlight ranges, filters, paging, and the error without an index.

By hand:  PYTHONPATH=build/python QUIRE_BIN=build/tools/quire /usr/bin/python3 -m pytest -q python/tests/test_search.py
"""
import json
import os
import subprocess
from pathlib import Path

import pytest

import quire

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
QUIRE_BIN = os.environ.get("QUIRE_BIN", str(ROOT / "build" / "tools" / "quire"))


def cli(*args):
    r = subprocess.run([QUIRE_BIN, *map(str, args)], capture_output=True)
    assert r.returncode in (0, 1), f"quire {args}: exit {r.returncode}: {r.stderr.decode()}"
    return r.stdout


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    root = tmp_path_factory.mktemp("search")
    plain, indexed, corpus = root / "plain.quire", root / "indexed.quire", root / "corpus"
    pack = ["pack", EXAMPLES / "articles.jsonl", "--annotations", EXAMPLES / "annotations.jsonl", "--no-sync"]
    cli(*pack, "-o", plain)
    cli(*pack, "--fulltext", "-o", indexed)
    cli(*pack, "--fulltext", "--shard-size", "3KiB", "-o", corpus)
    return plain, indexed, corpus


def test_hits_match_the_cli(archives):
    _, indexed, _ = archives
    expected = json.loads(cli("search", indexed, "metro OR harvest OR rice", "--json"))
    with quire.open(indexed) as a:
        hits = a.search("metro OR harvest OR rice")
        assert [h["id"] for h in hits] == [h["id"] for h in expected["hits"]]
        assert hits.estimated == expected["estimated"]
        assert hits.stem_language == "en"
        for h in hits:
            assert a[h["id"]].meta["title"] == h["title"]
            assert h["highlights"], h["snippet"]
            for start, end in h["highlights"]:
                word = h["snippet"][start:end].lower()
                assert word.startswith(("metro", "harvest", "rice")), word


def test_highlights_index_the_python_string_even_after_non_ascii_text(archives):
    _, indexed, _ = archives
    with quire.open(indexed) as a:
        hits = a.search("thành", stem="none")
        assert hits, "a Vietnamese article has this word"
        for h in hits:
            for start, end in h["highlights"]:
                assert h["snippet"][start:end].lower() == "thành"


def test_filters_keep_what_select_keeps(archives):
    _, indexed, _ = archives
    with quire.open(indexed) as a:
        for filters in ({"lang": "vi"}, {"since": "2024"}, {"has_annotation": "entity"},
                        {"lang": "en", "until": "2023-12-31"}):
            want = sorted(x.id for x in a.select(**filters))
            got = sorted(h["id"] for h in a.search("", limit=100, **filters))
            assert got == want, filters


def test_paging_and_sets_rank_like_one_archive(archives):
    _, indexed, corpus = archives
    with quire.open(indexed) as a, quire.open(corpus) as s:
        assert isinstance(s, quire.ArchiveSet) and s.shard_count() > 2
        whole = [h["id"] for h in a.search("the OR la OR der", limit=50, snippets=False)]
        assert len(whole) >= 6
        assert sorted(whole) == sorted(h["id"] for h in s.search("the OR la OR der", limit=50, snippets=False))
        paged = a.search("the OR la OR der", limit=3, snippets=False) + \
            a.search("the OR la OR der", offset=3, limit=50, snippets=False)
        assert [h["id"] for h in paged] == whole
        for h in s.search("metro"):
            assert s.at(h["record"]).id == h["id"]


def test_no_index_is_notfound_and_names_the_command(archives):
    plain, _, _ = archives
    with quire.open(plain) as a:
        with pytest.raises(quire.NotFound, match="quire index"):
            a.search("metro")
