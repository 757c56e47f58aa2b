"""The Python package `quire` against the C++ CLI, which is the reference.

Run by CTest (label "python") with PYTHONPATH=build/python and QUIRE_BIN set;
by hand:  PYTHONPATH=build/python QUIRE_BIN=build/tools/quire /usr/bin/python3 -m pytest -q python/tests
"""
import concurrent.futures
import gc
import json
import os
import random
import struct
import subprocess
from pathlib import Path

import pytest

import quire

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
QUIRE_BIN = os.environ.get("QUIRE_BIN", str(ROOT / "build" / "tools" / "quire"))


def cli(*args, check=True):
    """Runs the quire CLI; returns stdout as bytes."""
    r = subprocess.run([QUIRE_BIN, *map(str, args)], capture_output=True)
    if check and r.returncode != 0:
        raise AssertionError(f"quire {' '.join(map(str, args))}: exit {r.returncode}: {r.stderr.decode()}")
    return r.stdout


def json_lines(out):
    return [json.loads(line) for line in out.decode().splitlines() if line.strip()]


def as_ls_json(art):
    """An article as `quire ls --json` prints it (the JSONL schema without the body)."""
    m = art.meta
    d = {"id": m["id"]}
    for key in ("source", "title", "url", "date", "lang", "lang_notes", "media_type"):
        if m[key]:
            d[key] = m[key]
    if m["extra"]:
        d["meta"] = m["extra"]
    d["sha256"], d["length"] = m["sha256"], m["length"]
    layers = []
    for layer in art.annotations():
        out = {"name": layer["name"]}
        if layer["producer"]:
            out["producer"] = layer["producer"]
        out["spans"] = []
        for s in layer["spans"]:
            span = {"type": s["type"], "start": s["start"], "end": s["end"]}
            if s["label"]:
                span["label"] = s["label"]
            if s["attrs"]:
                span["attrs"] = s["attrs"]
            out["spans"].append(span)
        layers.append(out)
    if layers:
        d["layers"] = layers
    return d


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """examples/ packed by the CLI, with its annotations and without a dictionary
    (so block 0 starts right after the file header, for the corruption tests)."""
    path = tmp_path_factory.mktemp("sample") / "sample.quire"
    cli("pack", EXAMPLES / "articles.jsonl", "--annotations", EXAMPLES / "annotations.jsonl",
        "--no-dict", "-o", path)
    return path


# --- reading, compared with the CLI ------------------------------------------------------

def test_every_article_matches_quire_cat_and_ls(sample):
    listing = json_lines(cli("ls", "--json", sample))
    with quire.open(sample) as a:
        assert len(a) == len(listing) == 12
        articles = list(a)
        assert [x.id for x in articles] == [x["id"] for x in listing]
        for n, (art, expected) in enumerate(zip(articles, listing)):
            assert art.record == n
            assert as_ls_json(art) == expected
            body = cli("cat", sample, f"#{n}")
            assert bytes(art.body) == body
            assert art.text == body.decode("utf-8")
            assert art.length == len(body)


def test_lookup_by_id_sha256_and_record(sample):
    with quire.open(sample) as a:
        first, last = a.at(0), a.at(-1)
        assert a[first.id].record == 0
        assert a.by_sha256(last.sha256).id == last.id
        assert a.by_sha256(last.sha256.upper()).id == last.id
        assert a.at(len(a) - 1).id == last.id
        assert first.id in a and "no/such/id" not in a
        with pytest.raises(quire.NotFound) as e:
            a["no/such/id"]
        assert isinstance(e.value, KeyError) and isinstance(e.value, quire.Error)
        assert str(e.value) == "no article with id 'no/such/id'"
        with pytest.raises(quire.NotFound):
            a.by_sha256("0" * 64)
        with pytest.raises(quire.InvalidArgument):
            a.by_sha256("abc")
        with pytest.raises(IndexError):
            a.at(len(a))


def test_info_and_verify_match_the_cli(sample):
    with quire.open(sample) as a:
        assert a.info() == json.loads(cli("info", "--json", sample))
        assert a.info(digest=True)["file_digest"] == json.loads(cli("info", "--json", "--digest", sample))["file_digest"]
        for quick in (False, True):
            mine = a.verify(quick=quick)
            theirs = json.loads(cli("verify", "--json", *(["--quick"] if quick else []), sample))
            del mine["seconds"], theirs["seconds"]
            assert mine == theirs and mine["ok"]
        assert not a.verify(expect="0" * 64)["ok"]


