import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustodyEntry, EvidenceItem } from '../../src/domain/evidence.js';
import { incidentNumber } from '../../src/domain/incidents.js';
import type { Marking } from '../../src/domain/marking.js';
import { candidate } from '../support/alerts.js';
import { fakeFile, uploadEvidence } from '../support/evidence.js';
import { insertIncident } from '../support/incidents.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const SECRET_USA: Marking = { classification: 'SECRET', releasableTo: ['USA'] };
const MAX_BYTES = 64 * 1024;

type Custody = { evidenceId: string; entries: CustodyEntry[]; markingText: string };
type List = { incidentId: string; items: EvidenceItem[] };

let server: TestServer;
let dir: string;
let admin: Client;
let analyst: Client;
let monitor: Client;
let planner: Client;
let canViewer: Client;
let gbrPlanner: Client;
let incident: string;
let secretIncident: string;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const stored = (hash: string) => path.join(dir, 'sha256', hash.slice(0, 2), hash.slice(2, 4), hash);
const upload = (
  c: Client,
  id: string,
  bytes: Buffer,
  fields: Record<string, string> = {},
  type = 'image/png',
) => uploadEvidence(server, c, id, { name: 'photo.png', type, bytes }, fields);
const custody = async (c: Client, id: string) =>
  (await c.get(`/api/v1/evidence/${id}/custody`)).json<Custody>();

