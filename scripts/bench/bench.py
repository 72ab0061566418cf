#!/usr/bin/env python3
"""OrderDesk's performance bench (issues 7 and 15). Run it through scripts/bench/run, which
installs the tools and builds the binary first.

Figures 1-5 are the file store's; 6-10 the store on a PostgreSQL server (issue 15), started by the
bench itself on this machine (scripts/postgres) and holding the same 100k demo store.

Prints one table: each OrderDesk figure next to its comparator, measured in the same run, with
the ratio, the median and the min-max over the runs. Progress goes to stderr.
"""
import argparse
import atexit
import glob
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
START = time.perf_counter()
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1M": 1_000_000}
SENTINEL = "settings auto-restock"  # a one-line read command: marks the end of another's output


def log(message):
    print(f"bench [{time.perf_counter() - START:6.1f} s] {message}", file=sys.stderr, flush=True)


def fail(message):
    print(f"bench: {message}", file=sys.stderr)
    sys.exit(1)


class Series:
    """Measurements of one figure: median and min-max."""

    def __init__(self, values, unit):
        self.values = list(values)
        self.unit = unit

    @property
    def median(self):
        return statistics.median(self.values)

    def text(self):
        lo, hi = min(self.values), max(self.values)
        return f"{fmt(self.median, self.unit)} ({fmt(lo, self.unit, bare=True)}–{fmt(hi, self.unit)}) ×{len(self.values)}"


def fmt(value, unit, bare=False):
    if unit == "s":
        if value >= 1:
            text, suffix = f"{value:.2f}", " s"
        elif value >= 0.1:
            text, suffix = f"{value * 1000:.0f}", " ms"
        elif value >= 0.01:
            text, suffix = f"{value * 1000:.1f}", " ms"
        else:
            text, suffix = f"{value * 1000:.2f}", " ms"
    elif unit == "B":
        if value >= 1e9:
            text, suffix = f"{value / 1e9:.2f}", " GB"
        else:
            text, suffix = f"{value / 1e6:.0f}", " MB"
    else:
        text, suffix = f"{value:g}", f" {unit}"
    return text if bare else text + suffix