@pytest.mark.parametrize("filters,args", [
    ({"lang": "vi"}, ["--lang", "vi"]),
    ({"lang": "en", "since": "2024"}, ["--lang", "en", "--since", "2024"]),
    ({"until": "2023-12-31"}, ["--until", "2023-12-31"]),
    ({"source": "372abc9f1a8abce8"}, ["--source", "372abc9f1a8abce8"]),
    ({"id_prefix": "news/2024/"}, ["--id-prefix", "news/2024/"]),
    ({"has_annotation": "entity=PERSON"}, ["--has-annotation", "entity=PERSON"]),
    ({"has_annotation": ["dateline", "entity=ORG"]}, ["--has-annotation", "dateline", "--has-annotation", "entity=ORG"]),
    ({"ids": ["local/2024/03/14/pi-day-bake-sale"]}, ["--id", "local/2024/03/14/pi-day-bake-sale"]),
])
def test_select_matches_quire_ls(sample, filters, args):
    expected = [x["id"] for x in json_lines(cli("ls", "--json", sample, *args))]
    with quire.open(sample) as a:
        assert [x.id for x in a.select(**filters)] == expected
        assert a.catalog(**filters)["id"].tolist() == expected
    assert expected  # each case selects something...
    assert len(expected) < 12 or "until" in filters  # ...and most leave something out


def test_select_rejects_a_bad_date(sample):
    import datetime
    with quire.open(sample) as a:
        with pytest.raises(quire.InvalidArgument, match="since"):
            a.select(since="April 2024")
        assert [x.id for x in a.select(since=datetime.date(2024, 4, 1))] == \
            [x.id for x in a.select(since="2024-04-01")]


def test_catalog_has_every_article_s_metadata(sample):
    listing = json_lines(cli("ls", "--json", sample))
    with quire.open(sample) as a:
        df = a.catalog()
    extra_keys = list(dict.fromkeys(k for x in listing for k in x.get("meta", {})))
    fixed = ["id", "source", "title", "url", "date", "date_precision", "lang", "lang_notes", "media_type",
             "length", "sha256"]
    assert df.shape == (12, len(fixed) + len(extra_keys))
    assert df.columns.tolist() == fixed + extra_keys
    assert df.index.name == "record" and df.index.tolist() == list(range(12))
    assert str(df["length"].dtype) == "int64"
    for record, x in enumerate(listing):
        row = df.loc[record]
        assert row["id"] == x["id"] and row["sha256"] == x["sha256"] and row["length"] == x["length"]
        assert row["date"] == x.get("date") and row["lang"] == x.get("lang", "")
        assert row["lang_notes"] == x.get("lang_notes", [])
        for key in extra_keys:
            assert row[key] == x.get("meta", {}).get(key)
    assert set(df["date_precision"]) <= {"year", "month", "day", "timestamp", None}


def test_annotations_in_code_points_match_quire_annotations(sample):
    expected = json_lines(cli("annotations", "--offsets", "codepoints", sample))
    got = []
    with quire.open(sample) as a:
        for art in a:
            for layer in art.annotations(offsets="codepoints"):
                for s in layer["spans"]:
                    got.append((art.id, layer["name"], s["start"], s["end"], s["text"]))
                    assert art.text[s["start"]:s["end"]] == s["text"]
    assert got == [(x["id"], x["layer"], x["start"], x["end"], x["text"]) for x in expected]
    assert any(len(t.encode()) != len(t) for *_, t in got)  # some spans cover multi-byte text


# --- zero copy and lifetime ---------------------------------------------------------------

def test_body_is_a_read_only_view_that_outlives_the_archive(sample):
    expected = cli("cat", sample, "#4")
    a = quire.open(sample)
    art = a.at(4)
    body = art.body
    piece = body[10:40]
    assert isinstance(body, memoryview) and body.readonly and body.format == "B"
    assert isinstance(body.obj, quire._quire.Body)
    with pytest.raises(TypeError):
        body[0] = 0
    a.close()
    del a, art
    gc.collect()
    assert bytes(body) == expected and bytes(piece) == expected[10:40]


def test_a_closed_archive_refuses_but_its_articles_still_work(sample):
    with quire.open(sample) as a:
        art = a.at(0)
        it = iter(a)
    assert a.closed
    with pytest.raises(quire.InvalidArgument, match="closed"):
        a["x"]
    assert art.text.startswith("HANOI") and art.meta["lang"] == "en"
    assert next(it).id == art.id  # an iterator keeps its own handle


# --- damaged files ------------------------------------------------------------------------

