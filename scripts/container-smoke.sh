#!/usr/bin/env bash
# Container smoke test without a Docker engine.
#
# Replays the Dockerfile on this machine, in a temp dir:
#   1. the `build` stage: its COPY lines (from the working tree, uncommitted
#      changes included, as `docker build .` would) and its RUN lines, in order;
#   2. the last stage: keeps only what its `COPY --from=build` lines take and
#      deletes the rest (dev dependencies must already be gone);
#   3. runs its CMD with only its ENV plus the deployment's variables
#      (credentials, SECTIGO_API_URL -> a simulator, a free PORT), waits with
#      its HEALTHCHECK command, queries order 1000001, reads /metrics, sends
#      SIGTERM and expects exit code 0.
# The Dockerfile is parsed, not duplicated, so the two cannot drift apart; the
# parser accepts only the instruction forms the Dockerfile uses and fails on
# anything else. What it cannot show: the base image's Node version (this runs
# the host's node) and the `USER node` switch (checked to be non-root only).
#
# Usage: bash scripts/container-smoke.sh    (KEEP_SMOKE_DIR=1 keeps the temp dir)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOCKERFILE="$ROOT/Dockerfile"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/container-smoke.XXXXXX")"
APP="$WORK/app"
PLAN="$WORK/plan.sh"
SIM_LOGIN='smoke-reseller'
SIM_PASSWORD="smoke-$(node -e "process.stdout.write(require('node:crypto').randomBytes(12).toString('hex'))")-never-logged"
started=$SECONDS

server_pid=''
sim_pid=''
cleanup() {
  local rc=$?
  exec 3<&- # the simulator fifo (closing a closed fd is not an error)
  for pid in "$server_pid" "$sim_pid"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [[ $rc -ne 0 ]]; then
    for log in server.stdout server.stderr sim.stderr; do
      if [[ -s "$WORK/$log" ]]; then
        echo "---- $log (last 20 lines)" >&2
        tail -n 20 "$WORK/$log" >&2
      fi
    done
    echo "== container smoke FAILED after $((SECONDS - started)) s" >&2
  fi
  if [[ "${KEEP_SMOKE_DIR:-}" == 1 ]]; then echo "(kept $WORK)" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
  echo "container smoke: $*" >&2
  exit 1
}

# ---------------------------------------------------------------------------
# Parse the Dockerfile into a plan: one shell function call per step.
node - "$DOCKERFILE" >"$PLAN" <<'EOF'
const fs = require('node:fs');
const path = require('node:path');
const file = process.argv[2];
const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
const die = (message) => {
  process.stderr.write(`container smoke: ${path.basename(file)}: ${message}\n`);
  process.exit(1);
};

// Join continuation lines, drop comments and blank lines.
const instructions = [];
let pending = '';
for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
  const line = raw.trim();
  if (pending === '' && (line === '' || line.startsWith('#'))) continue;
  if (line.endsWith('\\')) {
    pending += line.slice(0, -1) + ' ';
    continue;
  }
  instructions.push((pending + line).trim());
  pending = '';
}
if (pending !== '') instructions.push(pending.trim());

const stages = [];
const args = {};
const expand = (s) => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (all, a, b) => args[a ?? b] ?? all);
for (const text of instructions) {
  const match = /^(\w+)\s+([\s\S]*)$/.exec(text);
  if (match === null) die(`cannot read ${JSON.stringify(text)}`);
  const keyword = match[1].toUpperCase();
  const rest = match[2].trim();
  if (keyword === 'ARG' && stages.length === 0) {
    const arg = /^(\w+)(?:=(.*))?$/.exec(rest);
    if (arg !== null && arg[2] !== undefined) args[arg[1]] = arg[2];
  }
  if (keyword === 'FROM') {
    const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(expand(rest));
    if (from === null) die(`cannot read FROM ${rest}`);
    stages.push({ image: from[1], name: from[2] ?? String(stages.length), steps: [] });
  } else if (stages.length === 0) {
    if (keyword !== 'ARG') die(`${keyword} before the first FROM`);
  } else {
    stages.at(-1).steps.push({ keyword, rest });
  }
}
if (stages.length < 2) die('expected a build stage and a final stage');
const final = stages.at(-1);

