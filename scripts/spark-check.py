#!/usr/bin/env python3
"""The README's cluster snippets under a real engine: PySpark in local mode (`local[2]`).

Run by scripts/spark-check.sh, which installs pyspark and builds vellum. The snippets are
taken from the README's "On a cluster" section as they stand (its ```python blocks, and the
`vellum export --format parquet` line of its console block) and run over the fixture page
records (fixtures/cluster/pages.jsonl), each checked against vellum run directly:

1. the mapper (`RDD.pipe` of `vellum clean --jsonl -`): its articles, sorted, are the lines of
   one `vellum clean --jsonl` over the same records, byte for byte apart from `file_path` (the
   line within each mapper's own input);
2. the same with `clean --use-store` and a store shipped with `SparkFiles`, its shipped copy
   made read-only (as root, vellum runs on the workers as the unprivileged user 65534, since
   root writes whatever the permissions say): the articles of one direct `clean --use-store`
   run, which differ from (1)'s (the store's learned chrome applies), and neither copy of the
   store changed;
3. `spark.read.parquet` over the sharded Parquet export: the times are TIMESTAMP and DATE
   columns, and the `GROUP BY site` query gives the article count per site that `vellum list`
   does (adding up to `vellum stats`' articles), the newest `added` and the oldest `date` of
   each site's records in `vellum export`.

With --bench DIR (a folder of pages as text/NNNN.txt, their URLs in gold/NNNN.json, as the
WCXB development set has them), it measures instead: articles per second of the README's
mapper job against one direct `vellum clean --jsonl` over the same page records.
"""

import argparse
import datetime
import glob
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time

os.environ["TZ"] = "UTC"
time.tzset()


def readme_snippets(readme):
    """The Python blocks of the README's "On a cluster" section, in order, and its export
    command line."""
    text = open(readme, encoding="utf-8").read()
    section = text.split("\n## On a cluster\n", 1)[1].split("\n## ", 1)[0]
    python = re.findall(r"```python\n(.*?)```", section, re.S)
    export = re.search(r"^\$ (vellum export --format parquet .*)$", section, re.M).group(1)
    if len(python) != 3:
        sys.exit(f"spark check: README's On a cluster section has {len(python)} python blocks, not 3")
    return python, export


def run(argv, **kw):
    return subprocess.run(argv, check=True, capture_output=True, **kw)


def without_file_path(line):
    """An article record's JSON line without its `file_path` fields (top level and metadata)."""
    out = re.sub(r',"file_path":"(?:[^"\\]|\\.)*"', "", line)
    assert out.count('"file_path"') == 0, line
    return out


def as_line(record):
    """A parsed article record written back as vellum writes it (serde_json's bytes)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def tree_digest(path):
    """A digest of every file's name and bytes under `path`."""
    h = hashlib.blake2b()
    for dirpath, dirs, files in sorted(os.walk(path)):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(dirpath, name)
            h.update(os.path.relpath(full, path).encode() + b"\0")
            with open(full, "rb") as f:
                h.update(f.read())
    return h.hexdigest()


def set_read_only(path):
    """chmod -R a-w (and readable by all, folders enterable)."""
    for dirpath, dirs, files in os.walk(path):
        for name in files:
            os.chmod(os.path.join(dirpath, name), 0o444)
        os.chmod(dirpath, 0o555)


def worker_binary(binary, work):
    """The `vellum` the workers run: the binary, or as root a wrapper running a copy of it as
    user 65534, who cannot write a read-only store."""
    if os.geteuid() != 0:
        return binary
    folder = tempfile.mkdtemp(prefix="vellum-worker-", dir=work)
    os.chmod(work, 0o755)
    os.chmod(folder, 0o755)
    copy = os.path.join(folder, "vellum")
    shutil.copy(binary, copy)
    os.chmod(copy, 0o755)
    setpriv = shutil.which("setpriv") or "/usr/bin/setpriv"
    wrapper = os.path.join(folder, "vellum-as-65534")
    with open(wrapper, "w") as f:
        f.write(f'#!/bin/sh\nexec {setpriv} --reuid=65534 --regid=65534 --clear-groups {copy} "$@"\n')
    os.chmod(wrapper, 0o755)
    return wrapper


