#!/usr/bin/env bash
# Speed benchmark of issue 8, one command: installs what the comparison needs (Debian's python3-torch and
# libtcmalloc-minimal4, when missing), builds, and runs `semiactive bench speed` with the reference settings
# (batch 8, 3x256x256, 2 threads, median of 10 steps after 3), tcmalloc and glibc, pools of 100/1000/5000;
# the markdown table is printed and appended to BENCHMARKS.md. Run it on a quiet machine: anything else
# using the cores distorts both sides. Extra arguments go to `semiactive bench speed` (see --help), e.g.
#   bench/speed.sh --malloc tcmalloc --pool ""          # quicker: one allocator, no pool rows
#   bench/speed.sh --no-append --steps 2 --warmup 1     # smoke run, nothing written
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

append=(--append BENCHMARKS.md)
args=()
for a in "$@"; do
    if [[ "$a" == "--no-append" ]]; then append=(); else args+=("$a"); fi
done

packages=()
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || packages+=(python3-torch)
[[ -f /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 ]] || packages+=(libtcmalloc-minimal4)
if ((${#packages[@]})); then
    sudo=()
    [[ "$(id -u)" == 0 ]] || sudo=(sudo -n)
    echo "speed.sh: installing ${packages[*]} (apt-get)" >&2
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q >&2
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}" >&2
fi

# quoted as typed (printf %q), so an empty argument such as --pool "" shows in the report
quoted=""
(($#)) && printf -v quoted ' %q' "$@"
export SEMIACTIVE_BENCH_COMMAND="bench/speed.sh${quoted}"
# The launcher builds when needed; the benchmark sets threads and the allocator of every worker itself.
# Defaults of this script, unless the caller gave the option (list options would add up otherwise).
defaults=()
given() { local o; for o in "${args[@]}"; do [[ "$o" == "$1" || "$o" == "$1="* ]] && return 0; done; return 1; }
given --python || defaults+=(--python /usr/bin/python3)
given --malloc || defaults+=(--malloc tcmalloc,glibc)
given --no-peer || defaults+=(--pool-peer)
exec ./semiactive bench speed "${defaults[@]}" "${append[@]}" "${args[@]}"
