#!/usr/bin/env bash
# bench/compare.sh — two builds side by side, fairly.
#
#   bench/compare.sh OLD_BINARY OLD_DB NEW_BINARY NEW_DB
#
# One `go run ./bench/load` after another measures two builds minutes
# apart, and on a shared virtual machine the machine's own speed drifts by
# 10–30% in that time (the bare route, whose code never changes, moved that
# much between two runs of 2026-12-07). This script serves both builds at
# once, each on its own copy of the database (give each build a database
# it generated or migrated; jobs off), and drives each route on one, then
# on the other, in short alternating turns, for several rounds: drift hits
# both alike, and the medians compare the code.
#
# Routes: hot (one address), random keys over every public project or
# agency, and cache-busting (a unique parameter per request), each with
# the server's CPU per request from /proc. Prints a Markdown table: each
# route's median req/s and CPU/req per build, the ratio new/old, and in
# how many rounds the new build was the faster.
#
# Needs wrk and python3. Environment: ROUTES (a regular expression on the
# route names below; all by default), ROUNDS (4), DUR (seconds a turn, 4),
# CONNS (8), OLD_LIMIT / NEW_LIMIT (--memory-limit in MiB; empty: the
# build's default), PORT (18101; the new build takes PORT+1).
set -euo pipefail
if [ $# -ne 4 ]; then
	sed -n '2,4p' "$0" >&2
	exit 2
fi
for tool in wrk python3 curl; do
	command -v "$tool" >/dev/null || { echo "compare.sh: $tool is not installed (apt-get install $tool)" >&2; exit 2; }
done
ROUNDS=${ROUNDS:-4} DUR=${DUR:-4} CONNS=${CONNS:-8} PORT=${PORT:-18101}
work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

serve() { # binary db port limit
	local limit=()
	[ -n "$4" ] && limit=(--memory-limit "$4")
	PISHRAN_BENCH_BARE=4194304 "$1" serve --db "$2" --addr "127.0.0.1:$3" --jobs=false "${limit[@]}" >"$work/server-$3.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 1 200); do
		curl -sf -o /dev/null "http://127.0.0.1:$3/healthz" && return 0
		kill -0 "${pids[-1]}" 2>/dev/null || { echo "compare.sh: $1 exited:" >&2; tail -5 "$work/server-$3.log" >&2; exit 1; }
		sleep 0.2
	done
	echo "compare.sh: $1 did not answer on port $3" >&2
	exit 1
}
old=$PORT new=$((PORT + 1))
serve "$1" "$2" "$old" "${OLD_LIMIT:-}"
oldpid=${pids[-1]}
serve "$3" "$4" "$new" "${NEW_LIMIT:-}"
newpid=${pids[-1]}

# The keys, from the old build's API (both serve the same registry).
python3 - "http://127.0.0.1:$old" "$work" <<'PY'
import json, sys, urllib.parse, urllib.request
base, out = sys.argv[1], sys.argv[2]
def walk(path, key):
    keys, cursor = [], ""
    while True:
        u = base + path + ("&cursor=" + urllib.parse.quote(cursor) if cursor else "")
        d = json.load(urllib.request.urlopen(u))
        keys += [i[key] for i in d["items"]]
        cursor = d.get("next_cursor") or ""
        if not cursor:
            return keys
for name, path, key in (("projects", "/api/v1/projects?limit=100", "slug"), ("agencies", "/api/v1/agencies?limit=100", "code"), ("programs", "/api/v1/programs?limit=100", "id")):
    with open(f"{out}/{name}.txt", "w") as f:
        f.write("\n".join(walk(path, key)) + "\n")
PY
hot=$(head -1 "$work/projects.txt") program=$(head -1 "$work/programs.txt") agency=$(head -1 "$work/agencies.txt")

cat >"$work/random.lua" <<'LUA'
local keys, prefix, suffix, bust = {}, "", "", false
-- tid is a global: setup (in the main state) sets it in each thread's
-- state, and a chunk-level local of the same name would shadow it there
-- (every thread then drew the same keys: half the "random" requests were
-- another thread's repeats, most of them cache hits).
local counter, next_id = 0, 0
function setup(thread) next_id = next_id + 1; thread:set("tid", next_id) end
function init(args)
  prefix, suffix, bust = args[1], args[2] or "", args[4] == "bust"
  for l in io.lines(args[3]) do keys[#keys + 1] = l end
  math.randomseed(os.time() * 7919 + (tid or 0) * 104729)
end
function request()
  local p = prefix .. keys[math.random(#keys)] .. suffix
  if bust then
    counter = counter + 1
    p = p .. (string.find(p, "?", 1, true) and "&" or "?") .. "b=" .. (tid or 0) .. "x" .. counter
  end
  return wrk.format("GET", p)
end
LUA

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
drive() { # port pid name path [prefix suffix keyfile bust]
	local t0 t1 out rps n
	t0=$(ticks "$2")
	if [ $# -gt 4 ]; then
		out=$(wrk -t2 -c"$CONNS" -d"${DUR}s" -s "$work/random.lua" "http://127.0.0.1:$1" -- "$5" "$6" "$7" "$8")
	else
		out=$(wrk -t2 -c"$CONNS" -d"${DUR}s" "http://127.0.0.1:$1$4")
	fi
	t1=$(ticks "$2")
	rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
	n=$(awk '/requests in/ {print $1}' <<<"$out")
	echo "$3 $1 $rps $(awk -v a="$t0" -v b="$t1" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.4f", (b - a) * 1000 / hz / n}')" >>"$work/runs"
}

P=$work/projects.txt A=$work/agencies.txt
routes=(
	"public-home|/"
	"project-page-hot|/projects/$hot"
	"program-page-hot|/programs/$program"
	"api-project-hot|/api/v1/projects/$hot"
	"api-programs-projects-hot|/api/v1/programs/$program/projects?limit=100"
	"api-agency-hot|/api/v1/agencies/$agency"
	"bare-3KB|/_bench/bare?bytes=3000"
	"bare-30KB|/_bench/bare?bytes=30000"
	"project-page-random|-|/projects/||$P|-"
	"project-page-miss|-|/projects/||$P|bust"
	"api-project-random|-|/api/v1/projects/||$P|-"
	"api-project-miss|-|/api/v1/projects/||$P|bust"
	"api-agency-random|-|/api/v1/agencies/||$A|-"
	"api-agency-status-random|-|/api/v1/status?agency=||$A|-"
)
# Warm both alike: random project pages for 10 s each.
for p in "$old" "$new"; do
	wrk -t2 -c"$CONNS" -d10s -s "$work/random.lua" "http://127.0.0.1:$p" -- /projects/ "" "$P" - >/dev/null
done
for round in $(seq 1 "$ROUNDS"); do
	for r in "${routes[@]}"; do
		IFS='|' read -r name path prefix suffix keys bust <<<"$r"
		[[ $name =~ ${ROUTES:-.} ]] || continue
		sides="old new"
		[ $((round % 2)) = 0 ] && sides="new old" # neither build always goes first
		for side in $sides; do
			port=$old pid=$oldpid
			[ $side = new ] && port=$new pid=$newpid
			if [ "$path" = - ]; then
				drive "$port" "$pid" "$name" - "$prefix" "$suffix" "$keys" "$bust"
			else
				drive "$port" "$pid" "$name" "$path"
			fi
		done
	done
	echo "round $round of $ROUNDS done" >&2
done
echo "old: $1 ($2); new: $3 ($4); $ROUNDS rounds of $DUR s turns, $CONNS connections"
echo "RSS at the end — old: $(grep -E 'VmRSS|RssAnon|RssFile' /proc/$oldpid/status | tr -s ' \t\n' ' '); new: $(grep -E 'VmRSS|RssAnon|RssFile' /proc/$newpid/status | tr -s ' \t\n' ' ')"
echo
python3 - "$work/runs" "$old" "$new" <<'PY'
import collections, statistics as st, sys
rps, cpu, order = collections.defaultdict(list), collections.defaultdict(list), []
for line in open(sys.argv[1]):
    name, port, r, c = line.split()
    rps[name, port].append(float(r)); cpu[name, port].append(float(c))
    if name not in order:
        order.append(name)
old, new = sys.argv[2], sys.argv[3]
print("| route | old req/s · CPU/req | new req/s · CPU/req | new/old | new faster in rounds |")
print("|---|--:|--:|--:|--:|")
for n in order:
    a, b = rps[n, old], rps[n, new]
    wins = sum(1 for x, y in zip(a, b) if y > x)
    print(f"| {n} | {st.median(a):,.0f} · {st.median(cpu[n, old]):.3f} ms | {st.median(b):,.0f} · {st.median(cpu[n, new]):.3f} ms | {st.median(b) / st.median(a):.2f} | {wins} of {min(len(a), len(b))} |")
PY
