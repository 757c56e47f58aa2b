# Quire archive schema: every Cap'n Proto message stored in a .quire file.
# SPEC.md section 6 ("Messages") describes where each message lives; this file is
# the field-by-field definition. Rules (SPEC.md section 9, "Versioning"):
#   - ordinals are never reused or renumbered; a removed field keeps its number
#     and is renamed obsoleteXxx;
#   - a minor format version may add fields; readers ignore fields they do not know;
#   - an absent Text/List/Data is the same as an empty one.
# All offsets are byte offsets from the start of the file unless a comment says
# otherwise; all lengths are in bytes.

@0x955000c139a575c9;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("quire::schema");

struct KeyValue {
  key @0 :Text;    # UTF-8; kept in the order given (a key may repeat)
  value @1 :Text;  # UTF-8
}

# A calendar date with how much of it is known. Stored as given: no time-zone
# conversion happens; utcOffsetMinutes records the offset the source stated.
struct Date {
  precision @0 :Precision;   # unknown: no date; the other fields are then 0
  year @1 :Int32;            # proleptic Gregorian, 0..9999, e.g. 2024
  month @2 :UInt8;           # 1..12 when precision >= month
  day @3 :UInt8;             # 1..31 when precision >= day
  hour @4 :UInt8;            # 0..23 when precision == timestamp
  minute @5 :UInt8;          # 0..59 when precision == timestamp
  second @6 :UInt8;          # 0..60 (leap second) when precision == timestamp
  nanosecond @7 :UInt32;     # 0..999999999, fraction of the second
  utcOffsetMinutes @8 :Int16;  # -1439..1439; local time = UTC + offset
  hasUtcOffset @9 :Bool;     # false: the source gave a local time with no zone

  enum Precision {
    unknown @0;
    year @1;
    month @2;
    day @3;
    timestamp @4;  # hour, minute, second (and nanosecond) are known
  }
}

# One article's catalog record. Lives in the catalog frame of the block that was
# open when the article was added (SPEC.md 5.2), in add order.
struct Article {
  id @0 :Text;            # unique key (relative path, URL, source id, ...); UTF-8, 1..4096 bytes
  sha256 @1 :Data;        # SHA-256 of the body, 32 bytes
  bodyBlock @2 :UInt64;   # number of the block whose bodies frame holds the body; equals this
                          # block, or an earlier one when the body is shared (deduplicated)
  bodyOffset @3 :UInt64;  # offset of the body inside that block's decompressed bodies frame
  bodyLength @4 :UInt64;  # length of the body
  source @5 :Text;        # source id (e.g. a 16-hex site id or a package name)
  title @6 :Text;
  url @7 :Text;
  date @8 :Date;          # publication date with its precision
  lang @9 :Text;          # BCP 47 language tag, e.g. "vi", "en-GB"
  langNotes @10 :List(Text);   # free notes such as "originally in Vietnamese"
  mediaType @11 :Text;    # e.g. "text/html; charset=utf-8"
  extra @12 :List(KeyValue);   # free key/value metadata, in the order given
  spanCount @13 :UInt64;  # number of annotation spans stored for this article, all layers
                          # together (layers themselves are in the block's annotations frame)
}

# The catalog frame of a block: the records of the articles added while the
# block was open. Record numbers are firstRecord, firstRecord+1, ...
struct BlockCatalog {
  firstRecord @0 :UInt64;
  articles @1 :List(Article);
}

# Standoff annotations over a body. Offsets are UTF-8 byte offsets into the
# original body, 0 <= start <= end <= bodyLength, end exclusive.
struct Span {
  start @0 :UInt64;
  end @1 :UInt64;
  type @2 :UInt32;               # index into the layer's types list
  label @3 :Text;                # optional, e.g. "PERSON"
  attributes @4 :List(KeyValue); # optional
}

struct Layer {
  name @0 :Text;          # e.g. "ner", "structure"; unique within an article
  producer @1 :Text;      # tool and version that made the spans, e.g. "spacy 3.7.2"
  types @2 :List(Text);   # span types in first-use order, e.g. ["entity", "dateline"]
  spans @3 :List(Span);   # in the order given by the producer
}

