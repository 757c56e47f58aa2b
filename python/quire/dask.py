"""Distributed scans of Quire archives on Dask (Debian ``python3-dask``, ``python3-distributed``).

::

    import quire.dask
    bag = quire.dask.read_bag("corpus/", lang="vi", fields=("id", "text"))
    words = bag.map(lambda d: len(d["text"].split())).sum().compute()
    df = quire.dask.read_catalog("corpus/")            # dask.dataframe, no body decompressed
    df.groupby("lang").length.sum().compute()

A "path" is a ``.quire`` file, a set directory (one holding ``quire-set.json``, whose shards
are listed relative to it), or a list of either. Each partition is one range of whole blocks
of one archive (``blocks_per_partition`` blocks, 64 KiB of bodies each by default). Building
the collection opens each archive and reads its block table only; each task opens its archive
by path (a memory mapping) and decodes only its own blocks, so nothing is pickled but
``(path, first record, end record, filters)`` and N workers decode in parallel. Filters are
those of ``Archive.select``, applied inside the tasks.
"""

import json
import os

import dask
import dask.bag
import dask.dataframe
import pandas as pd

import quire

__all__ = ["read_bag", "read_catalog", "archive_paths", "partitions", "FIELDS", "CATALOG_COLUMNS"]

SET_MANIFEST = "quire-set.json"

# What read_bag can put in each article's dict.
_FIELD_GETTERS = {
    "id": lambda art, path: art.id,
    "record": lambda art, path: art.record,
    "archive": lambda art, path: path,  # the archive file the article is in
    "text": lambda art, path: art.text,  # decoded UTF-8 (UnicodeDecodeError names the article)
    "body": lambda art, path: bytes(art.body),  # the original bytes
    "meta": lambda art, path: art.meta,
    "annotations": lambda art, path: art.annotations(),
    "length": lambda art, path: art.length,
    "sha256": lambda art, path: art.sha256,
}
FIELDS = tuple(_FIELD_GETTERS)

# The fixed columns of Archive.catalog(), in its order.
CATALOG_COLUMNS = ("id", "source", "title", "url", "date", "date_precision", "lang", "lang_notes",
                   "media_type", "length", "sha256")


def archive_paths(path_or_paths):
    """The archive files behind a path, a set directory or a list of them, in order."""
    items = [path_or_paths] if isinstance(path_or_paths, (str, os.PathLike)) else list(path_or_paths)
    out = []
    for item in items:
        path = os.fspath(item)
        out.extend(_set_shards(path) if os.path.isdir(path) else [path])
    if not out:
        raise quire.InvalidArgument("no archive given")
    return out


