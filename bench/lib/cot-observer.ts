/**
 * The `cot` bench's live subscriber, in a process of its own as a browser would be: it logs in,
 * subscribes to the tracks layer as the web client does (`moves: true`: a track whole once, then
 * `[uid, lon, lat, …, observedAt, staleAt]` moves), or with `moves: false` whole every time, and
 * measures, for each upsert or move of a track whose uid starts with the prefix it was given, the
 * time from its `observedAt` (the TAK client's clock when it sent it) to the frame's arrival.
 * Commands on stdin, one JSON line each: `{"prefix": "BENCH-lat-"}` starts measuring (null stops),
 * `{"take": true}` prints `{"latencies": [...]}` and forgets them.
 */
import readline from 'node:readline';
import WebSocket from 'ws';

const { url, user, password, moves } = JSON.parse(process.argv[2]!) as {
  url: string;
  user: string;
  password: string;
  moves: boolean;
};
const out = (m: object) => process.stdout.write(`${JSON.stringify(m)}\n`);

const login = await fetch(`${url}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: user, password }),
});
if (!login.ok) throw new Error(`login ${user}: HTTP ${login.status}`);
const cookie = (login.headers.getSetCookie().find((c) => c.startsWith('concord_session=')) ?? '').split(
  ';',
)[0]!;

let prefix: string | null = null;
let latencies: number[] = [];
const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/live`, { headers: { cookie } });
ws.on('message', (data: WebSocket.RawData) => {
  const now = Date.now();
  type Change = {
    type: string;
    id?: string;
    feature?: { properties?: { observedAt?: string } };
    moves?: [string, ...unknown[]][];
  };
  const m = JSON.parse(data.toString()) as Change & { messages?: Change[] };
  if (!prefix) return;
  // Changes queued for a subscriber at one flush travel in one `batch` frame.
  for (const c of m.type === 'batch' ? (m.messages ?? []) : [m]) {
    if (c.type === 'upsert' && c.id?.startsWith(prefix) && c.feature?.properties?.observedAt)
      latencies.push(now - Date.parse(c.feature.properties.observedAt));
    else if (c.type === 'moves')
      for (const move of c.moves ?? []) if (move[0].startsWith(prefix)) latencies.push(now - Number(move[7]));
  }
});
await new Promise<void>((resolve, reject) => {
  ws.once('open', () => resolve());
  ws.once('error', reject);
});
ws.send(JSON.stringify({ type: 'subscribe', layers: ['tracks'], moves }));

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const c = JSON.parse(line) as { prefix?: string | null; take?: boolean };
  if (c.prefix !== undefined) prefix = c.prefix;
  if (c.take) {
    out({ latencies });
    latencies = [];
  }
});
process.stdin.on('end', () => {
  ws.close();
  process.exit(0);
});
out({ ready: true });
