/** One Cursor-on-Target event as the parser gives it: the subset of CoT that Concord reads. */

export interface CotPoint {
  lat: number;
  lon: number;
  /** Metres above the WGS84 ellipsoid; null when the sender said unknown (9999999). */
  hae: number | null;
  /** Circular error (horizontal accuracy), metres; null when unknown. */
  ce: number | null;
  le: number | null;
}

export interface CotLink {
  uid?: string;
  type?: string;
  relation?: string;
  /** "lat,lon[,hae]" for the vertices of a drawn shape. */
  point?: string;
}

export interface CotDetail {
  callsign?: string;
  group?: { name?: string; role?: string };
  track?: { speed?: number; course?: number };
  remarks?: string;
  links: CotLink[];
  milsym?: string;
  precisionLocation?: { geopointsrc?: string; altsrc?: string };
  status?: { battery?: string };
  takv?: { device?: string; platform?: string; os?: string; version?: string };
  /** Vertices of a <shape><polyline><vertex/></polyline></shape>, as [lat, lon]. */
  shapeVertices: [number, number][];
}

export interface CotEvent {
  version: string;
  uid: string;
  type: string;
  how: string;
  /** Epoch milliseconds. */
  time: number;
  start: number;
  stale: number;
  point: CotPoint;
  detail: CotDetail;
}

/** Why an event or a connection was refused; counted per server. */
export type RejectReason =
  | 'not-xml'
  | 'doctype'
  | 'entity'
  | 'processing-instruction'
  | 'not-an-event'
  | 'bad-uid'
  | 'bad-type'
  | 'bad-point'
  | 'bad-time'
  | 'too-deep'
  | 'event-too-large'
  | 'buffer-overflow'
  | 'report-refused'
  | 'unknown-user'
  | 'disabled-user'
  | 'no-certificate'
  | 'tls-handshake'
  | 'idle';

export class CotError extends Error {
  constructor(
    readonly reason: RejectReason,
    message: string,
  ) {
    super(message);
  }
}
