#!/usr/bin/env python3
"""OllamaGateway benchmark: gateway vs no gateway vs nginx, in one run.

Started by bench/run.sh (which installs nginx and wrk and publishes the servers); it can be run on its own
when bench/out/ already holds the published servers. Everything listens on 127.0.0.1, every process it
starts is stopped when it ends (normally, on error or on SIGINT/SIGTERM), and every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import http.client
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PAYLOADS = BENCH / "payloads"
LUA = BENCH / "wrk" / "request.lua"
KEY = "sk-bench-0123456789abcdef0123456789abcdef"


# ----------------------------------------------------------------------------------------------------------
# settings


class Settings:
    def __init__(self, quick: bool):
        self.quick = quick
        self.wrk_threads = 2
        self.wrk_connections = 64
        self.wrk_duration = 3 if quick else 10  # seconds per measured run
        # seconds per discarded warm-up run, per target: long enough for tiered (PGO) compilation to settle;
        # a perf look showed the JIT still at ~15% of the gateway's CPU after 3 s of load
        self.wrk_warmup = 2 if quick else 8
        self.wrk_rounds = 1 if quick else 3  # measured runs per target, targets alternating
        self.lat_duration = 2 if quick else 5  # the 1-connection latency scenario
        self.stream_requests = 30 if quick else 200  # sequential streamed requests per target
        self.stream_warmup = 5 if quick else 20
        self.stream_chunks = 256
        self.open_streams = 200 if quick else 1000
        self.open_stream_delay_ms = 50
        self.open_stream_chunks = 400
        self.startup_runs = 2 if quick else 5


# ----------------------------------------------------------------------------------------------------------
# processes


class BenchError(Exception):
    pass


class Processes:
    """Every process the benchmark starts, each in its own process group, stopped by pid at the end."""

    def __init__(self, logdir: Path):
        self.logdir = logdir
        self.procs: list[tuple[str, subprocess.Popen, Path]] = []

    def start(self, name: str, argv: list[str], cwd: Path | None = None, env: dict | None = None) -> subprocess.Popen:
        log = self.logdir / f"{name}.log"
        out = open(log, "ab")
        p = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()
        self.procs.append((name, p, log))
        return p

    def log_tail(self, name: str, lines: int = 40) -> str:
        text = []
        for log in (self.logdir / f"{name}.log", self.logdir / f"{name}-error.log"):  # nginx writes the latter
            if log.exists():
                text += log.read_text(errors="replace").splitlines()[-lines:]
        return "\n".join(text) if text else "(no log)"

    def check_alive(self):
        for name, p, _ in self.procs:
            if p.poll() is not None:
                raise BenchError(f"{name} (pid {p.pid}) exited with {p.returncode}:\n{self.log_tail(name)}")

    def stop(self, proc: subprocess.Popen, timeout: float = 5.0):
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)  # its own group: nginx master + workers
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout)
        self.procs = [t for t in self.procs if t[1] is not proc]

    def stop_all(self):
        for _, p, _ in list(reversed(self.procs)):
            self.stop(p)


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def http_request(port: int, method: str, path: str, body: bytes | None = None, key: str | None = KEY,
                 timeout: float = 5.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def wait_until_serving(procs: Processes, name: str, port: int, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        procs.check_alive()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError as e:
            last = e
        time.sleep(0.05)
    raise BenchError(f"{name} did not listen on 127.0.0.1:{port} within {timeout}s ({last}):\n{procs.log_tail(name)}")


def expect_200(procs: Processes, name: str, port: int, method: str, path: str, body: bytes | None,
               key: str | None = KEY, must_contain: bytes | None = None):
    try:
        status, data = http_request(port, method, path, body, key, timeout=10)
    except OSError as e:
        raise BenchError(f"{name}: {method} {path} failed: {e}\n{procs.log_tail(name)}")
    if status != 200 or (must_contain and must_contain not in data):
        raise BenchError(f"{name}: {method} {path} answered {status}: {data[:400]!r}\n--- log ---\n"
                         f"{procs.log_tail(name)}")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise BenchError(f"no VmRSS for pid {pid}")


def cpu_ticks(root_pid: int) -> int:
    """utime+stime of a process and its direct children (nginx workers), in clock ticks."""
    pids = [root_pid]
    try:
        children = Path(f"/proc/{root_pid}/task/{root_pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        total += int(fields[11]) + int(fields[12])
    return total


CLK_TCK = os.sysconf("SC_CLK_TCK")


# ----------------------------------------------------------------------------------------------------------
# the environment: upstreams, nginx proxy, gateways


NGINX_COMMON = """
daemon off;
pid {tmp}/{name}.pid;
error_log {tmp}/{name}-error.log warn;
worker_rlimit_nofile 65536;
events {{ worker_connections 16384; multi_accept on; }}
"""

NGINX_HTTP_COMMON = """
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 75s;
    client_body_temp_path {tmp}/{name}-body;
    proxy_temp_path {tmp}/{name}-proxy;
    fastcgi_temp_path {tmp}/{name}-fastcgi;
    uwsgi_temp_path {tmp}/{name}-uwsgi;
    scgi_temp_path {tmp}/{name}-scgi;
    client_body_buffer_size 64k;
    server_tokens off;
