#!/usr/bin/env bash
# One command for the OllamaGateway benchmark: installs nginx and wrk if missing, publishes Gateway.Server and
# Gateway.Emulator in Release, then runs bench.py (upstreams, nginx proxy, gateways on 127.0.0.1; wrk and
# python clients), prints the table and writes bench/results/<timestamp>.json and .txt.
#   bench/run.sh            full run (about 25 minutes)
#   bench/run.sh --quick    short runs, for developing the harness (about 2 minutes)
#   bench/run.sh --soak     soak run instead (soak.py): 200,000 mixed requests through one gateway, errors and
#                           RSS growth checked, about 5 minutes (bounded at 15); exits 1 when it fails
#   bench/run.sh --only overhead --base REV
#                           the gateway against the bare stack (Kestrel + YARP + a bearer check), with accounting on
#                           and off, and against the gateway as built at REV
# Other arguments go to bench.py (--base-port N, --only tags,chat,..., --no-build is handled here).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
out="$here/out"
build=1
soak=0
base=""
args=()
while (($#)); do
    case "$1" in
        --no-build) build=0 ;;
        --soak) soak=1 ;;
        --base) base="$2"; shift ;;
        *) args+=("$1") ;;
    esac
    shift
done

# Whatever happens, nothing started here outlives the script: bench.py stops its own processes; this
# catches bench.py itself if the script is interrupted or the time bound hits.
child=""
cleanup() {
    if [[ -n "$child" ]] && kill -0 "$child" 2>/dev/null; then
        kill -TERM "$child" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$child" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$child" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

need=()
if ((!soak)); then  # the soak run needs neither
    command -v nginx >/dev/null 2>&1 || need+=(nginx-light)
    command -v wrk >/dev/null 2>&1 || need+=(wrk)
    command -v redis-server >/dev/null 2>&1 || need+=(redis-server)  # the redis scenario's local Redis
fi
command -v python3 >/dev/null 2>&1 || need+=(python3)
if ((${#need[@]})); then
    echo "installing ${need[*]} ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The distribution's nginx service is not used (each benchmark nginx runs in the foreground on its own config).
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
    echo "note: a system nginx is running; it is left alone (the benchmark uses its own ports)"
fi

if ((build)); then
    echo "publishing Gateway.Server and Gateway.Emulator (Release) to $out ..."
    export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
    dotnet publish "$repo/Gateway.Server/Gateway.Server.csproj" -c Release -o "$out/server" \
        -p:TieredPGO=true -nologo -v quiet
    dotnet publish "$repo/Gateway.Emulator/Gateway.Emulator.csproj" -c Release -o "$out/emulator" \
        -p:TieredPGO=true -nologo -v quiet
    dotnet publish "$here/bare/BareProxy.csproj" -c Release -o "$out/bare" -p:TieredPGO=true -nologo -v quiet
fi

# --base REV: an older build of the gateway, published from a temporary worktree, measured beside this one in the
# overhead scenario (what a change cost).
if [[ -n "$base" ]]; then
    tree="$(mktemp -d)/base"
    git -C "$repo" worktree add --detach -q "$tree" "$base"
    echo "publishing Gateway.Server at $base to $out/server-base ..."
    dotnet publish "$tree/Gateway.Server/Gateway.Server.csproj" -c Release -o "$out/server-base" \
        -p:TieredPGO=true -nologo -v quiet
    git -C "$repo" worktree remove --force "$tree"
    args+=(--base-server "$out/server-base/Gateway.Server")
fi

# The whole run is bounded: 15 minutes, then bench.py (soak.py) is told to stop (and killed 20 s later).
script="$here/bench.py"
if ((soak)); then script="$here/soak.py"; fi
timeout --kill-after=20s 45m python3 "$script" "${args[@]+"${args[@]}"}" &
child=$!
wait "$child"