def test_a_flipped_byte_in_a_block_raises_corrupt_archive(sample, tmp_path):
    data = bytearray(sample.read_bytes())
    payload = 64 + 48  # file header, then block 0's section header (no dictionary)
    catalog_stored, = struct.unpack_from("<I", data, payload + 16)
    bodies_stored, = struct.unpack_from("<Q", data, payload + 24)
    data[payload + 48 + catalog_stored + bodies_stored // 2] ^= 0x40
    bad = tmp_path / "flipped.quire"
    bad.write_bytes(bytes(data))
    with quire.open(bad) as a:  # open reads only the header, footer and manifest
        with pytest.raises(quire.CorruptArchive, match="checksum"):
            [bytes(x.body) for x in a]
        report = a.verify()
    assert not report["ok"] and report["readable"]
    assert report["damage"][0]["offset"] == 64 and "block 0" in report["damage"][0]["item"]
    assert json.loads(cli("verify", "--json", bad, check=False))["damage"] == report["damage"]


@pytest.mark.parametrize("keep", [0, 10, 63, 64, 200, -1, -64])
def test_a_truncated_file_raises_corrupt_archive(sample, tmp_path, keep):
    data = sample.read_bytes()
    cut = tmp_path / "cut.quire"
    cut.write_bytes(data[:keep] if keep >= 0 else data[:len(data) + keep])
    with pytest.raises(quire.CorruptArchive):
        quire.open(cut)


def test_files_that_are_not_archives(tmp_path):
    with pytest.raises(quire.ArchiveIOError) as e:
        quire.open(tmp_path / "missing.quire")
    assert isinstance(e.value, OSError) and "missing.quire" in str(e.value)
    text = tmp_path / "text.quire"
    text.write_text("not an archive\n" * 20)
    with pytest.raises(quire.CorruptArchive):
        quire.open(text)
    with pytest.raises(quire.Error):
        quire.open(tmp_path)


# --- threads ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """600 articles in many small blocks, written from Python with 2 threads."""
    rng = random.Random(6)
    words = ["Hà Nội", "metro", "thành phố", "línea", "Straße", "北京", "rice", "harvest", "🥧", "news"]
    path = tmp_path_factory.mktemp("many") / "many.quire"
    bodies = {}
    with quire.Writer(path, block_size=4096, threads=2) as w:
        for i in range(600):
            body = " ".join(rng.choice(words) for _ in range(rng.randint(0, 400)))
            bodies[f"doc/{i:04}"] = body.encode()
            w.add(f"doc/{i:04}", body, lang=rng.choice(["vi", "en", "es"]))
    return path, bodies


def test_eight_threads_read_the_same_bytes(many):
    path, bodies = many
    ids = list(bodies)
    with quire.open(path) as a:
        assert a.info()["blocks"] > 50

        def read_all(seed):
            order = ids[:]
            random.Random(seed).shuffle(order)
            return {i: bytes(a[i].body) for i in order}, sum(len(x.text) for x in a)

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(read_all, range(8)))
        shared = a.at(7)
        with concurrent.futures.ThreadPoolExecutor(8) as pool:  # one Article shared by 8 threads
            texts = list(pool.map(lambda _: (shared.text, shared.annotations(), shared.meta["id"]), range(64)))
    for got, chars in results:
        assert got == bodies
        assert chars == sum(len(b.decode()) for b in bodies.values())
    assert all(t == texts[0] for t in texts) and texts[0][0] == bodies[ids[7]].decode()


# --- writing ------------------------------------------------------------------------------

VI = "Xin chào thế giới: Hà Nội mở rộng tuyến metro."


def test_a_small_memory_budget_writes_the_same_archive(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    paths = []
    for budget in (16 * 1024, 64 * 1024 * 1024):  # the first spills to a temporary file
        paths.append(tmp_path / f"m{budget}.quire")
        with quire.Writer(paths[-1], block_size=1024, memory_budget=budget) as w:
            for i in range(3000):
                w.add(f"doc/{i}", f"body {i % 2500} of a tiny article")
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)


