"""Turns the benchmark results (run.py) into docs/BENCHMARKS.md and docs/benchmarks.png."""

WORKLOAD_TITLES = {
    "create_idle": "Create an idle session",
    "create_input": "Create a session with input",
    "retrieve": "Retrieve a session",
}
OURS = ("libgumloop (C)", "gumloop_ffi (Python)", "libgumloop poller (C epoll)",
        "gumloop-ffi (Node)", "gumloop (Go)", "gumloop_ffi (Python, main thread)",
        "gumloop_ffi (Python, a worker thread)")
PEER_OF = {  # each peer, and the libgumloop client it is compared with
    "libcurl (C)": "libgumloop (C)",
    "gumloop SDK (Python)": "gumloop_ffi (Python)",
    "requests (Python)": "gumloop_ffi (Python)",
    "httpx (Python)": "gumloop_ffi (Python)",
    "libcurl multi (C epoll)": "libgumloop poller (C epoll)",
    "fetch (Node)": "gumloop-ffi (Node)",
    "net/http (Go)": "gumloop (Go)",
    "gumloop SDK (Python, main thread)": "gumloop_ffi (Python, main thread)",
}
MIB = 1024 * 1024
# Frames that wrap the whole request loop and say nothing about where its time goes.
WRAPPERS = ("start_thread", "worker_main", "request", "clone", "clone3", "bench_", "0x")
WRAPPER_PARTS = ("thread_start", "__rust_begin_short_backtrace", "call_once{{vtable.shim}}",
                 "task::raw::poll")


def find(results, workload, label, threads):
    for run in results["runs"]:
        if run["workload"] == workload and run["label"] == label and run["threads"] == threads:
            return run
    return None


def ceiling(results, workload):
    runs = [r for r in results["runs"] if r["workload"] == workload and r["label"] == "wrk"]
    return max(runs, key=lambda r: r["rps"]) if runs else None


def ratio(a, b):
    return a / b if a and b else None


def fmt_ratio(value, digits=2):
    return "n/a" if value is None else f"{value:.{digits}f}×"


def fmt_int(value):
    return f"{value:,.0f}"


