#!/usr/bin/env python3
"""OllamaGateway soak run: many mixed requests through one gateway, looking for errors and memory growth.

Started by `bench/run.sh --soak` (which publishes the servers to bench/out/); it can be run on its own when
bench/out/ already holds them. It starts Gateway.Emulator (small replies) and one Gateway.Server in front of it
on 127.0.0.1 with a temporary keys file, then sends --requests mixed requests (native /api/chat and
/v1/chat/completions, each streamed and not, GET /api/tags, POST /v1/embeddings) from --concurrency keep-alive
connections (asyncio, HTTP/1.1 by hand). A share of the streamed requests (--disconnect) is abandoned after the
first chunk: the client closes the connection and opens a new one.

An unexpected error is any status other than 200, a transport error or timeout, a body without the expected
shape, or a stream that did not end with `"done":true` (native) / `data: [DONE]` (SSE) when the client did not
disconnect. The gateway's VmRSS is sampled every --sample-s seconds. The run fails (exit 1) when there was any
unexpected error, when fewer than --requests completed within the time bound, when the gateway died, or when
RSS at the end exceeds RSS after warm-up (the first sample once --warmup of the requests are done) by more
than --rss-growth. Writes bench/results/soak-<timestamp>.json and prints a summary table.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import (BENCH, KEY, BenchError, Processes, expect_200, http_request, pct, port_free,  # noqa: E402
                   rss_kb, wait_until_serving)

# kind: (weight, method, path, streamed, sse)
KINDS = {
    "api_chat_stream": (25, "POST", "/api/chat", True, False),
    "api_chat": (15, "POST", "/api/chat", False, False),
    "v1_chat_stream": (25, "POST", "/v1/chat/completions", True, True),
    "v1_chat": (15, "POST", "/v1/chat/completions", False, False),
    "api_tags": (10, "GET", "/api/tags", False, False),
    "v1_embeddings": (10, "POST", "/v1/embeddings", False, False),
}

MESSAGES = [{"role": "system", "content": "You are a careful assistant. Answer briefly."},
            {"role": "user", "content": "What is the capital of France?"}]
BODIES = {
    "api_chat_stream": {"model": "llama3.2", "messages": MESSAGES, "stream": True},
    "api_chat": {"model": "llama3.2", "messages": MESSAGES, "stream": False},
    "v1_chat_stream": {"model": "llama3.2", "messages": MESSAGES, "stream": True},
    "v1_chat": {"model": "llama3.2", "messages": MESSAGES, "stream": False},
    "v1_embeddings": {"model": "nomic-embed-text", "input": ["the first text to embed", "and a second one"]},
}
# what a complete non-streamed 200 body must contain
MUST_CONTAIN = {
    "api_chat": b'"done":true',
    "v1_chat": b'"chat.completion"',
    "api_tags": b'"models"',
    "v1_embeddings": b'"embedding"',
}


def build_request(kind: str, port: int) -> bytes:
    _, method, path, _, _ = KINDS[kind]
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {KEY}\r\n"
    if kind in BODIES:
        body = json.dumps(BODIES[kind], separators=(",", ":")).encode()
        return (head + f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    return (head + "\r\n").encode()


class BadResponse(Exception):
    pass


class Stats:
    def __init__(self):
        self.by_kind = {k: {"sent": 0, "status": {}, "ok": 0, "disconnected": 0, "unexpected": 0, "latency": []}
                        for k in KINDS}
        self.done = 0
        self.unexpected = 0
        self.examples: list[str] = []
        self.connections_opened = 0

    def error(self, kind: str, what: str):
        self.by_kind[kind]["unexpected"] += 1
        self.unexpected += 1
        if len(self.examples) < 20:
            self.examples.append(f"{kind}: {what}")


async def read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    raw = await reader.readuntil(b"\r\n\r\n")
    lines = raw.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise BadResponse(f"bad status line {lines[0]!r}")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    return int(parts[1]), headers


async def read_body(reader: asyncio.StreamReader, headers: dict[str, str], stop_after_first: bool) -> tuple[bytes, bool]:
    """Returns (body, complete). With stop_after_first, returns as soon as the first non-empty data arrives."""
    if headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            line = await reader.readuntil(b"\r\n")
            size = int(line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers, then the empty line
                    pass
                return b"".join(parts), True
            data = await reader.readexactly(size + 2)
            parts.append(data[:-2])
            if stop_after_first:
                return b"".join(parts), False
    if "content-length" in headers:
        n = int(headers["content-length"])
        if stop_after_first and n > 0:
            return await reader.read(n), False
        return await reader.readexactly(n), True
    # neither: the body runs to the end of the connection
    if stop_after_first:
        return await reader.read(65536), False
    return await reader.read(), True


def check_body(kind: str, status: int, body: bytes) -> str | None:
    """None when the complete 200 answer has the expected shape, else what is wrong."""
    _, _, _, streamed, sse = KINDS[kind]
    if status != 200:
        return f"status {status}: {body[:200]!r}"
    if not streamed:
        if MUST_CONTAIN[kind] not in body:
            return f"body without {MUST_CONTAIN[kind]!r}: {body[:200]!r}"
        return None
    if sse:
        if not body.rstrip().endswith(b"data: [DONE]"):
            return f"SSE stream did not end with data: [DONE]: ...{body[-200:]!r}"
        if body.count(b"data: ") < 2:
            return f"SSE stream without chunks: {body[:200]!r}"
        return None
    lines = [line for line in body.split(b"\n") if line.strip()]
    if not lines or b'"done":true' not in lines[-1]:
        return f"stream did not end with done:true: ...{body[-200:]!r}"
    if any(b'"error"' in line for line in lines):
        return f"stream carried an error line: {body[-200:]!r}"
    return None


async def worker(wid: int, port: int, plan: list[tuple[str, bool]], cursor: list[int], stats: Stats,
                 requests: dict[str, bytes], deadline: float, timeout: float):
    reader = writer = None

    async def connect():
        nonlocal reader, writer
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port, limit=1 << 20), timeout)
        stats.connections_opened += 1

    def drop():
        nonlocal reader, writer
        if writer is not None:
            writer.transport.abort()
        reader = writer = None

    while time.monotonic() < deadline:
        i = cursor[0]
        if i >= len(plan):
            break
        cursor[0] = i + 1
        kind, disconnect = plan[i]
        ks = stats.by_kind[kind]
        ks["sent"] += 1
        t0 = time.perf_counter()
        try:
            if writer is None:
                await connect()
            writer.write(requests[kind])
            status, headers = await asyncio.wait_for(read_head(reader), timeout)
            ks["status"][status] = ks["status"].get(status, 0) + 1
            early = disconnect and status == 200
            body, complete = await asyncio.wait_for(read_body(reader, headers, early), timeout)
            ks["latency"].append(time.perf_counter() - t0)
            if early:
                if not body:
                    stats.error(kind, "no first chunk before the disconnect")
                ks["disconnected"] += 1
                drop()  # the client goes away mid-stream
            else:
                problem = check_body(kind, status, body)
                if problem:
                    stats.error(kind, problem)
                else:
                    ks["ok"] += 1
                if headers.get("connection", "").lower() == "close" or not complete:
                    drop()
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError,
                OSError, BadResponse, ValueError) as e:
            stats.error(kind, f"{type(e).__name__}: {e}")
            drop()
        stats.done += 1
    if writer is not None:
        writer.close()


async def sampler(pid: int, emulator_pid: int, stats: Stats, samples: list[dict], every: float, t0: float,
                  stop: asyncio.Event, total: int):
    last_done, last_t = 0, t0
    next_print = t0
    while True:
        now = time.monotonic()
        s = {"t_s": round(now - t0, 2), "requests_done": stats.done, "rss_kb": rss_kb(pid),
             "fds": len(os.listdir(f"/proc/{pid}/fd")), "threads": threads(pid),
             "emulator_rss_kb": rss_kb(emulator_pid)}
        samples.append(s)
        if now >= next_print:
            rate = (stats.done - last_done) / max(now - last_t, 1e-6)
            print(f"   {s['t_s']:6.0f} s  {stats.done:>7}/{total} requests  {rate:6.0f} req/s  gateway RSS "
                  f"{s['rss_kb'] / 1024:6.1f} MB  fds {s['fds']:>4}  threads {s['threads']:>3}  unexpected "
                  f"{stats.unexpected}", flush=True)
            last_done, last_t, next_print = stats.done, now, now + 15
        try:
            await asyncio.wait_for(stop.wait(), every)
            return
        except asyncio.TimeoutError:
            pass


def threads(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0


async def soak(args, port: int, gw_pid: int, emu_pid: int) -> dict:
    rng = random.Random(args.seed)
    kinds = list(KINDS)
    weights = [KINDS[k][0] for k in kinds]
    plan = []
    for kind in rng.choices(kinds, weights, k=args.requests):
        plan.append((kind, KINDS[kind][3] and rng.random() < args.disconnect))
    requests = {k: build_request(k, port) for k in kinds}
    stats = Stats()
    samples: list[dict] = []
    stop = asyncio.Event()
    t0 = time.monotonic()
    deadline = t0 + args.max_seconds
    cursor = [0]
    samp = asyncio.create_task(sampler(gw_pid, emu_pid, stats, samples, args.sample_s, t0, stop, args.requests))
    workers = [asyncio.create_task(worker(w, port, plan, cursor, stats, requests, deadline, args.timeout))
               for w in range(args.concurrency)]
    await asyncio.gather(*workers)
    seconds = time.monotonic() - t0
    stop.set()
    await samp
    # the end figure: taken right after the last request completed
    samples.append({"t_s": round(time.monotonic() - t0, 2), "requests_done": stats.done, "rss_kb": rss_kb(gw_pid),
                    "fds": len(os.listdir(f"/proc/{gw_pid}/fd")), "threads": threads(gw_pid),
                    "emulator_rss_kb": rss_kb(emu_pid), "end": True})
    return {"stats": stats, "samples": samples, "seconds": seconds, "planned": len(plan)}


def summarize(args, r: dict, settle: dict | None) -> tuple[dict, list[str], bool]:
    stats: Stats = r["stats"]
    samples = r["samples"]
    warm_at = int(args.requests * args.warmup)
    warm = next((s for s in samples if s["requests_done"] >= warm_at), samples[-1])
    end = samples[-1]
    mx = max(samples, key=lambda s: s["rss_kb"])
    growth = end["rss_kb"] / warm["rss_kb"] - 1
    kinds = {}
    for k, ks in stats.by_kind.items():
        lat = ks["latency"]
        kinds[k] = {"sent": ks["sent"], "status": {str(s): n for s, n in sorted(ks["status"].items())},
                    "ok": ks["ok"], "disconnected": ks["disconnected"], "unexpected": ks["unexpected"],
                    "p50_ms": pct(lat, 50) * 1000 if lat else None, "p99_ms": pct(lat, 99) * 1000 if lat else None,
                    "max_ms": max(lat) * 1000 if lat else None}
    completed = stats.done
    checks = {
        "no_unexpected_errors": stats.unexpected == 0,
        "all_requests_sent": completed >= args.requests,
        "rss_growth_within_bound": growth <= args.rss_growth,
    }
    ok = all(checks.values())
    out = {
        "requests": completed, "planned": r["planned"], "seconds": round(r["seconds"], 1),
        "requests_per_s": round(completed / r["seconds"], 1), "unexpected_errors": stats.unexpected,
        "error_examples": stats.examples, "connections_opened": stats.connections_opened,
        "disconnected": sum(k["disconnected"] for k in kinds.values()), "kinds": kinds,
        "rss": {"after_warmup_mb": round(warm["rss_kb"] / 1024, 1), "after_warmup_at_request": warm["requests_done"],
                "after_warmup_at_s": warm["t_s"], "end_mb": round(end["rss_kb"] / 1024, 1),
                "max_mb": round(mx["rss_kb"] / 1024, 1), "max_at_s": mx["t_s"], "growth": round(growth, 4),
                "growth_limit": args.rss_growth,
                "after_idle_mb": round(settle["rss_kb"] / 1024, 1) if settle else None},
        "fds": {"after_warmup": warm["fds"], "end": end["fds"], "max": max(s["fds"] for s in samples)},
        "threads": {"after_warmup": warm["threads"], "end": end["threads"], "max": max(s["threads"] for s in samples)},
        "checks": checks, "verdict": "PASS" if ok else "FAIL",
    }
    lines = []
    add = lines.append
    hdr = (f"{'kind':<18} {'sent':>8} {'200':>8} {'other status':<14} {'complete ok':>11} {'disconn.':>8} "
           f"{'unexpected':>10} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    add(hdr)
    add("-" * len(hdr))
    tot = {"sent": 0, "200": 0, "ok": 0, "disconnected": 0, "unexpected": 0}
    for k, v in kinds.items():
        other = ", ".join(f"{s}:{n}" for s, n in v["status"].items() if s != "200") or "-"
        n200 = v["status"].get("200", 0)
        add(f"{k:<18} {v['sent']:>8} {n200:>8} {other:<14} {v['ok']:>11} {v['disconnected']:>8} {v['unexpected']:>10} "
            f"{v['p50_ms'] or 0:>8.2f} {v['p99_ms'] or 0:>8.2f} {v['max_ms'] or 0:>8.1f}")
        for t, x in (("sent", v["sent"]), ("200", n200), ("ok", v["ok"]), ("disconnected", v["disconnected"]),
                     ("unexpected", v["unexpected"])):
            tot[t] += x
    add("-" * len(hdr))
    add(f"{'total':<18} {tot['sent']:>8} {tot['200']:>8} {'':<14} {tot['ok']:>11} {tot['disconnected']:>8} "
        f"{tot['unexpected']:>10}")
    add("(disconn. = streamed requests the client closed after the first chunk, by design; p50/p99 = time to the "
        "end of the response,\n or to the first chunk for disconnected ones)")
    add("")
    rss = out["rss"]
    add(f"requests {completed} of {args.requests} in {out['seconds']:.0f} s ({out['requests_per_s']:.0f} req/s), "
        f"{args.concurrency} connections, {out['connections_opened']} connections opened; unexpected errors "
        f"{stats.unexpected}")
    add(f"gateway RSS: after warm-up {rss['after_warmup_mb']:.1f} MB (request {rss['after_warmup_at_request']}, "
        f"{rss['after_warmup_at_s']:.0f} s), end {rss['end_mb']:.1f} MB ({growth * 100:+.1f}%, limit "
        f"+{args.rss_growth * 100:.0f}%), max {rss['max_mb']:.1f} MB (at {rss['max_at_s']:.0f} s)"
        + (f", after {args.idle_s:.0f} s idle {rss['after_idle_mb']:.1f} MB" if settle else ""))
    add(f"gateway fds after warm-up {out['fds']['after_warmup']}, end {out['fds']['end']}, max {out['fds']['max']}; "
        f"threads after warm-up {out['threads']['after_warmup']}, end {out['threads']['end']}, "
        f"max {out['threads']['max']}")
    for e in stats.examples[:10]:
        add(f"  error: {e}")
    add("")
    add(f"  [{'x' if checks['no_unexpected_errors'] else ' '}] no unexpected errors ({stats.unexpected})")
    add(f"  [{'x' if checks['all_requests_sent'] else ' '}] at least {args.requests} requests within "
        f"{args.max_seconds:.0f} s ({completed})")
    add(f"  [{'x' if checks['rss_growth_within_bound'] else ' '}] RSS at the end <= after warm-up + "
        f"{args.rss_growth * 100:.0f}% ({rss['end_mb']:.1f} vs {rss['after_warmup_mb']:.1f} MB, {growth * 100:+.1f}%)")
    add(f"verdict: {out['verdict']}")
    return out, lines, ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--soak", action="store_true", help=argparse.SUPPRESS)  # passed through by run.sh
    ap.add_argument("--out", default=str(BENCH / "out"), help="folder holding the published server/ and emulator/")
    ap.add_argument("--results", default=str(BENCH / "results"), help="where soak-<timestamp>.json is written")
    ap.add_argument("--base-port", type=int, default=18300, help="emulator on N+1, gateway on N+20")
    ap.add_argument("--requests", type=int, default=200_000)
    ap.add_argument("--concurrency", type=int, default=48)
    ap.add_argument("--disconnect", type=float, default=0.05, help="share of streamed requests closed after the first chunk")
    ap.add_argument("--chunks", type=int, default=8, help="emulator: tokens per reply")
    ap.add_argument("--token-delay-ms", type=int, default=1,
                    help="emulator: delay between streamed lines (1 ms so that disconnects land mid-stream)")
    ap.add_argument("--warmup", type=float, default=0.10, help="share of the requests before the after-warm-up RSS")
    ap.add_argument("--rss-growth", type=float, default=0.20, help="allowed RSS growth from after warm-up to the end")
    ap.add_argument("--sample-s", type=float, default=2.0, help="seconds between RSS samples")
    ap.add_argument("--idle-s", type=float, default=5.0, help="seconds idle after the load before a last RSS figure (reported only)")
    ap.add_argument("--max-seconds", type=float, default=720.0, help="time bound for sending (fails when it hits)")
    ap.add_argument("--timeout", type=float, default=30.0, help="per-request timeout, seconds")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--gateway-env", action="append", default=[], metavar="NAME=VALUE",
                    help="environment variable for the gateway process (repeatable)")
    args = ap.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 65536 if hard == resource.RLIM_INFINITY else min(65536, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, want), hard))

    out_dir = Path(args.out)
    server_exe, emulator_exe = out_dir / "server" / "Gateway.Server", out_dir / "emulator" / "Gateway.Emulator"
    for exe in (server_exe, emulator_exe):
        if not exe.exists():
            print(f"{exe} is missing: run bench/run.sh --soak (it publishes the servers)", file=sys.stderr)
            return 2
    emu_port, gw_port = args.base_port + 1, args.base_port + 20
    busy = [str(p) for p in (emu_port, gw_port) if not port_free(p)]
    if busy:
        print(f"ports in use on 127.0.0.1: {', '.join(busy)} (choose another --base-port)", file=sys.stderr)
        return 2

    started = dt.datetime.now()
    tmp = Path(tempfile.mkdtemp(prefix="ogw-soak-"))
    procs = Processes(tmp)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    git = lambda *a: subprocess.run(["git", "-C", str(BENCH), *a], capture_output=True, text=True).stdout.strip()  # noqa: E731
    meta = {"started": started.isoformat(timespec="seconds"), "cpus": os.cpu_count(),
            "machine": f"{platform.system()} {platform.release()} {platform.machine()}",
            "loadavg_at_start": os.getloadavg(), "git": git("rev-parse", "--short", "HEAD"),
            "tree_dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
            "gateway_env": dict(kv.split("=", 1) for kv in args.gateway_env)}
    settings = {k: v for k, v in vars(args).items() if k not in ("soak", "gateway_env")}
    settings["mix_weights"] = {k: v[0] for k, v in KINDS.items()}
    try:
        keys = tmp / "keys.json"
        keys.write_text(json.dumps({"keys": [{"name": "soak", "key": KEY}]}))
        env = dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1")
        emu = procs.start("emulator", [str(emulator_exe), "--urls", f"http://127.0.0.1:{emu_port}",
                                       "--token-delay-ms", str(args.token_delay_ms), "--chunks", str(args.chunks),
                                       "--Logging:LogLevel:Default=Warning"], cwd=emulator_exe.parent, env=env)
        gw = procs.start("gateway", [str(server_exe), "--urls", f"http://127.0.0.1:{gw_port}",
                                     f"--Gateway:OllamaUrl=http://127.0.0.1:{emu_port}", f"--Gateway:KeysFile={keys}",
                                     "--Logging:LogLevel:Default=Warning"], cwd=server_exe.parent,
                         env=dict(env, **meta["gateway_env"]))
        wait_until_serving(procs, "emulator", emu_port)
        wait_until_serving(procs, "gateway", gw_port)
        # every kind answers once as expected, and a wrong key is refused
        for kind, (_, method, path, streamed, sse) in KINDS.items():
            body = json.dumps(BODIES[kind]).encode() if kind in BODIES else None
            expect_200(procs, "gateway", gw_port, method, path, body,
                       must_contain=(b"data: [DONE]" if sse else b'"done":true') if streamed else MUST_CONTAIN[kind])
        status, _ = http_request(gw_port, "GET", "/api/tags", key="sk-wrong")
        if status != 401:
            raise BenchError(f"the gateway answered {status}, not 401, to a wrong key")
        time.sleep(1)
        print(f"soak: {args.requests} requests, {args.concurrency} connections, {args.disconnect * 100:.0f}% of "
              f"streams abandoned after the first chunk; emulator {args.chunks} chunks, {args.token_delay_ms} ms "
              f"apart; gateway pid {gw.pid}, idle RSS {rss_kb(gw.pid) / 1024:.1f} MB", flush=True)
        r = asyncio.run(soak(args, gw_port, gw.pid, emu.pid))
        procs.check_alive()
        time.sleep(args.idle_s)
        settle = {"rss_kb": rss_kb(gw.pid)}
        procs.check_alive()
        summary, lines, ok = summarize(args, r, settle)
    except BenchError as e:
        print(f"\nSOAK FAILED: {e}\n(process logs in {tmp})", file=sys.stderr)
        procs.stop_all()
        return 1
    except KeyboardInterrupt as e:
        print(f"\ninterrupted ({e}); stopping everything", file=sys.stderr)
        procs.stop_all()
        return 130
    finally:
        procs.stop_all()

    meta["loadavg_at_end"] = os.getloadavg()
    meta["seconds"] = round((dt.datetime.now() - started).total_seconds())
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    path = results / f"soak-{started.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"meta": meta, "settings": settings, "summary": summary,
                                "rss_samples": r["samples"]}, indent=1) + "\n")
    print(f"\nOllamaGateway soak, {meta['started']}, {meta['cpus']} CPUs, load average at start "
          f"{' '.join(f'{x:.2f}' for x in meta['loadavg_at_start'])}, at end "
          f"{' '.join(f'{x:.2f}' for x in meta['loadavg_at_end'])}; commit {meta['git']}"
          f"{' (with uncommitted changes)' if meta['tree_dirty'] else ''}\n")
    print("\n".join(lines))
    print(f"\nwritten: {path} ({meta['seconds']} s)")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