def _set_shards(directory):
    """The shard files a set directory's quire-set.json lists (format "quire-set", version 1)."""
    manifest = os.path.join(directory, SET_MANIFEST)
    try:
        with open(manifest, encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise quire.ArchiveIOError(f"'{directory}': a directory without {SET_MANIFEST}") from None
    except (ValueError, UnicodeDecodeError) as e:
        raise quire.CorruptArchive(f"'{manifest}': not JSON ({e})") from None
    if not isinstance(doc, dict) or doc.get("format") != "quire-set":
        raise quire.CorruptArchive(f"'{manifest}': format is not \"quire-set\"")
    if doc.get("version") != 1:
        raise quire.UnsupportedVersion(f"'{manifest}': set version {doc.get('version')!r} (this build reads 1)")
    shards = doc.get("shards")
    if not isinstance(shards, list):
        raise quire.CorruptArchive(f"'{manifest}': no shards list")
    out = []
    for i, shard in enumerate(shards):
        name = shard.get("file") if isinstance(shard, dict) else None
        # A shard is a plain file name inside the set directory: never an absolute path or "..".
        if not isinstance(name, str) or not name or os.path.isabs(name) or ".." in name.replace("\\", "/").split("/"):
            raise quire.CorruptArchive(f"'{manifest}': shard {i}: file must be a relative name inside the set")
        out.append(os.path.join(directory, name))
    return out


def partitions(path_or_paths, blocks_per_partition=64):
    """[(path, first record, end record)]: every archive cut into ranges of whole blocks.

    Reads each archive's block table only. An archive without articles gives no range; if no
    archive has any, the result is one empty range (a collection needs one partition).
    """
    if isinstance(blocks_per_partition, bool) or not isinstance(blocks_per_partition, int) or blocks_per_partition < 1:
        raise quire.InvalidArgument(f"blocks_per_partition: expected an int >= 1, got {blocks_per_partition!r}")
    paths = archive_paths(path_or_paths)
    out = []
    for path in paths:
        with quire.open(path) as a:
            blocks = a.block_count()
            for b in range(0, blocks, blocks_per_partition):
                first, _ = a.block_records(b)
                last_first, last_count = a.block_records(min(b + blocks_per_partition, blocks) - 1)
                out.append((path, first, last_first + last_count))
    return out or [(paths[0], 0, 0)]


def _filters(source, lang, since, until, id_prefix, has_annotation):
    """The filters as plain values to pickle; checked here so a bad one fails before any task runs."""
    f = {"source": source, "lang": lang, "since": quire._date_text(since, "since"),
         "until": quire._date_text(until, "until"), "id_prefix": id_prefix,
         "has_annotation": quire._str_list(has_annotation)}
    quire._filter(**f)
    return f


def _token(specs, *args):
    """A key for the tasks that changes when an archive file does (so results never go stale)."""
    stamps = [(p, os.stat(p).st_mtime_ns, os.stat(p).st_size) for p in sorted({s[0] for s in specs})]
    return dask.base.tokenize(specs, stamps, *args)


def _read_range(spec, filters, fields):
    """One bag partition: the articles of records [first, end) of one archive, as dicts."""
    path, first, end = spec
    getters = [(name, _FIELD_GETTERS[name]) for name in fields]
    with quire.open(path) as a:
        return [{name: get(art, path) for name, get in getters} for art in a.records(first, end, **filters)]


def read_bag(path_or_paths, *, source=None, lang=None, since=None, until=None, id_prefix=None,
             has_annotation=None, blocks_per_partition=64, fields=("id", "text", "meta")):
    """A dask.bag of the articles (as dicts) that pass the filters, in archive order.

    ``fields`` chooses each dict's keys: id, record, archive (the file's path), text (decoded
    UTF-8), body (bytes), meta (Article.meta), annotations (Article.annotations()), length,
    sha256. Filters are those of ``Archive.select``. Partitions: ranges of
    ``blocks_per_partition`` blocks of each archive (see the module's help).
    """
    fields = tuple(fields)
    unknown = [f for f in fields if f not in _FIELD_GETTERS]
    if unknown or not fields:
        raise quire.InvalidArgument(f"fields: unknown {unknown} (choose from {', '.join(FIELDS)})")
    filters = _filters(source, lang, since, until, id_prefix, has_annotation)
    specs = partitions(path_or_paths, blocks_per_partition)
    token = _token(specs, filters, fields)
    parts = [dask.delayed(_read_range, pure=True, traverse=False)(spec, filters, fields,
                                                                 dask_key_name=f"quire-bag-{token}-{i}")
             for i, spec in enumerate(specs)]
    return dask.bag.from_delayed(parts)


def _catalog_meta(columns):
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "length" else "object") for c in columns},
                        index=pd.Index([], name="record", dtype="int64"))


def _read_catalog(spec, filters, columns, archive_column):
    """One dataframe partition: Archive.catalog() of records [first, end), these columns only."""
    path, first, end = spec
    with quire.open(path) as a:
        records, data = a._catalog(quire._filter(**filters), first, end)
    frame = pd.DataFrame(data, index=pd.Index(records, name="record", dtype="int64"))
    for c in columns:
        if c not in frame.columns:
            frame[c] = pd.Series([None] * len(frame), index=frame.index, dtype="object")
    frame = frame[list(columns)]
    if archive_column:
        frame["archive"] = pd.Series([path] * len(frame), index=frame.index, dtype="object")
    return frame.astype({"length": "int64"})


def read_catalog(path_or_paths, *, source=None, lang=None, since=None, until=None, id_prefix=None,
                 has_annotation=None, blocks_per_partition=64, extra=(), archive_column=False):
    """A dask.dataframe of the metadata of the articles that pass the filters; no body is decompressed.

    Index "record" (the record number within its archive) and the fixed columns of
    ``Archive.catalog()`` (id, source, title, url, date, date_precision, lang, lang_notes,
    media_type, length, sha256). Free metadata keys are columns only when named in ``extra``
    (as catalog() names them, None where an article lacks the key), so the columns are known
    without reading any article. ``archive_column=True`` adds "archive", the file's path (record
    numbers repeat across the shards of a set). Divisions are known for a single archive.
    """
    extra = [extra] if isinstance(extra, str) else list(extra)
    columns = list(CATALOG_COLUMNS) + [c for c in extra if c not in CATALOG_COLUMNS]
    filters = _filters(source, lang, since, until, id_prefix, has_annotation)
    specs = partitions(path_or_paths, blocks_per_partition)
    meta = _catalog_meta(columns + (["archive"] if archive_column else []))
    token = _token(specs, filters, columns, archive_column)
    parts = [dask.delayed(_read_catalog, pure=True, traverse=False)(spec, filters, columns, archive_column,
                                                                   dask_key_name=f"quire-catalog-{token}-{i}")
             for i, spec in enumerate(specs)]
    divisions = None
    if len({s[0] for s in specs}) == 1 and specs[-1][2] > specs[-1][1]:
        divisions = [s[1] for s in specs] + [specs[-1][2] - 1]
    return dask.dataframe.from_delayed(parts, meta=meta, divisions=divisions, verify_meta=False)