class Bench:
    def __init__(self, args):
        self.args = args
        self.binary = Path(args.binary).resolve()
        if not self.binary.exists():
            fail(f"no binary at {self.binary} (run scripts/bench/run)")
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        self.cache = Path(base) / "orderdesk-bench"
        self.work = self.cache / "work"
        self.cache.mkdir(parents=True, exist_ok=True)
        if args.fresh:
            for name in ("stores", "data"):
                shutil.rmtree(self.cache / name, ignore_errors=True)
        (self.cache / "stores").mkdir(exist_ok=True)
        (self.cache / "data").mkdir(exist_ok=True)
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir()
        self.rows = []

    # ----- data -----

    def store(self, label):
        """The cached demo store of a size, made once with `orderdesk init --demo --seed 1`."""
        path = self.cache / "stores" / label
        if (path / "snapshot.json").exists():
            return path
        log(f"making the {label} demo store (orderdesk init --demo --orders {SIZES[label]} --seed 1)")
        temporary = path.with_name(label + ".tmp")
        shutil.rmtree(temporary, ignore_errors=True)
        subprocess.run(
            [str(self.binary), "init", str(temporary), "--demo", "--orders", str(SIZES[label]), "--seed", "1"],
            check=True, stdout=subprocess.DEVNULL)
        temporary.rename(path)
        return path

    def snapshot(self, label):
        return self.store(label) / "snapshot.json"

    def copy(self, label):
        """A store to work on: the cached snapshot hard-linked (never written in place: compaction
        renames a new one over it), a fresh journal and lock."""
        source = self.store(label)
        target = self.work / label
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(mode=0o700)
        os.link(source / "snapshot.json", target / "snapshot.json")
        for name in ("journal.jsonl", "store.lock"):
            fd = os.open(target / name, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        return target

    @staticmethod
    def reset_journal(store):
        """Back to the snapshot alone: the changes of a run are dropped (the snapshot is untouched
        as long as no compaction ran, which 16 MB of journal would take)."""
        for extra in ("archive", "quarantine"):
            if (store / extra).exists():
                fail(f"{store / extra} appeared: a compaction or a damage report during the bench")
        with open(store / "journal.jsonl", "r+b") as journal:
            journal.truncate(0)
            os.fsync(journal.fileno())
        # The acknowledged-sequence mark would (rightly) refuse a journal cut behind its back.
        for mark in ("journal.seq", "snapshot.written.json"):
            if (store / mark).exists():
                (store / mark).unlink()

    def cancellable(self, label):
        """Names of the orders a cancel accepts (not cancelled, nothing fulfilled), oldest first."""
        path = self.cache / "data" / f"cancellable-{label}.txt"
        if not path.exists() and SIZES[label] >= 1_000_000:
            # jq takes a minute over a gigabyte: OrderDesk's own list of open, unfulfilled orders.
            log(f"listing some cancellable orders of the {label} store (orderdesk orders --status unfulfilled)")
            out = subprocess.run(
                [str(self.binary), "--store", str(self.copy(label)), "--no-color"], input="orders --status unfulfilled --limit 500\n",
                check=True, capture_output=True, text=True)
            path.write_text("".join(line.split()[0] + "\n" for line in out.stdout.splitlines() if line.startswith("#")))
        if not path.exists():
            log(f"listing the cancellable orders of the {label} store (jq)")
            query = (
                '.orders[] | select(.cancelled_at == null and (.fulfillment_status == null or '
                '.fulfillment_status == "restocked") and all(.line_items[]; .fulfilled_quantity == 0)) | .name')
            out = subprocess.run(["jq", "-r", query, str(self.snapshot(label))], check=True, capture_output=True, text=True)
            path.write_text(out.stdout)
        return path.read_text().split()

    def reference_loader(self):
        path = self.cache / "data" / "reference"
        source = HERE / "reference.cpp"
        if not path.exists() or path.stat().st_mtime < source.stat().st_mtime:
            log("compiling the C++ simdjson reference loader")
            subprocess.run(["g++", "-O2", "-std=c++17", str(source), "-lsimdjson", "-o", str(path)], check=True)
        return path

    def sqlite_db(self, label):
        """The same orders in SQLite (name, order JSON), WAL mode; updated in place by each run."""
        path = self.cache / "data" / f"orders-{label}.db"
        if not path.exists():
            log(f"loading the {label} orders into SQLite")
            temporary = path.with_name(path.name + ".tmp")
            for stale in (temporary, Path(str(temporary) + "-wal"), Path(str(temporary) + "-shm")):
                stale.unlink(missing_ok=True)
            script = (
                "PRAGMA journal_mode=WAL;\n"
                "CREATE TABLE orders(name TEXT PRIMARY KEY, doc TEXT NOT NULL);\n"
                "INSERT INTO orders(name, doc) SELECT json_extract(value, '$.name'), value "
                f"FROM json_each(readfile('{self.snapshot(label)}'), '$.orders');\n")
            subprocess.run(["sqlite3", str(temporary)], input=script, check=True, text=True, stdout=subprocess.DEVNULL)
            temporary.rename(path)
        return path

    # ----- running -----

    def timed(self, command, stdin=None, rss=False, check=None, env=None):
        """Runs a command; returns (wall seconds, peak RSS bytes or None, stdout, stderr)."""
        rss_file = None
        if rss:
            rss_file = tempfile.NamedTemporaryFile(dir=self.work, delete=False)
            rss_file.close()
            command = ["/usr/bin/time", "-f", "%M", "-o", rss_file.name] + command
        stdin_file = open(stdin, "rb") if isinstance(stdin, Path) else None
        started = time.perf_counter()
        if isinstance(stdin, str):
            result = subprocess.run(command, input=stdin.encode(), capture_output=True, env=env)
        else:
            result = subprocess.run(command, stdin=stdin_file or subprocess.DEVNULL, capture_output=True, env=env)
        elapsed = time.perf_counter() - started
        if stdin_file:
            stdin_file.close()
        out, err = result.stdout.decode(errors="replace"), result.stderr.decode(errors="replace")
        if result.returncode != 0 or (check and check not in out + err):
            fail(f"{' '.join(command)} failed ({result.returncode}):\n{out[-2000:]}\n{err[-2000:]}")
        peak = None
        if rss_file:
            peak = int(Path(rss_file.name).read_text().split()[-1]) * 1024
            os.unlink(rss_file.name)
        return elapsed, peak, out, err

    def row(self, figure, ours, comparator, ratio, target, met):
        self.rows.append((figure, ours, comparator, ratio, target, met))

    # ----- figures -----

    def first_answer(self, runs):
        """(1) `show #1001` from stdin, as a whole process, against jq and the simdjson loader;
        (5) OrderDesk's peak memory in the same runs."""
        log("figure 1: time to first answer at 100k (OrderDesk, jq, simdjson), and peak memory")
        store = self.copy("100k")
        snapshot = store / "snapshot.json"
        reference = self.reference_loader()
        commands = {
            "ours": ([str(self.binary), "--store", str(store)], "show #1001\n", "#1001"),
            "jq": (["jq", ".orders|length"], None, "100000"),
            "simdjson": ([str(reference), str(snapshot), "#1001"], None, "#1001"),
        }
        commands["jq"][0].append(str(snapshot))
        for name, (command, stdin, check) in commands.items():  # warm the page cache
            self.timed(command, stdin=stdin, check=check)
        times = {name: [] for name in commands}
        peaks = []
        for run in range(runs):
            order = list(commands)[run % 3:] + list(commands)[:run % 3]
            for name in order:
                command, stdin, check = commands[name]
                elapsed, peak, _, _ = self.timed(command, stdin=stdin, rss=name == "ours", check=check)
                times[name].append(elapsed)
                if peak:
                    peaks.append(peak)
        ours, jq, simd = Series(times["ours"], "s"), Series(times["jq"], "s"), Series(times["simdjson"], "s")
        size = snapshot.stat().st_size
        r1 = ours.median / jq.median
        r2 = ours.median / simd.median
        self.row("1  first answer, 100k: show #1001", ours.text(), "jq '.orders|length': " + jq.text(), f"{r1:.2f}×", "≤ 0.25×", r1 <= 0.25)
        self.row("", "", "C++ simdjson, typed structs: " + simd.text(), f"{r2:.2f}×", "≤ 1.0×", r2 <= 1.0)
        memory = Series(peaks, "B")
        r5 = memory.median / size
        self.memory_rows = [("5  peak memory, 100k (show #1001)", memory.text(), f"snapshot.json: {fmt(size, 'B')}", f"{r5:.2f}×", "≤ 3×", r5 <= 3)]

    def batch(self, runs, count):
        """(2) `count` cancel lines, each durable, as one process, against sqlite3 making as many
        single-row updates in autocommit WAL mode (each transaction synced: synchronous=FULL)."""
        log(f"figure 2: {count:,} cancels (OrderDesk) and {count:,} single-row updates (sqlite3), {runs} runs each")
        names = self.cancellable("100k")
        if len(names) < count:
            fail(f"the 100k store has only {len(names)} cancellable orders")
        names = names[:count]
        script = self.work / "cancels.txt"
        script.write_text("".join(f"cancel {name} --reason customer --yes\n" for name in names))
        # A different time in each run, so that every update really changes its row (SQLite
        # writes nothing, and syncs nothing, for an update that leaves a row as it was).
        updates = []
        for run in range(runs):
            path = self.work / f"updates-{run}.sql"
            stamp = f"2026-11-26T12:{run // 60:02d}:{run % 60:02d}Z"
            path.write_text("".join(
                f"UPDATE orders SET doc = json_set(doc, '$.cancelled_at', '{stamp}', "
                f"'$.cancel_reason', 'customer', '$.financial_status', 'voided') WHERE name = '{name}';\n"
                for name in names))
            updates.append(path)
        db = self.sqlite_db("100k")
        mode = subprocess.run(["sqlite3", str(db), "PRAGMA journal_mode; PRAGMA synchronous;"], capture_output=True, text=True).stdout.split()
        store = self.copy("100k")
        ours, theirs = [], []
        for run in range(runs):
            self.reset_journal(store)
            pair = [("ours", [str(self.binary), "--store", str(store)], script, f"{count} lines succeeded"),
                    ("sqlite", ["sqlite3", str(db)], updates[run], None)]
            for name, command, stdin, check in (pair if run % 2 == 0 else pair[::-1]):
                elapsed, _, _, _ = self.timed(command, stdin=stdin, check=check)
                (ours if name == "ours" else theirs).append(elapsed)
            log(f"  run {run + 1}: OrderDesk {ours[-1]:.1f} s, sqlite3 {theirs[-1]:.1f} s")
        lines = (store / "journal.jsonl").stat().st_size
        self.reset_journal(store)
        a, b = Series(ours, "s"), Series(theirs, "s")
        r = a.median / b.median
        self.row(f"2  {count:,} × cancel … --yes, 100k, each durable", a.text(),
                 f"sqlite3, {count:,} autocommit updates (journal_mode={mode[0] if mode else '?'}, synchronous={mode[1] if len(mode) > 1 else '?'}): " + b.text(),
                 f"{r:.2f}×", "≤ 1.2×", r <= 1.2)
        self.batch_note = (count, lines, self.fsync_latency())

    def fsync_latency(self):
        """What one append and fdatasync costs on this disk, for the notes."""
        path = self.work / "fsync.probe"
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        samples = []
        for _ in range(50):
            started = time.perf_counter()
            os.write(fd, b"x" * 900 + b"\n")
            os.fdatasync(fd)
            samples.append(time.perf_counter() - started)
        os.close(fd)
        path.unlink()
        return statistics.median(samples)

    def driver(self, store, env=None):
        """A live OrderDesk process reading commands from a pipe (batch mode), loaded and ready."""
        process = subprocess.Popen(
            [str(self.binary), "--store", str(store)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, bufsize=0, env=env)
        self.ask(process, "show #1001")
        return process

    @staticmethod
    def ask(process, line):
        """Sends a command and the sentinel; returns the command's output lines once the sentinel's
        line is back."""
        process.stdin.write((line + "\n" + SENTINEL + "\n").encode())
        lines = []
        while True:
            got = process.stdout.readline()
            if not got:
                fail(f"orderdesk stopped after {line!r}: {process.stderr.read().decode(errors='replace')[-2000:]}")
            text = got.decode(errors="replace").rstrip("\n")
            if text.startswith("auto-restock = "):
                return lines
            lines.append(text)

    @staticmethod
    def one_line(process, line):
        """Sends a command whose output is one line; returns it. The line a cancel's notice adds
        after it ("Notice N queued, not sent: mail-from is not set …") is skipped when the next
        answer is read."""
        process.stdin.write((line + "\n").encode())
        while True:
            got = process.stdout.readline()
            if not got:
                fail(f"orderdesk stopped after {line!r}: {process.stderr.read().decode(errors='replace')[-2000:]}")
            text = got.decode(errors="replace").rstrip("\n")
            if not text.startswith("Notice "):
                return text

    @staticmethod
    def cpu_seconds(pid):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def commit_cost(self, label, runs, changes):
        """Per-change latency of `cancel … --yes` in a loaded process: write the line, read the
        answer (after the fdatasync). Median per run; also the CPU time per change."""
        names = self.cancellable(label)[:changes]
        if len(names) < changes:
            fail(f"the {label} store has only {len(names)} cancellable orders")
        store = self.copy(label)
        medians, cpus = [], []
        for _ in range(runs):
            self.reset_journal(store)
            process = self.driver(store)
            latencies = []
            cpu_before = self.cpu_seconds(process.pid)
            for name in names:
                started = time.perf_counter()
                answer = self.one_line(process, f"cancel {name} --reason customer --yes")
                latencies.append(time.perf_counter() - started)
                if not answer.startswith(name + " cancelled"):
                    fail(f"unexpected answer to cancel {name}: {answer}")
            cpus.append((self.cpu_seconds(process.pid) - cpu_before) / len(names))
            process.stdin.close()
            process.wait()
            medians.append(statistics.median(latencies))
        self.reset_journal(store)
        return Series(medians, "s"), Series(cpus, "s")

    def commit_figure(self, runs, big_runs, changes):
        changes = min(changes, len(self.cancellable("1k")))
        log(f"figure 3: commit cost per change, {changes} cancels at 1k ({runs} runs) and at 1M ({big_runs} runs)")
        small, small_cpu = self.commit_cost("1k", runs, changes)
        big, big_cpu = self.commit_cost("1M", big_runs, changes)
        r = big.median / small.median
        self.row("3  commit cost per change (cancel), 1M", big.text(), "same at 1k: " + small.text(), f"{r:.2f}×", "≤ 1.5×", r <= 1.5)
        rc = big_cpu.median / small_cpu.median if small_cpu.median > 0 else float("nan")
        self.row("   … its CPU time only, 1M", big_cpu.text(), "same at 1k: " + small_cpu.text(), f"{rc:.2f}×", "(note)", None)

    def find_figure(self, reps):
        """(4) One `find` over 100k orders, in a loaded process: write the line, read up to the
        sentinel. The first one builds the search index; then each query many times."""
        log("figure 4: find over 100k orders")
        store = self.copy("100k")
        queries = ["zzqx", "moreau", "tee-blk", "vip", "example.com", "#51234", "Léa"]
        firsts, steady = [], []
        for run in range(max(5, reps // 10)):
            process = self.driver(store)
            started = time.perf_counter()
            self.ask(process, "find zzqx")
            firsts.append(time.perf_counter() - started)
            if run == 0:
                for _ in range(reps):
                    for query in queries:
                        started = time.perf_counter()
                        self.ask(process, f"find '{query}'")
                        steady.append(time.perf_counter() - started)
            process.stdin.close()
            process.wait()
        sentinel = []
        process = self.driver(store)
        for _ in range(50):
            started = time.perf_counter()
            process.stdin.write((SENTINEL + "\n").encode())
            process.stdout.readline()
            sentinel.append(time.perf_counter() - started)
        process.stdin.close()
        process.wait()
        a, b = Series(steady, "s"), Series(firsts, "s")
        self.row(f"4  one find over 100k ({len(queries)} texts × {reps})", a.text(), "target 20 ms", f"{a.median / 0.020:.2f}×", "≤ 20 ms", a.median <= 0.020)
        self.row("   … the first find of a process (builds the index)", b.text(), "target 20 ms", f"{b.median / 0.020:.2f}×", "(note)", None)
        self.sentinel = Series(sentinel, "s")

    def big_memory(self, runs):
        """(5) Peak memory at 1M, and the first answer there against the simdjson loader."""
        log(f"figure 5: peak memory and first answer at 1M ({runs} runs)")
        store = self.copy("1M")
        snapshot = store / "snapshot.json"
        reference = self.reference_loader()
        ours, peaks, simd = [], [], []
        self.timed([str(self.binary), "--store", str(store)], stdin="show #1001\n", check="#1001")  # warm
        for _ in range(runs):
            elapsed, peak, _, _ = self.timed([str(self.binary), "--store", str(store)], stdin="show #1001\n", rss=True, check="#1001")
            ours.append(elapsed)
            peaks.append(peak)
            elapsed, _, _, _ = self.timed([str(reference), str(snapshot), "#1001"], check="#1001")
            simd.append(elapsed)
        size = snapshot.stat().st_size
        memory = Series(peaks, "B")
        r = memory.median / size
        self.memory_rows.append(("   peak memory, 1M (show #1001)", memory.text(), f"snapshot.json: {fmt(size, 'B')}", f"{r:.2f}×", "≤ 3×", r <= 3))
        a, b = Series(ours, "s"), Series(simd, "s")
        self.extra_rows = [("   first answer, 1M: show #1001", a.text(), "C++ simdjson, typed structs: " + b.text(), f"{a.median / b.median:.2f}×", "(note)", None)]

    def mail_figure(self, runs, count):
        """(11) `count` cancels that notify the customer, as one batch on the 10k store: with mail
        delivered to a local mail transfer agent (msmtp, relaying to aiosmtpd on loopback) against
        the same batch with `mail-from` unset (notices queued, nothing sent). The commit part is
        the time until the last cancel is reported (durable) on stdout; delivery is the time until
        the process ends, every message handed to msmtp and its outcome recorded."""
        log(f"figure 11: {count:,} cancels with notify, mail delivered (msmtp -> aiosmtpd) or not, {runs} runs each")
        python = os.environ.get("ORDERDESK_MAIL_TEST_PYTHON") or subprocess.run(
            [str(HERE.parent / "mail-setup")], check=True, capture_output=True, text=True).stdout.strip()
        names = self.cancellable("10k")[:count]
        if len(names) < count:
            fail(f"the 10k store has only {len(names)} cancellable orders")
        script = self.work / "notify-cancels.txt"
        script.write_text("".join(f"cancel {name} --reason customer --yes\n" for name in names))
        inbox = self.work / "inbox"
        sink = subprocess.Popen([python, str(HERE.parent / "mail" / "smtp-sink.py"), str(inbox)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        port = int(sink.stdout.readline())
        rc = self.work / "msmtprc"
        rc.write_text(f"defaults\nauth off\ntls off\naccount default\nhost 127.0.0.1\nport {port}\nfrom shop@example.com\n")
        rc.chmod(0o600)
        setup = f"settings mail-from 'Kauppa Oy <shop@example.com>'\nsettings mail-command '/usr/bin/msmtp -C {rc} -t'\n"
        store = self.copy("10k")
        commits = {"mail": [], "none": []}
        totals = {"mail": [], "none": []}
        try:
            for run in range(runs):
                for kind in (["mail", "none"] if run % 2 == 0 else ["none", "mail"]):
                    self.reset_journal(store)
                    shutil.rmtree(inbox, ignore_errors=True)
                    inbox.mkdir()
                    if kind == "mail":
                        self.timed([str(self.binary), "--store", str(store)], stdin=setup)
                    started = time.perf_counter()
                    process = subprocess.Popen([str(self.binary), "run", str(script), "--store", str(store)],
                                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                    reported = 0
                    for line in process.stdout:
                        if b" cancelled (" in line:
                            reported += 1
                            if reported == count:
                                commits[kind].append(time.perf_counter() - started)
                    process.wait()
                    totals[kind].append(time.perf_counter() - started)
                    if process.returncode != 0 or reported != count:
                        fail(f"the {kind} batch failed ({process.returncode}), {reported} cancels reported: {process.stderr.read()[-2000:]}")
                    if kind == "mail":
                        delivered = len(list(inbox.glob("*.eml")))
                        if delivered != count:
                            fail(f"{delivered} of {count} messages reached the SMTP server")
                log(f"  run {run + 1}: commits {commits['mail'][-1]:.2f} s with mail, {commits['none'][-1]:.2f} s without; "
                    f"all delivered after {totals['mail'][-1]:.2f} s")
        finally:
            sink.stdin.close()
            sink.kill()
            self.reset_journal(store)
        a, b = Series(commits["mail"], "s"), Series(commits["none"], "s")
        r = a.median / b.median
        self.extra_rows = getattr(self, "extra_rows", [])
        self.extra_rows.append((f"11 {count:,} × cancel (notify) in a batch, 10k: commits", a.text(),
                                "the same batch, mail-from unset (nothing sent): " + b.text(), f"{r:.2f}×", "≤ 1.1×", r <= 1.1))
        self.extra_rows.append((f"   … all {count:,} messages delivered to msmtp → aiosmtpd", Series(totals["mail"], "s").text(),
                                "batch without mail, whole process: " + Series(totals["none"], "s").text(), "", "stated", None))

    # ----- a store on a PostgreSQL server (issue 15) -----

    def server(self):
        """The bench's own PostgreSQL (scripts/postgres, a cluster in the bench cache, started now
        and stopped when the bench ends), holding the 100k demo store (the same one as the file
        figures, copied there once with `orderdesk store copy`) as a template database: each
        figure works on a fresh copy of it (CREATE DATABASE … TEMPLATE), so the template is never
        changed."""
        if getattr(self, "pg", None):
            return self.pg
        self.pg = PostgresServer(self)
        return self.pg

    def server_env(self, cache):
        """The environment of an OrderDesk process whose local server cache is `cache` (a fresh
        directory: holding the cache of the store at sequence 0, or nothing for a first start)."""
        env = dict(os.environ)
        env["XDG_CACHE_HOME"] = str(cache)
        return env

    def warm_cache(self, name):
        """A cache directory holding the state of the store at sequence 0 (what every copy of the
        template starts at), hard-linked from the one kept in the bench cache (OrderDesk writes its
        cache by renaming a new file over it, never in place)."""
        pristine = self.server().pristine_cache()
        target = self.work / f"server-cache-{name}"
        shutil.rmtree(target, ignore_errors=True)
        for source in pristine.rglob("*"):
            destination = target / source.relative_to(pristine)
            if source.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
            else:
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.link(source, destination)
        return target

    def server_first_answer(self, runs):
        """(6) `show #1001` from a cold process on the server (warm local cache: the normal case)
        against the file store, alternating; and a first-ever start (no cache) as a note."""
        log(f"figure 6: first answer, 100k, server vs file store ({runs} runs)")
        pg = self.server()
        url = pg.clone("bench_read")
        store = self.copy("100k")
        file_command = [str(self.binary), "--store", str(store)]
        server_command = [str(self.binary), "--store", url]
        warm = self.warm_cache("read")
        env = self.server_env(warm)
        self.timed(file_command, stdin="show #1001\n", check="#1001")
        self.timed(server_command, stdin="show #1001\n", check="#1001", env=env)
        ours, theirs, cold = [], [], []
        for run in range(runs):
            pair = [("server", server_command, env), ("file", file_command, None)]
            for name, command, environment in (pair if run % 2 == 0 else pair[::-1]):
                elapsed, _, _, _ = self.timed(command, stdin="show #1001\n", check="#1001", env=environment)
                (ours if name == "server" else theirs).append(elapsed)
        for run in range(max(1, runs // 2 + 1)):
            empty = self.work / f"server-cache-none-{run}"
            shutil.rmtree(empty, ignore_errors=True)
            empty.mkdir()
            elapsed, _, _, _ = self.timed(server_command, stdin="show #1001\n", check="#1001", env=self.server_env(empty))
            cold.append(elapsed)
            shutil.rmtree(empty, ignore_errors=True)
        pg.drop("bench_read")
        a, b, c = Series(ours, "s"), Series(theirs, "s"), Series(cold, "s")
        r = a.median / b.median
        self.row("6  server: first answer, 100k: show #1001 (local cache)", a.text(), "file store, same: " + b.text(), f"{r:.2f}×", "≤ 1.5×", r <= 1.5)
        rc = c.median / b.median
        self.row("   … first-ever start (no local cache: reads the tables)", c.text(), "file store, same: " + b.text(), f"{rc:.2f}×", "(note)", None)

    def server_batch(self, runs, count):
        """(7) `count` cancel lines in one batch on the server (group commits) against psql making
        as many single-row JSONB updates of the same orders, each its own transaction, on the same
        server; each side on a fresh copy of the store."""
        log(f"figure 7: {count:,} cancels on the server (OrderDesk) and {count:,} JSONB updates (psql), {runs} runs each")
        pg = self.server()
        names = self.cancellable("100k")[:count]
        if len(names) < count:
            fail(f"the 100k store has only {len(names)} cancellable orders")
        script = self.work / "server-cancels.txt"
        script.write_text("".join(f"cancel {name} --reason customer --yes\n" for name in names))
        ours, theirs = [], []
        for run in range(runs):
            stamp = f"2026-11-26T12:{run // 60:02d}:{run % 60:02d}Z"
            updates = self.work / "server-updates.sql"
            updates.write_text("".join(
                f"UPDATE {pg.schema}.orders SET doc = jsonb_set(jsonb_set(jsonb_set(doc, '{{cancelled_at}}', '\"{stamp}\"'), "
                f"'{{cancel_reason}}', '\"customer\"'), '{{financial_status}}', '\"voided\"') WHERE name = '{name}';\n"
                for name in names))
            url = pg.clone("bench_batch")
            pg.clone("bench_psql")
            env = self.server_env(self.warm_cache("batch"))
            pair = [("ours", [str(self.binary), "--store", url], script, f"{count} lines succeeded", env),
                    ("psql", pg.psql_command("bench_psql") + ["-f", str(updates)], None, None, None)]
            for name, command, stdin, check, environment in (pair if run % 2 == 0 else pair[::-1]):
                elapsed, _, _, _ = self.timed(command, stdin=stdin, check=check, env=environment)
                (ours if name == "ours" else theirs).append(elapsed)
            changed = pg.scalar("bench_psql", f"SELECT count(*) FROM {pg.schema}.orders WHERE doc->>'cancelled_at' = '{stamp}'")
            if changed != str(count):
                fail(f"psql changed {changed} orders, not {count}")
            log(f"  run {run + 1}: OrderDesk {ours[-1]:.2f} s, psql {theirs[-1]:.2f} s")
        pg.drop("bench_batch")
        pg.drop("bench_psql")
        a, b = Series(ours, "s"), Series(theirs, "s")
        r = a.median / b.median
        self.row(f"7  server: {count:,} × cancel … --yes in one batch, 100k", a.text(),
                 f"psql -f, {count:,} single-row JSONB updates, each its own transaction: " + b.text(), f"{r:.2f}×", "≤ 0.75×", r <= 0.75)

    def server_latency(self, runs, changes):
        """(8) One change's latency on the server: a loaded process fed one cancel at a time, the
        answer awaited (BEGIN, the head lock and the catch-up; the write; COMMIT); against the same
        on the file store at 100k. A first pass of as many cancels is not counted: on a copy just
        made (its files copied, a checkpoint) the first changes pay for cold pages, about 1 ms more."""
        log(f"figure 8: one change's latency on the server, {changes} cancels × {runs} runs (and one not counted)")
        pg = self.server()
        names = self.cancellable("100k")
        url = pg.clone("bench_latency")
        medians, cpus = [], []
        for run in [-1] + list(range(runs)):
            process = self.driver(url, env=self.server_env(self.warm_cache("latency")))
            latencies = []
            cpu_before = self.cpu_seconds(process.pid)
            for name in names[(run + 1) * changes:(run + 2) * changes]:
                started = time.perf_counter()
                answer = self.one_line(process, f"cancel {name} --reason customer --yes")
                latencies.append(time.perf_counter() - started)
                if not answer.startswith(name + " cancelled"):
                    fail(f"unexpected answer to cancel {name}: {answer}")
            cpu = (self.cpu_seconds(process.pid) - cpu_before) / changes
            process.stdin.close()
            process.wait()
            if run < 0:
                continue
            cpus.append(cpu)
            medians.append(statistics.median(latencies))
        pg.drop("bench_latency")
        file_latency, _ = self.commit_cost("100k", runs, changes)
        a, b = Series(medians, "s"), Series(cpus, "s")
        self.row("8  server: one change's latency (cancel), 100k", a.text(), "file store, same: " + file_latency.text(),
                 f"{a.median / 0.002:.2f}×", "≤ 2 ms", a.median <= 0.002)
        self.row("   … the client's CPU time per change", b.text(), "", "", "(note)", None)

    def server_catch_up(self, runs, count):
        """(9) Catching up `count` changes made by others: one loaded process idle while another
        commits `count` cancels (one batch), then the idle one's next command (`show #1001` and
        the sentinel) timed; against the same command with nothing new."""
        log(f"figure 9: catching up {count:,} changes made by others ({runs} runs)")
        pg = self.server()
        names = self.cancellable("100k")
        if len(names) < runs * count:
            fail(f"the 100k store has only {len(names)} cancellable orders")
        url = pg.clone("bench_catchup")
        idle = self.driver(url, env=self.server_env(self.warm_cache("idle")))
        other = self.server_env(self.warm_cache("other"))
        caught, quiet = [], []
        for run in range(runs):
            started = time.perf_counter()
            self.ask(idle, "show #1001")
            quiet.append(time.perf_counter() - started)
            script = "".join(f"cancel {name} --reason customer --yes\n" for name in names[run * count:(run + 1) * count])
            self.timed([str(self.binary), "--store", url], stdin=script, check=f"{count} lines succeeded", env=other)
            started = time.perf_counter()
            self.ask(idle, "show #1001")
            caught.append(time.perf_counter() - started)
        idle.stdin.close()
        idle.wait()
        pg.drop("bench_catchup")
        a, b = Series(caught, "s"), Series(quiet, "s")
        self.row(f"9  server: catching up {count:,} changes by others", a.text(), "the same command, nothing new: " + b.text(),
                 f"{a.median / 0.050:.2f}×", "≤ 50 ms", a.median <= 0.050)

    def server_throughput(self, per_agent, agents=(1, 2, 4, 8)):
        """(10) Changes per second with 1, 2, 4 and 8 agents committing at once: each agent a
        loaded process fed one cancel at a time (its own orders), all started together."""
        log(f"figure 10: throughput with {', '.join(map(str, agents))} agents, {per_agent} cancels each")
        pg = self.server()
        names = self.cancellable("100k")
        if len(names) < max(agents) * per_agent:
            fail(f"the 100k store has only {len(names)} cancellable orders")
        single = None
        for n in agents:
            url = pg.clone("bench_agents")
            processes = [self.driver(url, env=self.server_env(self.warm_cache(f"agent-{i}"))) for i in range(n)]
            latencies = [[] for _ in range(n)]
            errors = []
            barrier = threading.Barrier(n + 1)

            def agent(i):
                barrier.wait()
                try:
                    for name in names[i * per_agent:(i + 1) * per_agent]:
                        started = time.perf_counter()
                        answer = self.one_line(processes[i], f"cancel {name} --reason customer --yes")
                        latencies[i].append(time.perf_counter() - started)
                        if not answer.startswith(name + " cancelled"):
                            errors.append(f"agent {i}: cancel {name}: {answer}")
                            return
                except SystemExit:
                    errors.append(f"agent {i} stopped")

            threads = [threading.Thread(target=agent, args=(i,)) for i in range(n)]
            for thread in threads:
                thread.start()
            barrier.wait()
            started = time.perf_counter()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            for process in processes:
                process.stdin.close()
                process.wait()
            pg.drop("bench_agents")
            if errors:
                fail("; ".join(errors[:5]))
            rate = n * per_agent / elapsed
            single = single or rate
            each = Series([statistics.median(l) for l in latencies], "s")
            self.row(f"10 server: throughput, {n} agent{'s' if n > 1 else ''} committing at once" if n == agents[0]
                     else f"   … {n} agents at once", f"{rate:,.0f} changes/s ({n} × {per_agent} in {elapsed:.2f} s)",
                     "one change's latency, median per agent: " + each.text(), f"{rate / single:.2f}× 1 agent", "(report)", None)
            log(f"  {n} agent(s): {rate:,.0f} changes/s")

    # ----- report -----

    def print_table(self):
        # The issues' order: 1, 2, 3, 4, 5, then the server's 6-10 (the figures are measured in another order).
        def figure(r):
            number = r[0][:3].strip().split(" ")[0]
            return int(number) if number.isdigit() else None

        ordered, last = [], 0
        groups = {}
        for r in self.rows + getattr(self, "memory_rows", []) + getattr(self, "extra_rows", []):
            number = figure(r)
            last = number if number is not None else last
            groups.setdefault(last, []).append(r)
        for number in sorted(groups):
            ordered += groups[number]
        headers = ("figure", "OrderDesk: median (min–max) ×runs", "comparator, same run", "ratio", "target", "met")
        table = [headers] + [(f, o, c, ra, t, "yes" if m else ("NO" if m is False else "")) for f, o, c, ra, t, m in ordered]
        widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
        print()
        print(machine_line(self))
        print()
        for i, r in enumerate(table):
            print("  ".join(cell.ljust(widths[k]) for k, cell in enumerate(r)).rstrip())
            if i == 0:
                print("  ".join("-" * w for w in widths))
        print()
        if hasattr(self, "batch_note"):
            count, journal, fsync = self.batch_note
            print(f"Notes: one append + fdatasync costs {fmt(fsync, 's')} on this disk (median of 50): the batch and commit")
            print(f"figures are bound by it, for both tools. The {count:,} cancels wrote {journal / 1e6:.1f} MB of journal (no compaction).")
            print("Commit cost = latency of one cancel's answer in a loaded process, fdatasync included.")
        else:
            print(f"Notes: one append + fdatasync costs {fmt(self.fsync_latency(), 's')} on this disk (median of 50).")
        if hasattr(self, "sentinel"):
            print("find = latency up to the answer of a one-line sentinel command sent after it "
                  f"(the sentinel alone: {self.sentinel.text()}).")
        if getattr(self, "pg", None):
            pg = self.pg
            print(f"Server figures (6-10): PostgreSQL {pg.version} on this machine (scripts/postgres: fsync on, synchronous_commit on),")
            print("reached over TCP on 127.0.0.1 as its superuser; each figure on a fresh copy of the 100k store (CREATE DATABASE")
            print("… TEMPLATE), which `orderdesk store copy` put there"
                  + (f" in {pg.copy_seconds:.0f} s" if hasattr(pg, "copy_seconds") else " (in an earlier run)")
                  + "; OrderDesk's local cache warm (the state at the copy's sequence number) unless said otherwise.")
            print("The batch goes as group commits (up to 512 lines per transaction); psql's updates are one transaction each.")
        print(f"Stores: orderdesk init DIR --demo --orders N --seed 1, cached in {self.cache}.")
        print(f"Total bench time: {time.perf_counter() - START:.0f} s.")


class PostgresServer:
    """The bench's PostgreSQL: a cluster in the bench cache (scripts/postgres start; stopped when
    the bench ends), the 100k store in the template database `bench_100k` (schema `bench`)."""

    schema = "bench"
    template = "bench_100k"

    def __init__(self, bench):
        self.bench = bench
        self.dir = bench.cache / "postgres"
        self.script = HERE.parent / "postgres"
        port = self.dir / "port"
        args = ["bash", str(self.script), "start", str(self.dir)]
        if not port.exists():
            args += ["--port", str(free_port())]
        log(f"starting the bench's PostgreSQL in {self.dir}")
        self.base = subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip()
        self.port = (self.dir / "port").read_text().strip()
        atexit.register(self.stop)
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"), key=lambda p: [int(x) for x in p.split("/")[4].split(".") if x.isdigit()])
        self.psql = bins[-1] if bins else "psql"
        self.user = self.base.split("://", 1)[1].split("@", 1)[0]
        self.version = self.scalar("postgres", "SHOW server_version")
        if self.scalar("postgres", f"SELECT count(*) FROM pg_database WHERE datname = '{self.template}'") != "1":
            self.make_template()

    def stop(self):
        subprocess.run(["bash", str(self.script), "stop", str(self.dir)], capture_output=True)

    def psql_command(self, database):
        return [self.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", self.port, "-U", self.user, "-d", database]

    def scalar(self, database, sql):
        out = subprocess.run(self.psql_command(database) + ["-tAc", sql], check=True, capture_output=True, text=True)
        return out.stdout.strip()

    def url(self, database):
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{database}?schema={self.schema}"

    def make_template(self):
        log("copying the 100k demo store to the server (orderdesk store copy), once")
        making = self.template + "_making"
        self.scalar("postgres", f"DROP DATABASE IF EXISTS {making}")
        self.scalar("postgres", f"CREATE DATABASE {making}")
        started = time.perf_counter()
        subprocess.run([str(self.bench.binary), "store", "copy", str(self.bench.copy("100k")), self.url(making)],
                       check=True, stdout=subprocess.DEVNULL)
        self.copy_seconds = time.perf_counter() - started
        self.scalar(making, "VACUUM ANALYZE")
        self.scalar("postgres", f"ALTER DATABASE {making} RENAME TO {self.template}")
        pristine = self.bench.cache / "server-cache"
        shutil.rmtree(pristine, ignore_errors=True)

    def clone(self, database):
        """A fresh copy of the template (its files copied: a second or two); its store address."""
        self.drop(database)
        self.scalar("postgres", f"CREATE DATABASE {database} TEMPLATE {self.template} STRATEGY FILE_COPY")
        return self.url(database)

    def drop(self, database):
        self.scalar("postgres", f"DROP DATABASE IF EXISTS {database}")

    def pristine_cache(self):
        """The local cache of the store at sequence 0, made once by opening a copy."""
        pristine = self.bench.cache / "server-cache"
        if not any(pristine.rglob("*.json")):
            shutil.rmtree(pristine, ignore_errors=True)
            pristine.mkdir(parents=True)
            url = self.clone("bench_cache")
            self.bench.timed([str(self.bench.binary), "--store", url], stdin="show #1001\n", check="#1001",
                             env=self.bench.server_env(pristine))
            self.drop("bench_cache")
        return pristine


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def machine_line(bench):
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    fs = subprocess.run(["df", "-T", str(bench.cache)], capture_output=True, text=True).stdout.splitlines()[-1].split()
    return (f"OrderDesk bench, {time.strftime('%Y-%m-%d %H:%M')}: {cpu}, {os.cpu_count()} cores, {memory} RAM, "
            f"{platform.system()} {platform.release()}, cache on {fs[1] if len(fs) > 1 else '?'} ({fs[0] if fs else '?'}); "
            f"load average {os.getloadavg()[0]:.1f} at the end")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big-runs", type=int, default=3, help="runs of the 1M figures")
    parser.add_argument("--batch", type=int, default=10_000, help="cancels in the batch figure")
    parser.add_argument("--changes", type=int, default=100, help="cancels per run of the commit-cost figure")
    parser.add_argument("--find-reps", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="3 runs, 1,000-cancel batch, 1 run at 1M")
    parser.add_argument("--fresh", action="store_true", help="make the stores and comparator data again")
    parser.add_argument("--mails", type=int, default=1_000, help="cancels with notify in the mail figure")
    parser.add_argument("--mail-only", action="store_true", help="only figure 11 (mail delivery), on the 10k store")
    parser.add_argument("--agent-changes", type=int, default=400, help="cancels per agent in the throughput figure")
    parser.add_argument("--catch-up", type=int, default=1_000, help="changes by others in the catch-up figure")
    parser.add_argument("--only", choices=["server", "file"], help="only the server figures (6-10), or only the others (1-5)")
    parser.add_argument("--figures", help="with --only server: only these server figures, e.g. 7,9")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.big_runs, args.batch, args.find_reps, args.agent_changes = 3, 1, 1_000, 5, 100
    bench = Bench(args)
    bench.memory_rows = []
    if args.mail_only:
        bench.mail_figure(args.runs, args.mails)
        bench.print_table()
        return
    if args.only == "server":
        bench.store("100k")
        bench.cancellable("100k")
        log("data ready")
        server_figures(bench, args)
        bench.print_table()
        return
    for label in SIZES:
        bench.store(label)
    bench.cancellable("100k")
    bench.cancellable("1k")
    bench.cancellable("1M")
    bench.sqlite_db("100k")
    bench.reference_loader()
    log("data ready")
    bench.first_answer(args.runs)
    bench.find_figure(args.find_reps)
    bench.commit_figure(args.runs, args.big_runs, args.changes)
    bench.big_memory(args.big_runs)
    bench.batch(args.runs, args.batch)
    bench.mail_figure(args.runs, args.mails)
    if args.only != "file":
        server_figures(bench, args)
    bench.print_table()


def server_figures(bench, args):
    """Figures 6-10: the store on a PostgreSQL server, side by side with the file store and psql."""
    wanted = {int(f) for f in args.figures.split(",")} if args.figures else {6, 7, 8, 9, 10}
    bench.server()
    if 6 in wanted:
        bench.server_first_answer(args.runs)
    if 8 in wanted:
        bench.server_latency(args.runs, args.changes)
    if 9 in wanted:
        bench.server_catch_up(args.runs, args.catch_up)
    if 7 in wanted:
        bench.server_batch(args.runs, args.batch)
    if 10 in wanted:
        bench.server_throughput(args.agent_changes)


if __name__ == "__main__":
    main()
