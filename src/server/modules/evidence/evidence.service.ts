import type { Readable } from 'node:stream';
import {
  type CustodyAction,
  type CustodyEntry,
  type CustodyInput,
  EVIDENCE_LAYER,
  type EvidenceItem,
  type EvidenceLinkInput,
  MAX_SEGMENT_MS,
  markingCovers,
} from '../../../domain/evidence.js';
import {
  contentDisposition,
  isInlineSafe,
  mediaTypeProblem,
  resolveMediaType,
  safeFilename,
} from '../../../domain/evidence-files.js';
import { aggregateMarking, formatMarking, type Marking, normaliseMarking } from '../../../domain/marking.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db, Tx } from '../../db/database.js';
import { columnsToMarking, markingToColumns } from '../../db/marking-columns.js';
import { Problem, problems } from '../../platform/errors.js';
import { recordEvent } from '../../platform/events.js';
import { integrityFailure, mayAttach, parseMarking, parseTime, writable } from './evidence.checks.js';
import type { EvidenceFiles, ReceivedFile } from './evidence.files.js';
import { toCustodyEntry, toEvidenceItem } from './evidence.rows.js';
import { evidenceStore as store } from './evidence.store.js';

/** Positions one segment answer carries at most. */
export const MAX_SEGMENT_POSITIONS = 20_000;

export interface FileMeta {
  filename: string | undefined;
  declaredType: string;
  description?: string;
  /** The marking field as sent (JSON text or an object); the incident's when absent. */
  marking?: unknown;
  collectedBy?: string;
  collectedAt?: string;
}

export interface EvidenceContent {
  item: EvidenceItem;
  stream: Readable;
  size: number;
  headers: Record<string, string>;
}