"""


def nginx_upstream_conf(tmp: Path, port: int, extra_ports: list[int] = ()) -> str:
    def body(name):
        s = (PAYLOADS / name).read_text().strip()
        if "'" in s or "\\" in s or "$" in s:
            raise BenchError(f"{name} must not contain ' \\ or $ (it is inlined in nginx's config)")
        return s

    return (NGINX_COMMON.format(tmp=tmp, name="upstream") + "worker_processes 1;\nhttp {\n"
            + NGINX_HTTP_COMMON.format(tmp=tmp, name="upstream") + f"""
    server {{
        listen 127.0.0.1:{port} reuseport backlog=4096;
{"".join(f"        listen 127.0.0.1:{p} reuseport backlog=4096;" + chr(10) for p in extra_ports)}        default_type application/json;
        location = / {{ default_type text/plain; return 200 'Ollama is running'; }}
        location = /api/tags {{ return 200 '{body("upstream-tags.json")}'; }}
        location = /api/chat {{ return 200 '{body("upstream-chat.json")}'; }}
        location = /api/generate {{ return 200 '{body("upstream-generate.json")}'; }}
        location = /api/version {{ return 200 '{{"version":"0.33.0"}}'; }}
        location = /api/ps {{ return 200 '{{"models":[]}}'; }}
        location / {{ return 404 '{{"error":"not found"}}'; }}
    }}
}}
""")


def nginx_proxy_conf(tmp: Path, routes: list[tuple[int, int]]) -> str:
    """routes: (listen port, upstream port). Bearer check, HTTP/1.1 keep-alive upstream, no buffering."""
    ups, servers = [], []
    for i, (listen, upstream) in enumerate(routes):
        ups.append(f"""
    upstream up{i} {{
        server 127.0.0.1:{upstream};
        keepalive 256;
        keepalive_requests 1000000;
        keepalive_timeout 75s;
    }}""")
        servers.append(f"""
    server {{
        listen 127.0.0.1:{listen} reuseport backlog=4096;
        location / {{
            if ($http_authorization != "Bearer {KEY}") {{ return 401; }}
            proxy_pass http://up{i};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Authorization "";
            proxy_buffering off;
            proxy_request_buffering off;
            proxy_read_timeout 600s;
        }}
    }}""")
    return (NGINX_COMMON.format(tmp=tmp, name="proxy") + "worker_processes auto;\nhttp {\n"
            + NGINX_HTTP_COMMON.format(tmp=tmp, name="proxy") + "".join(ups) + "".join(servers) + "\n}\n")


class Env:
    def __init__(self, s: Settings, out: Path, procs: Processes, tmp: Path, base_port: int):
        self.s, self.out, self.procs, self.tmp = s, out, procs, tmp
        p = base_port
        self.port = {
            "upstream": p, "emulator": p + 1, "emulator_slow": p + 2, "upstream_2": p + 3, "upstream_3": p + 4,
            "nginx_a": p + 10, "nginx_b": p + 11,
            "gateway_a": p + 20, "gateway_b": p + 21, "gateway_mem": p + 22, "gateway_start": p + 23, "gateway_u3": p + 24,
            "bare": p + 25, "gateway_on": p + 26, "gateway_off": p + 27, "gateway_base": p + 28,
            "redis": p + 29, "gateway_lim": p + 30, "gateway_lim_redis": p + 31,
        }
        busy = [f"{k}={v}" for k, v in self.port.items() if not port_free(v)]
        if busy:
            raise BenchError(f"ports in use on 127.0.0.1: {', '.join(busy)} (choose another --base-port)")
        self.keys_file = tmp / "keys.json"
        self.keys_file.write_text(json.dumps({"keys": [{"name": "bench", "key": KEY}]}))
        self.pid: dict[str, int] = {}
        self.server_exe = out / "server" / "Gateway.Server"
        self.emulator_exe = out / "emulator" / "Gateway.Emulator"
        self.bare_exe = out / "bare" / "BareProxy"
        self.base_server_exe: Path | None = None
        for exe in (self.server_exe, self.emulator_exe):
            if not exe.exists():
                raise BenchError(f"{exe} is missing: run bench/run.sh (it publishes the servers)")

    gateway_env: dict[str, str] = {}

    def dotnet_env(self, gateway: bool = False) -> dict:
        env = dict(os.environ)
        if gateway:
            env.update(self.gateway_env)
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1"
        env["DOTNET_NOLOGO"] = "1"
        return env

    def start_nginx(self, name: str, conf: str):
        path = self.tmp / f"{name}.conf"
        path.write_text(conf)
        for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.tmp / f"{name}-{d}").mkdir(exist_ok=True)
        test = subprocess.run(["nginx", "-t", "-p", str(self.tmp), "-c", str(path)], capture_output=True, text=True)
        if test.returncode != 0:
            raise BenchError(f"nginx config for {name} is invalid:\n{test.stderr}\n{conf}")
        p = self.procs.start(name, ["nginx", "-p", str(self.tmp), "-c", str(path)])
        self.pid[name] = p.pid

    def start_emulator(self, name: str, port: int, delay_ms: int, chunks: int):
        p = self.procs.start(name, [str(self.emulator_exe), "--urls", f"http://127.0.0.1:{port}",
                                    "--token-delay-ms", str(delay_ms), "--chunks", str(chunks),
                                    "--Logging:LogLevel:Default=Warning"],
                             cwd=self.emulator_exe.parent, env=self.dotnet_env())
        self.pid[name] = p.pid

    def gateway_argv(self, port: int, upstream_port: int) -> list[str]:
        return [str(self.server_exe), "--urls", f"http://127.0.0.1:{port}",
                f"--Gateway:OllamaUrl=http://127.0.0.1:{upstream_port}",
                f"--Gateway:KeysFile={self.keys_file}", "--Logging:LogLevel:Default=Warning"]

    def start_gateway(self, name: str, port: int, upstream_port: int) -> subprocess.Popen:
        p = self.procs.start(name, self.gateway_argv(port, upstream_port), cwd=self.server_exe.parent,
                             env=self.dotnet_env(gateway=True))
        self.pid[name] = p.pid
        return p

    def start_bare(self, name: str, port: int, upstream_port: int) -> subprocess.Popen:
        """The bare stack: Kestrel + YARP's forwarder + a bearer check (bench/bare), the gateway's own baseline."""
        if not self.bare_exe.exists():
            raise BenchError(f"{self.bare_exe} is missing: run bench/run.sh (it publishes bench/bare)")
        p = self.procs.start(name, [str(self.bare_exe), "--urls", f"http://127.0.0.1:{port}",
                                    f"--upstream=http://127.0.0.1:{upstream_port}", f"--key={KEY}"],
                             cwd=self.bare_exe.parent, env=self.dotnet_env(gateway=True))
        self.pid[name] = p.pid
        return p

    def start_gateway_with(self, name: str, port: int, upstream_port: int, extra: list[str],
                           exe: Path | None = None) -> subprocess.Popen:
        """A gateway with extra settings (each in a folder of its own, so its usage ledger is its own)."""
        folder = self.tmp / name
        folder.mkdir(exist_ok=True)
        argv = [str(exe or self.server_exe), "--urls", f"http://127.0.0.1:{port}",
                f"--Gateway:OllamaUrl=http://127.0.0.1:{upstream_port}", f"--Gateway:KeysFile={self.keys_file}",
                f"--Gateway:Usage:Path={folder / 'usage.db'}", "--Logging:LogLevel:Default=Warning", *extra]
        p = self.procs.start(name, argv, cwd=(exe or self.server_exe).parent, env=self.dotnet_env(gateway=True))
        self.pid[name] = p.pid
        return p

    def start_routing_gateway(self, name: str, port: int, upstream_ports: list[int]) -> subprocess.Popen:
        """A gateway in front of several Ollama servers (Gateway:Upstreams), each with every model."""
        argv = [str(self.server_exe), "--urls", f"http://127.0.0.1:{port}", f"--Gateway:KeysFile={self.keys_file}",
                "--Logging:LogLevel:Default=Warning"]
        for i, up in enumerate(upstream_ports):
            argv += [f"--Gateway:Upstreams:{i}:Name=u{i}", f"--Gateway:Upstreams:{i}:Url=http://127.0.0.1:{up}"]
        p = self.procs.start(name, argv, cwd=self.server_exe.parent, env=self.dotnet_env(gateway=True))
        self.pid[name] = p.pid
        return p

    def start_limited_gateways(self) -> tuple[subprocess.Popen, subprocess.Popen]:
        """A local redis-server and two gateways in front of the nginx upstream whose bench key has limits (requests
        per minute and concurrent requests, too high to refuse anything): one counts in its own memory, one in Redis."""
        P = self.port
        p = self.procs.start("redis", ["redis-server", "--port", str(P["redis"]), "--bind", "127.0.0.1", "--save", "",
                                       "--appendonly", "no", "--dir", str(self.tmp)])
        self.pid["redis"] = p.pid
        wait_until_serving(self.procs, "redis", P["redis"])
        limited = self.tmp / "keys-limited.json"
        limited.write_text(json.dumps({"keys": [{"name": "bench", "key": KEY,
                                                 "limits": {"requestsPerMinute": 1000000000, "concurrentRequests": 10000}}]}))
        gateways = []
        for name, extra in [("gateway_lim", []),
                            ("gateway_lim_redis", [f"--Gateway:Redis:Configuration=127.0.0.1:{P['redis']}"])]:
            argv = self.gateway_argv(P[name], P["upstream"])
            argv = [a if not a.startswith("--Gateway:KeysFile=") else f"--Gateway:KeysFile={limited}" for a in argv] + extra
            g = self.procs.start(name, argv, cwd=self.server_exe.parent, env=self.dotnet_env(gateway=True))
            self.pid[name] = g.pid
            gateways.append(g)
        for name in ("gateway_lim", "gateway_lim_redis"):
            wait_until_serving(self.procs, name, P[name])
            expect_200(self.procs, name, P[name], "POST", "/api/chat", (PAYLOADS / "chat.json").read_bytes(),
                       must_contain=b'"done":true')
        status, body = http_request(P["gateway_lim_redis"], "GET", "/readyz")
        if b'"available":true' not in body:
            raise BenchError(f"the Redis gateway does not use Redis: /readyz {status} {body[:300]!r}\n"
                             f"{self.procs.log_tail('gateway_lim_redis')}")
        return gateways[0], gateways[1]

    def start_all(self):
        P = self.port
        self.start_nginx("upstream", nginx_upstream_conf(self.tmp, P["upstream"], [P["upstream_2"], P["upstream_3"]]))
        self.start_emulator("emulator", P["emulator"], 0, self.s.stream_chunks)
        self.start_nginx("proxy", nginx_proxy_conf(self.tmp, [(P["nginx_a"], P["upstream"]),
                                                              (P["nginx_b"], P["emulator"])]))
        self.start_gateway("gateway_a", P["gateway_a"], P["upstream"])
        self.start_gateway("gateway_b", P["gateway_b"], P["emulator"])
        for name, port in [("upstream", P["upstream"]), ("emulator", P["emulator"]), ("proxy", P["nginx_a"]),
                           ("proxy", P["nginx_b"]), ("gateway_a", P["gateway_a"]), ("gateway_b", P["gateway_b"])]:
            wait_until_serving(self.procs, name, port)
        self.check_targets()

    def check_targets(self):
        """Every target answers 200 with the key (and the key is really checked where it should be)."""
        P = self.port
        chat = (PAYLOADS / "chat.json").read_bytes()
        v1 = (PAYLOADS / "v1-chat.json").read_bytes()
        stream = (PAYLOADS / "chat-stream.json").read_bytes()
        v1s = (PAYLOADS / "v1-chat-stream.json").read_bytes()
        for name, port in [("upstream", P["upstream"]), ("proxy", P["nginx_a"]), ("gateway_a", P["gateway_a"])]:
            expect_200(self.procs, name, port, "GET", "/api/tags", None, must_contain=b"llama3.2:latest")
            expect_200(self.procs, name, port, "POST", "/api/chat", chat, must_contain=b'"done":true')
            expect_200(self.procs, name, port, "POST", "/api/generate",
                       (PAYLOADS / "generate.json").read_bytes(), must_contain=b'"done":true')
        expect_200(self.procs, "gateway_a", P["gateway_a"], "POST", "/v1/chat/completions", v1,
                   must_contain=b'"chat.completion"')
        for name, port in [("emulator", P["emulator"]), ("proxy", P["nginx_b"]), ("gateway_b", P["gateway_b"])]:
            expect_200(self.procs, name, port, "POST", "/api/chat", stream, must_contain=b'"done":true')
        expect_200(self.procs, "gateway_b", P["gateway_b"], "POST", "/v1/chat/completions", v1s,
                   must_contain=b"data: [DONE]")
        for name, port in [("proxy", P["nginx_a"]), ("gateway_a", P["gateway_a"])]:
            status, _ = http_request(port, "GET", "/api/tags", key="sk-wrong")
            if status != 401:
                raise BenchError(f"{name} answered {status}, not 401, to a wrong key: the comparison would be unfair")


# ----------------------------------------------------------------------------------------------------------
# wrk scenarios


def run_wrk(url: str, method: str, body: str | None, threads: int, conns: int, seconds: int) -> dict:
    env = dict(os.environ, WRK_METHOD=method, WRK_KEY=KEY, WRK_BODY=str(PAYLOADS / body) if body else "")
    argv = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "--latency", "--timeout", "5s", "-s", str(LUA), url]
    r = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=seconds + 30)
    line = next((l for l in r.stdout.splitlines() if l.startswith("WRK_JSON ")), None)
    if r.returncode != 0 or line is None:
        raise BenchError(f"wrk failed ({r.returncode}) for {url}:\n{r.stdout}\n{r.stderr}")
    res = json.loads(line[len("WRK_JSON "):])
    res["rps"] = res["requests"] / (res["duration_us"] / 1e6)
    return res


def wrk_scenario(env: Env, name: str, title: str, arms: list[dict], threads: int, conns: int, seconds: int,
                 rounds: int, warmup: int) -> dict:
    """arms: {target, port, method, path, body}. Warm-up per arm (discarded), then `rounds` rounds with the
    arms alternating; per arm the median over rounds is reported, every run is kept."""
    print(f"\n== {title}  (wrk -t{threads} -c{conns} -d{seconds}s x{rounds} rounds, warm-up {warmup}s)", flush=True)
    for a in arms:
        run_wrk(f"http://127.0.0.1:{a['port']}{a['path']}", a["method"], a.get("body"), threads, conns, warmup)
    runs = {a["target"]: [] for a in arms}
    for rnd in range(rounds):
        for a in arms:
            env.procs.check_alive()
            pid = env.pid.get(a.get("process", ""))
            also = env.pid.get(a.get("also", ""))  # a second process the arm uses (redis-server)
            c0 = cpu_ticks(pid) if pid else None
            a0 = cpu_ticks(also) if also else None
            r = run_wrk(f"http://127.0.0.1:{a['port']}{a['path']}", a["method"], a.get("body"), threads, conns, seconds)
            if pid:
                r["proxy_cpu_us_per_req"] = (cpu_ticks(pid) - c0) / CLK_TCK * 1e6 / max(r["requests"], 1)
            if also:
                r["also_cpu_us_per_req"] = (cpu_ticks(also) - a0) / CLK_TCK * 1e6 / max(r["requests"], 1)
            bad = sum(r["errors"].values())
            print(f"   round {rnd + 1} {a['target']:<14} {r['rps']:>9.0f} req/s  p50 {r['latency_us']['p50'] / 1000:7.3f} ms"
                  f"  p99 {r['latency_us']['p99'] / 1000:7.3f} ms"
                  + (f"  proxy cpu {r['proxy_cpu_us_per_req']:.0f} us/req" if pid else "")
                  + (f"  ERRORS {r['errors']}" if bad else ""), flush=True)
            if r["errors"]["status"]:
                raise BenchError(f"{a['target']} answered {r['errors']['status']} non-2xx responses in {title}:\n"
                                 f"{env.procs.log_tail(a.get('process', 'gateway_a'))}")
            runs[a["target"]].append(r)
    summary = {}
    for a in arms:
        rs = runs[a["target"]]
        summary[a["target"]] = {
            "path": a["path"], "method": a["method"], "body": a.get("body"),
            "rps": statistics.median(r["rps"] for r in rs),
            "p50_ms": statistics.median(r["latency_us"]["p50"] for r in rs) / 1000,
            "p99_ms": statistics.median(r["latency_us"]["p99"] for r in rs) / 1000,
            "errors": sum(sum(r["errors"].values()) for r in rs),
            "proxy_cpu_us_per_req": (statistics.median(r["proxy_cpu_us_per_req"] for r in rs)
                                     if "proxy_cpu_us_per_req" in rs[0] else None),
            "also_cpu_us_per_req": (statistics.median(r["also_cpu_us_per_req"] for r in rs)
                                    if "also_cpu_us_per_req" in rs[0] else None),
            "runs": rs,
        }
    return {"name": name, "title": title, "kind": "wrk", "threads": threads, "connections": conns,
            "seconds": seconds, "rounds": rounds, "targets": summary}


# ----------------------------------------------------------------------------------------------------------
# what the gateway's own logic costs: against the bare stack, and with accounting on and off


ACCOUNTING_OFF = ["--Gateway:Usage:Enabled=false", "--Gateway:AccessLog:Enabled=false", "--Gateway:Metrics:Enabled=false"]

# On: the usage ledger and metrics are on by default; the access log is written (at Information, to the process's
# log file) as an operator would keep it.
ACCOUNTING_ON = ["--Logging:LogLevel:OllamaGateway.Access=Information"]


def overhead_scenarios(env: Env, wrk_args: tuple) -> list[dict]:
    """The bare stack (Kestrel + YARP + a bearer check), the gateway with accounting (ledger, access log, metrics) off
    and on, and, with --base-server, an older build of the gateway, all in front of the same fixed upstream, arms
    alternating. For /v1 the bare stack's figure is its /api/chat: one upstream call with nothing translated."""
    P = env.port
    env.start_bare("bare", P["bare"], P["upstream"])
    env.start_gateway_with("gateway_off", P["gateway_off"], P["upstream"], ACCOUNTING_OFF)
    env.start_gateway_with("gateway_on", P["gateway_on"], P["upstream"], ACCOUNTING_ON)
    names = [("bare", "bare"), ("gateway_off", "gateway off"), ("gateway_on", "gateway on")]
    if env.base_server_exe:
        env.start_gateway_with("gateway_base", P["gateway_base"], P["upstream"], [], exe=env.base_server_exe)
        names.append(("gateway_base", "gateway base"))
    chat = (PAYLOADS / "chat.json").read_bytes()
    for process, _ in names:
        wait_until_serving(env.procs, process, P[process])
        expect_200(env.procs, process, P[process], "POST", "/api/chat", chat, must_contain=b'"done":true')
        status, _ = http_request(P[process], "GET", "/api/tags", key="sk-wrong")
        if status != 401:
            raise BenchError(f"{process} answered {status}, not 401, to a wrong key: the comparison would be unfair")

    def arms(path: str, body: str | None, bare_path: str, bare_body: str | None) -> list[dict]:
        out = []
        for process, target in names:
            p_, b_ = (bare_path, bare_body) if process == "bare" else (path, body)
            out.append({"target": target, "port": P[process], "method": "POST" if b_ else "GET", "path": p_,
                        "body": b_, "process": process})
        return out

    return [
        wrk_scenario(env, "overhead_tags", "GET /api/tags: gateway vs bare stack", arms("/api/tags", None, "/api/tags", None), *wrk_args),
        wrk_scenario(env, "overhead_chat", "POST /api/chat: gateway vs bare stack", arms("/api/chat", "chat.json", "/api/chat", "chat.json"), *wrk_args),
        wrk_scenario(env, "overhead_v1", "POST /v1/chat: gateway vs bare /api/chat", arms("/v1/chat/completions", "v1-chat.json", "/api/chat", "chat.json"), *wrk_args),
    ]


