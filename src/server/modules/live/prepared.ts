import type { ChangeEvent, LiveChangeMessage } from '../../../domain/events.js';
import { type BBox, bboxOf, type Geometry } from '../../../domain/geometry.js';
import { canSee } from '../../../domain/marking.js';
import type { TrackMove } from '../../../domain/tracks.js';
import type { Viewer } from '../../../domain/viewer.js';

function featureBbox(feature: unknown): BBox | null {
  const g = (feature as { geometry?: unknown } | null)?.geometry as Geometry | null | undefined;
  if (!g || !Array.isArray(g.coordinates)) return null;
  return bboxOf(g);
}

/**
 * A change as every subscriber sees it, worked out once however many subscribers there are: its
 * key, its bbox, and its upsert or delete message, identical for all who receive it, serialised once.
 */
export class Prepared {
  readonly key: string;
  readonly bbox: BBox | null;
  private upsert: Outgoing | null = null;
  private gone: Outgoing | null = null;
  private moved: Outgoing | null = null;

  /** canSee(viewer, marking) by clearance class: subscribers who hold the same clearance share the answer. */
  private readonly seen: (boolean | undefined)[] = [];
  /** The hub's count of volatile changes when this one was published (see Subscriber.pacedFrom). */
  seq = 0;

  /**
   * `move`: the change only moved a track (see VolatileChange); `rev`: the entity's count of other
   * changes, -1 for changes from the outbox, which are always sent whole.
   */
  constructor(
    readonly e: ChangeEvent,
    readonly move: TrackMove | undefined = undefined,
    readonly rev = -1,
    point: readonly [number, number] | undefined = undefined,
    private readonly feature: (() => unknown) | undefined = undefined,
  ) {
    this.key = `${e.layer}\u0000${e.entityId}`;
    this.bbox =
      e.kind !== 'upsert' ? null : point ? [point[0], point[1], point[0], point[1]] : featureBbox(e.payload);
  }

  visibleTo(viewer: Viewer, clearanceClass: number): boolean {
    let v = this.seen[clearanceClass];
    if (v === undefined) {
      v = canSee(viewer, this.e.marking);
      this.seen[clearanceClass] = v;
    }
    return v;
  }

  // A volatile change carries no event id: the client keeps resuming from its last outbox id.
  upsertMessage(): Outgoing {
    const e = this.e;
    this.upsert ??= new Outgoing({
      type: 'upsert',
      layer: e.layer,
      id: e.entityId,
      feature: e.payload ?? this.feature?.(),
      eventId: e.id || undefined,
    });
    return this.upsert;
  }

  moveMessage(move: TrackMove): Outgoing {
    this.moved ??= new Outgoing({ type: 'moves', layer: this.e.layer, moves: [move] }, move);
    return this.moved;
  }

  deleteMessage(): Outgoing {
    const e = this.e;
    this.gone ??= new Outgoing({
      type: 'delete',
      layer: e.layer,
      id: e.entityId,
      eventId: e.id || undefined,
    });
    return this.gone;
  }
}

/**
 * A change message and its JSON, made on first use and shared by every subscriber it goes to. A
 * move's text is the move alone: sinks gather the moves of a flush into one `moves` message.
 */
export class Outgoing {
  private json: string | null = null;
  constructor(
    readonly msg: LiveChangeMessage,
    readonly move: TrackMove | null = null,
  ) {}
  get text(): string {
    this.json ??= JSON.stringify(this.move ?? this.msg);
    return this.json;
  }
}

/**
 * The messages of one flush as JSON texts, in order: whole changes one by one, each run of moves
 * of one layer as one `moves` message. An entity may come more than once (moved, then gone).
 */
export function changeTexts(changes: readonly Outgoing[]): string[] {
  const texts: string[] = [];
  let run: string[] = [];
  let runLayer = '';
  const endRun = () => {
    if (run.length)
      texts.push(`{"type":"moves","layer":${JSON.stringify(runLayer)},"moves":[${run.join(',')}]}`);
    run = [];
  };
  for (const c of changes) {
    if (!c.move || c.msg.layer !== runLayer) endRun();
    if (!c.move) texts.push(c.text);
    else {
      runLayer = c.msg.layer;
      run.push(c.text);
    }
  }
  endRun();
  return texts;
}
