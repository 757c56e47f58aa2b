"""quire.dask against the single-process reader: block ranges, archive sets, and scans on a
two-process distributed.LocalCluster (loopback, started and stopped here).

Run by CTest with the other Python tests; by hand:
  PYTHONPATH=build/python /usr/bin/python3 -m pytest -q python/tests/test_dask.py
"""
import collections
import json
import random

import pytest

import quire

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
import pandas.testing  # noqa: E402  (after the skips: pandas comes with dask.dataframe)

import quire.dask  # noqa: E402

# distributed 2022.12 with Debian's tornado warns on every cluster start; nothing of ours.
pytestmark = pytest.mark.filterwarnings("ignore:make_current is deprecated:DeprecationWarning")

LANGS = ["en", "vi", "fr", "de", "en-GB"]
WORDS = ["alpha", "beta", "gamma", "Hà", "Nội", "été", "Straße", "delta", "epsilon", "zeta"]


def write_archive(path, first, count, seed):
    """count articles with ids doc/{first}.., varied languages, sources, dates and lengths;
    4 KiB blocks, so a few hundred articles make dozens of blocks."""
    rng = random.Random(seed)
    with quire.Writer(path, block_size=4096, threads=2) as w:
        for n in range(first, first + count):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 200)))
            meta = {"section": rng.choice(["news", "blog"])} if n % 3 else {}
            w.add(f"doc/{n:05d}", text, lang=LANGS[n % len(LANGS)], source=f"src{n % 4}",
                  date=f"202{n % 5}-0{1 + n % 9}-1{n % 10}", **meta)
    return path


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    return str(write_archive(tmp_path_factory.mktemp("single") / "a.quire", 0, 600, 1))


@pytest.fixture(scope="module")
def archive_set(tmp_path_factory):
    """A 3-shard set directory with a hand-written quire-set.json (the shape `quire pack
    --shard-size` writes)."""
    d = tmp_path_factory.mktemp("set")
    shards = []
    for i, (first, count) in enumerate([(0, 250), (250, 180), (430, 300)]):
        name = f"part-{i:05d}.quire"
        write_archive(d / name, first, count, 10 + i)
        shards.append({"file": name, "articles": count})
    (d / "quire-set.json").write_text(json.dumps({"format": "quire-set", "version": 1, "shards": shards}))
    return str(d)


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                                       dashboard_address=None)
    c = distributed.Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


def reference(paths, **filters):
    """count, body bytes and words per language, read in this process with quire.open."""
    count, size, words = 0, 0, collections.Counter()
    for path in paths:
        with quire.open(path) as a:
            for art in a.select(**filters):
                count += 1
                size += len(art.body)
                words[art.meta["lang"]] += len(art.text.split())
    return count, size, dict(words)


def bag_scan(bag):
    count = bag.count()
    size = bag.map(lambda d: len(d["body"])).sum()
    words = bag.foldby(lambda d: d["meta"]["lang"], lambda acc, d: acc + len(d["text"].split()), 0,
                       lambda x, y: x + y, 0)
    count, size, words = dask.compute(count, size, words)
    return count, size, dict(words)


# ------------------------------------------------------------ block ranges (no cluster)

def test_block_ranges_cover_every_record_in_order(single):
    with quire.open(single) as a:
        assert a.block_count() > 20
        expected = 0
        for b in range(a.block_count()):
            first, count = a.block_records(b)
            assert first == expected and count > 0
            assert a.at(first).record == first
            expected += count
        assert expected == len(a)
        with pytest.raises(IndexError):
            a.block_records(a.block_count())
        with pytest.raises(IndexError):
            a.block_records(-1)


def test_records_reads_a_range_with_filters(single):
    with quire.open(single) as a:
        assert [x.id for x in a.records(10, 25)] == [a.at(n).id for n in range(10, 25)]
        assert [x.id for x in a.records(590)] == [a.at(n).id for n in range(590, 600)]
        assert list(a.records(5, 5)) == []
        assert [x.id for x in a.records(0, 100, lang="vi")] == [x.id for x in a.select(lang="vi") if x.record < 100]
        with pytest.raises(IndexError):
            a.records(0, 601)
        with pytest.raises(IndexError):
            a.records(20, 10)