# ----------------------------------------------------------------------------------------------------------
# streamed requests: time to first chunk and total time, sequential


class StreamClient:
    def __init__(self, port: int):
        self.port = port
        self.conn = None

    def _connect(self):
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        self.conn.connect()
        self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def one(self, path: str, body: bytes, sse: bool) -> tuple[float, float, int]:
        """Returns (seconds to first body bytes, seconds to end of response, events received)."""
        if self.conn is None:
            self._connect()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {KEY}"}
        t0 = time.perf_counter()
        self.conn.request("POST", path, body=body, headers=headers)
        resp = self.conn.getresponse()
        if resp.status != 200:
            raise BenchError(f"streamed {path} on port {self.port} answered {resp.status}: {resp.read()[:300]!r}")
        first = resp.read1(65536)
        t1 = time.perf_counter()
        data = [first]
        while True:
            d = resp.read1(65536)
            if not d:
                break
            data.append(d)
        t2 = time.perf_counter()
        blob = b"".join(data)
        events = blob.count(b"data: ") if sse else blob.count(b"\n")
        if resp.will_close:
            self.conn.close()
            self.conn = None
        return t1 - t0, t2 - t0, events


def pct(values: list[float], p: float) -> float:
    v = sorted(values)
    k = (len(v) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def stream_scenario(env: Env) -> dict:
    s, P = env.s, env.port
    native = (PAYLOADS / "chat-stream.json").read_bytes()
    v1 = (PAYLOADS / "v1-chat-stream.json").read_bytes()
    arms = [
        {"target": "direct", "port": P["emulator"], "path": "/api/chat", "body": native, "sse": False},
        {"target": "nginx", "port": P["nginx_b"], "path": "/api/chat", "body": native, "sse": False},
        {"target": "gateway", "port": P["gateway_b"], "path": "/api/chat", "body": native, "sse": False},
        {"target": "gateway /v1", "port": P["gateway_b"], "path": "/v1/chat/completions", "body": v1, "sse": True},
    ]
    print(f"\n== streamed chat, {s.stream_chunks} chunks, {s.stream_requests} sequential requests per target "
          f"(interleaved, {s.stream_warmup} warm-up each)", flush=True)
    for a in arms:
        a["client"] = StreamClient(a["port"])
        a["ttfb"], a["total"], a["after"], a["events"] = [], [], [], []
    deadline = time.monotonic() + 240
    for i in range(s.stream_warmup + s.stream_requests):
        if time.monotonic() > deadline:
            raise BenchError("streamed scenario took longer than 240 s")
        for a in arms:
            ttfb, total, events = a["client"].one(a["path"], a["body"], a["sse"])
            if i >= s.stream_warmup:
                a["ttfb"].append(ttfb)
                a["total"].append(total)
                a["after"].append(total - ttfb)
                a["events"].append(events)
    for a in arms:  # a short stream would make every per-chunk figure meaningless
        want = s.stream_chunks + (2 if a["sse"] else 1)  # + the done line, + [DONE] for SSE
        if min(a["events"]) < want:
            raise BenchError(f"{a['target']} streamed {min(a['events'])} events, expected at least {want}")
    out = {}
    for a in arms:
        out[a["target"]] = {
            "path": a["path"],
            "ttfb_p50_ms": pct(a["ttfb"], 50) * 1000, "ttfb_p99_ms": pct(a["ttfb"], 99) * 1000,
            "total_p50_ms": pct(a["total"], 50) * 1000, "total_p99_ms": pct(a["total"], 99) * 1000,
            "after_first_p50_ms": pct(a["after"], 50) * 1000,
            "events_per_response": statistics.median(a["events"]),
            "chunks_per_s": s.stream_chunks / statistics.median(a["total"]),
        }
        if a["target"] != "direct":
            d = out["direct"]
            out[a["target"]]["added_ttfb_p50_ms"] = out[a["target"]]["ttfb_p50_ms"] - d["ttfb_p50_ms"]
            out[a["target"]]["added_ttfb_p99_ms"] = out[a["target"]]["ttfb_p99_ms"] - d["ttfb_p99_ms"]
            out[a["target"]]["added_per_chunk_us"] = ((out[a["target"]]["total_p50_ms"] - d["total_p50_ms"]) * 1000
                                                      / s.stream_chunks)
            out[a["target"]]["added_per_chunk_after_first_us"] = (
                (out[a["target"]]["after_first_p50_ms"] - d["after_first_p50_ms"]) * 1000 / s.stream_chunks)
        o = out[a["target"]]
        print(f"   {a['target']:<12} TTFB p50 {o['ttfb_p50_ms']:.3f} ms  p99 {o['ttfb_p99_ms']:.3f} ms   total p50 "
              f"{o['total_p50_ms']:.3f} ms  {o['chunks_per_s']:.0f} chunks/s  ({o['events_per_response']:.0f} events)",
              flush=True)
    return {"name": "stream", "kind": "stream", "chunks": s.stream_chunks, "requests": s.stream_requests,
            "targets": out}


# ----------------------------------------------------------------------------------------------------------
# memory with many open streams


async def hold_streams(port: int, path: str, body: bytes, n: int, pid: int, hold_s: float) -> dict:
    req = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
           f"Authorization: Bearer {KEY}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    opened = asyncio.Event()
    started = 0
    stop = asyncio.Event()
    failures: list[str] = []

    async def one():
        nonlocal started
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 20)
        except Exception as e:  # noqa: BLE001 - counted, reported
            failures.append(f"connect: {e!r}")
            return
        try:
            writer.write(req)
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            if not head.startswith(b"HTTP/1.1 200"):
                failures.append(head.split(b"\r\n")[0].decode(errors="replace"))
                return
            await asyncio.wait_for(reader.read(65536), 30)  # the first chunk
            started += 1
            if started == n:
                opened.set()
            while not stop.is_set():  # keep reading like a real client, until told to stop
                try:
                    d = await asyncio.wait_for(reader.read(65536), 0.5)
                except asyncio.TimeoutError:
                    continue
                if not d:
                    failures.append("stream ended before the sample was taken")
                    return
        except Exception as e:  # noqa: BLE001
            failures.append(repr(e))
        finally:
            writer.close()

    t0 = time.monotonic()
    tasks = []
    for i in range(n):
        tasks.append(asyncio.create_task(one()))
        if i % 50 == 49:
            await asyncio.sleep(0.01)  # do not overflow the accept backlog
    try:
        await asyncio.wait_for(opened.wait(), 60)
    except asyncio.TimeoutError:
        pass
    open_s = time.monotonic() - t0
    samples = []
    end = time.monotonic() + hold_s
    while time.monotonic() < end:
        samples.append(rss_kb(pid))
        await asyncio.sleep(0.25)
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 30)
    return {"streams_requested": n, "streams_open": started, "seconds_to_open": open_s,
            "rss_max_mb": max(samples) / 1024, "rss_last_mb": samples[-1] / 1024,
            "failures": len(failures), "failure_examples": failures[:5]}


