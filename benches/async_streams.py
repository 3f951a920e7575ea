"""Many concurrent streams in one process, for `make bench` and `make bench-async`.

    async_streams.py --client async|sdk|threads --streams 1000 --prompt "[words:50] [slow:2000]"

``async``: gumloop_ffi.AsyncClient, every stream a task of one event loop. ``sdk``: the official
SDK's AsyncGumloop, the same. ``threads``: the blocking gumloop_ffi.Client, one thread per
stream. Each stream's events are checked: each once and in order (the emulator's stream_cursor
ends in a sequence number that grows by one), the last one final. Prints one JSON line: events
delivered, streams complete, event errors, wall seconds from the first stream started to the
last one ended, and the most OS threads seen (sampled between events and at the end). CPU
seconds and peak RSS are read by the driver from the process's rusage and /proc.
"""

import argparse
import asyncio
import json
import os
import threading
import time

TOKEN, USER, AGENT = "gk_personal_ada", "user_ada", "agent_pro"


def os_threads():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return 0


class Tally:
    """What the streams delivered, checked event by event."""

    def __init__(self):
        self.lock = threading.Lock()
        self.events = 0
        self.complete = 0
        self.errors = 0
        self.max_threads = os_threads()

    def check(self, cursors, final):
        numbers = [int(c.rsplit(":", 1)[1]) for c in cursors if c]
        in_order = len(numbers) == len(cursors) and numbers == list(
            range(numbers[0], numbers[0] + len(numbers))) if numbers else False
        with self.lock:
            self.events += len(cursors)
            self.complete += bool(final and in_order)
            self.errors += not in_order
            self.max_threads = max(self.max_threads, os_threads())


async def run_async(args, tally):
    import gumloop_ffi

    async with gumloop_ffi.AsyncClient(TOKEN, user_id=USER) as client:
        await client.sessions.create(AGENT)  # the library's runtime is up before the clock starts

        async def one():
            cursors, final = [], False
            async for event in client.sessions.stream(AGENT, args.prompt):
                cursors.append(event.stream_cursor)
                final = bool(event.final)
            tally.check(cursors, final)

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(args.streams)))
        return time.perf_counter() - started


async def run_sdk(args, tally):
    import gumloop

    client = gumloop.AsyncGumloop(api_key=TOKEN, user_id=USER,
                                  base_url=os.environ["GUMLOOP_BASE_URL"],
                                  stream_base_url=os.environ["GUMLOOP_STREAM_BASE_URL"])
    await client.sessions.create(AGENT)

    async def one():
        cursors, final = [], False
        async for event in client.sessions.stream(AGENT, input=args.prompt):
            cursors.append(event.stream_cursor)
            final = bool(event.final)
        tally.check(cursors, final)

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(args.streams)))
    return time.perf_counter() - started


def run_threads(args, tally):
    import gumloop_ffi

    with gumloop_ffi.Client(TOKEN, user_id=USER) as client:
        client.sessions.create(AGENT)

        def one():
            cursors, final = [], False
            for event in client.sessions.stream(AGENT, args.prompt):
                cursors.append(event.stream_cursor)
                final = bool(event.final)
            tally.check(cursors, final)

        threads = [threading.Thread(target=one) for _ in range(args.streams)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client", choices=["async", "sdk", "threads"], required=True)
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--prompt", default="[words:50] [slow:2000] bench")
    args = parser.parse_args()
    tally = Tally()
    if args.client == "threads":
        wall = run_threads(args, tally)
    else:
        wall = asyncio.run((run_async if args.client == "async" else run_sdk)(args, tally))
    print(json.dumps({
        "client": args.client,
        "streams": args.streams,
        "events": tally.events,
        "complete": tally.complete,
        "event_errors": tally.errors,
        "wall_s": round(wall, 3),
        "max_threads": tally.max_threads,
        "workers": int(os.environ.get("GUMLOOP_WORKER_THREADS") or 0) or None,
    }), flush=True)


if __name__ == "__main__":
    main()