const words = (rest) => {
  const flags = {};
  const args = [];
  for (const word of rest.split(/\s+/)) {
    const flag = /^--([\w-]+)=(.*)$/.exec(word);
    if (flag !== null && args.length === 0) flags[flag[1]] = flag[2];
    else args.push(word);
  }
  return { flags, args };
};
const execForm = (rest, what) => {
  try {
    const value = JSON.parse(rest);
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value;
  } catch {}
  die(`${what} must be in exec form (a JSON array of strings), got ${rest}`);
};
const envPairs = (rest) => {
  const pairs = [];
  const re = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g;
  let consumed = '';
  for (const m of rest.matchAll(re)) {
    pairs.push([m[1], m[2].startsWith('"') ? JSON.parse(m[2]) : m[2]]);
    consumed += m[0];
  }
  if (consumed.replace(/\s/g, '') !== rest.replace(/\s/g, '')) die(`ENV must be KEY=value pairs, got ${rest}`);
  return pairs;
};

const out = [];
// Build stages, in order: every stage the final one copies from.
const sources = new Set();
for (const step of final.steps) {
  if (step.keyword === 'COPY') {
    const from = words(step.rest).flags.from;
    if (from === undefined) die('the final stage may only COPY --from=<build stage>');
    sources.add(from);
  }
}
if (sources.size !== 1) die(`expected the final stage to copy from exactly one stage, got ${[...sources].join(', ') || 'none'}`);
const build = stages.find((stage) => stage.name === [...sources][0]);
if (build === undefined) die(`no stage named ${[...sources][0]}`);

out.push(`plan_note ${q(`build stage "${build.name}" FROM ${build.image}`)}`);
let buildWorkdir;
for (const { keyword, rest } of build.steps) {
  switch (keyword) {
    case 'WORKDIR':
      if (!rest.startsWith('/')) die(`WORKDIR must be absolute, got ${rest}`);
      buildWorkdir = path.posix.normalize(rest);
      break;
    case 'COPY': {
      if (rest.startsWith('[')) die('use the plain COPY form in the build stage');
      const { flags, args } = words(rest);
      if (Object.keys(flags).length > 0) die(`COPY flags are not modelled in the build stage: ${rest}`);
      if (args.length < 2) die(`COPY needs a source and a destination: ${rest}`);
      const dest = args.at(-1);
      const sourcesHere = args.slice(0, -1);
      if (sourcesHere.length > 1 && !dest.endsWith('/')) die(`COPY of several sources needs a destination ending in /: ${rest}`);
      for (const src of sourcesHere) {
        if (src.includes('*') || src.includes('?') || src.startsWith('/') || src.includes('..')) die(`COPY source not modelled: ${src}`);
        out.push(`step_copy ${q(src)} ${q(dest)}`);
      }
      break;
    }
    case 'RUN':
      if (rest.startsWith('[') || rest.startsWith('--')) die(`only plain shell-form RUN is modelled: ${rest}`);
      out.push(`step_run ${q(rest)}`);
      break;
    case 'ENV':
      for (const [k, v] of envPairs(rest)) out.push(`step_env ${q(k)} ${q(v)}`);
      break;
    case 'ARG':
    case 'LABEL':
      break;
    default:
      die(`${keyword} is not modelled in the build stage`);
  }
}
if (buildWorkdir === undefined) die('the build stage needs a WORKDIR');

