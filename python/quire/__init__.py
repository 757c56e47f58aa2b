"""Quire archives from Python: read, filter, verify and write ``.quire`` files.

Reading::

    import quire
    with quire.open("sample.quire") as a:
        art = a["news/2024/04/26/hanoi-metro-extension"]   # quire.NotFound if absent
        art.text, art.meta["date"], art.annotations(offsets="codepoints")
        for art in a.select(lang="vi", since="2024"):
            ...
        df = a.catalog()                                    # pandas, no body decompressed

Archive sets (``quire pack --shard-size``, SPEC.md 15): ``quire.open("corpus/")`` (the
directory or its ``quire-set.json``) gives a ``quire.ArchiveSet`` with the same reading
API, global record numbers and lookups by id routed by the shards' Bloom filters.

Distributed scans: ``quire.dask.read_bag(path)`` and ``quire.dask.read_catalog(path)``
(a separate module, so ``import quire`` does not import dask).

Writing::

    with quire.Writer("out.quire") as w:
        w.add("doc/1", "Hello, world", lang="en", date="2024-04-26", section="misc")
        w.annotate("doc/1", "ner", [{"type": "entity", "start": 7, "end": 12}])

Bodies are zero-copy: ``Article.body`` is a read-only ``memoryview`` over the
decoded block. Its ``obj`` (a ``quire._quire.Body``) holds a reference to that
block, so the memoryview (and slices or numpy arrays made from it) stays valid
while it is referenced, even after the Archive is closed and collected; the
block's memory is freed when the last of them goes. ``bytes(article.body)``
copies. Bodies are decoded with the GIL released, so threads reading one
Archive run in parallel.

Errors are exceptions carrying the library's message: ``quire.Error`` and its
subclasses ``CorruptArchive``, ``NotFound`` (also a ``KeyError``),
``InvalidArgument`` (also a ``ValueError``), ``ArchiveIOError`` (also an
``OSError``) and ``UnsupportedVersion``.
"""

import datetime as _datetime
import json as _json

from . import _quire

__all__ = ["open", "Archive", "ArchiveSet", "Article", "Writer", "SearchHits", "Error", "CorruptArchive", "NotFound",
           "InvalidArgument", "ArchiveIOError", "UnsupportedVersion"]


class Error(Exception):
    """Base of every error the Quire library reports."""


class CorruptArchive(Error):
    """The archive's bytes are damaged or inconsistent (the message names section and offset)."""


class NotFound(Error, KeyError):
    """No such article."""
    __str__ = Exception.__str__  # the message, not KeyError's repr of it


class InvalidArgument(Error, ValueError):
    """The caller gave something wrong: a bad id, date, span, option, or a closed object."""


class ArchiveIOError(Error, OSError):
    """The operating system refused an open, read or write (a missing file too)."""


class UnsupportedVersion(Error):
    """A newer major format version, or a feature this build lacks."""


_quire._set_errors({"corruption": CorruptArchive, "io_error": ArchiveIOError,
                    "invalid_argument": InvalidArgument, "unsupported_version": UnsupportedVersion,
                    "not_found": NotFound})

Article = _quire.Article


def _date_text(value, what):
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (_datetime.date, _datetime.datetime)):
        return value.isoformat()
    raise TypeError(f"{what}: expected an ISO 8601 str or a datetime.date, not {type(value).__name__}")


def _str_list(value):
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _filter(source=None, lang=None, since=None, until=None, id_prefix=None, has_annotation=None, ids=None):
    return _quire.Filter(source=source, lang=lang, since=_date_text(since, "since"),
                         until=_date_text(until, "until"), id_prefix=id_prefix,
                         has_annotation=_str_list(has_annotation), ids=_str_list(ids))


class SearchHits(list):
    """The hits of ``search`` in rank order, with ``estimated`` and ``stem_language``."""
    estimated = 0
    stem_language = "none"


