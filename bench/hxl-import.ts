/**
 * `npm run bench -- hxl-import`: importing a consignment list (CSV with an HXL hashtag row) end to
 * end on this machine, loopback only.
 *
 * A real Concord runs in this process (embedded PostgreSQL in a temporary folder, simulator and TAK
 * off); crossings are written as the system. A 50,000-row list with exactly 100 bad rows of varied
 * faults is POSTed over HTTP on 127.0.0.1 as un.logistics (OCHA, RESTRICTED); the progress is
 * polled and printed until the job is done. Then: imported = rows − bad rows, every bad row is
 * reported once with the reason its fault calls for, and the consignments are in the database.
 * The time is from the POST to the job's end as a client polling every 100 ms sees it.
 *
 * Options: --rows N (50000) --bad N (100) --poll-ms N (100)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { ImportProgress, RowError } from '../src/domain/aid-imports.js';
import { Db } from '../src/server/db/database.js';
import { createLogger } from '../src/server/runtime.js';
import { insertCrossing, TEST_CROSSINGS } from '../test/support/aid.js';
import { BENCH_PASSWORD, makeTempDir, startBenchServer } from './lib/concord.js';
import { postmasterPid, treeCpuSeconds } from './lib/proc.js';
import { type BenchReport, numberOption, parseArgs, r1, verdict } from './lib/report.js';
import { rng } from './lib/rng.js';

const TARGET_SECONDS = 30;
const IMPORTER = 'un.logistics';
const MARKING = 'RESTRICTED//REL TO OCHA';
const OPTIONS = ['rows', 'bad', 'poll-ms'];
const say = (s: string) => console.log(s);

const HEADER = [
  'Reference,Organisation,Donor,Crossing,Category,Item,Quantity,Unit,Dual use,Pallets,Tonnes,Trucks,Registered,Marking',
  '#meta+ref,#org+code,#org+funder,#loc+crossing,#item+type,#item+name,#value+quantity,#indicator+unit,#item+dual_use,#value+pallets,#value+tonnes,#value+trucks,#date+registered,#meta+marking',
];
const ITEMS: readonly [string, string, string][] = [
  ['food', 'Wheat flour', 'sacks'],
  ['food', 'Ready-to-eat meals', 'cartons'],
  ['water', 'Bottled water', 'litres'],
  ['health', 'Trauma kits', 'kits'],
  ['shelter', 'Family tents', 'pieces'],
  ['wash', 'Hygiene kits', 'kits'],
  ['fuel', 'Diesel', 'litres'],
  ['education', 'School-in-a-box', 'kits'],
];
const DONORS = ['ECHO', 'USAID', 'FCDO', 'CERF', ''];

/** Faults of bad rows, in turn: how to spoil a good row and the reason the report must give. */
const FAULTS: readonly { name: string; spoil: (cells: string[]) => void; reason: RegExp }[] = [
  { name: 'unknown crossing', spoil: (c) => (c[3] = 'Atlantis Gate'), reason: /unknown crossing/ },
  { name: 'bad number', spoil: (c) => (c[6] = 'twelve'), reason: /quantity is not a number/ },
  { name: 'unknown category', spoil: (c) => (c[4] = 'weapons'), reason: /unknown item category/ },
  { name: 'missing item', spoil: (c) => (c[5] = ''), reason: /item is missing/ },
  { name: 'date not ISO', spoil: (c) => (c[12] = '30/11/2026'), reason: /not an ISO 8601 date/ },
  { name: 'marking not writable', spoil: (c) => (c[13] = 'SECRET//REL TO OCHA'), reason: /not writable/ },
  { name: 'negative pallets', spoil: (c) => (c[9] = '-3'), reason: /pallets must be at least 0/ },
  { name: 'dual use not yes/no', spoil: (c) => (c[8] = 'perhaps'), reason: /dual use must be yes or no/ },
  { name: 'NUL byte', spoil: (c) => (c[5] = 'Salt\u0000'), reason: /NUL character/ },
  { name: 'other organisation', spoil: (c) => (c[1] = 'WFP'), reason: /WFP is not your organisation/ },
];

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The list, and for each bad row (by its row number in the file) the reason expected. */
function generate(rows: number, bad: number, seed: number) {
  const random = rng(seed);
  const expected = new Map<number, { fault: string; reason: RegExp }>();
  const every = Math.floor(rows / bad);
  const lines = [...HEADER];
  for (let i = 0; i < rows; i++) {
    const [category, item, unit] = ITEMS[Math.floor(random() * ITEMS.length)]!;
    const crossing = TEST_CROSSINGS[Math.floor(random() * TEST_CROSSINGS.length)]!.name;
    const day = 1 + Math.floor(random() * 28);
    const cells = [
      `OCHA-2026-${String(i + 1).padStart(6, '0')}`,
      'OCHA',
      DONORS[i % DONORS.length]!,
      crossing,
      category,
      item,
      String(1 + Math.floor(random() * 5000)),
      unit,
      i % 50 === 0 ? 'yes' : 'no',
      String(Math.floor(random() * 40)),
      (random() * 30).toFixed(2),
      String(1 + Math.floor(random() * 3)),
      `2026-11-${String(day).padStart(2, '0')}`,
      i % 3 === 0 ? 'UNCLASSIFIED//REL TO ALL' : '',
    ];
    const row = HEADER.length + i + 1;
    const k = Math.floor(i / every);
    if (i % every === every - 1 && k < bad) {
      const fault = FAULTS[k % FAULTS.length]!;
      fault.spoil(cells);
      expected.set(row, { fault: fault.name, reason: fault.reason });
    }
    lines.push(cells.map(csvCell).join(','));
  }
  return { csv: `${lines.join('\r\n')}\r\n`, expected };
}