out.push(`plan_note ${q(`final stage "${final.name}" FROM ${final.image}`)}`);
let finalWorkdir;
let sawCmd = false;
for (const { keyword, rest } of final.steps) {
  switch (keyword) {
    case 'WORKDIR':
      finalWorkdir = path.posix.normalize(rest);
      break;
    case 'COPY': {
      const { args } = words(rest);
      if (finalWorkdir === undefined) die('set WORKDIR before COPY in the final stage');
      const dest = args.at(-1);
      const srcs = args.slice(0, -1);
      if (srcs.length === 0) die(`COPY needs a source: ${rest}`);
      for (const src of srcs) {
        const rel = path.posix.relative(buildWorkdir, path.posix.normalize(src));
        if (rel === '' || rel.startsWith('..')) die(`COPY --from source outside ${buildWorkdir}: ${src}`);
        const target = dest.endsWith('/') ? path.posix.join(dest, path.posix.basename(src)) : dest;
        const relTarget = path.posix.relative(finalWorkdir, path.posix.resolve(finalWorkdir, target));
        if (relTarget !== rel) die(`the smoke test assumes the same layout in both stages: ${src} -> ${target}`);
        out.push(`final_keep ${q(rel)}`);
      }
      break;
    }
    case 'ENV':
      for (const [k, v] of envPairs(rest)) out.push(`final_env ${q(k)} ${q(v)}`);
      break;
    case 'USER':
      out.push(`final_user ${q(rest)}`);
      break;
    case 'EXPOSE':
      out.push(`final_expose ${q(rest)}`);
      break;
    case 'HEALTHCHECK': {
      const at = rest.search(/(^|\s)CMD\s/);
      if (at === -1) die(`HEALTHCHECK needs CMD: ${rest}`);
      out.push(`final_healthcheck ${execForm(rest.slice(rest.indexOf('CMD', at) + 3).trim(), 'HEALTHCHECK CMD').map(q).join(' ')}`);
      break;
    }
    case 'CMD':
      out.push(`final_cmd ${execForm(rest, 'CMD').map(q).join(' ')}`);
      sawCmd = true;
      break;
    case 'ARG':
    case 'LABEL':
      break;
    default:
      die(`${keyword} is not modelled in the final stage`);
  }
}
if (finalWorkdir !== buildWorkdir) die(`the smoke test assumes one WORKDIR for both stages, got ${buildWorkdir} and ${finalWorkdir}`);
if (!sawCmd) die('the final stage needs an exec-form CMD');
process.stdout.write(out.join('\n') + '\n');
EOF

declare -a build_env=() keep=() final_env=() final_cmd=() healthcheck=()
final_user=''
plan_note() { echo "== $1"; }
step_env() { build_env+=("$1=$2"); }
step_copy() {
  local src="$1" dest="$2"
  [[ -e "$ROOT/$src" ]] || fail "COPY source $src does not exist"
  echo "   COPY $src $dest"
  if [[ "$dest" == */ ]]; then
    mkdir -p "$APP/$dest"
    cp -R "$ROOT/$src" "$APP/$dest"
  else
    mkdir -p "$(dirname "$APP/$dest")"
    cp -R "$ROOT/$src" "$APP/$dest"
  fi
}
step_run() {
  echo "   RUN $1"
  # Like a build container, whose NODE_ENV is unset unless the stage sets it
  # (NODE_ENV=production here would make `npm ci` skip the compiler).
  # prefer-offline: reuse this machine's npm cache (the lockfile pins every
  # tarball's integrity, so the result is the same; only faster).
  (cd "$APP" && env -u NODE_ENV -u NODE_OPTIONS npm_config_prefer_offline="${npm_config_prefer_offline:-true}" \
    ${build_env[@]+"${build_env[@]}"} sh -c "$1") || fail "RUN $1 failed"
}
final_keep() { keep+=("$1"); }
final_env() { final_env+=("$1=$2"); }
final_user() { final_user="$1"; }
final_expose() { :; }
final_healthcheck() { healthcheck=("$@"); }
final_cmd() { final_cmd=("$@"); }

mkdir -p "$APP"
# shellcheck disable=SC1090
source "$PLAN"