export function evidenceService(
  db: Db,
  files: EvidenceFiles,
  log?: { warn(obj: unknown, msg: string): void },
) {
  async function incidentOrThrow(tx: Tx, incidentId: string) {
    const incident = await store.incident(tx, incidentId);
    if (!incident) throw problems.notFound(`Incident ${incidentId}`);
    return incident;
  }

  /** New evidence goes to an incident that gathers the event's reports: not to a merged duplicate. */
  async function attachableIncident(tx: Tx, incidentId: string) {
    const incident = await incidentOrThrow(tx, incidentId);
    if (incident.status === 'merged')
      throw new Problem(
        409,
        'incident-merged',
        'Incident merged',
        `Incident ${incidentId} was merged into ${incident.duplicate_of} as a duplicate: attach the evidence there.`,
        { duplicateOf: incident.duplicate_of },
      );
    return incident;
  }

  async function itemOrThrow(tx: Tx, id: string): Promise<EvidenceItem> {
    const row = await store.get(tx, id);
    if (!row) throw problems.notFound(`Evidence ${id}`);
    const [last] = await store.lastCustody(tx, [id]);
    return toEvidenceItem(row, last);
  }

  /** Appends a custody entry under the item's marking and announces the item's new state. */
  async function appendCustody(
    tx: Tx,
    viewer: Viewer | null,
    item: EvidenceItem,
    entry: {
      action: CustodyAction;
      holder?: string | null;
      note?: string | null;
      sha256?: string | null;
      at?: Date;
    },
  ): Promise<string> {
    const id = await store.addCustody(tx, {
      evidenceId: item.id,
      actor: viewer?.userId ?? null,
      ...entry,
      ...markingToColumns(item.marking),
    });
    await announce(tx, viewer, item.id, item.marking);
    return id;
  }

  async function announce(tx: Tx, viewer: Viewer | null, id: string, marking: Marking) {
    const after = await itemOrThrow(tx, id);
    await recordEvent(tx, {
      actor: viewer?.userId ?? null,
      kind: 'upsert',
      layer: EVIDENCE_LAYER,
      entityId: id,
      payload: after,
      marking,
      prevMarking: marking,
    });
    return after;
  }

  /** Records a failed integrity check in its own transaction, so that it stays whatever happens next. */
  async function recordFailure(viewer: Viewer, item: EvidenceItem, seen: string | null, why: string) {
    return db.asViewer(viewer, (tx) =>
      appendCustody(tx, viewer, item, { action: 'integrity-failure', sha256: seen, note: why }),
    );
  }

  async function checkFile(viewer: Viewer, item: EvidenceItem) {
    if (item.kind !== 'file' || !item.sha256)
      throw problems.badRequest(`Evidence ${item.id} is a ${item.kind}, not a file.`);
    const v = await files.verify(item.sha256);
    if (v.ok) return v;
    const why =
      v.reason === 'missing' ? 'The stored file is missing.' : 'The stored file does not match its SHA-256.';
    const entryId = await recordFailure(viewer, item, v.sha256, why);
    throw integrityFailure(item.id, entryId);
  }

  return {
    /** The incident's marking; 404 when it does not exist or is not released to the viewer. */
    async incidentMarking(viewer: Viewer, incidentId: string): Promise<Marking> {
      mayAttach(viewer);
      return db.asViewer(viewer, async (tx) => columnsToMarking(await incidentOrThrow(tx, incidentId)));
    },

    /**
     * Attaches a received file: checks its type and marking, records the item with its custody
     * ('collected' when given, then 'uploaded'), and moves the file to its content address before
     * the transaction commits. The answer never says whether the content was stored already: that
     * would confirm that a file exists which the uploader may not be allowed to know of.
     */
    async addFile(
      viewer: Viewer,
      incidentId: string,
      file: ReceivedFile,
      meta: FileMeta,
    ): Promise<EvidenceItem> {
      mayAttach(viewer);
      const mediaType = resolveMediaType(meta.declaredType, file.head);
      const bad = mediaTypeProblem(mediaType, file.head);
      if (bad) throw new Problem(415, 'evidence-type-refused', 'File type refused', bad, { mediaType });
      if (file.size === 0) throw problems.badRequest('The file is empty.', { field: 'file' });
      if ((meta.description?.length ?? 0) > 4000)
        throw problems.badRequest('description is longer than 4000 characters.', { field: 'description' });
      if ((meta.collectedBy?.length ?? 0) > 200)
        throw problems.badRequest('collectedBy is longer than 200 characters.', { field: 'collectedBy' });
      const collectedAt = meta.collectedAt ? parseTime('collectedAt', meta.collectedAt) : null;
      if (collectedAt && collectedAt.getTime() > Date.now() + 5 * 60_000)
        throw problems.badRequest('collectedAt is in the future.', { field: 'collectedAt' });
      return db.asViewer(viewer, async (tx) => {
        const incident = await attachableIncident(tx, incidentId);
        const marking = writable(
          viewer,
          meta.marking === undefined ? columnsToMarking(incident) : parseMarking(meta.marking),
        );
        const id = await store.insert(tx, {
          incidentId,
          kind: 'file',
          sha256: file.sha256,
          filename: safeFilename(meta.filename),
          mediaType,
          size: file.size,
          description: meta.description?.trim() || null,
          addedBy: viewer.userId,
          ...markingToColumns(marking),
        });
        const cols = { evidenceId: id, ...markingToColumns(marking), sha256: file.sha256 };
        if (meta.collectedBy || collectedAt)
          await store.addCustody(tx, {
            ...cols,
            action: 'collected',
            actor: viewer.userId,
            holder: meta.collectedBy?.trim() || null,
            at: collectedAt,
          });
        await store.addCustody(tx, {
          ...cols,
          action: 'uploaded',
          actor: viewer.userId,
          holder: viewer.username,
        });
        if ((await files.commit(file)) === 'replaced')
          log?.warn(
            { sha256: file.sha256, evidenceId: id },
            'a stored evidence file had changed; replaced by an upload of its content',
          );
        return announce(tx, viewer, id, marking);
      });
    },

    /** Links a track segment or an alert the viewer may see. */
    async link(viewer: Viewer, incidentId: string, input: EvidenceLinkInput): Promise<EvidenceItem> {
      mayAttach(viewer);
      return db.asViewer(viewer, async (tx) => {
        const incident = columnsToMarking(await attachableIncident(tx, incidentId));
        let disclosed: Marking;
        let fields: { trackUid?: string; from?: Date; to?: Date; alertId?: string };
        if (input.kind === 'track-segment') {
          const from = parseTime('from', input.from);
          const to = parseTime('to', input.to);
          if (to < from) throw problems.badRequest('to is before from.', { field: 'to' });
          if (to.getTime() - from.getTime() > MAX_SEGMENT_MS)
            throw problems.badRequest('A track segment covers at most 24 hours.', { field: 'to' });
          const groups = await store.segmentMarkings(tx, input.trackUid, from, to);
          if (groups.length === 0)
            throw new Problem(
              404,
              'no-track-positions',
              'No track positions',
              `Track ${input.trackUid} has no positions released to you between ${from.toISOString()} and ${to.toISOString()}.`,
            );
          disclosed = aggregateMarking(groups.map(columnsToMarking));
          fields = { trackUid: input.trackUid, from, to };
        } else {
          const alert = await store.alert(tx, input.alertId);
          if (!alert) throw problems.notFound(`Alert ${input.alertId}`);
          if (await store.alertLinked(tx, incidentId, input.alertId))
            throw problems.conflict(`Alert ${input.alertId} is already evidence of this incident.`);
          disclosed = columnsToMarking(alert);
          fields = { alertId: input.alertId };
        }
        const marking = writable(
          viewer,
          input.marking ? normaliseMarking(input.marking) : aggregateMarking([incident, disclosed]),
        );
        if (!markingCovers(marking, disclosed))
          throw problems.badRequest(
            `The evidence must be marked at least ${formatMarking(disclosed)}, the marking of what it shows.`,
            { field: 'marking' },
          );
        const id = await store.insert(tx, {
          incidentId,
          kind: input.kind,
          ...fields,
          description: input.description?.trim() || null,
          addedBy: viewer.userId,
          ...markingToColumns(marking),
        });
        await store.addCustody(tx, {
          evidenceId: id,
          action: 'linked',
          actor: viewer.userId,
          holder: viewer.username,
          ...markingToColumns(marking),
        });
        return announce(tx, viewer, id, marking);
      });
    },

    async list(viewer: Viewer, incidentId: string) {
      return db.asViewer(viewer, async (tx) => {
        await incidentOrThrow(tx, incidentId);
        const rows = await store.list(tx, incidentId);
        const last = new Map(
          (
            await store.lastCustody(
              tx,
              rows.map((r) => r.id),
            )
          ).map((c) => [c.evidence_id, c]),
        );
        const items = rows.map((r) => toEvidenceItem(r, last.get(r.id)));
        const marking = aggregateMarking(items.map((x) => x.marking));
        return { incidentId, items, marking, markingText: formatMarking(marking) };
      });
    },

    get(viewer: Viewer, id: string): Promise<EvidenceItem> {
      return db.asViewer(viewer, (tx) => itemOrThrow(tx, id));
    },

    /**
     * The file, re-hashed before anything is sent. A mismatch or a missing file is recorded as an
     * 'integrity-failure' custody entry and answered with the integrity problem; a good read is
     * recorded as 'viewed' (inline) or 'downloaded'.
     */
    async content(viewer: Viewer, id: string, inline: boolean): Promise<EvidenceContent> {
      const item = await db.asViewer(viewer, (tx) => itemOrThrow(tx, id));
      const v = await checkFile(viewer, item);
      try {
        const mediaType = item.mediaType ?? 'application/octet-stream';
        const show = inline && isInlineSafe(mediaType);
        await db.asViewer(viewer, (tx) =>
          appendCustody(tx, viewer, item, { action: show ? 'viewed' : 'downloaded', sha256: v.sha256 }),
        );
        const headers: Record<string, string> = {
          'content-type': mediaType,
          'content-length': String(v.size),
          'content-disposition': contentDisposition(
            show ? 'inline' : 'attachment',
            item.filename ?? 'evidence',
          ),
          'x-content-type-options': 'nosniff',
          'x-concord-sha256': v.sha256,
          'x-concord-marking': item.markingText,
          'cache-control': 'private, no-store',
          // A sandbox keeps any script in a shown file away from the session; Chromium's PDF viewer
          // does not run sandboxed, so PDFs get the rest of the policy only.
          'content-security-policy':
            mediaType === 'application/pdf'
              ? "default-src 'none'; object-src 'self'"
              : "default-src 'none'; sandbox",
        };
        return { item, stream: files.stream(v.file), size: v.size, headers };
      } catch (e) {
        await v.file.close().catch(() => {});
        throw e;
      }
    },

    async custody(viewer: Viewer, id: string) {
      return db.asViewer(viewer, async (tx) => {
        const item = await itemOrThrow(tx, id);
        const entries: CustodyEntry[] = (await store.custody(tx, id)).map(toCustodyEntry);
        return { evidenceId: id, entries, marking: item.marking, markingText: item.markingText };
      });
    },

    /** transferred (needs a holder), annotated (needs a note), verified (files: re-hashed). */
    async recordCustody(viewer: Viewer, id: string, input: CustodyInput): Promise<CustodyEntry> {
      mayAttach(viewer);
      const holder = input.holder?.trim() || null;
      const note = input.note?.trim() || null;
      if (input.action === 'transferred' && !holder)
        throw problems.badRequest('A transfer names the new holder.', { field: 'holder' });
      if (input.action === 'annotated' && !note)
        throw problems.badRequest('An annotation needs a note.', { field: 'note' });
      const item = await db.asViewer(viewer, (tx) => itemOrThrow(tx, id));
      let sha256: string | null = null;
      if (input.action === 'verified' && item.kind === 'file') {
        const v = await checkFile(viewer, item);
        await v.file.close();
        sha256 = v.sha256;
      }
      return db.asViewer(viewer, async (tx) => {
        const entryId = await appendCustody(tx, viewer, item, { action: input.action, holder, note, sha256 });
        return toCustodyEntry((await store.custodyEntry(tx, entryId))!);
      });
    },

    /** A track segment's positions the viewer may see, as a GeoJSON LineString Feature with their times. */
    async segment(viewer: Viewer, id: string) {
      return db.asViewer(viewer, async (tx) => {
        const item = await itemOrThrow(tx, id);
        if (item.kind !== 'track-segment' || !item.trackUid || !item.from || !item.to)
          throw problems.badRequest(`Evidence ${id} is a ${item.kind}, not a track segment.`);
        const rows = await store.segment(
          tx,
          item.trackUid,
          new Date(item.from),
          new Date(item.to),
          MAX_SEGMENT_POSITIONS + 1,
        );
        const kept = rows.slice(0, MAX_SEGMENT_POSITIONS);
        const marking = aggregateMarking([item.marking, ...kept.map(columnsToMarking)]);
        const coordinates = kept.map((r) => [r.lon, r.lat]);
        return {
          type: 'Feature' as const,
          id,
          // One visible position makes a Point: a LineString needs two.
          geometry:
            coordinates.length === 1
              ? { type: 'Point' as const, coordinates: coordinates[0]! }
              : { type: 'LineString' as const, coordinates },
          properties: {
            evidenceId: id,
            trackUid: item.trackUid,
            from: item.from,
            to: item.to,
            times: kept.map((r) => r.observed_at.toISOString()),
            count: kept.length,
            truncated: rows.length > MAX_SEGMENT_POSITIONS,
            marking,
            markingText: formatMarking(marking),
          },
        };
      });
    },
  };
}
export type EvidenceService = ReturnType<typeof evidenceService>;