async function filesUnder(d: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(d, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'concord-evidence-'));
  // A body limit below the evidence cap: uploads stream past it, under their own cap.
  server = await startTestServer({
    bodyLimitBytes: 16 * 1024,
    config: { evidenceDir: dir, evidenceMaxBytes: MAX_BYTES },
  });
  const login = (u: string) => Client.login(server.app, u);
  [admin, analyst, monitor, planner, canViewer, gbrPlanner] = await Promise.all([
    login('admin'),
    login('fra.analyst'),
    login('usa.monitor'),
    login('usa.planner'),
    login('can.viewer'),
    login('gbr.planner'),
  ]);
  incident = (await insertIncident(server.database.db, { marking: ALL })).id;
  secretIncident = (await insertIncident(server.database.db, { marking: SECRET_USA })).id;
});
afterAll(async () => {
  await server?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('evidence files', () => {
  it('stores a file by its SHA-256, once for the same content, and lists it', async () => {
    const bytes = fakeFile('png', 4000);
    const r = await upload(admin, incident, bytes, { description: 'Crater, north side' });
    expect(r.statusCode, r.body).toBe(201);
    const item = r.json<EvidenceItem>();
    expect(item).toMatchObject({
      incidentId: incident,
      kind: 'file',
      sha256: sha(bytes),
      filename: 'photo.png',
      mediaType: 'image/png',
      size: bytes.length,
      description: 'Crater, north side',
      markingText: 'UNCLASSIFIED//REL TO ALL',
      addedBy: { username: 'admin' },
      custodyCount: 1,
      lastCustody: { action: 'uploaded', sha256: sha(bytes) },
    });
    expect(await fs.readFile(stored(item.sha256!))).toEqual(bytes);

    // The file part first this time: the order of the parts does not matter.
    const again = await uploadEvidence(
      server,
      analyst,
      incident,
      { name: 'copy.png', type: 'image/png', bytes },
      { description: 'Same photo, other source' },
      { fileFirst: true },
    );
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json<EvidenceItem>().sha256).toBe(item.sha256);
    const copies = (await filesUnder(path.join(dir, 'sha256'))).filter((f) => f.endsWith(item.sha256!));
    expect(copies).toHaveLength(1);
    expect(await filesUnder(path.join(dir, 'tmp'))).toEqual([]);

    const list = (await canViewer.get(`/api/v1/incidents/${incident}/evidence`)).json<List>();
    expect(list.items.map((x) => x.id)).toEqual(
      expect.arrayContaining([item.id, again.json<EvidenceItem>().id]),
    );
  });

  it('sends the same bytes back with its hash, marking and safe headers, and records the read', async () => {
    const bytes = fakeFile('pdf', 3000);
    const r = await uploadEvidence(
      server,
      admin,
      incident,
      { name: '../../etc/re\u202Eport.pdf', type: 'application/pdf', bytes },
      {},
    );
    expect(r.statusCode, r.body).toBe(201);
    const item = r.json<EvidenceItem>();
    expect(item.filename).toBe('re_port.pdf');

    const down = await canViewer.get(`/api/v1/evidence/${item.id}/content`);
    expect(down.statusCode).toBe(200);
    expect(down.rawPayload).toEqual(bytes);
    expect(down.headers['content-type']).toBe('application/pdf');
    expect(down.headers['content-disposition']).toBe(
      `attachment; filename="re_port.pdf"; filename*=UTF-8''re_port.pdf`,
    );
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    expect(down.headers['x-concord-sha256']).toBe(sha(bytes));
    expect(down.headers['x-concord-marking']).toBe('UNCLASSIFIED//REL TO ALL');

    const inline = await canViewer.get(`/api/v1/evidence/${item.id}/content?disposition=inline`);
    expect(inline.statusCode).toBe(200);
    expect(String(inline.headers['content-disposition'])).toMatch(/^inline;/);

    const chain = await custody(admin, item.id);
    expect(chain.entries.map((e) => [e.action, e.actor?.username])).toEqual([
      ['uploaded', 'admin'],
      ['downloaded', 'can.viewer'],
      ['viewed', 'can.viewer'],
    ]);
  });

  it('keeps the chain of custody in order with its actors, holders and hashes', async () => {
    const bytes = fakeFile('text', 500);
    const r = await uploadEvidence(
      server,
      monitor,
      incident,
      { name: 'statement.txt', type: 'text/plain; charset=utf-8', bytes },
      { collectedBy: 'Team Bravo', collectedAt: '2026-11-30T08:00:00Z', description: 'Statement' },
    );
    expect(r.statusCode, r.body).toBe(201);
    const item = r.json<EvidenceItem>();
    expect(item.mediaType).toBe('text/plain');

    const t = await analyst.post(`/api/v1/evidence/${item.id}/custody`, {
      action: 'transferred',
      holder: 'Evidence store, Kiryat Gat',
      note: 'Sealed bag 17',
    });
    expect(t.statusCode, t.body).toBe(201);
    expect(t.json<CustodyEntry>()).toMatchObject({
      action: 'transferred',
      actor: { username: 'fra.analyst' },
    });
    const v = await admin.post(`/api/v1/evidence/${item.id}/custody`, { action: 'verified' });
    expect(v.statusCode, v.body).toBe(201);
    expect(v.json<CustodyEntry>().sha256).toBe(sha(bytes));
    const a = await analyst.post(`/api/v1/evidence/${item.id}/custody`, {
      action: 'annotated',
      note: 'Checked',
    });
    expect(a.statusCode).toBe(201);

    // Refused: a transfer without a holder, an annotation without a note, a user without the permission.
    expect(
      (await analyst.post(`/api/v1/evidence/${item.id}/custody`, { action: 'transferred' })).statusCode,
    ).toBe(400);
    expect(
      (await analyst.post(`/api/v1/evidence/${item.id}/custody`, { action: 'annotated' })).statusCode,
    ).toBe(400);
    expect(
      (await planner.post(`/api/v1/evidence/${item.id}/custody`, { action: 'annotated', note: 'x' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await analyst.post(`/api/v1/evidence/${item.id}/custody`, { action: 'integrity-failure' })).statusCode,
    ).toBe(400);

    const chain = await custody(canViewer, item.id);
    expect(chain.entries.map((e) => [e.action, e.actor?.username, e.holder])).toEqual([
      ['collected', 'usa.monitor', 'Team Bravo'],
      ['uploaded', 'usa.monitor', 'usa.monitor'],
      ['transferred', 'fra.analyst', 'Evidence store, Kiryat Gat'],
      ['verified', 'admin', null],
      ['annotated', 'fra.analyst', null],
    ]);
    expect(chain.entries[0]!.at).toBe('2026-11-30T08:00:00.000Z');
    expect(chain.entries[0]!.actor?.displayName).toBe('Capt. C. Monitor (USA)');
    const ids = chain.entries.map((e) => Number(e.id));
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
  });

  it('refuses to send a file that changed on disk and records the integrity failure', async () => {
    const bytes = fakeFile('png', 2000);
    const item = (await upload(admin, incident, bytes)).json<EvidenceItem>();
    const file = stored(item.sha256!);
    await fs.chmod(file, 0o600);
    const fh = await fs.open(file, 'r+');
    await fh.write(Buffer.from([0x00]), 0, 1, 100);
    await fh.close();

    const r = await canViewer.get(`/api/v1/evidence/${item.id}/content`);
    expect(r.statusCode).toBe(500);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.json()).toMatchObject({ code: 'evidence-integrity-failure', evidenceId: item.id });
    expect(r.headers['x-concord-sha256']).toBeUndefined();

    const v = await admin.post(`/api/v1/evidence/${item.id}/custody`, { action: 'verified' });
    expect(v.statusCode).toBe(500);
    expect(v.json()).toMatchObject({ code: 'evidence-integrity-failure' });

    const chain = await custody(admin, item.id);
    const failures = chain.entries.filter((e) => e.action === 'integrity-failure');
    expect(failures.map((e) => e.actor?.username)).toEqual(['can.viewer', 'admin']);
    expect(failures[0]!.sha256).not.toBe(item.sha256);
    expect(failures[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(chain.entries.some((e) => e.action === 'downloaded' || e.action === 'verified')).toBe(false);

    // A missing file is the same failure.
    await fs.rm(file, { force: true });
    const gone = await admin.get(`/api/v1/evidence/${item.id}/content`);
    expect(gone.json()).toMatchObject({ code: 'evidence-integrity-failure' });

    // Uploading the authentic content again restores the stored copy.
    expect((await upload(admin, incident, bytes)).statusCode).toBe(201);
    const back = await admin.get(`/api/v1/evidence/${item.id}/content`);
    expect(back.statusCode).toBe(200);
    expect(back.rawPayload).toEqual(bytes);
  });

  it('takes an upload over a real socket as a browser sends it (fetch, FormData)', async () => {
    const base = server.baseUrl || (await server.listen());
    const bytes = fakeFile('png', 50_000);
    const form = new FormData();
    form.append('description', 'From the browser');
    form.append('marking', JSON.stringify({ classification: 'RESTRICTED', releasableTo: ['USA', 'FRA'] }));
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'drone still.png');
    const r = await fetch(`${base}/api/v1/incidents/${incident}/evidence`, {
      method: 'POST',
      headers: { cookie: analyst.sessionCookie, 'x-csrf-token': analyst.csrf },
      body: form,
    });
    expect(r.status, await r.clone().text()).toBe(201);
    const item = (await r.json()) as EvidenceItem;
    expect(item).toMatchObject({
      sha256: sha(bytes),
      filename: 'drone still.png',
      markingText: 'RESTRICTED//REL TO USA, FRA',
    });
    const down = await fetch(`${base}/api/v1/evidence/${item.id}/content`, {
      headers: { cookie: analyst.sessionCookie, 'accept-encoding': 'gzip' },
    });
    expect(down.status).toBe(200);
    expect(down.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await down.arrayBuffer())).toEqual(bytes);
    // Without the CSRF token a cookie upload is refused.
    const csrf = await fetch(`${base}/api/v1/incidents/${incident}/evidence`, {
      method: 'POST',
      headers: { cookie: analyst.sessionCookie },
      body: form,
    });
    expect(csrf.status).toBe(403);
  });

  it('answers 413 past the size cap and keeps nothing', async () => {
    const r = await upload(admin, incident, fakeFile('png', MAX_BYTES + 10));
    expect(r.statusCode).toBe(413);
    expect(r.json()).toMatchObject({ code: 'evidence-too-large', maxBytes: MAX_BYTES });
    expect(await filesUnder(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('refuses types not on the list and content that does not match its declared type', async () => {
    const cases: [string, Buffer][] = [
      ['image/png', fakeFile('pdf')],
      ['application/pdf', fakeFile('png')],
      ['text/plain', fakeFile('png')],
      ['image/svg+xml', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>')],
      ['application/x-msdownload', Buffer.concat([Buffer.from('MZ'), fakeFile('text')])],
      ['application/zip', Buffer.concat([Buffer.from('MZ'), fakeFile('text')])],
    ];
    for (const [type, bytes] of cases) {
      const r = await upload(admin, incident, bytes, {}, type);
      expect(r.statusCode, `${type}: ${r.body}`).toBe(415);
      expect(r.json()).toMatchObject({ code: 'evidence-type-refused' });
    }
    const empty = await upload(admin, incident, Buffer.alloc(0), {}, 'text/plain');
    expect(empty.statusCode).toBe(400);
    const noFile = await uploadEvidence(server, admin, incident, null, { description: 'x' });
    expect(noFile.statusCode).toBe(400);
    const wrongField = await uploadEvidence(
      server,
      admin,
      incident,
      { name: 'a.png', type: 'image/png', bytes: fakeFile('png') },
      {},
      { fileField: 'upload' },
    );
    expect(wrongField.statusCode).toBe(400);
    const json = await admin.post(`/api/v1/incidents/${incident}/evidence`, { file: 'x' });
    expect(json.statusCode).toBe(415);
    expect(await filesUnder(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('answers the same 404 for an unknown incident and one not released to the viewer', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const bytes = fakeFile('png');
    const a = await upload(monitor, unknown, bytes);
    // usa.monitor is CONFIDENTIAL: the SECRET incident is invisible to them.
    const b = await upload(monitor, secretIncident, bytes);
    expect([a.statusCode, b.statusCode]).toEqual([404, 404]);
    expect(a.json().code).toBe(b.json().code);
    expect(a.json().title).toBe(b.json().title);
    for (const url of ['evidence', 'evidence/suggestions']) {
      const x = await gbrPlanner.get(`/api/v1/incidents/${unknown}/${url}`);
      const y = await gbrPlanner.get(`/api/v1/incidents/${secretIncident}/${url}`);
      expect([x.statusCode, y.statusCode]).toEqual([404, 404]);
      expect(x.json().code).toBe(y.json().code);
    }
    const l1 = await analyst.post(`/api/v1/incidents/${unknown}/evidence/links`, {
      kind: 'alert',
      alertId: unknown,
    });
    expect(l1.statusCode).toBe(404);
    // Who may not attach is told so, whatever the incident.
    expect((await upload(planner, incident, bytes)).statusCode).toBe(403);
  });

  it('hides an item marked SECRET//REL TO USA from viewers it is not released to', async () => {
    const bytes = fakeFile('png');
    const refused = await upload(monitor, incident, bytes, { marking: JSON.stringify(SECRET_USA) });
    expect(refused.statusCode).toBe(403); // CONFIDENTIAL cannot mark SECRET
    const bad = await upload(admin, incident, bytes, { marking: '{"classification":"TOP"}' });
    expect(bad.statusCode).toBe(400);
    const r = await upload(admin, incident, bytes, {
      marking: JSON.stringify(SECRET_USA),
      description: 'Sensitive imagery',
    });
    expect(r.statusCode, r.body).toBe(201);
    const item = r.json<EvidenceItem>();
    expect(item.markingText).toBe('SECRET//REL TO USA');

    for (const c of [canViewer, gbrPlanner]) {
      const list = (await c.get(`/api/v1/incidents/${incident}/evidence`)).json<List>();
      expect(list.items.map((x) => x.id)).not.toContain(item.id);
      for (const url of ['', '/content', '/custody', '/segment']) {
        const x = await c.get(`/api/v1/evidence/${item.id}${url}`);
        expect(x.statusCode, url).toBe(404);
      }
      expect(
        (await c.post(`/api/v1/evidence/${item.id}/custody`, { action: 'annotated', note: 'x' })).statusCode,
      ).toBe(403);
    }
    // A permitted but uncleared user: not found rather than forbidden.
    const analystGbr = await Client.login(server.app, 'gbr.analyst');
    expect(
      (await analystGbr.post(`/api/v1/evidence/${item.id}/custody`, { action: 'annotated', note: 'x' }))
        .statusCode,
    ).toBe(404);

    const mine = await planner.get(`/api/v1/evidence/${item.id}/content`);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['x-concord-marking']).toBe('SECRET//REL TO USA');
    const list = (await planner.get(`/api/v1/incidents/${incident}/evidence`)).json<
      List & { markingText: string }
    >();
    expect(list.items.map((x) => x.id)).toContain(item.id);
    expect(list.markingText).toBe('SECRET//REL TO USA');
  });

  it('links an alert with a marking that covers it, once', async () => {
    const restricted: Marking = { classification: 'RESTRICTED', releasableTo: ['USA', 'FRA', 'GBR'] };
    const [alert] = await server.alerts.raise([candidate(restricted)]);
    const url = `/api/v1/incidents/${incident}/evidence/links`;
    const low = await analyst.post(url, { kind: 'alert', alertId: alert!.id, marking: ALL });
    expect(low.statusCode).toBe(400);
    const r = await analyst.post(url, { kind: 'alert', alertId: alert!.id, description: 'Geofence alert' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json<EvidenceItem>()).toMatchObject({
      kind: 'alert',
      alertId: alert!.id,
      markingText: 'RESTRICTED//REL TO USA, FRA, GBR',
      lastCustody: { action: 'linked', actor: { username: 'fra.analyst' } },
    });
    expect((await analyst.post(url, { kind: 'alert', alertId: alert!.id })).statusCode).toBe(409);
    // Not released to can.viewer: the alert itself is unknown to them.
    expect((await canViewer.get(`/api/v1/evidence/${r.json<EvidenceItem>().id}`)).statusCode).toBe(404);
    // A file item is not a segment, nor a segment a file.
    expect((await analyst.get(`/api/v1/evidence/${r.json<EvidenceItem>().id}/content`)).statusCode).toBe(400);
  });
});

describe('merging incidents', () => {
  const inc = (i: { number: string }) => incidentNumber(Number(i.number));
  it('moves every item of the duplicate, with a transferred custody entry, and takes no more on it', async () => {
    const target = await insertIncident(server.database.db, { marking: ALL });
    const dup = await insertIncident(server.database.db, { marking: ALL });
    const open = (await upload(monitor, dup.id, fakeFile('png', 1500))).json<EvidenceItem>();
    // An item the merging monitor (CONFIDENTIAL) may not see: it moves all the same.
    const sent = await upload(
      admin,
      dup.id,
      fakeFile('pdf', 1500),
      { marking: JSON.stringify(SECRET_USA) },
      'application/pdf',
    );
    expect(sent.statusCode, sent.body).toBe(201);
    const secret = sent.json<EvidenceItem>();

    const merged = await monitor.post(`/api/v1/incidents/${dup.id}/actions`, {
      action: 'merge',
      version: 1,
      duplicateOf: target.id,
    });
    expect(merged.statusCode, merged.body).toBe(200);

    const ids = (c: Client, id: string) =>
      c.get(`/api/v1/incidents/${id}/evidence`).then((r) => r.json<List>().items.map((x) => x.id));
    expect(await ids(admin, dup.id)).toEqual([]);
    expect((await ids(admin, target.id)).sort()).toEqual([open.id, secret.id].sort());
    expect(await ids(monitor, target.id)).toEqual([open.id]);

    const chain = await custody(admin, secret.id);
    expect(chain.entries.map((e) => e.action)).toEqual(['uploaded', 'transferred']);
    expect(chain.entries[1]).toMatchObject({
      actor: { username: 'usa.monitor' },
      markingText: 'SECRET//REL TO USA',
      note: `Moved from ${inc(dup)} to ${inc(target)}: ${inc(dup)} was merged into it as a duplicate.`,
    });
    const seen = (await monitor.get(`/api/v1/evidence/${open.id}`)).json<EvidenceItem>();
    expect(seen).toMatchObject({
      incidentId: target.id,
      custodyCount: 2,
      lastCustody: { action: 'transferred' },
    });

    // Live maps and pages hear of the move under each item's own marking.
    const events = await server.database.db.asSystem((tx) =>
      sql<{ entity_id: string; incident: string; classification: number }>`
        SELECT DISTINCT ON (entity_id) entity_id, payload->>'incidentId' AS incident, classification
        FROM events WHERE layer = 'evidence' AND entity_id IN (${open.id}, ${secret.id})
        ORDER BY entity_id, id DESC`.execute(tx),
    );
    expect(events.rows.map((e) => e.incident)).toEqual([target.id, target.id]);
    expect(events.rows.find((e) => e.entity_id === secret.id)!.classification).toBe(3);

    const late = await upload(monitor, dup.id, fakeFile('png', 900));
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'incident-merged', duplicateOf: target.id });
    const link = await monitor.post(`/api/v1/incidents/${dup.id}/evidence/links`, {
      kind: 'alert',
      alertId: '00000000-0000-4000-8000-000000000000',
    });
    expect(link.statusCode).toBe(409);
    expect(await ids(admin, dup.id)).toEqual([]);
  });
});