async function login(url: string, username: string) {
  const r = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
  });
  if (!r.ok) throw new Error(`login as ${username}: HTTP ${r.status}`);
  const cookie = (r.headers.getSetCookie().find((c) => c.startsWith('concord_session=')) ?? '').split(
    ';',
  )[0]!;
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}

export async function run(args: string[]): Promise<BenchReport> {
  const opts = parseArgs(args);
  const unknown = [...opts.keys()].filter((k) => !OPTIONS.includes(k));
  if (unknown.length)
    throw new Error(`unknown option --${unknown.join(', --')}; hxl-import takes --${OPTIONS.join(', --')}`);
  const rows = Math.floor(numberOption(opts, 'rows', 50_000));
  const bad = Math.floor(numberOption(opts, 'bad', 100));
  const pollMs = Math.max(10, numberOption(opts, 'poll-ms', 100));
  if (bad > rows) throw new Error('--bad must not exceed --rows');

  const loadBefore = os.loadavg()[0]!;
  const { csv, expected } = generate(rows, bad, 7);
  const bytes = Buffer.byteLength(csv);
  say(
    `Workload: ${rows.toLocaleString('en')} consignment rows (${(bytes / 1048576).toFixed(1)} MB), ${bad} bad rows`,
  );
  say(`  faults in turn: ${FAULTS.map((f) => f.name).join(', ')}`);
  say(`Load average before: ${loadBefore.toFixed(2)} (${os.cpus().length} cores)`);

  const tmp = makeTempDir('concord-bench-hxl-');
  const env = { CONCORD_SIMULATOR: 'off', CONCORD_TAK: 'off' };
  const server = await startBenchServer(tmp, path.join(tmp, 'no-web'), env);
  // The running Concord records its database URL in its lock: crossings and checks go through it.
  const url = fs.readFileSync(path.join(server.dataDir, 'concord.lock'), 'utf8').split('\n')[1]?.trim();
  if (!url) throw new Error('the running Concord did not record its database URL');
  const side = new Db(url, createLogger('warn'), 2);
  try {
    say(`Concord at ${server.url} (started in ${Math.round(server.startMs)} ms)`);
    for (const c of TEST_CROSSINGS) await insertCrossing(side, c);
    const { cookie, csrfToken } = await login(server.url, IMPORTER);
    const headers = { cookie, 'x-csrf-token': csrfToken };

    const pgPid = postmasterPid(server.dataDir);
    const cpu0 = process.cpuUsage();
    const pg0 = pgPid ? treeCpuSeconds(pgPid) : Number.NaN;
    const t0 = performance.now();
    const posted = await fetch(
      `${server.url}/api/v1/aid/imports?kind=consignments&filename=bench.csv&marking=${encodeURIComponent(MARKING)}`,
      { method: 'POST', headers: { ...headers, 'content-type': 'text/csv' }, body: csv },
    );
    const acceptedMs = performance.now() - t0;
    if (posted.status !== 202) throw new Error(`POST: HTTP ${posted.status} ${await posted.text()}`);
    const { jobId } = (await posted.json()) as { jobId: string };
    say(`Accepted as job ${jobId} in ${Math.round(acceptedMs)} ms (HTTP 202)`);

    let progress: ImportProgress;
    let lastPrinted = -1;
    let polls = 0;
    for (;;) {
      const r = await fetch(`${server.url}/api/v1/aid/imports/${jobId}`, { headers });
      polls++;
      progress = (await r.json()) as ImportProgress;
      const elapsed = (performance.now() - t0) / 1000;
      if (
        progress.percent !== lastPrinted &&
        (progress.percent - lastPrinted >= 10 || progress.state !== 'running')
      ) {
        lastPrinted = progress.percent;
        say(
          `  ${elapsed.toFixed(1).padStart(5)} s  ${String(progress.percent).padStart(3)}%  ${progress.processedRows.toLocaleString('en')} / ${progress.totalRows.toLocaleString('en')} rows, ${progress.importedRows.toLocaleString('en')} imported, ${progress.errorCount} errors`,
        );
      }
      if (progress.state !== 'running') break;
      if (elapsed > 600) throw new Error('the import did not finish in 10 minutes');
      await new Promise((ok) => setTimeout(ok, pollMs));
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    // This process is the server and the polling client; the client's share is a few polls.
    const serverCpu = (cpu.user + cpu.system) / 1e6;
    const pgCpu = pgPid ? treeCpuSeconds(pgPid) - pg0 : Number.NaN;

    const e = await fetch(`${server.url}/api/v1/aid/imports/${jobId}/errors`, { headers });
    const { errors } = (await e.json()) as { errors: RowError[] };
    const stored = await side.asSystem((tx) =>
      sql<{ n: string }>`SELECT count(*)::text AS n FROM consignments WHERE import_job_id = ${jobId}`.execute(
        tx,
      ),
    );
    const inDb = Number(stored.rows[0]?.n ?? 0);

    const problems: string[] = [];
    if (progress.state !== 'done') problems.push(`job ended ${progress.state}: ${progress.failure}`);
    if (progress.importedRows !== rows - bad)
      problems.push(`imported ${progress.importedRows}, expected ${rows - bad}`);
    if (inDb !== rows - bad) problems.push(`${inDb} consignments in the database, expected ${rows - bad}`);
    if (progress.errorCount !== bad) problems.push(`${progress.errorCount} error rows, expected ${bad}`);
    const reported = new Map<number, RowError[]>();
    for (const x of errors) reported.set(x.row, [...(reported.get(x.row) ?? []), x]);
    for (const [row, want] of expected) {
      const got = reported.get(row);
      if (!got) problems.push(`row ${row} (${want.fault}) not reported`);
      else if (!got.some((g) => want.reason.test(g.reason)))
        problems.push(`row ${row} (${want.fault}): reason "${got.map((g) => g.reason).join('; ')}"`);
    }
    for (const row of reported.keys())
      if (!expected.has(row)) problems.push(`row ${row} reported but is good`);
    const reasonsOk = problems.length === 0;

    say('');
    say(
      `Imported ${progress.importedRows.toLocaleString('en')} of ${rows.toLocaleString('en')} rows, ${progress.errorCount} refused, each with its reason: ${reasonsOk ? 'yes' : 'NO'}`,
    );
    for (const p of problems.slice(0, 20)) say(`  problem: ${p}`);
    say(
      `Time from POST to done: ${seconds.toFixed(2)} s (${Math.round(rows / seconds).toLocaleString('en')} rows/s), ${polls} progress polls`,
    );
    say(
      `CPU: Concord ${serverCpu.toFixed(2)} s, PostgreSQL ${pgCpu.toFixed(2)} s (the wall time includes waiting for the shared cores)`,
    );
    say(
      `Target under ${TARGET_SECONDS} s: ${verdict(seconds, TARGET_SECONDS)}${reasonsOk ? '' : ' (but the results are wrong)'}`,
    );
    say(`Load average after: ${os.loadavg()[0]!.toFixed(2)}`);
    if (!reasonsOk) process.exitCode = 1;
    return {
      bench: 'hxl-import',
      workload: { rows, badRows: bad, bytes, batchRows: 2000, pollMs, loadAverage: r1(loadBefore) },
      results: {
        seconds: Math.round(seconds * 100) / 100,
        rowsPerSec: Math.round(rows / seconds),
        acceptedMs: Math.round(acceptedMs),
        serverCpuSeconds: r1(serverCpu),
        pgCpuSeconds: r1(pgCpu),
        importedRows: progress.importedRows,
        errorRows: progress.errorCount,
        reasonsOk,
      },
      peers: {},
    };
  } finally {
    await side.close();
    await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