def memory_scenario(env: Env) -> dict:
    """A fresh gateway per kind of stream, so each starts from the same idle heap."""
    s, P = env.s, env.port
    print(f"\n== memory: {s.open_streams} open streams (emulator {s.open_stream_chunks} chunks, "
          f"{s.open_stream_delay_ms} ms apart), a fresh gateway for each kind", flush=True)
    env.start_emulator("emulator_slow", P["emulator_slow"], s.open_stream_delay_ms, s.open_stream_chunks)
    wait_until_serving(env.procs, "emulator_slow", P["emulator_slow"])
    result = {}
    arms = [("native /api/chat", "/api/chat", (PAYLOADS / "chat-stream.json").read_bytes()),
            ("/v1 SSE", "/v1/chat/completions", (PAYLOADS / "v1-chat-stream.json").read_bytes())]
    for label, path, body in arms:
        gw = env.start_gateway("gateway_mem", P["gateway_mem"], P["emulator_slow"])
        wait_until_serving(env.procs, "gateway_mem", P["gateway_mem"])
        expect_200(env.procs, "gateway_mem", P["gateway_mem"], "GET", "/api/tags", None)
        time.sleep(1)
        idle = rss_kb(gw.pid) / 1024
        r = asyncio.run(hold_streams(P["gateway_mem"], path, body, s.open_streams, gw.pid, hold_s=3))
        time.sleep(2)
        r["idle_mb"] = idle
        r["rss_after_close_mb"] = rss_kb(gw.pid) / 1024
        env.procs.check_alive()
        result[label] = r
        print(f"   {label:<18} {r['streams_open']}/{r['streams_requested']} open after {r['seconds_to_open']:.1f}s: "
              f"RSS max {r['rss_max_mb']:.0f} MB (idle {idle:.0f} MB, after close {r['rss_after_close_mb']:.0f} MB)"
              + (f"  failures {r['failures']}: {r['failure_examples']}" if r["failures"] else ""), flush=True)
        if r["streams_open"] < r["streams_requested"]:
            raise BenchError(f"only {r['streams_open']} of {r['streams_requested']} streams opened: "
                             f"{r['failure_examples']}\n{env.procs.log_tail('gateway_mem')}")
        env.procs.stop(gw)
        for _ in range(100):
            if port_free(P["gateway_mem"]):
                break
            time.sleep(0.05)
    result["idle_mb"] = min(result[label]["idle_mb"] for label, _, _ in arms)
    return {"name": "memory", "kind": "memory", **result}


