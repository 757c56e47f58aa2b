#!/usr/bin/python3
"""Turns bench/run's results.jsonl into bench/RESULTS.md (Markdown on stdout).
   report.py RESULTS.jsonl MANIFEST.txt RAW_BYTES ARTICLES [small]"""
import json, os, platform, statistics, subprocess, sys, datetime

results_path, manifest_path, raw, articles = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
small = len(sys.argv) > 5 and sys.argv[5] == "small"
rows = [json.loads(l) for l in open(results_path) if l.strip()]

def all_of(name): return [r for r in rows if r["name"] == name]
def med(name, key):
    v = [r[key] for r in all_of(name)]
    return statistics.median(v) if v else None
def med_data(name, key):
    v = [r["data"][key] for r in all_of(name) if key in r.get("data", {})]
    return statistics.median(v) if v else None
def one(name, key="bytes"):
    v = all_of(name)
    return v[0][key] if v else None

mb = raw / 1e6
def pct(b): return f"{100.0 * b / raw:.2f}%" if b else "n/a"
def f1(x, unit=""): return f"{x:,.1f}{unit}" if x is not None else "n/a"
def f0(x, unit=""): return f"{x:,.0f}{unit}" if x is not None else "n/a"
def rate(secs): return f"{mb / secs:,.1f}" if secs else "n/a"
def rss(name): return f"{max(r['rss_kb'] for r in all_of(name)) / 1024:,.0f}" if all_of(name) else "n/a"

q_pack = med("quire_pack", "seconds"); q_size = one("quire_size")
q19_pack = med("quire19_pack", "seconds"); q19_size = one("quire19_size")
z_pack = med("zim_pack", "seconds"); z_size = one("zim_size")
t3_pack = med("tar_zstd3_pack", "seconds"); t3_size = one("tar_zstd3_size"); t3_un = med("tar_zstd3_unpack", "seconds")
t19_pack = med("tar_zstd19_pack", "seconds"); t19_size = one("tar_zstd19_size"); t19_un = med("tar_zstd19_unpack", "seconds")
g = all_of("gzip")[0]["data"] if all_of("gzip") else {}
qr = lambda k: med_data("quire_read", k)
q19r = lambda k: med_data("quire19_read", k)
zr = lambda k: med_data("zim_read", k)
info = all_of("quire_info")[0]["data"] if all_of("quire_info") else {}

cpu = ""
try:
    cpu = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")][0]
except Exception:
    pass
mem = ""
try:
    mem = f"{int(open('/proc/meminfo').readline().split()[1]) / 1024 / 1024:.0f} GiB"
except Exception:
    pass
packages = [l.split()[1:] for l in open(manifest_path) if l.startswith("package ")]

out = []
w = out.append
w("# Benchmark results\n")
w(f"Made by `bench/run{' --small' if small else ''}` on {datetime.date.today().isoformat()}; regenerate with the same command. "
  "One run on a shared, noisy machine: figures marked *median* are medians of the repeated runs; compare the ratios, which "
  "are taken within this one run.\n")
w(f"- Machine: {os.cpu_count()} cores ({cpu}), {mem} RAM, {platform.system()} {platform.release()}")
w(f"- Corpus: `../shared/corpus/make-corpus.sh{' --small' if small else ''}`: {articles:,} articles, {raw:,} bytes of bodies "
  f"(Debian packages: {', '.join(p[0] + ' ' + p[1] for p in packages[:6])}, ... {len(packages)} in all, versions in the corpus MANIFEST.txt)")
w(f"- Random access: {qr('lookups') or 0:,.0f} lookups by id of ids drawn with a fixed seed (42), after 1,000 warm-up lookups, page cache warm; time = lookup + whole body in memory "
  f"({q19r('lookups') or 0:,.0f} lookups for the 8 MiB-block archive, whose lookups take milliseconds).")
