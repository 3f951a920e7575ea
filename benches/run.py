"""The benchmark driver behind `make bench`.

Runs under scripts/with-emulator.sh (a release emulator; GUMLOOP_BASE_URL,
GUMLOOP_STREAM_BASE_URL and GUMLOOP_EMULATOR_ADMIN set) with the bench venv's Python, and:

1. runs every client on each workload (create an idle session; create with input; retrieve a
   session), each in a fresh process, the emulator reset before each run;
2. measures streaming (libgumloop's C callback against `curl -N`), time to first call and the
   memory it adds, and the size of the stripped library;
3. profiles the single-thread C create-idle loop with callgrind (instructions per request, by
   function and by crate) and counts context switches per request with `perf stat`;
4. measures the Python client's per-call cost on the main thread and on a worker thread;
5. writes the raw results (JSON), docs/BENCHMARKS.md and docs/benchmarks.png.

Every run is bounded (--seconds per measured window); nothing leaves the loopback interface.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from importlib import metadata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import callgrind_profile  # noqa: E402
import report  # noqa: E402

WORKLOADS = ["create_idle", "create_input", "retrieve"]
C_THREADS = [1, 4, 16]
PY_THREADS = [1, 8]
WRK_CONNECTIONS = [16, 64]
# What users run besides the thread-per-call loops above, on the create_idle and retrieve
# workloads: the poller from one C epoll loop against libcurl's multi interface (1,000 calls in
# flight), Node against its built-in fetch and Go against net/http (1 and 16 in flight), sync
# Python on the main thread against a worker thread (and the official SDK on the main thread).
PEER_WORKLOADS = ("create_idle", "retrieve")
POLL_CONCURRENCY = 1000
NODE_GO_CONCURRENCY = [1, 16]
NODE_CLIENTS = [("ffi", "gumloop-ffi (Node)"), ("fetch", "fetch (Node)")]
GO_CLIENTS = [("ffi", "gumloop (Go)"), ("nethttp", "net/http (Go)")]
PY_PLACES = [("ffi", "main", "gumloop_ffi (Python, main thread)"),
             ("ffi", "worker", "gumloop_ffi (Python, a worker thread)"),
             ("sdk", "main", "gumloop SDK (Python, main thread)")]
PY_CLIENTS = [
    ("ffi", "gumloop_ffi (Python)"),
    ("sdk", "gumloop SDK (Python)"),
    ("requests", "requests (Python)"),
    ("httpx", "httpx (Python)"),
]
TOKEN, USER, AGENT = "gk_personal_ada", "user_ada", "agent_pro"
ASYNC_PROMPT = "[words:50] [slow:2000] stream"
ASYNC_CLIENTS = [
    ("async", "gumloop_ffi AsyncClient"),
    ("sdk", "gumloop SDK AsyncGumloop"),
    ("threads", "gumloop_ffi Client, a thread per stream"),
]


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def http(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"Bearer {TOKEN}")
    request.add_header("x-auth-key", USER)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read()
    return json.loads(text) if text else None


def reset_emulator():
    http("POST", os.environ["GUMLOOP_EMULATOR_ADMIN"] + "/reset", {})


def completed_session():
    """A session whose run has completed (two messages), for the retrieve workload."""
    base = os.environ["GUMLOOP_BASE_URL"]
    created = http("POST", f"{base}/agents/{AGENT}/sessions", {"input": "hello"})
    session_id = created["session"]["id"]
    deadline = time.time() + 10
    while time.time() < deadline:
        state = http("GET", f"{base}/sessions/{session_id}")["session"]["state"]
        if state == "completed":
            return session_id
        time.sleep(0.05)
    raise RuntimeError(f"session {session_id} did not complete")


def proc_status(pid, key):
    """A number of /proc/<pid>/status (e.g. VmHWM, peak resident memory in KiB, or Threads), or
    None once the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def peak_rss_kb(pid):
    """VmHWM (peak resident memory) of a running process in KiB, or None once it is gone."""
    return proc_status(pid, "VmHWM")