# ----------------------------------------------------------------------------------------------------------
# start-up time


def startup_scenario(env: Env) -> dict:
    s, P = env.s, env.port
    port = P["gateway_start"]
    print(f"\n== start-up: spawn to first 200 from GET /healthz, {s.startup_runs} runs", flush=True)
    times = []
    for i in range(s.startup_runs):
        t0 = time.perf_counter()
        p = env.procs.start("gateway_start", env.gateway_argv(port, P["upstream"]), cwd=env.server_exe.parent,
                            env=env.dotnet_env(gateway=True))
        ok = None
        while time.perf_counter() - t0 < 20:
            if p.poll() is not None:
                break
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    ok = time.perf_counter() - t0
                conn.close()
                if ok:
                    break
            except OSError:
                time.sleep(0.002)
        tail = env.procs.log_tail("gateway_start")
        env.procs.stop(p)
        if ok is None:
            raise BenchError(f"the gateway did not answer /healthz within 20 s:\n{tail}")
        times.append(ok * 1000)
        print(f"   run {i + 1}: {ok * 1000:.0f} ms", flush=True)
        for _ in range(100):  # the port must be free again before the next spawn
            if port_free(port):
                break
            time.sleep(0.05)
    return {"name": "startup", "kind": "startup", "runs_ms": times, "median_ms": statistics.median(times)}


