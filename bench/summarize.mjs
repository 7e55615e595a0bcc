// Turns the raw outputs of bench/run.sh (a work directory) into the summary table (stdout) and the
// machine-readable results file. Usage: node summarize.mjs WORKDIR OUT.json
// Exit status: 0 = figures written; 2 = figures written but some measurement is not valid (errors seen).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [work, outFile] = process.argv.slice(2);
if (!work || !outFile) {
  console.error('usage: node summarize.mjs WORKDIR OUT.json');
  process.exit(64);
}

const TARGETS = {
  refresh_over_health: 0.8, // oauthsim refresh rate / oauthsim /health rate, at least
  refresh_over_peer: 5, // oauthsim refresh rate / peer client_credentials rate, at least
  flow_p50_ms: 2, // median complete code flow, below
};

const read = (name) => {
  try { return fs.readFileSync(path.join(work, name), 'utf8'); } catch { return null; }
};

const facts = {};
for (const line of (read('facts.txt') || '').split('\n')) {
  const i = line.indexOf(' ');
  if (i > 0) facts[line.slice(0, i)] = line.slice(i + 1);
}
const num = (k) => (facts[k] !== undefined && facts[k] !== '' ? Number(facts[k]) : null);

const problems = [];
const notes = [];
const ncpu = os.cpus().length;
const clk = num('machine.clk_tck') || 100;
const NOISY_CORES = 0.25; // CPU used by other programs during a measurement, in cores, above which we say so

// CPU used during a measurement: by the server, by the load generator, by everything else on the machine.
function cpuOf(label, units) {
  const f = facts[`${label}.cpu`];
  if (!f) return null;
  const [server, client, busy, total] = f.split(' ').map(Number);
  if (!(total > 0)) return null;
  const wall = total / ncpu; // ticks of one CPU over the interval
  const r2 = (x) => Math.round(x * 100) / 100;
  const out = {
    server_cores: r2(server / wall),
    client_cores: r2(client / wall),
    others_cores: r2(Math.max(0, busy - server - client) / wall),
    server_cpu_us_per_unit: units > 0 ? Math.round((server / clk / units) * 1e7) / 10 : null,
  };
  if (out.others_cores > NOISY_CORES) {
    notes.push(`${label}: other programs used ${out.others_cores} cores during the measurement; its rate is depressed`);
  }
  return out;
}

function wrkResult(label) {
  const text = read(`${label}.txt`);
  if (text === null) return null;
  const line = text.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (!line) {
    problems.push(`${label}: wrk printed no WRK_JSON line: ${text.slice(-300)}`);
    return null;
  }
  const r = JSON.parse(line.slice('WRK_JSON '.length));
  const e = r.errors;
  const total = e.connect + e.read + e.write + e.status + e.timeout;
  if (e.status > 0) problems.push(`${label}: ${e.status} responses with status >= 400 out of ${r.requests}`);
  if (total - e.status > 0) {
    problems.push(`${label}: socket errors connect ${e.connect}, read ${e.read}, write ${e.write}, timeout ${e.timeout}`);
  }
  r.valid = total === 0;
  r.cpu = cpuOf(label, r.requests);
  return r;
}

const health = wrkResult('health');
const refresh = wrkResult('refresh');
const peer = wrkResult('peer');
const flat = [];
for (let i = 1; read(`flat-${i}.txt`) !== null; i += 1) {
  const r = wrkResult(`flat-${i}`);
  if (r) flat.push({ interval: i, rps: r.rps, p50_us: r.latency_us.p50, p99_us: r.latency_us.p99,
    requests: r.requests, errors: r.errors, cpu: r.cpu, rss_kb_after: num(`oauthsim.rss_kb.flat_${i}`) });
}