def run_process(command, env=None, timeout=120, threads=None):
    """Runs `command`; returns (stdout lines, stderr text, rusage of that one child, its peak RSS
    in KiB as last sampled from /proc while it ran). The rusage's ru_maxrss is not used: after
    fork and exec it keeps this (larger) process's high-water mark. With a list `threads`, the
    most OS threads sampled is appended to it."""
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out_file:
        proc = subprocess.Popen(command, stdout=out_file, stderr=err, env=env)
        deadline = time.time() + timeout
        peak = None
        while True:
            sample = peak_rss_kb(proc.pid)
            if sample:
                peak = max(peak or 0, sample)
            if threads is not None:
                most = max(threads[-1:] or [0])
                threads[-1:] = [max(most, proc_status(proc.pid, "Threads") or 0)]
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.time() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        errors = err.read().decode(errors="replace")
        out_file.seek(0)
        out = out_file.read()
    if proc.returncode != 0:
        log(f"{command[0]} exited with {proc.returncode}: {errors.strip()[-500:]}")
    lines = [line for line in out.decode().splitlines() if line.startswith("{")]
    return lines, errors, usage, peak


def child_env(**extra):
    env = dict(os.environ)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def handover():
    """A blocking call's fixed cost without network (benches/rust/handover.rs), or None."""
    proc = subprocess.run([os.environ.get("CARGO", "cargo"), "bench", "--quiet", "--bench", "handover"],
                          capture_output=True, text=True, cwd=ROOT)
    lines = [l for l in proc.stdout.splitlines() if l.startswith("{")]
    if proc.returncode != 0 or not lines:
        log(f"handover bench failed: {proc.stderr.strip()[-500:]}")
        return None
    result = json.loads(lines[-1])
    log(f"handover: run_here {result['run_here_p50_us']:.2f} us p50, "
        f"block_on {result['block_on_p50_us']:.2f} us")
    return result