# ----------------------------------------------------------------------------------------------------------
# report


GOALS = {
    "passthrough_vs_nginx": 1.0,  # gateway req/s / nginx req/s
    "p99_added_ms": 1.0,  # gateway p99 - direct p99
    "v1_vs_passthrough": 0.8,  # gateway /v1 req/s / gateway /api/chat req/s
    "added_per_chunk_us": 50.0,
    "added_ttfb_ms": 1.0,
    "rss_1000_mb": 150.0,
    "startup_ms": 500.0,
    "routing_added_us": 5.0,  # CPU per request, 3 upstreams - 1 upstream
    "vs_bare": 0.9,  # gateway (accounting on) req/s / bare stack req/s
    "accounting_added_us": 10.0,  # CPU per request, accounting on - off
}


def mark(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def build_report(res: dict) -> str:
    lines = []
    add = lines.append
    meta = res["meta"]
    add(f"OllamaGateway benchmark, {meta['started']} ({'quick' if meta['quick'] else 'full'} run), "
        f"{meta['cpus']} CPUs, {meta['machine']}")
    add(f"wrk -t{res['settings']['wrk_threads']} -c{res['settings']['wrk_connections']} "
        f"-d{res['settings']['wrk_duration']}s x{res['settings']['wrk_rounds']} rounds (median shown), targets "
        "alternating; 'direct' = the upstream itself, 'nginx' = nginx reverse proxy with a bearer check.")
    if meta.get("gateway_env"):
        add(f"gateway environment: {' '.join(f'{k}={v}' for k, v in meta['gateway_env'].items())}")
    la0, la1 = meta.get("loadavg_at_start"), meta.get("loadavg_at_end")
    if la0 and la1:
        add(f"load average (1/5/15 min) at start {' '.join(f'{x:.2f}' for x in la0)}, at end "
            f"{' '.join(f'{x:.2f}' for x in la1)}: above ~0.5 the machine was busy with other work and figures are noisy.")
    add("")
    hdr = (f"{'scenario':<34} {'target':<12} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'cpu us/req':>10} "
           f"{'gw/nginx':>8} {'gw/direct':>9}  goal")
    add(hdr)
    add("-" * len(hdr))
    goals = []
    for sc in res["scenarios"]:
        if sc["kind"] != "wrk":
            continue
        t = sc["targets"]
        for target, v in t.items():
            ratio_n = ratio_d = ""
            goal = ""
            if target.startswith("gateway"):
                base = t.get("nginx") if target == "gateway" else None
                if base:
                    ratio_n = f"{v['rps'] / base['rps']:.2f}x"
                if "direct" in t:
                    ratio_d = f"{v['rps'] / t['direct']['rps']:.2f}x"
            if target == "gateway" and "nginx" in t and sc["name"] != "chat_c1":
                r = v["rps"] / t["nginx"]["rps"]
                ok = r >= GOALS["passthrough_vs_nginx"]
                goal = f">=1.0x nginx: {mark(ok)}"
                goals.append((f"{sc['name']}: passthrough throughput >= 1.0x nginx", f"{r:.2f}x", ok))
            if target == "gateway" and "direct" in t:
                added = v["p99_ms"] - t["direct"]["p99_ms"]
                ok = added <= GOALS["p99_added_ms"]
                goal += ("; " if goal else "") + f"p99 {added:+.2f} ms <=1 ms: {mark(ok)}"
                goals.append((f"{sc['name']}: p99 added over direct <= 1 ms", f"{added:+.3f} ms", ok))
            if target == "gateway /v1" and "gateway" in t:
                r = v["rps"] / t["gateway"]["rps"]
                ok = r >= GOALS["v1_vs_passthrough"]
                goal = f"{r:.2f}x passthrough >=0.8x: {mark(ok)}"
                goals.append((f"{sc['name']}: /v1 translation throughput >= 0.8x passthrough", f"{r:.2f}x", ok))
            cpu = f"{v['proxy_cpu_us_per_req']:.0f}" if v.get("proxy_cpu_us_per_req") is not None else ""
            add(f"{sc['title'][:34]:<34} {target:<12} {v['rps']:>9.0f} {v['p50_ms']:>8.3f} {v['p99_ms']:>8.3f} "
                f"{cpu:>10} {ratio_n:>8} {ratio_d:>9}  {goal}")
        bare, on, off, base = t.get("bare"), t.get("gateway on"), t.get("gateway off"), t.get("gateway base")
        if bare and on and off:
            r = on["rps"] / bare["rps"]
            ok = r >= GOALS["vs_bare"]
            add(f"  gateway (accounting on) / bare stack: {r:.2f}x the throughput  goal >=0.9x: {mark(ok)}")
            goals.append((f"{sc['name']}: throughput >= 0.9x the bare stack", f"{r:.2f}x", ok))
            if on.get("proxy_cpu_us_per_req") is not None and off.get("proxy_cpu_us_per_req") is not None:
                added = on["proxy_cpu_us_per_req"] - off["proxy_cpu_us_per_req"]
                ok = added <= GOALS["accounting_added_us"]
                add(f"  accounting, access log and metrics on vs off: {added:+.1f} us CPU per request  goal <=+10 us: {mark(ok)}")
                goals.append((f"{sc['name']}: accounting adds <= 10 us CPU", f"{added:+.1f} us", ok))
            if base and base.get("proxy_cpu_us_per_req") is not None and off.get("proxy_cpu_us_per_req") is not None:
                add(f"  this build (accounting off) vs the base build: {off['proxy_cpu_us_per_req'] - base['proxy_cpu_us_per_req']:+.1f} us "
                    f"CPU per request, {off['rps'] / base['rps']:.2f}x the throughput")
        memory, shared = t.get("gateway memory"), t.get("gateway redis")
        if memory and shared and memory.get("proxy_cpu_us_per_req") is not None and shared.get("proxy_cpu_us_per_req") is not None:
            add(f"  limits in Redis instead of memory: {shared['proxy_cpu_us_per_req'] - memory['proxy_cpu_us_per_req']:+.1f} us gateway "
                f"CPU per request, {shared.get('also_cpu_us_per_req') or 0:.1f} us redis-server CPU per request, p50 "
                f"{(shared['p50_ms'] - memory['p50_ms']) * 1000:+.0f} us, {shared['rps'] / memory['rps']:.2f}x the throughput")
        one, three = t.get("gateway 1 up"), t.get("gateway 3 up")
        if one and three and one.get("proxy_cpu_us_per_req") is not None and three.get("proxy_cpu_us_per_req") is not None:
            added = three["proxy_cpu_us_per_req"] - one["proxy_cpu_us_per_req"]
            ok = added <= GOALS["routing_added_us"]
            add(f"  three upstreams instead of one: {added:+.1f} us CPU per request, {three['rps'] / one['rps']:.2f}x the "
                f"throughput  goal <=5 us: {mark(ok)}")
            goals.append((f"{sc['name']}: routing among 3 upstreams adds <= 5 us CPU", f"{added:+.1f} us", ok))
        add("")
    st = next((sc for sc in res["scenarios"] if sc["kind"] == "stream"), None)
    if st:
        add(f"streamed chat, {st['chunks']} chunks, {st['requests']} sequential requests per target (emulator, no delay)")
        hdr2 = (f"{'target':<12} {'TTFB p50':>9} {'TTFB p99':>9} {'total p50':>10} {'chunks/s':>9} "
                f"{'+TTFB p50':>10} {'+TTFB p99':>10} {'+us/chunk':>10} {'(stream)':>9}  goal")
        add(hdr2)
        add("-" * len(hdr2))
        for target, v in st["targets"].items():
            extra = goal = ""
            if "added_per_chunk_us" in v:
                extra = (f"{v['added_ttfb_p50_ms']:>+10.3f} {v['added_ttfb_p99_ms']:>+10.3f} "
                         f"{v['added_per_chunk_us']:>+10.1f} {v['added_per_chunk_after_first_us']:>+9.1f}")
                if target.startswith("gateway"):
                    ok1 = v["added_per_chunk_us"] <= GOALS["added_per_chunk_us"]
                    ok2 = v["added_ttfb_p50_ms"] <= GOALS["added_ttfb_ms"]
                    goal = f"<=50 us/chunk: {mark(ok1)}; first chunk <=+1 ms: {mark(ok2)}"
                    goals.append((f"stream {target}: added per chunk <= 50 us", f"{v['added_per_chunk_us']:+.1f} us", ok1))
                    goals.append((f"stream {target}: first chunk adds <= 1 ms (median)",
                                  f"{v['added_ttfb_p50_ms']:+.3f} ms (p99 {v['added_ttfb_p99_ms']:+.3f})", ok2))
            else:
                extra = f"{'':>10} {'':>10} {'':>10} {'':>9}"
            add(f"{target:<12} {v['ttfb_p50_ms']:>9.3f} {v['ttfb_p99_ms']:>9.3f} {v['total_p50_ms']:>10.3f} "
                f"{v['chunks_per_s']:>9.0f} {extra}  {goal}")
        add("(times in ms; + columns are over direct; +us/chunk = (total p50 - direct total p50) / chunks; (stream) = the\n"
            " same for the time after the first chunk only, i.e. without the per-request overhead)")
        add("")
    mem = next((sc for sc in res["scenarios"] if sc["kind"] == "memory"), None)
    if mem:
        for label in ("native /api/chat", "/v1 SSE"):
            m = mem[label]
            ok = m["rss_max_mb"] <= GOALS["rss_1000_mb"]
            add(f"memory: fresh gateway RSS idle {m['idle_mb']:.0f} MB; {m['streams_open']} open {label} streams "
                f"{m['rss_max_mb']:.0f} MB (after close {m['rss_after_close_mb']:.0f} MB)  goal <=150 MB: {mark(ok)}")
            goals.append((f"RSS with {m['streams_open']} open {label} streams <= 150 MB", f"{m['rss_max_mb']:.0f} MB", ok))
    su = next((sc for sc in res["scenarios"] if sc["kind"] == "startup"), None)
    if su:
        ok = su["median_ms"] <= GOALS["startup_ms"]
        add(f"start-up: spawn to first 200 /healthz, median {su['median_ms']:.0f} ms of "
            f"{', '.join(f'{t:.0f}' for t in su['runs_ms'])}  goal <=500 ms: {mark(ok)}")
        goals.append(("start-up to first served request <= 500 ms", f"{su['median_ms']:.0f} ms", ok))
    add("")
    add("goals")
    for text, value, ok in goals:
        add(f"  [{'x' if ok else ' '}] {text:<64} {value:>28}  {mark(ok)}")
    res["goals"] = [{"goal": g, "value": v, "met": ok} for g, v, ok in goals]
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="short runs, for developing the harness")
    ap.add_argument("--out", default=str(BENCH / "out"), help="folder holding the published server/ and emulator/")
    ap.add_argument("--results", default=str(BENCH / "results"), help="where <timestamp>.json and .txt are written")
    ap.add_argument("--base-port", type=int, default=18100, help="first of the loopback ports used")
    ap.add_argument("--only", default="", help="comma-separated scenarios: tags,chat,generate,latency,routing,overhead,redis,stream,memory,startup")
    ap.add_argument("--base-server", default="", help="an older build's Gateway.Server executable, measured beside this one "
                                                        "in the overhead scenario (bench/run.sh --base REV publishes one)")
    ap.add_argument("--gateway-env", action="append", default=[], metavar="NAME=VALUE",
                    help="environment variable for every gateway process (repeatable), to try runtime settings "
                         "such as DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 without changing the product")
    args = ap.parse_args()
    Env.gateway_env = dict(kv.split("=", 1) for kv in args.gateway_env)

    s = Settings(args.quick)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 65536 if hard == resource.RLIM_INFINITY else min(65536, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, want), hard))
    for tool in ("nginx", "wrk"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed (bench/run.sh installs it)", file=sys.stderr)
            return 2

    only = set(filter(None, args.only.split(",")))
    want_sc = lambda n: not only or n in only  # noqa: E731
    started = dt.datetime.now()
    tmp = Path(tempfile.mkdtemp(prefix="ogw-bench-"))
    procs = Processes(tmp)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    res = {"meta": {"started": started.isoformat(timespec="seconds"), "quick": s.quick, "cpus": os.cpu_count(),
                    "machine": f"{platform.system()} {platform.release()} {platform.machine()}",
                    "loadavg_at_start": os.getloadavg(), "gateway_env": Env.gateway_env,
                    "nginx": subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip(),
                    "wrk": subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0].strip(),
                    "git": subprocess.run(["git", "-C", str(BENCH), "rev-parse", "--short", "HEAD"],
                                          capture_output=True, text=True).stdout.strip()},
           "settings": vars(s), "goals_definition": GOALS, "scenarios": []}
    try:
        env = Env(s, Path(args.out), procs, tmp, args.base_port)
        env.base_server_exe = Path(args.base_server) if args.base_server else None
        env.start_all()
        P = env.port
        wrk_args = (s.wrk_threads, s.wrk_connections, s.wrk_duration, s.wrk_rounds, s.wrk_warmup)
        if want_sc("tags"):
            res["scenarios"].append(wrk_scenario(env, "tags", "GET /api/tags passthrough", [
                {"target": "direct", "port": P["upstream"], "method": "GET", "path": "/api/tags", "process": "upstream"},
                {"target": "nginx", "port": P["nginx_a"], "method": "GET", "path": "/api/tags", "process": "proxy"},
                {"target": "gateway", "port": P["gateway_a"], "method": "GET", "path": "/api/tags", "process": "gateway_a"},
            ], *wrk_args))
        if want_sc("chat"):
            res["scenarios"].append(wrk_scenario(env, "chat", "POST /api/chat (1 KB, not streamed)", [
                {"target": "direct", "port": P["upstream"], "method": "POST", "path": "/api/chat", "body": "chat.json",
                 "process": "upstream"},
                {"target": "nginx", "port": P["nginx_a"], "method": "POST", "path": "/api/chat", "body": "chat.json",
                 "process": "proxy"},
                {"target": "gateway", "port": P["gateway_a"], "method": "POST", "path": "/api/chat",
                 "body": "chat.json", "process": "gateway_a"},
                {"target": "gateway /v1", "port": P["gateway_a"], "method": "POST", "path": "/v1/chat/completions",
                 "body": "v1-chat.json", "process": "gateway_a"},
            ], *wrk_args))
        if want_sc("generate"):
            res["scenarios"].append(wrk_scenario(env, "generate", "POST /api/generate (not streamed)", [
                {"target": "direct", "port": P["upstream"], "method": "POST", "path": "/api/generate",
                 "body": "generate.json", "process": "upstream"},
                {"target": "nginx", "port": P["nginx_a"], "method": "POST", "path": "/api/generate",
                 "body": "generate.json", "process": "proxy"},
                {"target": "gateway", "port": P["gateway_a"], "method": "POST", "path": "/api/generate",
                 "body": "generate.json", "process": "gateway_a"},
            ], *wrk_args))
        if want_sc("latency"):
            res["scenarios"].append(wrk_scenario(env, "chat_c1", "POST /api/chat, 1 connection (latency)", [
                {"target": "direct", "port": P["upstream"], "method": "POST", "path": "/api/chat", "body": "chat.json",
                 "process": "upstream"},
                {"target": "nginx", "port": P["nginx_a"], "method": "POST", "path": "/api/chat", "body": "chat.json",
                 "process": "proxy"},
                {"target": "gateway", "port": P["gateway_a"], "method": "POST", "path": "/api/chat",
                 "body": "chat.json", "process": "gateway_a"},
                {"target": "gateway /v1", "port": P["gateway_a"], "method": "POST", "path": "/v1/chat/completions",
                 "body": "v1-chat.json", "process": "gateway_a"},
            ], 1, 1, s.lat_duration, s.wrk_rounds, s.wrk_warmup))
        if want_sc("routing"):
            # The same gateway build in front of one server and in front of three (the nginx upstream on three ports,
            # each with every model): what choosing among several servers costs per request.
            env.start_routing_gateway("gateway_u3", P["gateway_u3"], [P["upstream"], P["upstream_2"], P["upstream_3"]])
            wait_until_serving(env.procs, "gateway_u3", P["gateway_u3"])
            expect_200(env.procs, "gateway_u3", P["gateway_u3"], "POST", "/api/chat", (PAYLOADS / "chat.json").read_bytes(),
                       must_contain=b'"done":true')
            for path, body, title in [("/api/chat", "chat.json", "POST /api/chat, 1 vs 3 upstreams"),
                                      ("/v1/chat/completions", "v1-chat.json", "POST /v1/chat, 1 vs 3 upstreams")]:
                res["scenarios"].append(wrk_scenario(env, "routing" + path.replace("/", "_"), title, [
                    {"target": "gateway 1 up", "port": P["gateway_a"], "method": "POST", "path": path, "body": body,
                     "process": "gateway_a"},
                    {"target": "gateway 3 up", "port": P["gateway_u3"], "method": "POST", "path": path, "body": body,
                     "process": "gateway_u3"},
                ], *wrk_args))
        if want_sc("overhead"):
            res["scenarios"].extend(overhead_scenarios(env, wrk_args))
        if want_sc("redis"):
            # The per-request cost of shared limits: the same limited key counted in the gateway's memory and in a
            # local Redis (one script call per request before it is forwarded, one after it, not awaited).
            if shutil.which("redis-server") is None:
                raise BenchError("redis-server is not installed (bench/run.sh installs it for --only redis)")
            env.start_limited_gateways()
            for path, body, title, conns, threads, seconds in [
                    ("/api/chat", "chat.json", "POST /api/chat, limited key: in memory vs Redis", s.wrk_connections,
                     s.wrk_threads, s.wrk_duration),
                    ("/api/chat", "chat.json", "POST /api/chat, limited key, 1 connection: in memory vs Redis", 1, 1,
                     s.lat_duration)]:
                sc = wrk_scenario(env, "redis" + ("_c1" if conns == 1 else ""), title, [
                    {"target": "gateway no limit", "port": P["gateway_a"], "method": "POST", "path": path, "body": body,
                     "process": "gateway_a"},
                    {"target": "gateway memory", "port": P["gateway_lim"], "method": "POST", "path": path, "body": body,
                     "process": "gateway_lim"},
                    {"target": "gateway redis", "port": P["gateway_lim_redis"], "method": "POST", "path": path,
                     "body": body, "process": "gateway_lim_redis", "also": "redis"},
                ], threads, conns, seconds, s.wrk_rounds, s.wrk_warmup)
                res["scenarios"].append(sc)
        if want_sc("stream"):
            res["scenarios"].append(stream_scenario(env))
        if want_sc("memory"):
            res["scenarios"].append(memory_scenario(env))
        if want_sc("startup"):
            res["scenarios"].append(startup_scenario(env))
        res["meta"]["loadavg_at_end"] = os.getloadavg()
        res["meta"]["seconds"] = round((dt.datetime.now() - started).total_seconds())
    except BenchError as e:
        print(f"\nBENCHMARK FAILED: {e}\n(process logs in {tmp})", file=sys.stderr)
        procs.stop_all()
        return 1
    except KeyboardInterrupt as e:
        print(f"\ninterrupted ({e}); stopping everything", file=sys.stderr)
        procs.stop_all()
        return 130
    finally:
        procs.stop_all()

    report = build_report(res)
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M%S") + ("-quick" if s.quick else "")
    (results / f"{stamp}.json").write_text(json.dumps(res, indent=2) + "\n")
    (results / f"{stamp}.txt").write_text(report + "\n")
    print("\n" + report)
    print(f"\nwritten: {results / (stamp + '.json')} and .txt ({res['meta']['seconds']} s)")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
