#!/usr/bin/env python3
"""Runs the groupchat-bench matrix against groupchat (its plain port and its IRC port) and two IRC
servers, ngircd and InspIRCd, in one run; see scripts/bench.sh."""
import argparse
import datetime
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The IRC servers groupchat is compared with, each started privately for each run from a
# template in bench/ (never a system instance), and the columns measured against them:
# groupchat's plain port, groupchat's IRC port (when the build has one), and the peers.
PEERS = ("ngircd", "inspircd")
IRC_PORT = "groupchat (IRC)"
VS_PEERS = ("groupchat", IRC_PORT) + PEERS

# name, what it shows, groupchat-bench options, servers, runs of the peer (None: as many as ours)
WINDOW = ["--senders", "10", "--lines", "200", "--window", "8", "--payload", "64"]
SCENARIOS = [
    ("10 clients", "10 senders x 200 lines, 8 in flight each, 64-byte payload",
     ["--clients", "10"] + WINDOW, VS_PEERS, None),
    ("100 clients", "the same with 100 clients",
     ["--clients", "100"] + WINDOW, VS_PEERS, None),
    ("1000 clients", "the same with 1000 clients",
     ["--clients", "1000", "--connect-rate", "300"] + WINDOW, VS_PEERS, None),
    ("light load", "1000 clients, 20 lines/s in all (20 k deliveries/s) for 10 s",
     ["--clients", "1000", "--connect-rate", "300", "--senders", "10", "--lines", "20", "--rate", "20"],
     VS_PEERS, None),
    ("1.2M offered", "1000 clients, 1200 lines/s in all: 1.2 M deliveries/s offered, for 2 s",
     ["--clients", "1000", "--connect-rate", "300", "--senders", "10", "--lines", "240", "--rate", "1200"],
     VS_PEERS, None),
    ("9000 clients", "9000 clients, 11 lines/s in all (about 100 k deliveries/s) for 9 s; the peer gets "
     "4 minutes to register them all",
     ["--clients", "9000", "--connect-rate", "300", "--connect-timeout", "240", "--senders", "10", "--lines", "10",
      "--rate", "11"], VS_PEERS, 1),
    ("connection storm", "10 000 connections at once, greeted (no nick); idle memory per connection",
     ["--clients", "10000", "--lines", "0", "--no-register"], ("groupchat",), None),
    ("stuck readers", "1000 clients, 10 % stop reading once connected; 500 lines/s of 400 bytes in all "
     "(25x the light load in lines, 150x in bytes) for 20 s",
     ["--clients", "1000", "--connect-rate", "300", "--senders", "10", "--lines", "1000", "--rate", "500",
      "--payload", "400", "--stuck", "10"], VS_PEERS, 1),
    ("stuck readers, baseline", "the same load with everyone reading",
     ["--clients", "1000", "--connect-rate", "300", "--senders", "10", "--lines", "1000", "--rate", "500",
      "--payload", "400"], ("groupchat",), None),
    ("history database, 10 clients", "the cost of storing every message: groupchat with its SQLite history "
     "(the default) against groupchat --db :memory:; 10 senders x 5000 lines, 8 in flight each",
     ["--clients", "10", "--senders", "10", "--lines", "5000", "--window", "8", "--payload", "64"],
     ("groupchat", "groupchat --db :memory:"), None),
    ("history database, 100 clients", "the same with 100 clients, 10 senders x 2000 lines",
     ["--clients", "100", "--senders", "10", "--lines", "2000", "--window", "8", "--payload", "64"],
     ("groupchat", "groupchat --db :memory:"), None),
    ("history database, 100 senders", "the same, every one of 100 clients sending 100 lines, 8 in flight each: "
     "the most messages per delivery",
     ["--clients", "100", "--senders", "100", "--lines", "100", "--window", "8", "--payload", "64"],
     ("groupchat", "groupchat --db :memory:"), None),
    ("cluster of three, 30 clients", "a private Redis and three groupchat servers sharing one room, 10 clients "
     "on each, against one groupchat server with all 30; 10 senders x 2000 lines, 8 in flight each",
     ["--clients", "30", "--senders", "10", "--lines", "2000", "--window", "8", "--payload", "64"],
     ("groupchat cluster", "groupchat"), None),
    ("cluster of three, 300 clients", "the same with 100 clients on each server",
     ["--clients", "300", "--connect-rate", "300", "--senders", "10", "--lines", "1000", "--window", "8",
      "--payload", "64"], ("groupchat cluster", "groupchat"), None),
]
# Rooms (issue 13): a team-shaped server, and joins and leaves under load.
TEAM = ["--clients", "5000", "--connect-rate", "300", "--connect-timeout", "240"]
SCENARIOS += [
    ("one room, before and after rooms", "the 100-client load against the server of the commit before rooms "
     "(GROUPCHAT_BEFORE_BUILD: its build directory) in the same run; the ratio should be at least 0.95",
     ["--clients", "100"] + WINDOW, ("groupchat", "groupchat before rooms"), None),
    ("team: 500 rooms of 10", "5000 clients, everyone in the default room and in one of 500 rooms of 10 "
     "(IRC: #bench and #r0..#r499); 500 senders, one per room, 1000 lines/s in all into their rooms "
     "(10 k deliveries/s) for 10 s",
     TEAM + ["--rooms", "500", "--senders", "500", "--lines", "20", "--rate", "1000"], VS_PEERS, 1),
    ("team: 50 rooms of 100", "the same 5000 clients in 50 rooms of 100; 50 senders, 100 lines/s in all "
     "(10 k deliveries/s, as above) for 10 s: the cost should follow the deliveries, not the server's clients",
     TEAM + ["--rooms", "50", "--senders", "50", "--lines", "20", "--rate", "100"], VS_PEERS, 1),
    ("joins and leaves, 1000 clients", "1000 clients in 10 rooms of 100, 10 senders, 200 lines/s in all for 10 s, "
     "while the others join and leave rooms 200 times a second",
     ["--clients", "1000", "--connect-rate", "300", "--rooms", "10", "--senders", "10", "--lines", "200", "--rate",
      "200", "--churn", "200"], VS_PEERS, None),
    ("joins and leaves, baseline", "the same load without joins and leaves",
     ["--clients", "1000", "--connect-rate", "300", "--rooms", "10", "--senders", "10", "--lines", "200", "--rate",
      "200"], ("groupchat",), None),
]
SMOKE = [("smoke", "10 clients, 10 senders x 10 lines (CI)",
          ["--clients", "10", "--senders", "10", "--lines", "10", "--drain", "5"], VS_PEERS, None)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def holds_port(pid, port):
    """Whether process pid holds the listening socket on port: the load must go to the server
    this script started, never to another one (a peer's system instance) on the same port."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(f"socket:[{fields[9]}]")
    try:
        descriptors = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in descriptors:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") in inodes:
                return True
        except OSError:
            continue
    return False


_IRC_PORT_SUPPORT = {}


def has_irc_port(build):
    """Whether the groupchat-server in build serves IRC on a port of its own (--irc-port)."""
    if build not in _IRC_PORT_SUPPORT:
        binary = os.path.join(build, "src/server/groupchat-server")
        try:
            done = subprocess.run([binary, "--help"], capture_output=True, text=True, timeout=30,
                                  env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
            _IRC_PORT_SUPPORT[build] = "--irc-port" in done.stdout + done.stderr
        except (OSError, subprocess.TimeoutExpired):
            _IRC_PORT_SUPPORT[build] = False
    return _IRC_PORT_SUPPORT[build]


def peer_config(name, port, workdir):
    """The peer's private configuration from bench/<name>.conf.in, in workdir: the pid file, the
    log and any data the peer keeps go there too, never to the system instance's places."""
    directory = os.path.join(workdir, f"{name}-{port}")
    os.makedirs(directory, exist_ok=True)
    template = open(os.path.join(ROOT, f"bench/{name}.conf.in")).read()
    config = os.path.join(directory, f"{name}.conf")
    with open(config, "w") as f:
        f.write(template.replace("@PORT@", str(port))
                .replace("@PIDFILE@", os.path.join(directory, f"{name}.pid"))
                .replace("@LOGFILE@", os.path.join(directory, f"{name}.log"))
                .replace("@DIR@", directory))
    return config


class Server:
    """One server process for one run. port is where the load goes: groupchat's plain port, its
    IRC port for "groupchat (IRC)", or the peer's."""

    def __init__(self, kind, build, workdir):
        self.kind = kind
        self.port = free_port()
        self.log = open(os.path.join(workdir, f"{kind.split()[0]}-{self.port}.log"), "w")
        env = dict(os.environ)
        if kind.startswith("groupchat"):
            env["XDG_CONFIG_HOME"] = workdir  # no saved settings
            binary_build = build
            extra = kind.split()[1:]  # "groupchat --db :memory:": the last --db wins
            if kind == "groupchat before rooms":
                binary_build = os.environ.get("GROUPCHAT_BEFORE_BUILD", "")
                if not binary_build:
                    raise RuntimeError("GROUPCHAT_BEFORE_BUILD is not set: the build of the commit to compare with")
                extra = []
            listen = self.port
            if kind == IRC_PORT:
                # The plain port on a free port of its own, the load on the IRC port.
                listen, self.port, extra = free_port(), self.port, ["--irc-port", str(self.port)]
            elif has_irc_port(binary_build):
                # No IRC port where it is not measured: its default (6667) may be taken, by a
                # peer's system instance or another of our servers.
                extra = ["--irc-port", "0"] + extra
            command = [os.path.join(binary_build, "src/server/groupchat-server"), "--headless", "--bind", "127.0.0.1",
                       "--port", str(listen), "--history", "0", "--max-clients", "20000", "--name", "bench",
                       # The load comes from one address and floods on purpose.
                       "--flood", "off", "--max-per-address", "0", "--max-connects-per-minute", "0",
                       # A fresh history database each run, as the server keeps one by default.
                       "--db", os.path.join(workdir, f"history-{self.port}.sqlite")] + extra
        elif kind == "ngircd":
            command = ["ngircd", "--nodaemon", "--config", peer_config("ngircd", self.port, workdir)]
        elif kind == "inspircd":
            command = ["inspircd", "--nofork", "--config", peer_config("inspircd", self.port, workdir)]
            if os.geteuid() == 0:
                command.append("--runasroot")  # it refuses root otherwise; bench.sh often runs as root
        else:
            raise RuntimeError(f"unknown server: {kind}")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        if not wait_for_port(self.port, self.process):
            self.stop()
            raise RuntimeError(f"{kind} did not start (see {self.log.name})")
        if not holds_port(self.process.pid, self.port):
            self.stop()
            raise RuntimeError(f"port {self.port} is held by another process than the {kind} started for this run")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class Cluster:
    """A private Redis and three groupchat servers sharing one room; the load is spread over them.
    CPU and memory are the first server's."""

    def __init__(self, build, workdir):
        self.redis_port = free_port()
        self.redis_log = open(os.path.join(workdir, f"redis-{self.redis_port}.log"), "w")
        self.redis = subprocess.Popen(["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                                       "--save", "", "--appendonly", "no", "--dir", workdir],
                                      stdout=self.redis_log, stderr=subprocess.STDOUT)
        if not wait_for_port(self.redis_port, self.redis):
            raise RuntimeError("redis-server did not start")
        url = f"redis://127.0.0.1:{self.redis_port}/bench"
        self.servers = [Server(f"groupchat --redis {url}", build, workdir) for _ in range(3)]
        self.port = ",".join(str(s.port) for s in self.servers)
        self.process = self.servers[0].process
        # Every server has joined the room before the load starts.
        deadline = time.time() + 10
        logs = [s.log.name for s in self.servers]
        while time.time() < deadline and not all("cluster: connected" in open(l).read() for l in logs):
            time.sleep(0.1)

    def stop(self):
        for server in self.servers:
            server.stop()
        self.redis.terminate()
        self.redis.wait()
        self.redis_log.close()


def run_once(kind, options, build, workdir, timeout):
    server = Cluster(build, workdir) if kind == "groupchat cluster" else Server(kind, build, workdir)
    try:
        dialect = "plain" if kind.startswith("groupchat") and kind != IRC_PORT else "irc"
        command = [os.path.join(build, "src/bench/groupchat-bench"), "--port", str(server.port), "--dialect", dialect,
                   "--server-pid", str(server.process.pid), "--json", "--quiet"] + options
        if kind == IRC_PORT:
            # Everyone is in #general from registration on, as on the plain port.
            command += ["--channel", "#general"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
            result = json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}
            if not result:
                result = {"error": done.stderr.strip()[-300:] or f"exit code {done.returncode}"}
        except subprocess.TimeoutExpired:
            result = {"error": f"did not finish within {timeout} s"}
        return result
    finally:
        server.stop()


def median(results, *path):
    values = []
    for r in results:
        v = r
        for key in path:
            v = v.get(key) if isinstance(v, dict) else None
        if isinstance(v, (int, float)):
            values.append(v)
    return statistics.median(values) if values else None


METRICS = [
    ("deliveries/s", ("deliveries_per_second",), "{:,.0f}", "higher"),
    ("latency p50 (ms)", ("latency", "p50_ms"), "{:.1f}", "lower"),
    ("latency p99 (ms)", ("latency", "p99_ms"), "{:.1f}", "lower"),
    ("latency p99.9 (ms)", ("latency", "p999_ms"), "{:.1f}", "lower"),
    ("latency max (ms)", ("latency", "max_ms"), "{:.1f}", "lower"),
    ("fan-out p99 (ms)", ("fan_out", "p99_ms"), "{:.1f}", "lower"),
    ("missing", ("missing",), "{:.0f}", "lower"),
    ("duplicated", ("duplicated",), "{:.0f}", "lower"),
    ("out of order", ("reordered",), "{:.0f}", "lower"),
    ("clients that stopped reading, dropped", ("stuck_dropped",), "{:.0f}", None),
    ("readers dropped", ("readers_dropped",), "{:.0f}", "lower"),
    ("connected and greeted in (s)", ("connect_seconds",), "{:.2f}", "lower"),
    ("server CPU (% of a core)", ("server_cpu_percent",), "{:.0f}", None),
    ("room joins and leaves during the load", ("churns",), "{:.0f}", None),
    ("server peak RSS (MiB)", ("server_peak_rss_mib",), "{:.1f}", "lower"),
    ("server idle KiB per connection", ("server_idle_kib_per_connection",), "{:.2f}", "lower"),
    ("load generator CPU (% of a core)", ("bench_cpu_percent",), "{:.0f}", None),
]


# Only what a run that sends nothing measures.
CONNECT_ONLY = ("connected and greeted in (s)", "server peak RSS (MiB)", "server idle KiB per connection")


def table(name, description, results, notes=()):
    """The scenario's medians side by side. Against peers, each groupchat column gets a ratio to
    the best peer on each row (the peer named in the cell); two columns without peers, the first
    over the second."""
    servers = list(results)
    sends = any(r.get("lines_sent", 0) for rs in results.values() for r in rs)
    # A peer that did not run (every run failed) is nobody's best.
    peers = [s for s in servers if s in PEERS and any(not r.get("error") for r in results[s])]
    ours = [s for s in servers if s not in PEERS]
    if any(s in PEERS for s in servers):
        ratios = [(s, f"{s} / best peer") for s in ours]
    elif len(servers) == 2:
        ratios = [(servers[0], f"{servers[0]} / {servers[1]}")]
    else:
        ratios = []
    lines = [f"### {name}", "", description, ""]
    lines += ["| | " + " | ".join(servers + [title for _, title in ratios]) + " |",
              "|---" * (len(servers) + len(ratios) + 1) + "|"]
    for label, path, fmt, better in METRICS:
        if not sends and label not in CONNECT_ONLY:
            continue
        values = {s: median(results[s], *path) for s in servers}
        if all(v is None for v in values.values()):
            continue
        if label in ("clients that stopped reading, dropped", "room joins and leaves during the load") and all(
                (v or 0) == 0 for v in values.values()):
            continue
        cells = [fmt.format(values[s]) if values[s] is not None else "-" for s in servers]
        for ours_, _title in ratios:
            a = values[ours_]
            if any(s in PEERS for s in servers):
                candidates = [(values[p], p) for p in peers if values[p] is not None]
                if better is None or a is None or not candidates:
                    cells.append("-")
                    continue
                b, best = (max if better == "higher" else min)(candidates)
                cells.append(f"{a / b:.2f} ({best})" if b else "-")
            else:
                b = values[servers[1]]
                cells.append(f"{a / b:.2f}" if a is not None and b not in (None, 0) else "-")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    errors = [f"{s}: {r['error']}" for s in servers for r in results[s] if r.get("error")]
    runs = ", ".join(f"{s} {len(results[s])}" for s in servers)
    lines += ["", f"Runs (median shown): {runs}."]
    if errors:
        lines += ["", "Errors: " + "; ".join(sorted(set(errors)))]
    for note in notes:
        lines += ["", note]
    return "\n".join(lines) + "\n"


def machine():
    model = "unknown CPU"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    ngircd = subprocess.run(["ngircd", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    inspircd = subprocess.run(["inspircd", "--version"], capture_output=True, text=True).stdout.strip()
    qt = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libqt6core6"], capture_output=True, text=True).stdout
    return (f"{os.cpu_count()} x {model}, Linux {platform.release()}, Qt {qt}, {ngircd}, {inspircd}, "
            f"{datetime.date.today().isoformat()}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="")
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    # A regular expression searched in the names, so plain words work as before.
    scenarios = SMOKE if args.smoke else [s for s in SCENARIOS if re.search(args.only, s[0], re.IGNORECASE)]
    runs = 1 if args.smoke else args.runs
    report = [f"Machine: {machine()}.", "", "Command: `./scripts/bench.sh" + (f" --runs {runs}" if runs != 3 else "")
              + (f" --only '{args.only}'" if args.only else "") + "`", ""]
    failed = False
    irc_port = has_irc_port(args.build)
    if not irc_port:
        print(f"  {IRC_PORT}: skipped, this build's groupchat-server has no --irc-port", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="groupchat-bench-") as workdir:
        for name, description, options, servers, peer_runs in scenarios:
            results = {}
            notes = []
            if IRC_PORT in servers and not irc_port:
                servers = tuple(s for s in servers if s != IRC_PORT)
                notes.append(f"{IRC_PORT}: not measured, this build's groupchat-server has no `--irc-port`.")
            for kind in servers:
                count = peer_runs if (peer_runs and kind in PEERS) else runs
                results[kind] = []
                for i in range(count):
                    print(f"  {name}: {kind} run {i + 1}/{count} ...", file=sys.stderr, flush=True)
                    timeout = 900 if "9000" in name else 300
                    try:
                        results[kind].append(run_once(kind, options, args.build, workdir, timeout))
                    except RuntimeError as error:
                        results[kind].append({"error": str(error)})
            text = table(name, description, results, notes)
            print(text, flush=True)
            report.append(text)
            g = results.get("groupchat", []) + results.get(IRC_PORT, [])
            if any(r.get("error") or r.get("missing", 0) or r.get("duplicated", 0) for r in g):
                failed = True
    if args.write:
        path = os.path.join(ROOT, "docs/BENCHMARKS.md")
        content = open(path).read() if os.path.exists(path) else "<!-- results -->\n<!-- end of results -->\n"
        start, end = "<!-- results -->", "<!-- end of results -->"
        before, rest = content.split(start, 1)
        after = rest.split(end, 1)[1]
        with open(path, "w") as f:
            f.write(before + start + "\n\n" + "\n".join(report) + "\n" + end + after)
        print(f"results written to {path}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