w("")
w("## Side by side\n")
w("| format | pack s | pack MB/s | peak RSS MiB | size (% of raw) | open µs | random p50 µs | random p99 µs | scan MB/s |")
w("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
w(f"| **Quire** default (64 KiB blocks, zstd 9, dictionary, -j2) | {f1(q_pack)} *median* | {rate(q_pack)} | {rss('quire_pack')} | {pct(q_size)} | {f1(qr('open_us'))} | {f1(qr('p50_us'))} | {f1(qr('p99_us'))} | {f0(qr('scan_mb_s'))} |")
w(f"| **Quire** `--level 19 --block-size 8MiB` | {f1(q19_pack)} | {rate(q19_pack)} | {rss('quire19_pack')} | {pct(q19_size)} | {f1(q19r('open_us'))} | {f1(q19r('p50_us'))} | {f1(q19r('p99_us'))} | {f0(q19r('scan_mb_s'))} |")
w(f"| ZIM (`zimwriterfs -m 524288 --withoutFTIndex`, libzim 8) | {f1(z_pack)} | {rate(z_pack)} | {rss('zim_pack')} | {pct(z_size)} | {f1(zr('open_us'))} | {f1(zr('p50_us'))} | {f1(zr('p99_us'))} | {f0(zr('scan_mb_s'))} |")
w(f"| `tar \\| zstd -3 -T2` | {f1(t3_pack)} | {rate(t3_pack)} | {rss('tar_zstd3_pack')} | {pct(t3_size)} | n/a | no random access | | unpack {f1(t3_un)} s |")
w(f"| `tar \\| zstd -19 --long=27 -T2` | {f1(t19_pack)} | {rate(t19_pack)} | {rss('tar_zstd19_pack')} | {pct(t19_size)} | n/a | no random access | | unpack {f1(t19_un)} s |")
w(f"| one gzip member per article (per-record WARC.gz) | {f1(g.get('pack_s'))} | {rate(g.get('pack_s'))} | n/a | {pct(g.get('size'))} | n/a | {f1(g.get('p50_us'))} | {f1(g.get('p99_us'))} | {f0(g.get('scan_mb_s'))} |")
w("")
w(f"Quire verify: full {f0(qr('verify_mb_s'))} MB/s (every checksum, every body decompressed and its SHA-256 checked, "
  f"content digest recomputed); quick {f0(qr('verify_quick_mb_s'))} MB/s (structure and every checksum, no decompression "
  "of bodies), both *median*, MB of bodies per second.")
ann = one("quire_ann_size")
if ann:
    w(f"With the corpus annotations packed too (`--annotations annotations.jsonl`, {info.get('spans', 0) or 'all'} spans): {pct(ann)} of raw; pack {f1(med('quire_pack_annotated','seconds'))} s.")
if info:
    w(f"Quire default archive: {info.get('blocks')} blocks, bodies compressed to {pct(info.get('compressed_body_bytes'))}, "
      f"indexes {info.get('index_bytes'):,} bytes, dictionary {info.get('dictionaries')} bytes; the rest is the per-block catalogs "
      "(ids, SHA-256, metadata).")
w("")
w("## Targets (issue: Quire v1), as ratios in this run\n")
w("| target | measured | met? |")
w("| --- | --- | --- |")
def row(name, measured, ok): w(f"| {name} | {measured} | {'yes' if ok else '**no**'} |")
if q_size and z_size:
    row("size at default settings ≤ ZIM", f"{100*q_size/raw:.2f}% vs {100*z_size/raw:.2f}% ({q_size/z_size:.2f}×)", q_size <= z_size)
if q19_size and t19_size:
    row("`--level 19` + larger blocks ≤ 1.3 × `tar|zstd -19 --long=27`", f"{q19_size/t19_size:.2f}×", q19_size <= 1.3 * t19_size)
if qr('p50_us'):
    row("random access p50 ≤ 50 µs", f"{qr('p50_us'):.1f} µs", qr('p50_us') <= 50)
    row("random access p99 ≤ 500 µs", f"{qr('p99_us'):.1f} µs", qr('p99_us') <= 500)
    if zr('p50_us'):
        row("p50 ≥ 30× faster than libzim", f"{zr('p50_us')/qr('p50_us'):.1f}×", zr('p50_us') / qr('p50_us') >= 30)
    row("open < 200 µs", f"{qr('open_us'):.1f} µs", qr('open_us') < 200)
if q_pack:
    row("pack at default level with -j2 ≥ 60 MB/s", f"{mb/q_pack:.1f} MB/s", mb / q_pack >= 60)
    if z_pack:
        row("pack ≥ 30× zimwriterfs", f"{z_pack/q_pack:.1f}×", z_pack / q_pack >= 30)
    row("pack peak RSS ≤ 200 MiB", f"{rss('quire_pack')} MiB", max(r['rss_kb'] for r in all_of('quire_pack')) <= 200 * 1024)
if qr('scan_mb_s'):
    row("sequential scan ≥ 500 MB/s", f"{qr('scan_mb_s'):.0f} MB/s", qr('scan_mb_s') >= 500)
if qr('verify_mb_s'):
    row("verify ≥ 600 MB/s", f"{qr('verify_mb_s'):.0f} MB/s", qr('verify_mb_s') >= 600)
w("")
# The sections the other benchmarks write (bench/ingest, python, grep, serve, fulltext),
# each one level below this page's title.
for name in ("INGEST.md", "PYTHON.md", "GREP.md", "SERVE.md", "FULLTEXT.md"):
    extra = os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
    if os.path.exists(extra):
        text = open(extra).read()
        if text.startswith("# "):
            text = "\n".join(("#" + l if l.startswith("#") else l) for l in text.split("\n"))
        w(text)
analysis = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ANALYSIS.md")
if os.path.exists(analysis):
    w(open(analysis).read())
print("\n".join(out))
