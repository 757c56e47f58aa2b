#!/usr/bin/python3
"""Quire from Python and Dask, next to python-libzim and the C++ reader (bench/python runs it).

  python_bench.py --archive A.quire --zim C.zim --ids ids.txt --raw BYTES --cpp CPP.jsonl
                  [--lookups N] [--seed S] [--runs R] [--small] [--results OUT.jsonl]

Random access: LOOKUPS lookups by id (ids drawn with a fixed seed, after 1,000 warm-up
lookups), time = lookup + the whole body in memory (quire: a[id].body, a memoryview of the
decoded block; libzim: get_entry_by_path(id).get_item().content). Sequential scan: every body
in archive order, in this process. Dask: read_bag(fields=("body",)) summing body lengths on a
LocalCluster of 1 and 2 worker processes (one thread each, loopback; cluster start not timed).
Medians of RUNS runs. Writes bench/PYTHON.md and replaces its section in bench/RESULTS.md.
"""
import argparse
import json
import os
import random
import re
import statistics
import sys
import time

import quire
import quire.dask

HERE = os.path.dirname(os.path.abspath(__file__))


def lookups(get, ids, n, seed):
    """p50 and p99 in µs of get(id) over n ids drawn with seed; get returns the body."""
    rng = random.Random(seed)
    for _ in range(1000):
        get(ids[rng.randrange(len(ids))])
    times = []
    clock = time.perf_counter_ns
    for _ in range(n):
        i = ids[rng.randrange(len(ids))]
        t = clock()
        body = get(i)
        times.append(clock() - t)
        if not len(body):
            raise SystemExit(f"empty body for {i}")
    times.sort()
    return {"p50_us": times[len(times) // 2] / 1e3, "p99_us": times[int(len(times) * 0.99)] / 1e3}


def quire_random(path, ids, n, seed):
    with quire.open(path) as a:
        return lookups(lambda i: a[i].body, ids, n, seed)


def zim_random(path, ids, n, seed):
    from libzim.reader import Archive
    z = Archive(path)
    return lookups(lambda i: z.get_entry_by_path(i).get_item().content, ids, n, seed)


def python_scan(path):
    t = time.perf_counter()
    total = 0
    with quire.open(path) as a:
        for art in a:
            total += len(art.body)
    return total, time.perf_counter() - t


def dask_scan(client, path):
    bag = quire.dask.read_bag(path, fields=("body",))
    t = time.perf_counter()
    total = bag.map(lambda d: len(d["body"])).sum().compute()
    return total, time.perf_counter() - t, bag.npartitions


def start_cluster(workers):
    import distributed
    cluster = distributed.LocalCluster(n_workers=workers, processes=True, threads_per_worker=1, host="127.0.0.1",
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    client.run(lambda: __import__("quire.dask"))  # import in the workers before timing
    return cluster, client


def main():
    p = argparse.ArgumentParser()
    for name in ("archive", "zim", "ids", "cpp"):
        p.add_argument("--" + name, required=True)
    p.add_argument("--raw", type=int, required=True)
    p.add_argument("--lookups", type=int, default=100000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--small", action="store_true")
    p.add_argument("--results")
    args = p.parse_args()
    ids = [l.rstrip("\n") for l in open(args.ids, encoding="utf-8") if l.strip()]
    rows = []

    def record(name, **data):
        rows.append({"name": name, **data})
        print(json.dumps(rows[-1]), file=sys.stderr)

    for run in range(args.runs):
        record("py_random", **quire_random(args.archive, ids, args.lookups, args.seed))
        record("zim_random", **zim_random(args.zim, ids, args.lookups, args.seed))
        size, secs = python_scan(args.archive)
        record("py_scan", bytes=size, seconds=secs)
    for workers in (1, 2):
        cluster, client = start_cluster(workers)
        try:
            for run in range(args.runs):
                size, secs, parts = dask_scan(client, args.archive)
                record(f"dask_scan_{workers}", bytes=size, seconds=secs, partitions=parts)
        finally:
            client.close()
            cluster.close()
    if args.results:
        with open(args.results, "w") as f:
            f.writelines(json.dumps(r) + "\n" for r in rows)
    cpp = [json.loads(l)["data"] for l in open(args.cpp) if l.strip()]
    write_report(rows, cpp, args)


def write_report(rows, cpp, args):
    def med(name, key):
        return statistics.median(r[key] for r in rows if r["name"] == name)

    def rate(name):
        sizes = {r["bytes"] for r in rows if r["name"] == name}
        if sizes != {args.raw}:
            raise SystemExit(f"{name}: scanned {sizes} bytes, the corpus has {args.raw}")
        return args.raw / 1e6 / med(name, "seconds")

    cpp_p50 = statistics.median(c["p50_us"] for c in cpp)
    cpp_p99 = statistics.median(c["p99_us"] for c in cpp)
    cpp_scan = statistics.median(c["scan_mb_s"] for c in cpp)
    q50, q99, z50, z99 = med("py_random", "p50_us"), med("py_random", "p99_us"), med("zim_random", "p50_us"), med("zim_random", "p99_us")
    scan, d1, d2 = rate("py_scan"), rate("dask_scan_1"), rate("dask_scan_2")
    parts = [r["partitions"] for r in rows if r["name"] == "dask_scan_1"][0]
    cores = os.cpu_count()
    lines = [
        "## Python and Dask", "",
        f"`bench/python{' --small' if args.small else ''} --runs {args.runs}`: the default-settings archive and the ZIM "
        "of `bench/run`, read from Debian's Python 3.11 (`quire` module, `python3-libzim`, `python3-dask` "
        f"2022.12). Medians of {args.runs} runs; {args.lookups:,} random lookups by id (seed {args.seed}, after 1,000 "
        "warm-up lookups), time = lookup + whole body in memory (`a[id].body`, a zero-copy memoryview; libzim: "
        "`get_entry_by_path(id).get_item().content`). Scans: MB of bodies per second "
        f"({args.raw / 1e6:,.1f} MB). Dask: `quire.dask.read_bag(path, fields=(\"body\",))` summing body lengths, "
        f"{parts} partitions of 64 blocks, on a `LocalCluster` of worker processes with one thread each "
        f"(cluster start not timed); the machine has {cores} cores, shared.", "",
        "| measurement | Quire | peer | ratio |", "|---|---:|---:|---:|",
        f"| random access p50, Python | {q50:,.1f} µs | python-libzim {z50:,.1f} µs | libzim / Quire {z50 / q50:,.1f}× |",
        f"| random access p99, Python | {q99:,.1f} µs | python-libzim {z99:,.1f} µs | libzim / Quire {z99 / q99:,.1f}× |",
        f"| random access p50, Python vs C++ | {q50:,.1f} µs | C++ `quire_bench` {cpp_p50:,.1f} µs (p99 {cpp_p99:,.1f}) | Python / C++ {q50 / cpp_p50:,.2f}× |",
        f"| sequential scan, Python (one thread) | {scan:,.0f} MB/s | C++ `quire_bench` {cpp_scan:,.0f} MB/s | Python / C++ {scan / cpp_scan:,.2f} |",
        f"| Dask scan, 1 worker | {d1:,.0f} MB/s | Python scan {scan:,.0f} MB/s | Dask / Python {d1 / scan:,.2f} |",
        f"| Dask scan, 2 workers | {d2:,.0f} MB/s | Dask 1 worker {d1:,.0f} MB/s | 2 / 1 workers {d2 / d1:,.2f}× |",
    ]
    section = "\n".join(lines) + "\n"
    with open(os.path.join(HERE, "PYTHON.md"), "w") as f:
        f.write(section)  # report.py carries it into every new RESULTS.md
    path = os.path.join(HERE, "RESULTS.md")
    text = open(path).read() if os.path.exists(path) else ""
    m = re.search(r"^## Python and Dask\n.*?(?=^## |\Z)", text, flags=re.S | re.M)
    text = text[:m.start()] + section + "\n" + text[m.end():] if m else text.rstrip("\n") + "\n\n" + section
    with open(path, "w") as f:
        f.write(text)
    print(section)


if __name__ == "__main__":
    main()