echo "== final image: keep ${keep[*]}; drop the rest"
shopt -s dotglob nullglob
for entry in "$APP"/*; do
  name="${entry#"$APP"/}"
  wanted=0
  for k in "${keep[@]}"; do
    if [[ "$k" == "$name" || "$k" == "$name"/* ]]; then wanted=1; fi
  done
  [[ $wanted == 1 ]] || rm -rf "$entry"
done
shopt -u dotglob nullglob
for k in "${keep[@]}"; do [[ -e "$APP/$k" ]] || fail "the final stage copies $k, which the build stage did not produce"; done
for dev in typescript vitest tsx fast-check @graphql-codegen/cli; do
  [[ ! -e "$APP/node_modules/$dev" ]] || fail "dev dependency $dev is still in the final node_modules"
done
[[ -n "$final_user" && "$final_user" != root && "$final_user" != 0 && "$final_user" != 0:* ]] ||
  fail "the final stage must run as a non-root USER, got '${final_user:-root}'"
[[ ${#healthcheck[@]} -gt 0 ]] || fail "the final stage has no HEALTHCHECK"
echo "   USER $final_user, ENV ${final_env[*]}, CMD ${final_cmd[*]}"
echo "   $(du -sh "$APP" | cut -f1) in the final file set (after $((SECONDS - started)) s)"

# ---------------------------------------------------------------------------
echo "== simulator (from the source checkout)"
mkfifo "$WORK/sim.fifo"
(cd "$ROOT" && exec env PORT=0 SIM_LOGIN_NAME="$SIM_LOGIN" SIM_LOGIN_PASSWORD="$SIM_PASSWORD" \
  node --import tsx src/simulator/cli.ts >"$WORK/sim.fifo" 2>"$WORK/sim.stderr") &
sim_pid=$!
exec 3<>"$WORK/sim.fifo" # read-write: opening never blocks
sim_url=''
read -r -t 20 -u 3 sim_url || fail "the simulator did not print its URL"
[[ "$sim_url" == http://127.0.0.1:* ]] || fail "unexpected simulator URL: $sim_url"
echo "   $sim_url"

port="$(node -e "const s=require('node:net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")"
base="http://127.0.0.1:$port"

echo "== CMD ${final_cmd[*]} on port $port"
# The image's environment plus what a deployment sets; nothing inherited but PATH.
(cd "$APP" && exec env -i PATH="$PATH" "${final_env[@]}" \
  PORT="$port" SECTIGO_API_URL="$sim_url" SECTIGO_LOGIN_NAME="$SIM_LOGIN" SECTIGO_LOGIN_PASSWORD="$SIM_PASSWORD" \
  "${final_cmd[@]}" >"$WORK/server.stdout" 2>"$WORK/server.stderr") &
server_pid=$!

# The image's HEALTHCHECK command, as Docker would run it inside the container.
run_healthcheck() { (cd "$APP" && env -i PATH="$PATH" "${final_env[@]}" PORT="$port" "${healthcheck[@]}"); }

ready=0
for _ in $(seq 1 150); do
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited before it was healthy"
  if run_healthcheck; then ready=1; break; fi
  sleep 0.1
done
[[ $ready == 1 ]] || fail "HEALTHCHECK did not pass within 15 s"
echo "   HEALTHCHECK passes (after $((SECONDS - started)) s)"

# Small HTTP checks in node (no curl needed); each exits non-zero with a reason.
http_check() {
  BASE="$base" node --input-type=module -e "$1" || fail "$2"
}

http_check '
const response = await fetch(process.env.BASE + "/graphql", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ query: "{ order(orderNumber: \"1000001\") { orderNumber status } }" }),
  signal: AbortSignal.timeout(5000),
});
const body = await response.json();
if (response.status !== 200 || body.data?.order?.status !== "Issued" || body.errors !== undefined) {
  console.error(response.status, JSON.stringify(body));
  process.exit(1);
}
console.log("   order 1000001:", JSON.stringify(body.data.order));
' "the GraphQL query for order 1000001 failed"

http_check '
const response = await fetch(process.env.BASE + "/metrics", { signal: AbortSignal.timeout(5000) });
const text = await response.text();
const sample = text.split("\n").find((line) => /^sectigo_upstream_calls_total\{[^}]*outcome="ok"[^}]*\} [1-9]/.test(line));
if (response.status !== 200 || sample === undefined) {
  console.error(response.status, text.slice(0, 2000));
  process.exit(1);
}
console.log("   /metrics:", sample);
' "/metrics has no sectigo_upstream_calls_total sample for the call"

echo "== SIGTERM"
kill -TERM "$server_pid"
rc=0
wait "$server_pid" || rc=$?
server_pid=''
[[ $rc == 0 ]] || fail "the server exited with $rc after SIGTERM (expected 0)"
if run_healthcheck 2>/dev/null; then fail "HEALTHCHECK still passes after the server stopped"; fi
echo "   exit code 0; HEALTHCHECK fails once it is gone"

# Logs: JSON lines only, nothing on stderr, never the password.
[[ ! -s "$WORK/server.stderr" ]] || fail "the server wrote to stderr"
if grep -qF -- "$SIM_PASSWORD" "$WORK/server.stdout"; then fail "the password appears in the log"; fi
LOG="$WORK/server.stdout" node -e '
const lines = require("node:fs").readFileSync(process.env.LOG, "utf8").split("\n").filter(Boolean);
const events = lines.map((line, i) => { try { return JSON.parse(line).event; } catch { console.error(`log line ${i + 1} is not JSON: ${line}`); process.exit(1); } });
for (const wanted of ["listening", "graphql_operation", "shutdown"]) {
  if (!events.includes(wanted)) { console.error(`no ${wanted} log line`); process.exit(1); }
}
' || fail "the log is not as expected"

echo "== container smoke passed in $((SECONDS - started)) s"