def start_spark(app, work):
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # Spark's own log: errors only.
    log4j = os.path.join(work, "log4j2.properties")
    with open(log4j, "w") as f:
        f.write("rootLogger.level = error\nrootLogger.appenderRef.stderr.ref = console\n"
                "appender.console.type = Console\nappender.console.name = console\n"
                "appender.console.target = SYSTEM_ERR\nappender.console.layout.type = PatternLayout\n"
                "appender.console.layout.pattern = spark: %p %c{1}: %m%n\n")
    spark = (
        SparkSession.builder.master("local[2]")
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.extraJavaOptions", f"-Dlog4j.configurationFile=file:{log4j}")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def check(args):
    python, export = readme_snippets(os.path.join(args.root, "README.md"))
    fixture = os.path.join(args.root, "fixtures", "cluster", "pages.jsonl")
    work = tempfile.mkdtemp(prefix="vellum-spark-")
    try:
        os.chdir(work)
        shutil.copy(fixture, "pages.jsonl")
        env = dict(os.environ, VELLUM_STORE=os.path.join(work, "vellum-store"), VELLUM_NOW="2025-12-14T09:00:00Z")
        vellum = lambda *a, **kw: run([args.bin, *a], env=env, **kw).stdout.decode("utf-8")
        vellum("ingest", "--jsonl", "pages.jsonl")
        plain = sorted(without_file_path(l) for l in vellum("clean", "--jsonl", "pages.jsonl").splitlines())
        with_store = sorted(
            without_file_path(l) for l in vellum("clean", "--use-store", "--jsonl", "pages.jsonl").splitlines()
        )
        assert plain != with_store, "the store's chrome changes some articles of the fixture pages"
        store_digest = tree_digest("vellum-store")

        spark = start_spark("vellum-spark-check", work)
        sc = spark.sparkContext
        pages = sc.textFile(os.path.join(work, "pages.jsonl"), minPartitions=2)
        ns = {"spark": spark, "sc": sc, "pages": pages, "vellum": worker_binary(args.bin, work)}

        started = time.monotonic()
        exec(python[0], ns)
        got = sorted(without_file_path(as_line(r)) for r in ns["articles"].collect())
        assert got == plain, diff("mapper", plain, got)
        print(f"ok   the mapper's {len(got)} articles are those of one `vellum clean --jsonl` run "
              f"({time.monotonic() - started:.1f} s)")

        started = time.monotonic()
        exec(python[1], ns)
        from pyspark import SparkFiles

        shipped = SparkFiles.get("vellum-store")
        # The workers' copy (in local mode, the driver's folder) is read-only, and reachable.
        set_read_only(shipped)
        for parent in (os.path.dirname(shipped), os.path.dirname(os.path.dirname(shipped))):
            os.chmod(parent, os.stat(parent).st_mode | stat.S_IXOTH | stat.S_IROTH)
        shipped_digest = tree_digest(shipped)
        got = sorted(without_file_path(as_line(r)) for r in ns["articles"].collect())
        assert got == with_store, diff("mapper with a shipped store", with_store, got)
        assert tree_digest(shipped) == shipped_digest, "the shipped store was changed"
        assert tree_digest("vellum-store") == store_digest, "the store was changed"
        print(f"ok   with the store shipped read-only, its {len(got)} articles are those of one "
              f"`vellum clean --use-store` run ({time.monotonic() - started:.1f} s)")

        started = time.monotonic()
        run([args.bin, *export.split()[1:]], env=env)
        shards = sorted(os.listdir("corpus"))
        assert len(shards) > 1 and all(re.fullmatch(r"part-\d{5}-of-\d{5}\.parquet", s) for s in shards), shards
        exec(python[2], ns)
        types = {f.name: f.dataType.simpleString() for f in spark.table("corpus").schema.fields}
        for column in ("added", "created", "first_seen", "last_seen"):
            assert types[column] == "timestamp", (column, types[column])
        assert types["date"] == "date" and types["revision"] == "int", types
        rows = {r["site"]: r for r in ns["by_site"].collect()}
        listed = {}
        for a in json.loads(vellum("list", "--format", "json")):
            listed[a["site"]] = listed.get(a["site"], 0) + 1
        stats = json.loads(vellum("stats", "--format", "json"))
        records = [json.loads(l) for l in vellum("export").splitlines()]
        assert {s: r["articles"] for s, r in rows.items()} == listed, (rows, listed)
        assert sum(listed.values()) == stats["articles"], (listed, stats)
        for s, r in rows.items():
            mine = [x for x in records if x["site"] == s]
            newest = max(datetime.datetime.fromisoformat(x["added"].replace("Z", "+00:00")) for x in mine)
            assert r["newest"] == newest.replace(tzinfo=None), (s, r["newest"], newest)
            dates = [datetime.date.fromisoformat(x["date"]) for x in mine if x["date"]]
            assert r["oldest"] == (min(dates) if dates else None), (s, r["oldest"], dates)
        print(f"ok   Spark SQL over {len(shards)} Parquet shards: typed times, and per site the "
              f"{stats['articles']} articles of `vellum stats` ({time.monotonic() - started:.1f} s)")
        spark.stop()
    finally:
        os.chdir("/")
        for dirpath, dirs, files in os.walk(work):
            os.chmod(dirpath, 0o755)
        shutil.rmtree(work, ignore_errors=True)
    print("spark-check: 3 passed, 0 failed")


def diff(what, expected, got):
    extra = [l for l in got if l not in expected][:2]
    missing = [l for l in expected if l not in got][:2]
    return f"{what}: {len(got)} articles against {len(expected)}; not expected: {extra}; missing: {missing}"


def bench(args):
    """Articles per second of the README's mapper job in local mode, against one direct run."""
    python, _ = readme_snippets(os.path.join(args.root, "README.md"))
    work = tempfile.mkdtemp(prefix="vellum-spark-bench-")
    try:
        pages_path = os.path.join(work, "pages.jsonl")
        with open(pages_path, "w", encoding="utf-8") as out:
            for path in sorted(glob.glob(os.path.join(args.bench, "text", "*.txt"))):
                name = os.path.basename(path)[:-4]
                gold = os.path.join(args.bench, "gold", name + ".json")
                url = json.load(open(gold)).get("url") if os.path.exists(gold) else None
                text = open(path, encoding="utf-8", errors="replace").read()
                record = {"url": url or f"https://pages.example/{name}", "fetched_at": "2025-12-01T00:00:00Z", "text": text}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n_pages = sum(1 for _ in open(pages_path, encoding="utf-8"))
        started = time.monotonic()
        direct = subprocess.run([args.bin, "clean", "--jsonl", pages_path], capture_output=True, check=False)
        direct_s = time.monotonic() - started
        direct_n = len(direct.stdout.splitlines())

        started = time.monotonic()
        spark = start_spark("vellum-spark-bench", work)
        sc = spark.sparkContext
        startup_s = time.monotonic() - started
        pages = sc.textFile(pages_path, minPartitions=2)
        pages.count()  # Spark's Python workers started, and the file read once
        ns = {"spark": spark, "sc": sc, "pages": pages, "vellum": args.bin}
        exec(python[0], ns)
        started = time.monotonic()
        spark_n = ns["articles"].count()
        spark_s = time.monotonic() - started
        # The mapper alone, without the README's partitioning by site (its shuffle) or parsing.
        started = time.monotonic()
        pipe_n = pages.pipe(f"{args.bin} clean --jsonl -").count()
        pipe_s = time.monotonic() - started
        spark.stop()
        assert spark_n == direct_n, (spark_n, direct_n)
        print(f"pages {n_pages}, articles {direct_n}")
        print(f"direct  vellum clean --jsonl: {direct_s:.2f} s, {direct_n / direct_s:.0f} articles/s")
        print(f"spark   local[2] job: {spark_s:.2f} s, {spark_n / spark_s:.0f} articles/s "
              f"(Spark's start: {startup_s:.1f} s more)")
        print(f"ratio   spark/direct articles/s: {direct_s / spark_s:.2f}")
        print(f"pipe    pages.pipe(...) alone, {pages.getNumPartitions()} partitions: {pipe_s:.2f} s, "
              f"{pipe_n / pipe_s:.0f} articles/s, ratio {direct_s / pipe_s:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", required=True, help="the vellum binary")
    parser.add_argument("--root", required=True, help="the repository")
    parser.add_argument("--bench", metavar="DIR", help="measure on the pages in DIR/text instead")
    args = parser.parse_args()
    args.bin = os.path.abspath(args.bin)
    args.root = os.path.abspath(args.root)
    if args.bench:
        bench(args)
    else:
        check(args)


if __name__ == "__main__":
    main()