def test_written_archive_reads_back_with_the_cli(tmp_path):
    path = tmp_path / "out.quire"
    with quire.Writer(path, level=3, block_size=1024, dict=False, title="test") as w:
        w.add("a/1", VI, source="s1", title="Tiêu đề", url="https://example.org/a/1", date="2024-04-26",
              lang="vi", lang_notes="originally in Vietnamese", media_type="text/plain", section="asia",
              n=3, flag=True, extra={"http.status": "200"})
        w.annotate("a/1", "ner", [{"type": "entity", "start": 19, "end": 25, "label": "GPE"}],
                   producer="test 1.0", offsets="codepoints")
        w.annotate("a/1", "ner", [{"type": "entity", "start": 0, "end": 3, "attrs": {"n": 1}}])
        w.add("a/2", b"\xff\xfe not UTF-8 \x00", date=None)
        w.add("a/3", b"")
        w.add("a/4", bytearray(VI.encode()), sha256=__import__("hashlib").sha256(VI.encode()).hexdigest(),
              layers=[{"name": "structure", "spans": [{"type": "dateline", "start": 0, "end": 3}]}])
        assert w.stats()["articles"] == 4
    report = json.loads(cli("verify", "--json", path))
    assert report["ok"] and report["articles"] == 4
    assert cli("cat", path, "a/1") == VI.encode()
    assert cli("cat", path, "a/2") == b"\xff\xfe not UTF-8 \x00"
    assert cli("cat", path, "a/3") == b""
    listing = {x["id"]: x for x in json_lines(cli("ls", "--json", path))}
    one = listing["a/1"]
    assert one["date"] == "2024-04-26" and one["lang_notes"] == ["originally in Vietnamese"]
    assert one["meta"] == {"section": "asia", "n": "3", "flag": "true", "http.status": "200"}
    start = len(VI[:19].encode())
    assert one["layers"] == [{"name": "ner", "producer": "test 1.0", "spans": [
        {"type": "entity", "start": start, "end": start + len("Hà Nội".encode()), "label": "GPE"},
        {"type": "entity", "start": 0, "end": 3, "attrs": {"n": "1"}}]}]
    info = json.loads(cli("info", "--json", path))
    assert info["title"] == "test" and info["unique_bodies"] == 3 and info["tool"] == "quire-python"
    with quire.open(path) as a:
        assert as_ls_json(a["a/4"]) == listing["a/4"]
        layer = a["a/1"].annotations(offsets="codepoints")[0]
        assert [(s["start"], s["end"], s["text"]) for s in layer["spans"]] == [(19, 25, "Hà Nội"), (0, 3, "Xin")]
        with pytest.raises(UnicodeDecodeError, match="a/2"):
            a["a/2"].text


def test_code_points_of_a_body_that_is_not_utf8_name_the_article(tmp_path):
    path = tmp_path / "binary.quire"
    with quire.Writer(path) as w:
        w.add("bin/1", b"\xff\xfe", layers=[{"name": "x", "spans": [{"type": "t", "start": 0, "end": 1}]}])
    with quire.open(path) as a:
        assert a["bin/1"].annotations()[0]["spans"][0]["text"] == b"\xff"  # bytes: not UTF-8
        with pytest.raises(quire.InvalidArgument, match="bin/1"):
            a["bin/1"].annotations(offsets="codepoints")


def test_an_exception_inside_with_leaves_nothing(tmp_path):
    path = tmp_path / "out.quire"
    with pytest.raises(RuntimeError):
        with quire.Writer(path) as w:
            w.add("a", "body")
            raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []
    w = quire.Writer(path)
    w.add("a", "body")
    del w
    gc.collect()
    assert list(tmp_path.iterdir()) == []  # dropped without close(): abandoned too


def test_bad_articles_raise_at_their_add_and_are_not_stored(tmp_path):
    path = tmp_path / "out.quire"
    with quire.Writer(path) as w:
        w.add("ok", "0123456789")
        bad = [
            (lambda: w.add("ok", "again"), "duplicate id"),
            (lambda: w.add("", "x"), ""),
            (lambda: w.add("d", "x", date="26/04/2024"), "date"),
            (lambda: w.add("s", "x", layers=[{"name": "l", "spans": [{"type": "t", "start": 0, "end": 5}]}]),
             "outside"),
            (lambda: w.add("h", "x", sha256="0" * 64), "SHA-256"),
            (lambda: w.annotate("other", "l", []), "not the article added last"),
            (lambda: w.annotate("ok", "l", [{"type": "t", "start": 3, "end": 11}]), "outside"),
            (lambda: w.annotate("ok", "l", [{"type": "t", "start": -1, "end": 1}]), "non-negative"),
            (lambda: w.add("o", "x", offsets="chars"), "offsets"),
        ]
        for call, message in bad:
            with pytest.raises(quire.InvalidArgument, match=message):
                call()
        with pytest.raises(TypeError):
            w.add("t", 42)
        w.annotate("ok", "l", [{"type": "t", "start": 0, "end": 10}])
        w.add("last", "x")
    with pytest.raises(quire.InvalidArgument, match="closed"):
        w.add("late", "x")
    w.close()  # closing twice is harmless
    with quire.open(path) as a:
        assert [x.id for x in a] == ["ok", "last"]
        assert a["ok"].annotations()[0]["spans"][0]["text"] == "0123456789"


def test_layers_read_can_be_written_back(sample, tmp_path):
    path = tmp_path / "copy.quire"
    with quire.open(sample) as a, quire.Writer(path) as w:
        for art in a:
            m = art.meta
            w.add(art.id, art.body, source=m["source"], title=m["title"], url=m["url"], date=m["date"],
                  lang=m["lang"], lang_notes=m["lang_notes"], media_type=m["media_type"], extra=m["extra"],
                  layers=art.annotations(), sha256=art.sha256)
    assert json.loads(cli("info", "--json", path))["content_digest"] == \
        json.loads(cli("info", "--json", sample))["content_digest"]