def fmt_us(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def ours_for(results, run):
    """The libgumloop run that `run` (a peer) is compared with, or None."""
    if run["label"] == "wrk":
        return find(results, run["workload"], "libgumloop (C)", 16)
    mine = PEER_OF.get(run["label"])
    return find(results, run["workload"], mine, run["threads"]) if mine else None


def per_round(a, b, key):
    """` (rounds: x, y, z)`: the ratio of `a` to `b` in each interleaved round, when recorded."""
    left, right = a and a.get(f"{key}_rounds"), b and b.get(f"{key}_rounds")
    if not left or not right or len(left) != len(right) or len(left) < 2:
        return ""
    return " (rounds: " + ", ".join(f"{x / y:.2f}" for x, y in zip(left, right) if y) + ")"


def targets(results):
    rows = []
    for w in WORKLOADS_OF(results):
        c16 = find(results, w, "libgumloop (C)", 16)
        top = ceiling(results, w)
        value = ratio(c16 and c16["rps"], top and top["rps"])
        rows.append((f"libgumloop-C ×16 threads ≥ 0.8× the load generator's ceiling", w,
                     value, ">= 0.8", value is not None and value >= 0.8,
                     f"{fmt_int(c16['rps']) if c16 else '?'} vs {fmt_int(top['rps']) if top else '?'} req/s"
                     + (f" (wrk, {top['threads']} connections)" if top else "")
                     + per_round(c16, top, "rps")))
    for w in WORKLOADS_OF(results):
        g, c = find(results, w, "libgumloop (C)", 1), find(results, w, "libcurl (C)", 1)
        value = ratio(g and g["p50_us"], c and c["p50_us"])
        rows.append(("single-thread C latency (p50) ≤ 1.1× libcurl's", w, value, "<= 1.1",
                     value is not None and value <= 1.1,
                     f"{fmt_us(g['p50_us']) if g else '?'} vs {fmt_us(c['p50_us']) if c else '?'} µs"
                     + per_round(g, c, "p50_us")))
    for threads, goal in ((1, 3.0), (8, 8.0)):
        for w in WORKLOADS_OF(results):
            f = find(results, w, "gumloop_ffi (Python)", threads)
            s = find(results, w, "gumloop SDK (Python)", threads)
            value = ratio(f and f["rps"], s and s["rps"])
            rows.append((f"Python ×{threads} thread{'s' if threads > 1 else ''}: gumloop_ffi ≥ "
                         f"{goal:g}× the official SDK's throughput", w, value, f">= {goal:g}",
                         value is not None and value >= goal,
                         f"{fmt_int(f['rps']) if f else '?'} vs {fmt_int(s['rps']) if s else '?'} req/s"
                         + per_round(f, s, "rps")))
    first = next((r for r in results["first_call"] if r["label"] == "libgumloop (C)"), None)
    if first:
        added = first["added_kb"] / 1024
        rows.append(("memory added by loading and the first call ≤ 8 MiB", "—", added / 8,
                     "<= 1.0 (of 8 MiB)", added <= 8, f"{added:.1f} MiB"))
    rows += async_targets(results)
    size = results.get("size", {})
    if size.get("stripped"):
        mib = size["stripped"] / MIB
        rows.append(("stripped .so ≤ 6 MiB", "—", mib / 6, "<= 1.0 (of 6 MiB)", mib <= 6,
                     f"{mib:.2f} MiB"))
    return rows


ASYNC_OURS, ASYNC_SDK = "gumloop_ffi AsyncClient", "gumloop SDK AsyncGumloop"


def hot_path_targets(results):
    """The goals of the hot-path work, each as (target, workload, value, goal, met, measured)."""
    rows = []
    prof = results.get("profile", {})
    g, c = prof.get("libgumloop"), prof.get("libcurl")
    if g and c:
        value = ratio(g["instructions_per_request"], c["instructions_per_request"])
        rows.append(("instructions per request ≤ 1.0× libcurl's (callgrind, C, one thread)",
                     "create_idle", value, "<= 1.0", value is not None and value <= 1.0,
                     f"{g['instructions_per_request']:,.0f} vs {c['instructions_per_request']:,.0f}"))
    perf = prof.get("perf", {})
    if perf.get("libgumloop"):
        pg, pc = perf["libgumloop"], perf.get("libcurl")
        value = pg["context_switches_per_request"]
        rows.append(("context switches per request ≤ 1.5 (perf stat, C, one thread)",
                     "create_idle", None, "<= 1.5", value <= 1.5,
                     f"{value:.2f}" + (f" (libcurl {pc['context_switches_per_request']:.2f})"
                                       if pc else "")))
    for threads in (1, 16):
        for w in WORKLOADS_OF(results):
            a, b = find(results, w, "libgumloop (C)", threads), find(results, w, "libcurl (C)", threads)
            value = ratio(a and a.get("cpu_us_per_req"), b and b.get("cpu_us_per_req"))
            rows.append((f"CPU per request ≤ 1.0× libcurl's, {threads} thread{'s' if threads > 1 else ''}",
                         w, value, "<= 1.0", value is not None and value <= 1.0,
                         f"{fmt_us(a['cpu_us_per_req']) if a else '?'} vs "
                         f"{fmt_us(b['cpu_us_per_req']) if b else '?'} µs"))
    for w in WORKLOADS_OF(results):
        a, b = find(results, w, "libgumloop (C)", 1), find(results, w, "libcurl (C)", 1)
        value = ratio(a and a["p50_us"], b and b["p50_us"])
        rows.append(("p50 latency on one thread ≤ 1.0× libcurl's", w, value, "<= 1.0",
                     value is not None and value <= 1.0,
                     f"{fmt_us(a['p50_us']) if a else '?'} vs {fmt_us(b['p50_us']) if b else '?'} µs"
                     + per_round(a, b, "p50_us")))
    medians = stream_medians(results)
    a, b = medians.get("libgumloop (C callback)"), medians.get("curl -N")
    if a and b:
        value = ratio(a, b)
        rows.append(("stream events/s ≥ 1.0× curl -N's (C callback)", "stream", value, ">= 1.0",
                     value is not None and value >= 1.0,
                     f"{fmt_int(a)} vs {fmt_int(b)} events/s (medians)"))
    heap = results.get("stream_heap")
    if heap:
        kib = heap["heap_per_stream_kib"]
        rows.append((f"heap per open stream at {heap['streams']:,} streams ≤ 8 KiB (poller)",
                     "stream", kib / 8, "<= 1.0 (of 8 KiB)", kib <= 8, f"{kib:.1f} KiB"))
    ours, sdk = async_run(results, ASYNC_OURS), async_run(results, ASYNC_SDK)
    if ours:
        value = ratio(ours.get("peak_rss_kb"), sdk and sdk.get("peak_rss_kb"))
        rows.append((f"peak RSS at {ours['streams']:,} streams ≤ 0.5× AsyncGumloop's (AsyncClient)",
                     "stream", value, "<= 0.5", value is not None and value <= 0.5,
                     f"{(ours['peak_rss_kb'] or 0) / 1024:.0f} vs "
                     f"{(sdk['peak_rss_kb'] or 0) / 1024 if sdk else 0:.0f} MiB"))
    return rows


def stream_medians(results):
    """The median events/s of each streaming client."""
    medians = {}
    for label in dict.fromkeys(r["label"] for r in results.get("stream", [])):
        values = sorted(r["events_per_s"] for r in results["stream"] if r["label"] == label)
        medians[label] = values[len(values) // 2]
    return medians


def async_run(results, label):
    return next((r for r in results.get("async_streams", []) if r["label"] == label), None)


def async_targets(results):
    """AsyncClient against AsyncGumloop on 1,000 concurrent streams: CPU and peak RSS at most a
    quarter, OS threads at most the library's workers plus two, every event delivered once."""
    ours, sdk = async_run(results, ASYNC_OURS), async_run(results, ASYNC_SDK)
    if not ours:
        return []
    rows = []
    n = ours["streams"]
    for key, what, unit in (("cpu_s", "CPU seconds", "s"), ("peak_rss_kb", "peak RSS", "MiB")):
        value = ratio(ours.get(key), sdk and sdk.get(key))
        show = (lambda v: f"{v:.2f}") if unit == "s" else (lambda v: f"{v / 1024:.0f}")
        rows.append((f"{n} streams: AsyncClient's {what} ≤ ¼ of AsyncGumloop's", "streams",
                     value, "<= 0.25", value is not None and value <= 0.25,
                     f"{show(ours[key])} vs {show(sdk[key]) if sdk else '?'} {unit}"
                     + per_round(ours, sdk, key)))
    limit = ours["workers"] + 2
    rows.append((f"{n} streams: AsyncClient's OS threads ≤ the library's workers + 2", "streams",
                 ours["os_threads"] / limit, f"<= 1.0 (of {limit})", ours["os_threads"] <= limit,
                 f"{ours['os_threads']} threads, {ours['workers']} worker(s)"))
    everyone = [r for r in results.get("async_streams", [])]
    exact = all(r["complete"] == r["streams"] and r["event_errors"] == 0 for r in everyone)
    rows.append((f"{n} streams: every event delivered once, in order, by every client", "streams",
                 None, "all", exact, ", ".join(f"{r['label']}: {r['events']:,} events, "
                                               f"{r['complete']}/{r['streams']} complete"
                                               for r in everyone)))
    return rows


def async_section(results):
    """The markdown lines of the concurrent-streams comparison."""
    runs = results.get("async_streams", [])
    if not runs:
        return []
    first = runs[0]
    out = [f"## {first['streams']:,} concurrent streams in one process", ""]
    out.append(f"Each client streams `{first['prompt']}` ({first['streams']:,} streams at once, "
               "every one a 50-word answer paced over 2 s) in a fresh process against a reset "
               "emulator: `AsyncClient` and the official SDK's `AsyncGumloop` as tasks of one "
               "asyncio loop, the blocking `Client` on one thread per stream. Events are checked "
               "one by one (each once, in order, the last final). CPU is the process's user + "
               "system time; peak RSS its VmHWM; OS threads the most seen in /proc while it ran; "
               "wall time from the first stream started to the last ended. The median-CPU run "
               "of the rounds is shown. The SDK's httpx pool opens at most 100 connections at "
               "once, so its streams run 100 at a time: its wall time reflects that.")
    out.append("")
    out.append("| client | events delivered | streams complete | CPU s | peak RSS MiB | OS threads "
               "| wall s | CPU s by round |")
    out.append("|---|---|---|---|---|---|---|---|")
    for r in runs:
        rounds = ", ".join(f"{c:.2f}" for c in r.get("cpu_s_rounds", []))
        out.append(f"| {r['label']} | {r['events']:,} | {r['complete']}/{r['streams']} | "
                   f"{r['cpu_s']:.2f} | {(r['peak_rss_kb'] or 0) / 1024:.0f} | {r['os_threads']} | "
                   f"{r['wall_s']:.2f} | {rounds} |")
    out.append("")
    for name, _, value, goal, met, detail in async_targets(results):
        shown = "—" if value is None else f"{value:.2f}"
        out.append(f"- {'met' if met else '**not met**'}: {name}: {shown} ({goal}); {detail}")
    out.append("")
    return out


def percall_section(results):
    """The markdown lines of the Python per-call cost on the main thread and on a worker."""
    runs = results.get("percall", [])
    if not runs:
        return []
    first = runs[0]
    out = ["## Python: per-call cost on the main thread and on a worker thread", ""]
    out.append(f"`client.sessions.retrieve(id)` of a completed session, {first['calls']:,} calls "
               f"per loop, main-thread and worker-thread loops interleaved over {first['rounds']} "
               "rounds in one process (benches/py_percall.py); the median per call. CPU is the "
               "whole process's (`time.process_time`, the library's threads included).")
    out.append("")
    out.append("| client | thread | wall µs | CPU µs | wall µs by round |")
    out.append("|---|---|---|---|---|")
    for r in runs:
        for key, thread in (("main", "main"), ("worker", "worker"), ("sdk_main", "main")):
            row = r.get(key)
            if row is None:
                continue
            label = "gumloop SDK" if key == "sdk_main" else r["label"]
            rounds = ", ".join(f"{x:.0f}" for x in row["wall_us_rounds"])
            out.append(f"| {label} | {thread} | {row['wall_us']:.0f} | {row['cpu_us']:.0f} | "
                       f"{rounds} |")
    out.append("")
    return out


def WORKLOADS_OF(results):  # noqa: N802 (reads like a constant at the call sites)
    seen = []
    for run in results["runs"]:
        if run["workload"] not in seen:
            seen.append(run["workload"])
    return seen


def short(name, width=96):
    name = name.replace("|", "\\|")
    return name if len(name) <= width else name[: width - 1] + "…"


def write_markdown(results, path, chart_name):
    meta = results["meta"]
    out = []
    add = out.append
    add("# Benchmarks")
    add("")
    add("Generated by `make bench` (mk/bench.mk, benches/run.py); do not edit by hand: rerun it.")
    add("")
    changed = " (with uncommitted changes to the library or bindings)" if meta["tree_changed"] else ""
    add(f"- **Date:** {meta['date']}; **commit:** `{meta['commit']}`{changed}; the run took "
        f"{meta['duration_s']} s.")
    add(f"- **Machine:** {meta['cores']} cores ({meta['cpu_model']}), {meta['memory_gib']} GiB, "
        f"Linux {meta['kernel']}; shared with other work: load average "
        f"{meta['load_before'][0]:.2f} / {meta['load_before'][1]:.2f} / {meta['load_before'][2]:.2f} "
        f"(1/5/15 min) before the run, {meta['load_after'][0]:.2f} / {meta['load_after'][1]:.2f} / "
        f"{meta['load_after'][2]:.2f} after (which counts the run's own client and server).")
    p = meta["packages"]
    add(f"- **Versions:** {meta['rustc']}; Python {meta['python']}; gumloop (official SDK) "
        f"{p['gumloop']}; gumloop-ffi {p['gumloop-ffi']}; requests {p['requests']}; httpx "
        f"{p['httpx']}; libcurl {meta['libcurl'].replace('libcurl ', '')}; {meta['wrk'] or 'wrk'}.")
    add("- **Server:** the emulator (tests/emulator), release build, on loopback; client and "
        "server share the 2 cores, so a client's CPU cost per request lowers the server's "
        "share and with it everyone's throughput.")
    add("")
    add(f"![requests/s, p50 latency and CPU per request of each client]({chart_name})")
    add("")
    add("## Method")
    add("")
    add("Three workloads, the same requests from every client: **create an idle session** "
        "(`POST /agents/agent_pro/sessions` with `{}`, 201), **create a session with input** "
        "(`{\"input\":\"hello\"}`, 202: the run completes after 200 ms), **retrieve a session** "
        "(`GET /sessions/{id}` of a completed session with two messages). A personal key with "
        "`x-auth-key`. The emulator gets benches/emulator-fixtures.json, which lifts the "
        "concurrency limit of agent_pro's team so that creating with input is never refused "
        "with 429, and is reset before every run. "
        f"Every configuration ran {meta.get('rounds', 1)} times, the rounds interleaved (all "
        "clients once, then all again), so that each client meets the shared machine's slow "
        "and fast spells alike; the tables show the run of median throughput. "
        "Each run is a fresh process: "
        f"{meta['warmup']} s of unmeasured warm-up per thread (connections opened), then a "
        f"{meta['seconds']:g} s window that all threads start together. Requests/s counts the "
        "requests completed in the window; latencies are per request (nearest-rank p50/p99); "
        "CPU is the process's user+system time over the window (all its threads, the library's "
        "runtime workers included) divided by the requests; peak RSS is the process's maximum "
        "resident set (for C it includes the harness's latency buffer, 8 bytes per request; for "
        "Python the interpreter and imports).")
    add("")
    add("- **libgumloop (C)**: benches/c/bench_gumloop.c, one `gumloop_client` shared by all "
        "threads, `gumloop_client_create_session` / `gumloop_client_get_session`, every result "
        "freed with `gumloop_string_free`.")
    add("- **libcurl (C)**: benches/c/bench_curl.c, one easy handle per thread reused for every "
        "request (kept-alive connection), the answer collected into a buffer.")
    add("- **gumloop_ffi (Python)**: one `Client` shared by the threads; `sessions.create`, "
        "`sessions.retrieve`; answers parsed into its response objects.")
    add("- **gumloop SDK (Python)**: the official `gumloop` package, one `Gumloop(api_key=…, "
        "user_id=…, base_url=…)` shared by the threads; `sessions.create`, `sessions.retrieve` "
        "(pydantic models).")
    add("- **requests / httpx (Python)**: one `requests.Session` / `httpx.Client` per thread, "
        "reused; `response.json()`.")
    add("- **libgumloop poller (C epoll)**: benches/c/bench_poll.c `calls`, one thread, one "
        "epoll loop waiting on the poller's descriptor, 1,000 calls in flight through "
        "`gumloop_poller_start_call`, a new one started as each ends "
        "(`gumloop_poller_take_item`). Latency there is queueing behind 999 others.")
    add("- **libcurl multi (C epoll)**: benches/c/bench_multi.c, one thread, 1,000 easy handles "
        "on one multi handle driven by `curl_multi_socket_action` from an epoll loop (the "
        "socket and timer callbacks), each handle re-added as it ends (kept-alive connection).")
    add("- **gumloop-ffi (Node) / fetch (Node)**: benches/node_client.mjs, the package of "
        "bindings/node (`sessions.create` / `sessions.retrieve`) or Node's built-in `fetch` "
        "(`response.json()`), 1 or 16 requests in flight on the one event loop (the threads "
        "column); CPU from `process.cpuUsage()`.")
    add("- **gumloop (Go) / net/http (Go)**: benches/go, the package of bindings/go "
        "(`Sessions.Create` / `Sessions.Retrieve`) or `net/http` with its default transport "
        "(idle pool as large as the concurrency, `json.Unmarshal`), 1 or 16 goroutines.")
    add("- **… (Python, main thread / a worker thread)**: benches/py_main_thread.py, the sync "
        "client's loop on the interpreter's main thread (with Python's own SIGINT handler, as a "
        "program started from a terminal has it, so that Ctrl-C works) or on one "
        "`threading.Thread`; the official SDK on the main thread for reference.")
    add("- **wrk**: the load generator (2 threads, 16 and 64 connections), the ceiling the "
        "server allows; its CPU and RSS are the kernel's accounting of the whole process.")
    add("")

    add("## Targets of the hot path")
    add("")
    add("Each goal, met or not, with the value measured in this run (ratio: libgumloop's value "
        "divided by the peer's).")
    add("")
    add("| target | workload | ratio | goal | met | measured |")
    add("|---|---|---:|---|---|---|")
    for name, w, value, goal, met, detail in hot_path_targets(results):
        add(f"| {name} | {w} | {fmt_ratio(value)} | {goal} | {'met' if met else '**not met**'} | "
            f"{detail} |")
    add("")

    add("## Earlier targets")
    add("")
    add("| target | workload | ratio | goal | met | measured |")
    add("|---|---|---:|---|---|---|")
    for name, w, value, goal, met, detail in targets(results):
        add(f"| {name} | {w} | {fmt_ratio(value)} | {goal} | {'yes' if met else '**no**'} | "
            f"{detail} |")
    add("")

    add("## Throughput, latency, CPU and memory")
    add("")
    add("The last column is libgumloop's throughput divided by the row's: libgumloop (C) at the "
        "same thread count for libcurl, libgumloop (C) ×16 for wrk, gumloop_ffi at the same "
        "thread count for the Python peers.")
    for w in WORKLOADS_OF(results):
        add("")
        add(f"### {WORKLOAD_TITLES.get(w, w)} (`{w}`)")
        add("")
        add("| client | threads | req/s | p50 µs | p99 µs | CPU µs/req | peak RSS MiB | errors | "
            "libgumloop ÷ this |")
        add("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for run in [r for r in results["runs"] if r["workload"] == w]:
            mine = ours_for(results, run)
            threads = f"{run['threads']} conn." if run["label"] == "wrk" else str(run["threads"])
            name = f"**{run['label']}**" if run["label"] in OURS else run["label"]
            add(f"| {name} | {threads} | {fmt_int(run['rps'])} | {fmt_us(run['p50_us'])} | "
                f"{fmt_us(run['p99_us'])} | {fmt_us(run.get('cpu_us_per_req', 0))} | "
                f"{run.get('max_rss_kb', 0) / 1024:.1f} | {run['errors']} | "
                f"{fmt_ratio(ratio(mine and mine['rps'], run['rps'])) if mine else '—'} |")
    add("")

    add("## Ratios of libgumloop to each peer")
    add("")
    add("Throughput: higher is better for libgumloop; p50 latency, CPU per request and peak RSS: "
        "lower is better.")
    add("")
    add("| peer | threads | workload | req/s ratio | p50 ratio | CPU/req ratio | RSS ratio |")
    add("|---|---:|---|---:|---:|---:|---:|")
    for run in results["runs"]:
        mine = ours_for(results, run)
        if mine is None or run["label"] in OURS:
            continue
        threads = f"{run['threads']} conn." if run["label"] == "wrk" else str(run["threads"])
        add(f"| {run['label']} vs {mine['label']} ×{mine['threads']} | {threads} | "
            f"{run['workload']} | {fmt_ratio(ratio(mine['rps'], run['rps']))} | "
            f"{fmt_ratio(ratio(mine['p50_us'], run['p50_us']))} | "
            f"{fmt_ratio(ratio(mine.get('cpu_us_per_req'), run.get('cpu_us_per_req')))} | "
            f"{fmt_ratio(ratio(mine.get('max_rss_kb'), run.get('max_rss_kb')))} |")
    add("")

    add("## Time to first call and memory it adds")
    add("")
    add("A fresh process: load the library (C: `dlopen` and symbol lookup; Python: `import`), "
        "create the client, make a first idle create (libgumloop: starting its runtime; all: "
        "connecting) and a second one. Memory added is VmRSS after the first call minus VmRSS "
        "before loading. Medians of 5 runs (C) or 3 (Python).")
    add("")
    add("| client | load ms | client ms | first call ms | time to first call ms | second call ms "
        "| RSS before MiB | added by load + first call MiB |")
    add("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results["first_call"]:
        add(f"| {r['label']} | {r['load_ms']:.1f} | {r['client_ms']:.1f} | "
            f"{r['first_call_ms']:.2f} | {r['time_to_first_call_ms']:.1f} | "
            f"{r['second_call_ms']:.2f} | {r['rss_start_kb'] / 1024:.1f} | "
            f"{r['added_kb'] / 1024:.1f} |")
    add("")

    size = results.get("size", {})
    if size:
        add("## Library size")
        add("")
        add(f"- target/release/libgumloop.so: {size['unstripped']:,} bytes "
            f"({size['unstripped'] / MIB:.2f} MiB); stripped (`strip --strip-all`): "
            f"{size['stripped']:,} bytes (**{size['stripped'] / MIB:.2f} MiB**). It carries its "
            "HTTP stack, TLS (rustls) and runtime.")
        if size.get("libcurl_so"):
            add(f"- For scale, the system's libcurl.so.4 is {size['libcurl_so']:,} bytes "
                f"({size['libcurl_so'] / MIB:.2f} MiB), without the TLS and other libraries it "
                "links dynamically.")
        add("")

    if results["stream"]:
        add("## Streaming")
        add("")
        words = results["stream"][0]["words"]
        add(f"One `[words:{words}] [slow:0]` run on the stream host (`[slow:0]`: the emulator "
            "sends the answer as fast as it can instead of pacing it over 200 ms), "
            f"{words + 5} events. libgumloop: `gumloop_client_stream_session` with a C callback "
            "that counts events; curl: `curl -N` POSTing `{\"input\":…,\"stream\":true}`, "
            "writing to a file (events counted afterwards; time from curl's `time_total`). "
            "Both times include connecting.")
        add("")
        add("| client | run | events | bytes | seconds | events/s | first event ms |")
        add("|---|---:|---:|---:|---:|---:|---:|")
        counts = {}
        for r in results["stream"]:
            counts[r["label"]] = counts.get(r["label"], 0) + 1
            add(f"| {r['label']} | {counts[r['label']]} | {r['events']:,} | {r['bytes']:,} | "
                f"{r['seconds']:.3f} | {fmt_int(r['events_per_s'])} | {r['first_event_ms']:.1f} |")
        medians = stream_medians(results)
        if len(medians) == 2:
            a, b = medians.get("libgumloop (C callback)"), medians.get("curl -N")
            add("")
            add(f"Median events/s: libgumloop {fmt_int(a)}, curl -N {fmt_int(b)}: ratio "
                f"**{fmt_ratio(ratio(a, b))}**.")
        add("")

    per_event = results.get("stream_instructions")
    if per_event:
        short_words, long_words = per_event["words"]
        a, b = per_event.get("libgumloop (C callback)"), per_event.get("curl -N")
        add(f"Instructions per stream event (callgrind, every thread, user space): each client "
            f"streamed `[words:{short_words}]` and `[words:{long_words}]` (`[slow:0]`), and the "
            f"difference of the two totals divided by the {long_words - short_words:,} extra "
            f"events is one event without start-up and connecting: libgumloop's C callback "
            f"**{a:,.0f}**, curl -N **{b:,.0f}** ({fmt_ratio(ratio(a, b))}); curl -N only writes "
            "the bytes to a file, libgumloop also parses each event's JSON fields, checks its "
            "order and cursor and hands the callback a NUL-terminated event.")
        add("")
    heap = results.get("stream_heap")
    if heap:
        add(f"## Memory per open stream ({heap['streams']:,} streams through the poller)")
        add("")
        add(f"benches/c/bench_poll.c `streams`: one whole stream first (so the runtime, TLS "
            f"settings and pool are in the baseline), then {heap['streams']:,} "
            "`stream_session` calls of a 30-second paced answer started at once from one epoll "
            "loop; once every one has delivered its first event, the allocator's in-use bytes "
            "(glibc `mallinfo2().uordblks`, with `mallopt(M_ARENA_MAX, 1)` so that the "
            "runtime's threads allocate in the one arena it counts) less those before, divided "
            "by the streams. Then all are cancelled.")
        add("")
        add(f"- heap: {heap['heap_before_kb'] / 1024:.1f} MiB before, "
            f"{heap['heap_open_kb'] / 1024:.1f} MiB with {heap['open']:,} open: "
            f"**{heap['heap_per_stream_kib']:.1f} KiB per stream**; resident memory "
            f"{heap['rss_per_stream_kib']:.1f} KiB per stream; peak RSS "
            f"{heap['max_rss_kb'] / 1024:.0f} MiB.")
        add("")

    prof = results.get("profile", {})
    if prof.get("libgumloop"):
        n1, n2 = prof["requests"]
        g, c = prof["libgumloop"], prof.get("libcurl")
        add("## Where the time goes: single-thread C create-idle loop")
        add("")
        add(f"callgrind (valgrind) counts instructions, which repeat from run to run whatever else "
            f"the machine does. The loop ran {n1} and {n2} requests; the difference divided by "
            f"{n2 - n1} is one request without the process's start-up. It counts user-space "
            "instructions of every thread of the client (not the kernel's work, not the server's).")
        add("")
        line = f"- libgumloop: **{g['instructions_per_request']:,.0f} instructions per request**"
        if c:
            line += (f"; libcurl: {c['instructions_per_request']:,.0f} "
                     f"({fmt_ratio(ratio(g['instructions_per_request'], c['instructions_per_request']))}).")
        add(line)
        add(f"- Start-up (load, runtime, CA roots, client, first connection): "
            f"{g['startup_instructions']:,.0f} instructions for libgumloop"
            + (f", {c['startup_instructions']:,.0f} for libcurl." if c else "."))
        perf = prof.get("perf", {})
        if perf.get("libgumloop"):
            pg, pc = perf["libgumloop"], perf.get("libcurl")
            add(f"- `perf stat` (software counters; this machine has no hardware counters), "
                f"{pg['requests']} requests: libgumloop **{pg['context_switches_per_request']:.2f} "
                f"context switches per request**, {pg['task_clock_us_per_request']:.1f} µs of CPU "
                "per request"
                + (f"; libcurl {pc['context_switches_per_request']:.2f} and "
                   f"{pc['task_clock_us_per_request']:.1f} µs." if pc else "."))
        hand = prof.get("handover")
        if hand:
            add(f"- A blocking call's fixed cost (`cargo bench --bench handover`: an empty call run "
                f"as a blocking C call runs, on the calling thread with a runtime checked out for "
                f"it, {hand['calls']:,} times): **{hand['run_here_p50_us']:.2f} µs p50** "
                f"({hand['run_here_mean_us']:.2f} µs mean), against "
                f"{hand['block_on_p50_us']:.2f} µs for the same empty call polled on the shared "
                "runtime. No thread is woken either way.")
        pc = perf.get("libcurl")
        if c and perf.get("libgumloop") and pc:
            pg = perf["libgumloop"]
            add("")
            add(f"Reading it: libgumloop executes "
                f"{fmt_ratio(ratio(g['instructions_per_request'], c['instructions_per_request']))} "
                f"libcurl's user-space instructions per request but uses "
                f"{fmt_ratio(ratio(pg['task_clock_us_per_request'], pc['task_clock_us_per_request']))} "
                f"its CPU time and makes "
                f"{fmt_ratio(ratio(pg['context_switches_per_request'], pc['context_switches_per_request']), 1)} "
                "its context switches: the difference not explained by instructions is time in "
                "the kernel and the scheduler, handing each call from the calling thread to a "
                "runtime worker (which drives the connection) and the answer back.")
        add("")
        add("Instructions per request by crate (exclusive cost of each function, grouped by the "
            "crate its name starts with, the implementing type's for `<T as Trait>::f`):")
        add("")
        add("| crate | instructions/request | share |")
        add("|---|---:|---:|")
        total = g["instructions_per_request"]
        for crate, value in g["crates"][:14]:
            add(f"| {short(crate)} | {value:,.0f} | {value / total:.1%} |")
        add("")
        add("Top functions by exclusive cost:")
        add("")
        add("| function | object | instructions/request | share |")
        add("|---|---|---:|---:|")
        for function, obj, value in g["exclusive"][:15]:
            add(f"| `{short(function)}` | {obj} | {value:,.0f} | {value / total:.1%} |")
        add("")
        add("Top functions by inclusive cost (callees included; the frames that only wrap the "
            "loop are left out):")
        add("")
        add("| function | instructions/request | share |")
        add("|---|---:|---:|")
        shown = 0
        for function, obj, value in g["inclusive"]:
            if function in WRAPPERS or function.startswith(WRAPPERS[-2:]) or any(
                    part in function for part in WRAPPER_PARTS):
                continue
            add(f"| `{short(function)}` | {value:,.0f} | {value / total:.1%} |")
            shown += 1
            if shown >= 25:
                break
        add("")

    out.extend(async_section(results))
    out.extend(percall_section(results))

    add("## Running it")
    add("")
    add(f"This page came from one `make bench` with BENCH_SECONDS={meta['seconds']:g} and "
        f"BENCH_ROUNDS={meta.get('rounds', 1)} (the defaults are 3 and 3: lower values shorten "
        "the run on a loaded machine and widen the spread of the timed numbers; the callgrind "
        "and perf counters do not depend on them). "
        "`make bench-async` runs only the concurrent-streams comparison and prints it. "
        "`make bench` (about fifteen minutes; `BENCH_SECONDS=N` changes the measured window, "
        "`BENCH_ROUNDS=N` the interleaved rounds). It "
        "builds the release library and emulator and the C programs, installs what is missing "
        "(wrk, the libcurl development package, valgrind, perf, Go from Debian's golang-go; the "
        "Node package's pinned dependencies; a venv `.venv-bench` with pinned "
        "versions from benches/requirements.txt), and rewrites this page and the chart. Run it "
        "when the machine is otherwise quiet: the numbers move with the load above.")
    add("")
    with open(path, "w") as f:
        f.write("\n".join(out))


def write_chart(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    workloads = WORKLOADS_OF(results)
    metrics = [("rps", "requests/s (higher is better)", False),
               ("p50_us", "p50 latency, µs (lower is better; log scale)", True),
               ("cpu_us_per_req", "CPU µs per request (lower is better; log scale)", True)]
    most = max(sum(1 for r in results["runs"] if r["workload"] == w) for w in workloads)
    fig, axes = plt.subplots(len(metrics), len(workloads),
                             figsize=(7.5 * len(workloads), max(15, 0.32 * most * len(metrics))),
                             squeeze=False)
    colors = {"libgumloop (C)": "#d95f02", "gumloop_ffi (Python)": "#e6ab02",
              "libcurl (C)": "#7570b3", "gumloop SDK (Python)": "#1b9e77",
              "requests (Python)": "#66a61e", "httpx (Python)": "#a6761d", "wrk": "#555555",
              "libgumloop poller (C epoll)": "#d95f02", "libcurl multi (C epoll)": "#7570b3",
              "gumloop-ffi (Node)": "#e7298a", "fetch (Node)": "#1b9e77",
              "gumloop (Go)": "#e7298a", "net/http (Go)": "#1b9e77",
              "gumloop_ffi (Python, main thread)": "#e6ab02",
              "gumloop_ffi (Python, a worker thread)": "#e6ab02",
              "gumloop SDK (Python, main thread)": "#1b9e77"}
    for col, w in enumerate(workloads):
        runs = [r for r in results["runs"] if r["workload"] == w]
        labels = [f"{r['label']} ×{r['threads']}" + (" conn." if r["label"] == "wrk" else "")
                  for r in runs]
        for row, (key, title, log) in enumerate(metrics):
            ax = axes[row][col]
            values = [r.get(key, 0) or 0 for r in runs]
            y = list(range(len(runs)))[::-1]
            ax.barh(y, values, color=[colors.get(r["label"], "#999999") for r in runs])
            ax.set_yticks(y)
            # Each workload has its own clients (the peers run only some), so each column is
            # labelled.
            ax.set_yticklabels(labels, fontsize=8)
            if log:
                ax.set_xscale("log")
            top = max(values) if values else 1
            for yy, v in zip(y, values):
                text = f"{v:,.0f}" if v >= 100 else f"{v:.1f}"
                ax.text(v * (1.05 if log else 1) + (0 if log else top * 0.01), yy, text,
                        va="center", fontsize=8)
            ax.set_xlim(right=top * (4 if log else 1.22))
            best = ceiling(results, w)
            if key == "rps" and best:
                mark = 0.8 * best["rps"]
                ax.axvline(mark, color="#555555", linestyle="--", linewidth=1)
                ax.text(mark, len(runs) - 0.4, " 0.8× wrk ceiling", fontsize=8, color="#333333",
                        va="bottom")
            ax.grid(axis="x", alpha=0.3)
            if row == 0:
                ax.set_title(f"{WORKLOAD_TITLES.get(w, w)}\n{title}", fontsize=11)
            else:
                ax.set_title(title, fontsize=10)
    meta = results["meta"]
    fig.suptitle(f"libgumloop and peers against the Gumloop emulator: {meta['date']}, commit "
                 f"{meta['commit']}, {meta['cores']} cores, load {meta['load_before'][0]:.2f}",
                 fontsize=13)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    fig.savefig(path, dpi=90)
    plt.close(fig)