def test_partitions_are_block_aligned_and_cover_the_archive(single):
    specs = quire.dask.partitions(single, blocks_per_partition=5)
    with quire.open(single) as a:
        assert len(specs) == -(-a.block_count() // 5)
        starts = {a.block_records(b)[0] for b in range(a.block_count())}
    assert specs[0][1] == 0 and specs[-1][2] == 600
    for (_, _, end), (_, first, _) in zip(specs, specs[1:]):
        assert end == first and first in starts
    with pytest.raises(quire.InvalidArgument):
        quire.dask.partitions(single, blocks_per_partition=0)


def test_set_directory_lists_its_shards(archive_set, tmp_path):
    paths = quire.dask.archive_paths(archive_set)
    assert [p.rsplit("/", 1)[1] for p in paths] == ["part-00000.quire", "part-00001.quire", "part-00002.quire"]
    assert quire.dask.archive_paths([archive_set, paths[0]]) == paths + paths[:1]
    with pytest.raises(quire.ArchiveIOError):
        quire.dask.archive_paths(str(tmp_path))
    for doc, error in [({"format": "quire-set", "version": 2, "shards": []}, quire.UnsupportedVersion),
                       ({"format": "other", "version": 1, "shards": []}, quire.CorruptArchive),
                       ({"format": "quire-set", "version": 1, "shards": [{"file": "../x.quire"}]}, quire.CorruptArchive),
                       ({"format": "quire-set", "version": 1, "shards": [{"file": "/etc/x"}]}, quire.CorruptArchive)]:
        (tmp_path / "quire-set.json").write_text(json.dumps(doc))
        with pytest.raises(error):
            quire.dask.archive_paths(str(tmp_path))


def test_bad_arguments_fail_before_any_task(single):
    with pytest.raises(quire.InvalidArgument):
        quire.dask.read_bag(single, fields=("id", "nope"))
    with pytest.raises(quire.InvalidArgument):
        quire.dask.read_bag(single, since="not a date")
    with pytest.raises(quire.ArchiveIOError):
        quire.dask.read_bag(single + ".missing")


def test_catalog_is_lazy_and_equals_archive_catalog(single):
    df = quire.dask.read_catalog(single, blocks_per_partition=4, extra=["section"])
    assert df.npartitions > 3 and df.known_divisions
    expected = quire.open(single).catalog()
    pandas.testing.assert_frame_equal(df.compute(scheduler="sync"), expected[list(df.columns)])


# ------------------------------------------------------------ scans on the cluster

def test_bag_scan_on_cluster_equals_single_process(client, single):
    bag = quire.dask.read_bag(single, blocks_per_partition=3, fields=("id", "body", "text", "meta"))
    assert bag.npartitions > 5
    assert bag_scan(bag) == reference([single])
    ids = bag.pluck("id").compute()
    assert ids == [f"doc/{n:05d}" for n in range(600)]  # archive order, each once


def test_bag_scan_of_a_set_with_filters(client, archive_set):
    paths = quire.dask.archive_paths(archive_set)
    bag = quire.dask.read_bag(archive_set, blocks_per_partition=4, fields=("body", "text", "meta"))
    assert bag_scan(bag) == reference(paths)
    filters = {"lang": "en", "since": "2022", "source": "src1"}
    bag = quire.dask.read_bag(archive_set, blocks_per_partition=4, fields=("body", "text", "meta"), **filters)
    result = bag_scan(bag)
    assert result == reference(paths, **filters) and 0 < result[0] < 730


def test_catalog_scan_of_a_set_on_cluster(client, archive_set):
    paths = quire.dask.archive_paths(archive_set)
    df = quire.dask.read_catalog(archive_set, blocks_per_partition=4, archive_column=True)
    assert not df.known_divisions
    count, size, per_lang = dask.compute(df.id.count(), df.length.sum(), df.groupby("lang").length.sum())
    expected = [quire.open(p).catalog() for p in paths]
    assert count == sum(len(e) for e in expected) == 730
    assert size == sum(int(e.length.sum()) for e in expected) == reference(paths)[1]
    langs = collections.Counter()
    for e in expected:
        langs.update({k: int(v) for k, v in e.groupby("lang").length.sum().items()})
    assert {k: int(v) for k, v in per_lang.items()} == dict(langs)
    assert sorted(df[df.lang == "vi"].id.compute()) == sorted(i for e in expected for i in e[e.lang == "vi"].id)
    assert set(df.archive.unique().compute()) == set(paths)