struct ArticleAnnotations {
  layers @0 :List(Layer);
}

# The annotations frame of a block: one entry per record of the block's catalog,
# same order and count.
struct BlockAnnotations {
  articles @0 :List(ArticleAnnotations);
}

# One entry of the block table: where block number n is.
struct BlockRef {
  offset @0 :UInt64;       # offset of the block's section header
  length @1 :UInt64;       # section length: header + payload + padding
  firstRecord @2 :UInt64;  # first record in the block's catalog frame
  recordCount @3 :UInt32;  # records in the block's catalog frame
  dictionary @4 :UInt32;   # dictionary number used by the bodies frame; 0: none
}

struct BlockTablePage {
  blocks @0 :List(BlockRef);  # consecutive block numbers, see PageRef.first
}

# A page of a sorted lookup index: each entry is (key << 32) | record, sorted
# ascending as an unsigned 64-bit integer (SPEC.md 7).
struct IndexPage {
  entries @0 :List(UInt64);
}

# Where one paged section is.
struct PageRef {
  offset @0 :UInt64;   # offset of the section header
  length @1 :UInt64;   # section length: header + payload + padding
  first @2 :UInt64;    # block table: first block number; index: first entry
  count @3 :UInt64;    # entries in the page
  firstRecord @4 :UInt64;  # block table: firstRecord of the page's first block; else 0
}

struct ArchiveInfo {
  title @0 :Text;
  description @1 :Text;
  creator @2 :Text;
  license @3 :Text;
  tool @4 :Text;             # writing tool, e.g. "quire"
  toolVersion @5 :Text;      # e.g. "0.1.0"
  createdUnixSeconds @6 :Int64;  # SOURCE_DATE_EPOCH when set, else the clock
  extra @7 :List(KeyValue);
}

struct Counts {
  articles @0 :UInt64;       # records
  blocks @1 :UInt64;
  uniqueBodies @2 :UInt64;   # bodies stored (after deduplication)
  bodyBytes @3 :UInt64;      # sum of every article's body length
  storedBodyBytes @4 :UInt64;  # sum of unique body lengths
  compressedBodyBytes @5 :UInt64;  # sum of bodies frame lengths
  spans @6 :UInt64;          # annotation spans in all articles
}

# The manifest: the one message the footer points at; from it a reader finds
# everything else (SPEC.md 8).
struct Manifest {
  formatMajor @0 :UInt16;
  formatMinor @1 :UInt16;
  info @2 :ArchiveInfo;
  counts @3 :Counts;
  contentDigest @4 :Data;          # 32 bytes, SPEC.md 10.1
  dictionaries @5 :List(PageRef);  # dictionary n (1-based) is element n-1; first/count unused
  blockTable @6 :List(PageRef);    # pages of BlockTablePage, by first block
  idIndex @7 :List(PageRef);       # pages of IndexPage keyed by id hash
  shaIndex @8 :List(PageRef);      # pages of IndexPage keyed by body SHA-256 prefix
  blockSize @9 :UInt64;            # writer's target block size (informative)
  compressionLevel @10 :Int32;     # writer's zstd level (informative)
  dictionaryCopies @11 :List(PageRef);  # a second copy of each dictionary, written after the
                                        # last block: one damaged dictionary must not cost
                                        # every block that uses it (SPEC.md 5.3)
  fulltext @12 :FulltextIndex;     # absent: no full-text index (SPEC.md 17); format 2.0 and later
}

# The full-text index section (SPEC.md 17): a Xapian database, written by
# `quire index` or `quire pack --fulltext` after every block.
struct FulltextIndex {
  section @0 :PageRef;        # the fulltext section; count = documents (= articles)
  scheme @1 :Text;            # how articles become documents: "quire-fulltext/1" (SPEC.md 17.2)
  backend @2 :Text;           # "xapian-glass-single-file"
  xapianVersion @3 :Text;     # the Xapian library that wrote it, e.g. "1.4.22" (informative)
  defaultLanguage @4 :Text;   # stemmer language a query uses when none is asked for (SPEC.md 17.4)
  languages @5 :List(Text);   # stemmer languages used for some article, sorted
  textBytes @6 :UInt64;       # bytes of text indexed (informative)
}