class _Reading:
    """The reading API shared by Archive and ArchiveSet (Python layer over ``_select``/``_catalog``)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __iter__(self):
        return self._select(_filter())

    def select(self, *, source=None, lang=None, since=None, until=None, id_prefix=None,
               has_annotation=None, ids=None):
        """The articles that pass every given filter, in archive order (an iterator).

        The filters of ``quire ls``: ``source`` (exact), ``lang`` (exact tag, or a primary
        tag: "en" matches "en-GB"), ``since``/``until`` (inclusive; an article's date
        matches when its period overlaps: "2024" matches since="2024-04"), ``id_prefix``,
        ``has_annotation`` ("TYPE" or "TYPE=LABEL", or a list that must all match) and
        ``ids`` (exact ids). Dates are ISO 8601 strings or datetime.date values.
        """
        return self._select(_filter(source, lang, since, until, id_prefix, has_annotation, ids))

    def search(self, query, *, limit=10, offset=0, stem=None, snippets=True, snippet_bytes=200, **filters):
        """Ranked full-text search (needs an index: ``quire index`` or ``quire pack --fulltext``).

        ``query`` is Xapian's syntax, as ``quire search`` takes it: words (all must match),
        "a phrase", OR, NOT, -word, prefix*, and the fields title:, source:, lang:, has:,
        label:, id:. ``filters`` are ``select``'s and keep exactly what it keeps. ``stem``
        is a stemming language ("en", "de", ...; "none" for exact words); by default the
        ``lang`` filter's, else the archive's most common. Returns a list of hits (dicts:
        record, id, title, date, weight, percent, snippet, highlights as (start, end) ranges
        of the snippet string: ``snippet[start:end]`` is a match) with ``.estimated`` (all matches, estimated) and
        ``.stem_language``. NotFound when the archive has no index.
        """
        raw = self._search(_filter(**filters), query, offset, limit, stem or "", snippets, snippet_bytes)
        hits = SearchHits(raw["hits"])
        hits.estimated = raw["estimated"]
        hits.stem_language = raw["stem_language"]
        return hits

    def records(self, start=0, end=None, **filters):
        """The articles of records ``start`` .. ``end - 1`` (``end`` None: to the last) that
        pass ``select``'s filters, in archive order (an iterator). IndexError unless
        ``0 <= start <= end <= len(a)``. With ``block_count()`` and ``block_records(b)``
        (first record and count of block b) it splits a scan into block-aligned ranges,
        each decoding only its own blocks: what ``quire.dask`` does.
        """
        return self._select(_filter(**filters), start, end)

    def catalog(self, **filters):
        """The metadata of every article (or of those passing ``select``'s filters) as a
        pandas DataFrame, read from the catalog alone: no body is decompressed.

        Index: record number ("record"). Columns: id, source, title, url, date (ISO 8601
        text or None), date_precision (year, month, day, timestamp or None), lang,
        lang_notes (list), media_type, length (bytes), sha256 (hex), then one column per
        free metadata key present (None where an article lacks it; a key named like a
        fixed column becomes "extra.KEY").
        """
        import pandas as pd
        records, columns = self._catalog(_filter(**filters))
        frame = pd.DataFrame(columns, index=pd.Index(records, name="record", dtype="int64"))
        frame["length"] = frame["length"].astype("int64")
        return frame


class Archive(_Reading, _quire.Archive):
    """An open archive (memory-mapped; opening reads only its header, footer and manifest).

    ``len(a)``, ``a[id]``, ``id in a``, ``a.by_sha256(hex)``, ``a.at(n)`` and iteration in
    archive order give ``quire.Article`` objects. Any number of threads may share one
    Archive. ``close()`` (or leaving a ``with`` block) drops the handle: articles and
    bodies already taken stay valid; the Archive's own methods then raise InvalidArgument.
    ``is_set`` is False.
    """


class ArchiveSet(_Reading, _quire.ArchiveSet):
    """An open archive set (SPEC.md 15): a directory of shards with ``quire-set.json``,
    read as one sequence of articles with the same API as ``Archive``.

    Record numbers are global (shard i's records follow those of shards 0..i-1):
    ``at(n)``, ``records()``, iteration, ``select()`` and ``catalog()`` (its index) use
    them. ``a[id]`` opens only the shards whose Bloom filter may hold the id. Opening
    reads the manifest only; each shard is opened (and checked against the manifest:
    size, article count, content digest) when first needed. ``info()`` gives set totals
    and a "shards" list, ``verify()`` checks every shard and the manifest digests, as
    ``quire info --json`` / ``quire verify --json`` on a set do. ``shard_count()``,
    ``shard_path(i)``, ``shard_start(i)`` and ``shard(i)`` (a ``quire.Archive``) reach the
    shards; ``resolve(ref)`` takes an id, "sha256:HEX" or "#N". ``is_set`` is True.
    """

    def shard(self, i):
        """Shard ``i`` as its own ``quire.Archive`` (checked against the manifest first)."""
        return Archive(self._open_shard(i))


def open(path):  # noqa: A001 (quire.open, like io.open)
    """Opens an archive: ``with quire.open("corpus.quire") as a: ...``, or an archive set
    (a directory written by ``quire pack --shard-size``, or its ``quire-set.json``): then
    a ``quire.ArchiveSet`` with the same reading API.

    Raises ArchiveIOError (an OSError) for a missing or unreadable file (or a directory
    without ``quire-set.json``), CorruptArchive for a file that is not a Quire archive or
    is damaged where opening looks.
    """
    path = str(path)
    if _quire.is_set_path(path):
        return ArchiveSet(path)
    return Archive(path)


def _meta_text(value, key):
    """Free metadata values are text; numbers and booleans keep their JSON text."""
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, (bool, int, float)):
        return _json.dumps(value)
    raise TypeError(f"metadata '{key}': expected str, number or bool, not {type(value).__name__}")


def _offset(value, what):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgument(f"{what}: expected a non-negative int, got {value!r}")
    return value


_SPAN_KEYS = {"type", "start", "end", "label", "attrs", "text"}


def _spans(spans, layer):
    """Span dicts {type, start, end, label?, attrs?} as the binding takes them. A "text"
    key (as Article.annotations() gives) is ignored, so layers read can be written back."""
    out = []
    for i, s in enumerate(spans):
        unknown = set(s) - _SPAN_KEYS
        if unknown:
            raise InvalidArgument(f"layer '{layer}' span {i}: unknown keys {sorted(unknown)}")
        if "type" not in s:
            raise InvalidArgument(f"layer '{layer}' span {i}: no type")
        attrs = [(str(k), _meta_text(v, k)) for k, v in (s.get("attrs") or {}).items()]
        out.append((_offset(s.get("start"), f"layer '{layer}' span {i} start"),
                    _offset(s.get("end"), f"layer '{layer}' span {i} end"),
                    s["type"], s.get("label") or "", attrs))
    return out


class Writer(_quire.Writer):
    """Builds an archive: ``with quire.Writer("out.quire") as w: w.add(id, body, **meta)``.

    The file appears at ``path`` only when ``close()`` succeeds (it is written beside it
    and renamed). An exception inside the ``with`` block, a failed ``close()``, or a
    Writer dropped without ``close()`` abandons it: nothing complete-looking is left.
    Options: zstd ``level`` (1..22), ``block_size`` (bytes of bodies per block),
    ``dict`` (train a zstd dictionary), ``threads`` (compression threads; the output is
    byte-identical for any number), ``sync`` (fsync before the rename), ``memory_budget``
    (bytes for the per-article state, default 64 MiB; beyond it that state spills to an
    unlinked temporary file; the archive is the same); archive metadata ``title``, ``description``, ``creator``, ``license`` and ``info`` (a dict).
    One thread at a time should use a Writer (concurrent calls are serialized).
    """

    def __init__(self, path, level=9, block_size=65536, dict=True, threads=1, *, sync=True,  # noqa: A002
                 title="", description="", creator="", license="", info=None,
                 memory_budget=64 * 1024 * 1024):
        info_pairs = [(str(k), _meta_text(v, k)) for k, v in (info or {}).items()]
        super().__init__(str(path), level, block_size, dict, threads, sync, title, description, creator,
                         license, info_pairs, memory_budget)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close()
        else:
            self.abandon()
        return False

    def add(self, id, body, *, source="", title="", url="", date=None, lang="", lang_notes=None,  # noqa: A002
            media_type="", layers=None, offsets="bytes", sha256=None, extra=None, **more):
        """Adds one article. ``body``: bytes-like (stored as is) or str (stored as UTF-8).

        Metadata as in the JSONL schema: ``source``, ``title``, ``url``, ``date`` (ISO 8601
        text with its precision, e.g. "2024", "2024-04-26T09:43:00Z", or a datetime.date),
        ``lang`` (BCP 47), ``lang_notes`` (list or one str), ``media_type``; every other
        keyword (and the dict ``extra``, for keys that are not identifiers) is free
        metadata, its value a str, number or bool. ``layers``: annotation layers
        ``[{"name", "producer", "spans": [{"type", "start", "end", "label", "attrs"}]}]``
        with ``offsets`` "bytes" (UTF-8 byte offsets) or "codepoints". ``sha256``: the
        body's expected SHA-256 (hex), checked.

        Everything is checked here (id, duplicate id, date, spans, text, SHA-256): a bad
        article raises InvalidArgument and is not stored; the Writer stays usable.
        """
        pairs = [(str(k), _meta_text(v, k)) for k, v in {**(extra or {}), **more}.items()]
        layer_tuples = [(l["name"], l.get("producer") or "", _spans(l.get("spans", ()), l["name"]))
                        for l in (layers or ())]
        self._add(id, body, source, title, url, _date_text(date, "date"), lang, _str_list(lang_notes),
                  media_type, pairs, layer_tuples, offsets, sha256)

    def annotate(self, id, layer, spans, producer="", *, offsets="bytes"):  # noqa: A002
        """Adds annotation spans to the article added last, as layer ``layer``.

        The rule: only the most recent ``add()`` can be annotated, before the next
        ``add()`` or ``close()`` (the Writer holds that one article back until then);
        ``id`` must be its id, or InvalidArgument is raised. Annotating a layer again
        adds spans to it. Spans as in ``add(layers=...)``, checked against the body here.
        """
        self._annotate(id, layer, _spans(spans, layer), producer, offsets)