class Bench:
    def __init__(self, args):
        self.args = args
        self.bin = args.bin_dir
        self.python = sys.executable
        self.results = {"runs": [], "stream": [], "first_call": [], "size": {}, "profile": {},
                        "stream_instructions": {}, "stream_heap": {},
                        "async_streams": [], "percall": []}

    # -- throughput -------------------------------------------------------------------------
    def plan(self, workload, session_id):
        s, w = str(self.args.seconds), str(self.args.warmup)
        common = ["--workload", workload, "--seconds", s, "--warmup", w]
        if session_id:
            common += ["--session-id", session_id]
        runs = []
        for t in C_THREADS:
            runs.append(("libgumloop (C)", t, [f"{self.bin}/bench_gumloop", "--threads", str(t)]
                         + common + ["--label", "libgumloop (C)"]))
        for t in C_THREADS:
            runs.append(("libcurl (C)", t, [f"{self.bin}/bench_curl", "--threads", str(t)]
                         + common + ["--label", "libcurl (C)"]))
        for key, label in PY_CLIENTS:
            for t in PY_THREADS:
                runs.append((label, t, [self.python, f"{HERE}/py_client.py", "--client", key,
                                        "--threads", str(t)] + common))
        if workload in PEER_WORKLOADS:
            runs += self.peer_plan(common)
        for c in WRK_CONNECTIONS:
            seconds = max(1, round(self.args.seconds))
            runs.append(("wrk", c, ["wrk", "-t2", f"-c{c}", f"-d{seconds}s", "-s",
                                    f"{HERE}/wrk.lua", os.environ["GUMLOOP_BASE_URL"]]))
        return runs

    def peer_plan(self, common):
        """The poller and curl_multi, Node, Go and main-thread Python runs of a workload."""
        runs = []
        for program, label in (("bench_poll", "libgumloop poller (C epoll)"),
                               ("bench_multi", "libcurl multi (C epoll)")):
            mode = ["calls"] if program == "bench_poll" else []
            runs.append((label, POLL_CONCURRENCY, [f"{self.bin}/{program}"] + mode + common
                         + ["--concurrency", str(POLL_CONCURRENCY)]))
        for n in NODE_GO_CONCURRENCY:
            for key, label in NODE_CLIENTS:
                runs.append((label, n, ["node", f"{HERE}/node_client.mjs", "--client", key,
                                        "--concurrency", str(n)] + common))
            for key, label in GO_CLIENTS:
                runs.append((label, n, [f"{self.bin}/gumloopbench", "-client", key,
                                        "-concurrency", str(n)] + common))
        for key, where, label in PY_PLACES:
            runs.append((label, 1, [self.python, f"{HERE}/py_main_thread.py", "--client", key,
                                    "--where", where] + common))
        return runs

    def throughput(self):
        """Every configuration `--rounds` times, the rounds interleaved so that each client sees
        the machine's slow and fast spells alike; the run of median throughput is kept."""
        for workload in WORKLOADS:
            rounds = {}
            for number in range(self.args.rounds):
                for result in self.throughput_round(workload):
                    result["round"] = number + 1
                    rounds.setdefault((result["label"], result["threads"]), []).append(result)
            for results in rounds.values():
                ordered = sorted(results, key=lambda r: r["rps"])
                median = dict(ordered[(len(ordered) - 1) // 2])
                median["rps_rounds"] = [r["rps"] for r in results]
                median["p50_us_rounds"] = [r["p50_us"] for r in results]
                self.results["runs"].append(median)

    def throughput_round(self, workload):
        """One run of each configuration of `workload`."""
        out = []
        for label, threads, _ in self.plan(workload, "x"):
            reset_emulator()
            session_id = completed_session() if workload == "retrieve" else None
            command = [a for a in self.plan(workload, session_id)
                       if a[0] == label and a[1] == threads][0][2]
            env = child_env(BENCH_WORKLOAD=workload, BENCH_SESSION_ID=session_id or "",
                            BENCH_LABEL=label,
                            GUMLOOP_FFI_LIBRARY=self.args.lib)
            lines, _, usage, peak = run_process(command, env=env,
                                          timeout=self.args.seconds + 90)
            if not lines:
                log(f"{workload} {label} x{threads}: no result")
                continue
            result = json.loads(lines[-1])
            result["label"] = label
            result["workload"] = workload
            result["threads"] = threads
            if label == "wrk":
                # wrk reports no CPU time or memory: its CPU is the kernel's accounting of
                # that child (its whole life, start-up included), its peak RSS the last
                # VmHWM sampled while it ran.
                cpu = usage.ru_utime + usage.ru_stime
                result.update(cpu_s=round(cpu, 4), max_rss_kb=peak or 0,
                              cpu_us_per_req=round(cpu * 1e6 / max(1, result["requests"]), 2),
                              connections=threads)
            out.append(result)
            log(f"{workload:12} {label:22} x{threads:<3} {result['rps']:9.0f} req/s  "
                f"p50 {result['p50_us']:8.1f} us  p99 {result['p99_us']:9.1f} us  "
                f"cpu {result.get('cpu_us_per_req', 0):7.1f} us/req  errors {result['errors']}")
        return out

    # -- streaming --------------------------------------------------------------------------
    def stream(self):
        words, repeat = self.args.stream_words, 3
        reset_emulator()
        lines, _, _, _ = run_process([f"{self.bin}/bench_gumloop", "stream", "--words", str(words),
                                   "--repeat", str(repeat)], env=child_env())
        for line in lines:
            result = json.loads(line)
            result["label"] = "libgumloop (C callback)"
            self.results["stream"].append(result)
        url = os.environ["GUMLOOP_STREAM_BASE_URL"] + f"/agents/{AGENT}/sessions"
        body = json.dumps({"input": f"[words:{words}] [slow:0]", "stream": True})
        for _ in range(repeat):
            reset_emulator()
            with tempfile.NamedTemporaryFile() as out:
                timing = subprocess.run(
                    ["curl", "-sS", "-N", "-X", "POST", "-H", f"Authorization: Bearer {TOKEN}",
                     "-H", f"x-auth-key: {USER}", "-H", "Content-Type: application/json",
                     "-H", "Accept: text/event-stream", "--data", body, "-o", out.name,
                     "-w", "%{time_total} %{time_starttransfer}", url],
                    capture_output=True, text=True, check=True, timeout=120).stdout.split()
                with open(out.name, "rb") as f:
                    data = f.read()
            events = sum(1 for line in data.split(b"\n") if line.startswith(b"data:"))
            seconds = float(timing[0])
            self.results["stream"].append({
                "label": "curl -N", "words": words, "events": events, "bytes": len(data),
                "seconds": seconds, "events_per_s": round(events / seconds, 1),
                "first_event_ms": float(timing[1]) * 1e3, "ok": True})
        for r in self.results["stream"]:
            log(f"stream {r['label']:24} {r['events']} events in {r['seconds']:.3f} s: "
                f"{r['events_per_s']:.0f} events/s")

    def stream_instructions(self):
        """Instructions per stream event under callgrind: libgumloop's C callback against
        `curl -N`, each the difference of a short and a long stream divided by the extra events,
        so that start-up and connecting cancel out."""
        if not (shutil.which("valgrind") and shutil.which("callgrind_annotate")):
            return
        short, long = self.args.stream_instruction_words
        url = os.environ["GUMLOOP_STREAM_BASE_URL"] + f"/agents/{AGENT}/sessions"
        totals = {"libgumloop (C callback)": [], "curl -N": []}
        for words in (short, long):
            body = json.dumps({"input": f"[words:{words}] [slow:0]", "stream": True})
            commands = {
                "libgumloop (C callback)": [f"{self.bin}/bench_gumloop", "stream", "--words",
                                            str(words), "--repeat", "1"],
                "curl -N": ["curl", "-sS", "-N", "-X", "POST", "-H", f"Authorization: Bearer {TOKEN}",
                            "-H", f"x-auth-key: {USER}", "-H", "Content-Type: application/json",
                            "-H", "Accept: text/event-stream", "--data", body, "-o", os.devnull, url],
            }
            for label, command in commands.items():
                reset_emulator()
                out = os.path.join(self.args.work_dir, f"stream-{words}.callgrind")
                totals[label].append(callgrind_profile.total_instructions(command, child_env(), out))
        out = {"words": [short, long]}
        for label, (a, b) in totals.items():
            out[label] = round((b - a) / (long - short), 1)
            log(f"callgrind stream {label}: {out[label]:.0f} instructions per event")
        self.results["stream_instructions"] = out

    def stream_heap(self):
        """Heap and resident memory per open stream at `--async-streams` streams through the
        poller (bench_poll streams: mallinfo2 with one malloc arena)."""
        reset_emulator()
        lines, _, _, peak = run_process([f"{self.bin}/bench_poll", "streams", "--streams",
                                         str(self.args.async_streams)], env=child_env(), timeout=120)
        if lines:
            result = json.loads(lines[-1])
            result["peak_rss_kb"] = peak
            self.results["stream_heap"] = result
            log(f"heap per open stream at {result['streams']} streams: "
                f"{result['heap_per_stream_kib']:.1f} KiB")

    # -- first call and size ----------------------------------------------------------------
    def first_call(self):
        repeat = 5
        probes = [("libgumloop (C)", [f"{self.bin}/first_call", "gumloop", self.args.lib]),
                  ("libcurl (C)", [f"{self.bin}/first_call", "curl"])]
        probes += [(label, [self.python, f"{HERE}/py_client.py", "--client", key,
                            "--workload", "first"]) for key, label in PY_CLIENTS]
        for label, command in probes:
            samples = []
            for _ in range(repeat if "(C)" in label else 3):
                reset_emulator()
                lines, _, _, _ = run_process(command, env=child_env(GUMLOOP_FFI_LIBRARY=self.args.lib))
                if lines:
                    samples.append(json.loads(lines[-1]))
            if not samples:
                continue
            merged = {"label": label, "samples": len(samples)}
            for key in samples[0]:
                if isinstance(samples[0][key], (int, float)):
                    merged[key] = statistics.median(s[key] for s in samples)
            self.results["first_call"].append(merged)
            log(f"first call {label:22} {merged['time_to_first_call_ms']:8.2f} ms, "
                f"+{merged['added_kb'] / 1024:.1f} MiB")

    def size(self):
        lib = self.args.lib
        with tempfile.TemporaryDirectory() as tmp:
            stripped = os.path.join(tmp, "libgumloop.so")
            subprocess.run(["strip", "--strip-all", "-o", stripped, lib], check=True)
            stripped_size = os.path.getsize(stripped)
        curl = None
        for candidate in ("/usr/lib/x86_64-linux-gnu/libcurl.so.4", "/usr/lib/libcurl.so.4"):
            if os.path.exists(candidate):
                curl = os.path.getsize(os.path.realpath(candidate))
                break
        self.results["size"] = {"unstripped": os.path.getsize(lib), "stripped": stripped_size,
                                "libcurl_so": curl}
        log(f"size: {os.path.getsize(lib)} bytes, stripped {stripped_size}")

    # -- profile ----------------------------------------------------------------------------
    def profile(self):
        n1, n2 = self.args.profile_requests
        out = {}
        if shutil.which("valgrind") and shutil.which("callgrind_annotate"):
            for name, program in (("libgumloop", "bench_gumloop"), ("libcurl", "bench_curl")):
                reset_emulator()
                files = callgrind_profile.profile_program(
                    [f"{self.bin}/{program}", "--workload", "create_idle", "--threads", "1"],
                    child_env(), os.path.join(self.args.work_dir, program), n1, n2)
                result = callgrind_profile.per_request(files, n1, n2)
                out[name] = {
                    "instructions_per_request": result["total"],
                    "startup_instructions": result["startup"],
                    "exclusive": [[f, o, v] for (f, o), v in result["exclusive"][:40]],
                    "inclusive": [[f, o, v] for (f, o), v in result["inclusive"][:80]],
                    "crates": result["crates"],
                }
                log(f"callgrind {name}: {result['total']:.0f} instructions per request")
        out["requests"] = [n1, n2]
        switches = {}
        if shutil.which("perf"):
            for name, program in (("libgumloop", "bench_gumloop"), ("libcurl", "bench_curl")):
                reset_emulator()
                n = 5000
                proc = subprocess.run(
                    ["perf", "stat", "-x,", "-e", "task-clock,context-switches,cpu-migrations",
                     f"{self.bin}/{program}", "--workload", "create_idle", "--threads", "1",
                     "--requests", str(n), "--warmup", "0"],
                    capture_output=True, text=True, env=child_env())
                counters = {}
                for line in proc.stderr.splitlines():
                    parts = line.split(",")
                    if len(parts) > 3 and parts[0].replace(".", "").isdigit():
                        counters[parts[2]] = float(parts[0])
                if "context-switches" in counters:
                    switches[name] = {
                        "requests": n,
                        "context_switches_per_request": counters["context-switches"] / n,
                        "task_clock_us_per_request": counters.get("task-clock", 0) * 1e3 / n,
                    }
                    log(f"perf {name}: {switches[name]['context_switches_per_request']:.2f} "
                        f"context switches per request")
        out["perf"] = switches
        out["handover"] = handover()
        self.results["profile"] = out

    # -- many concurrent streams in one process -------------------------------------------
    def async_streams(self):
        """1,000 concurrent streams of ASYNC_PROMPT in one process: AsyncClient, the official
        SDK's AsyncGumloop, and the blocking client on 1,000 threads, each in a fresh process
        against a reset emulator, interleaved over the rounds; the run of median CPU is kept."""
        workers = int(os.environ.get("GUMLOOP_WORKER_THREADS") or 0) or max(
            1, min(4, (os.cpu_count() or 1) // 4))
        rounds = {}
        for number in range(self.args.rounds):
            for client, label in ASYNC_CLIENTS:
                reset_emulator()
                threads = [0]
                command = [self.python, f"{HERE}/async_streams.py", "--client", client,
                           "--streams", str(self.args.async_streams), "--prompt", ASYNC_PROMPT]
                lines, _, usage, peak = run_process(command, env=child_env(), timeout=600,
                                                    threads=threads)
                if not lines:
                    continue
                result = json.loads(lines[-1])
                result.update({
                    "label": label,
                    "round": number + 1,
                    "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
                    "peak_rss_kb": peak,
                    "os_threads": max(threads[0], result["max_threads"]),
                    "workers": workers,
                    "prompt": ASYNC_PROMPT,
                })
                log(f"{label}: {result['events']} events, {result['complete']}/"
                    f"{result['streams']} streams complete, {result['cpu_s']} CPU s, "
                    f"{(peak or 0) / 1024:.0f} MiB, {result['os_threads']} threads, "
                    f"{result['wall_s']} s")
                rounds.setdefault(label, []).append(result)
        for results in rounds.values():
            ordered = sorted(results, key=lambda r: r["cpu_s"])
            median = dict(ordered[(len(ordered) - 1) // 2])
            median["cpu_s_rounds"] = [r["cpu_s"] for r in results]
            median["peak_rss_kb_rounds"] = [r["peak_rss_kb"] for r in results]
            self.results["async_streams"].append(median)

    # -- Python's per-call cost by thread ----------------------------------------------------
    def percall(self):
        """gumloop_ffi's blocking retrieve on the main thread and on a worker thread, with the
        official SDK on the main thread for reference (benches/py_percall.py)."""
        reset_emulator()
        lines, errors, _, _ = run_process(
            [self.python, f"{HERE}/py_percall.py", "--rounds", str(self.args.rounds), "--sdk"],
            env=child_env(), timeout=600)
        if not lines:
            log(f"per-call bench failed: {errors.strip()[-500:]}")
            return
        result = json.loads(lines[-1])
        log(f"per-call retrieve: main {result['main']['wall_us']} us wall / "
            f"{result['main']['cpu_us']} us CPU, worker {result['worker']['wall_us']} us wall / "
            f"{result['worker']['cpu_us']} us CPU")
        self.results["percall"].append(result)

    # -- metadata ---------------------------------------------------------------------------
    def meta(self):
        def cmd(*args):
            try:
                return subprocess.run(args, capture_output=True, text=True,
                                      timeout=20).stdout.strip()
            except OSError:
                return ""

        cpu_model = ""
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            mem_kb = int(f.readline().split()[1])

        def version(name):
            try:
                return metadata.version(name)
            except metadata.PackageNotFoundError:
                return "not installed"

        tree_changed = subprocess.run(
            ["git", "diff", "--quiet", "HEAD", "--", "src", "include", "Cargo.toml", "Cargo.lock",
             "bindings/python/src", "tests/emulator"], cwd=ROOT).returncode != 0
        return {
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": cmd("git", "-C", ROOT, "rev-parse", "--short=12", "HEAD"),
            "tree_changed": tree_changed,
            "cores": os.cpu_count(),
            "cpu_model": cpu_model,
            "memory_gib": round(mem_kb / 1024 / 1024, 1),
            "kernel": platform.release(),
            "python": platform.python_version(),
            "rustc": cmd("rustc", "--version"),
            "libcurl": cmd("curl-config", "--version"),
            "wrk": (cmd("wrk", "-v") or "").splitlines()[0] if cmd("wrk", "-v") else "",
            "packages": {name: version(name) for name in
                         ("gumloop", "gumloop-ffi", "requests", "httpx", "matplotlib")},
            "seconds": self.args.seconds,
            "warmup": self.args.warmup,
            "rounds": self.args.rounds,
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin-dir", required=True, help="where the C bench programs are")
    parser.add_argument("--lib", required=True, help="the release libgumloop.so")
    parser.add_argument("--work-dir", required=True, help="scratch directory (callgrind files)")
    parser.add_argument("--seconds", type=float, default=3.0, help="measured window per run")
    parser.add_argument("--warmup", type=float, default=0.3)
    parser.add_argument("--rounds", type=int, default=3,
                        help="runs of each configuration, interleaved; the median is reported")
    parser.add_argument("--stream-words", type=int, default=20000)
    parser.add_argument("--stream-instruction-words", type=lambda s: [int(x) for x in s.split(",")],
                        default=[2000, 12000],
                        help="the short and long streams whose difference gives instructions per event")
    parser.add_argument("--async-streams", type=int, default=1000,
                        help="concurrent streams of the async_streams section")
    parser.add_argument("--profile-requests", type=lambda s: [int(x) for x in s.split(",")],
                        default=[200, 1200])
    parser.add_argument("--results", required=True, help="JSON file for the raw results")
    parser.add_argument("--markdown", required=True)
    parser.add_argument("--chart", required=True)
    parser.add_argument("--skip", default="", help="comma-separated sections to skip")
    parser.add_argument("--only-async", action="store_true",
                        help="only the concurrent-streams comparison; prints it, writes "
                             "--markdown with only that section and no chart")
    args = parser.parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    skip = set(filter(None, args.skip.split(",")))
    if args.only_async:
        bench = Bench(args)
        bench.async_streams()
        with open(args.results, "w") as f:
            json.dump(bench.results, f, indent=1)
        text = "\n".join(report.async_section(bench.results))
        with open(args.markdown, "w") as f:
            f.write(text)
        print(text)
        return

    bench = Bench(args)
    load_before = os.getloadavg()
    started = time.time()
    meta = bench.meta()
    log(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    for section in ("throughput", "stream", "stream_instructions", "stream_heap", "first_call",
                    "size", "profile", "async_streams", "percall"):
        if section not in skip:
            getattr(bench, section)()
    meta["load_before"] = load_before
    meta["load_after"] = os.getloadavg()
    meta["duration_s"] = round(time.time() - started)
    bench.results["meta"] = meta
    with open(args.results, "w") as f:
        json.dump(bench.results, f, indent=1)
    report.write_markdown(bench.results, args.markdown, os.path.basename(args.chart))
    report.write_chart(bench.results, args.chart)
    log(f"wrote {args.results}, {args.markdown}, {args.chart} in {meta['duration_s']} s")


if __name__ == "__main__":
    main()