let flows = null;
const flowsText = read('flows.json');
if (flowsText && flowsText.trim()) {
  try { flows = JSON.parse(flowsText.trim().split('\n').pop()); } catch { /* reported below */ }
}
if (!flows || flows.error || num('flows.exit') !== 0) {
  const err = read('flows.err') || '';
  problems.push(`code flows: ${flows?.error || 'no result'}${err ? `\n${err.slice(0, 4000)}` : ''}`);
}
const flowsOk = flows && !flows.error && flows.flows > 0;
if (flowsOk) flows.cpu = cpuOf('flows', flows.flows + (flows.warmup_flows || 0)); // per flow, warm-up included

const ratio = (a, b) => (a && b ? Math.round((a / b) * 1000) / 1000 : null);
const refreshOverHealth = ratio(refresh?.rps, health?.rps);
const refreshOverPeer = ratio(refresh?.rps, peer?.rps);
const flowP50ms = flowsOk ? flows.flow_latency_us.p50 / 1000 : null;
// The same ratios from the servers' CPU time per request: what the rates would be if each server had a core
// of its own. Steadier than the rates on a busy machine (and a check on them).
const cpuRatio = (a, b) => {
  const x = a?.cpu?.server_cpu_us_per_unit;
  const y = b?.cpu?.server_cpu_us_per_unit;
  return x && y ? Math.round((y / x) * 1000) / 1000 : null;
};
const refreshOverHealthCpu = cpuRatio(refresh, health);
const refreshOverPeerCpu = cpuRatio(refresh, peer);

let flatSummary = null;
if (flat.length) {
  const rates = flat.map((f) => f.rps);
  const max = Math.max(...rates);
  const min = Math.min(...rates);
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  flatSummary = {
    intervals: flat,
    min_rps: min,
    max_rps: max,
    mean_rps: Math.round(mean * 10) / 10,
    spread_pct: Math.round(((max - min) / max) * 1000) / 10,
    last_over_first: ratio(rates[rates.length - 1], rates[0]),
    total_requests: flat.reduce((a, f) => a + f.requests, 0),
    // the same question asked of the server's CPU time per request, which other programs disturb much less
    cpu_us_per_request: flat.map((f) => f.cpu?.server_cpu_us_per_unit ?? null),
    cpu_last_over_first: ratio(flat[flat.length - 1].cpu?.server_cpu_us_per_unit, flat[0].cpu?.server_cpu_us_per_unit),
    rss_kb_before: num('oauthsim.rss_kb.flat_before'),
    rss_kb_after: num('oauthsim.rss_kb.flat_after'),
  };
}

const met = (value, ok) => (value === null ? null : ok(value));
const targets = {
  refresh_over_health: { target: `>= ${TARGETS.refresh_over_health}`, value: refreshOverHealth,
    met: met(refreshOverHealth, (v) => v >= TARGETS.refresh_over_health) },
  refresh_over_peer: { target: `>= ${TARGETS.refresh_over_peer}`, value: refreshOverPeer,
    met: met(refreshOverPeer, (v) => v >= TARGETS.refresh_over_peer) },
  flow_p50_ms: { target: `< ${TARGETS.flow_p50_ms}`, value: flowP50ms,
    met: met(flowP50ms, (v) => v < TARGETS.flow_p50_ms) },
};

const settings = JSON.parse(process.env.BENCH_SETTINGS || '{}');
const result = {
  schema: 1,
  timestamp: new Date().toISOString(),
  git: process.env.BENCH_GIT || null,
  machine: {
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model || null,
    kernel: os.release(),
    loadavg_at_start: facts['machine.load_start'] ? facts['machine.load_start'].split(' ').map(Number) : null,
    loadavg_at_end: os.loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
    wrk: process.env.BENCH_WRK_VERSION || null,
  },
  settings,
  oauthsim: {
    health: health,
    refresh: refresh,
    code_flows: flows,
    flatness: flatSummary,
    rss_kb: {
      start: num('oauthsim.rss_kb.start'),
      after_refresh: num('oauthsim.rss_kb.after_refresh'),
      after_flows: num('oauthsim.rss_kb.after_flows'),
      flat_before: num('oauthsim.rss_kb.flat_before'),
      flat_after: num('oauthsim.rss_kb.flat_after'),
    },
  },
  peer: peer ? {
    name: 'node-oidc-provider',
    version: facts['peer.version'] || null,
    grant: 'client_credentials',
    store: facts['peer.store'] || null,
    client_credentials: peer,
    rss_kb_end: num('peer.rss_kb.end'),
  } : null,
  ratios: {
    refresh_over_health: refreshOverHealth,
    refresh_over_peer: refreshOverPeer,
    by_server_cpu: { refresh_over_health: refreshOverHealthCpu, refresh_over_peer: refreshOverPeerCpu },
  },
  targets,
  valid: problems.length === 0,
  problems,
  notes,
};

fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);

// ---------------------------------------------------------------- the table
const ms = (us) => (us === null || us === undefined ? '-' : (us / 1000).toFixed(us < 10000 ? 2 : 1));
const int = (x) => (x === null || x === undefined ? '-' : Math.round(x).toLocaleString('en-US'));
const mb = (kb) => (kb === null || kb === undefined ? '-' : `${(kb / 1024).toFixed(1)} MB`);
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const verdict = (t) => (t.met === null ? 'n/a' : t.met ? 'met' : 'NOT met');
const errs = (r) => {
  if (!r) return '-';
  const e = r.errors;
  return String(e.status + e.connect + e.read + e.write + e.timeout);
};

const L = [];
const s = settings;
L.push('');
L.push(`oauthsim benchmark  ${result.timestamp}  git ${result.git}  ${result.machine.cpus} CPUs  load at start ${(result.machine.loadavg_at_start || []).join(' ')}, at end ${result.machine.loadavg_at_end.join(' ')}`);
L.push(`wrk -t${s.threads} -c${s.connections} -d${s.duration_s}s (warm-up ${s.warmup_s} s)${s.quick ? '  QUICK RUN' : ''}${s.pinned ? '  pinned' : ''}`);
L.push('');
const cores = (x) => (x === null || x === undefined ? '-' : x.toFixed(2));
const cpuCols = (c) => `${lpad(cores(c?.server_cores), 8)}${lpad(c?.server_cpu_us_per_unit ?? '-', 10)}${lpad(cores(c?.others_cores), 8)}`;
L.push(`  ${pad('throughput', 44)}${lpad('req/s', 10)}${lpad('p50 ms', 9)}${lpad('p99 ms', 9)}${lpad('errors', 8)}${lpad('srv CPU', 8)}${lpad('CPU us/rq', 10)}${lpad('others', 8)}`);
const row = (name, r) => L.push(`  ${pad(name, 44)}${lpad(int(r?.rps), 10)}${lpad(ms(r?.latency_us.p50), 9)}${lpad(ms(r?.latency_us.p99), 9)}${lpad(errs(r), 8)}${cpuCols(r?.cpu)}`);
row('oauthsim GET /health (ceiling)', health);
row('oauthsim POST /oauth/token refresh_token', refresh);
if (settings.peer === false) L.push(`  ${pad('peer oidc-provider (skipped: BENCH_SKIP_PEER=1)', 44)}`);
else row(`peer oidc-provider ${facts['peer.version'] || ''} cc (store ${facts['peer.store'] || '-'})`, peer);
L.push('');
L.push(`  ${pad('ratio', 44)}${lpad('of rates', 10)}${lpad('target', 9)}  ${pad('verdict', 9)}${lpad('by server CPU', 14)}`);
L.push(`  ${pad('refresh / health', 44)}${lpad(refreshOverHealth ?? '-', 10)}${lpad(targets.refresh_over_health.target, 9)}  ${pad(verdict(targets.refresh_over_health), 9)}${lpad(refreshOverHealthCpu ?? '-', 14)}`);
L.push(`  ${pad('refresh / peer', 44)}${lpad(refreshOverPeer ?? '-', 10)}${lpad(targets.refresh_over_peer.target, 9)}  ${pad(verdict(targets.refresh_over_peer), 9)}${lpad(refreshOverPeerCpu ?? '-', 14)}`);
L.push('  (srv CPU: cores the server used; CPU us/rq: its CPU time per request; others: cores used by other programs)');
L.push('');
if (flowsOk) {
  const f = flows.flow_latency_us;
  L.push(`  code flows: sequential, fresh session each, ${flows.requests_per_flow} requests on ${flows.tcp_connections} keep-alive connection(s)`);
  L.push(`    ${int(flows.flows)} flows in ${flows.duration_s} s = ${flows.flows_per_s} flows/s; per flow p50 ${ms(f.p50)} ms, p90 ${ms(f.p90)} ms, p99 ${ms(f.p99)} ms, max ${ms(f.max)} ms  (target p50 < ${TARGETS.flow_p50_ms} ms: ${verdict(targets.flow_p50_ms)})`);
  if (flows.autoapproved_flows) L.push(`    note: ${flows.autoapproved_flows} flows skipped the approval page`);
  if (flows.cpu) L.push(`    server CPU ${flows.cpu.server_cpu_us_per_unit} us per flow (${cores(flows.cpu.server_cores)} cores), client ${cores(flows.cpu.client_cores)} cores, others ${cores(flows.cpu.others_cores)} cores`);
  L.push(`    ${pad('step', 26)}${lpad('p50 ms', 9)}${lpad('p99 ms', 9)}${lpad('max ms', 9)}`);
  for (const st of flows.steps_latency_us) {
    L.push(`    ${pad(st.name, 26)}${lpad(ms(st.p50), 9)}${lpad(ms(st.p99), 9)}${lpad(ms(st.max), 9)}`);
  }
} else {
  L.push('  code flows: FAILED (see problems below)');
}
L.push('');
if (flatSummary) {
  L.push(`  flatness: refresh grant, ${flat.length} consecutive intervals of ${s.flat_interval_s} s`);
  L.push(`    ${pad('interval', 10)}${lpad('req/s', 10)}${lpad('p50 ms', 9)}${lpad('p99 ms', 9)}${lpad('RSS after', 12)}${lpad('srv CPU', 8)}${lpad('CPU us/rq', 10)}${lpad('others', 8)}`);
  for (const f of flat) {
    L.push(`    ${pad(f.interval, 10)}${lpad(int(f.rps), 10)}${lpad(ms(f.p50_us), 9)}${lpad(ms(f.p99_us), 9)}${lpad(mb(f.rss_kb_after), 12)}${cpuCols(f.cpu)}`);
  }
  L.push(`    rate: min ${int(flatSummary.min_rps)}, max ${int(flatSummary.max_rps)}, spread ${flatSummary.spread_pct} %, last/first ${flatSummary.last_over_first}; ${int(flatSummary.total_requests)} refreshes`);
  if (flatSummary.cpu_last_over_first !== null) {
    const c = flatSummary.cpu_us_per_request.filter((x) => x !== null);
    L.push(`    server CPU per request: ${Math.min(...c)} to ${Math.max(...c)} us, last/first ${flatSummary.cpu_last_over_first} (a cost that grows with the tokens issued shows here)`);
  }
  L.push(`    oauthsim RSS before ${mb(flatSummary.rss_kb_before)}, after ${mb(flatSummary.rss_kb_after)}`);
}
const r = result.oauthsim.rss_kb;
L.push(`  oauthsim RSS: start ${mb(r.start)}, after refresh run ${mb(r.after_refresh)}, after flows ${mb(r.after_flows)}, end ${mb(r.flat_after)}`);
L.push('');
if (notes.length) {
  L.push('  NOISE:');
  for (const n of notes) L.push(`    - ${n}`);
  L.push('');
}
if (problems.length) {
  L.push('  PROBLEMS (figures above are not valid where these apply):');
  for (const p of problems) L.push(`    - ${p.replace(/\n/g, '\n      ')}`);
  L.push('');
}
L.push(`  results: ${outFile}`);
console.log(L.join('\n'));
process.exit(problems.length ? 2 : 0);
