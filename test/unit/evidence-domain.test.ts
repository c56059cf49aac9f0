import { describe, expect, it } from 'vitest';
import { markingCovers } from '../../src/domain/evidence.js';
import {
  contentDisposition,
  mediaTypeProblem,
  resolveMediaType,
  safeFilename,
  sniffSignature,
} from '../../src/domain/evidence-files.js';
import { footprintCovers, rankSuggestions } from '../../src/domain/evidence-suggestions.js';
import type { Marking } from '../../src/domain/marking.js';
import { squarePolygon } from '../support/fixtures.js';

const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const bytes = (...x: (number | string)[]) =>
  Uint8Array.from(x.flatMap((v) => (typeof v === 'string' ? [...v].map((c) => c.charCodeAt(0)) : [v])));

describe('evidence files', () => {
  it('recognises common formats by their first bytes', () => {
    expect(sniffSignature(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('jpeg');
    expect(sniffSignature(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a))).toBe('png');
    expect(sniffSignature(bytes('RIFF', 0, 0, 0, 0, 'WEBP'))).toBe('webp');
    expect(sniffSignature(bytes('RIFF', 0, 0, 0, 0, 'WAVE'))).toBeNull();
    expect(sniffSignature(bytes('%PDF-1.4'))).toBe('pdf');
    expect(sniffSignature(bytes('PK', 3, 4))).toBe('zip');
    expect(sniffSignature(bytes('MZ', 0x90))).toBe('executable');
    expect(sniffSignature(bytes('hello'))).toBeNull();
  });

  it('accepts listed types whose content agrees and refuses the rest', () => {
    expect(mediaTypeProblem('image/png', bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a))).toBeNull();
    expect(
      mediaTypeProblem(
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        bytes('PK', 3, 4),
      ),
    ).toBeNull();
    expect(mediaTypeProblem('text/plain', bytes('Statement'))).toBeNull();
    expect(mediaTypeProblem('video/mp4', bytes(0, 0, 0, 0x18, 'ftypmp42'))).toBeNull();
    expect(mediaTypeProblem('image/png', bytes('%PDF-1.4'))).toMatch(
      /declared image\/png but its content is a pdf/,
    );
    expect(mediaTypeProblem('text/plain', bytes('%PDF-1.4'))).toMatch(/declare its real type/);
    expect(mediaTypeProblem('text/html', bytes('<html>'))).toMatch(/not accepted/);
    expect(mediaTypeProblem('application/zip', bytes('MZ'))).toMatch(/executable/);
    expect(resolveMediaType('Image/JPG; q=1', bytes())).toBe('image/jpeg');
    expect(resolveMediaType('application/octet-stream', bytes('%PDF-1.4'))).toBe('application/pdf');
    expect(resolveMediaType(undefined, bytes('hello'))).toBe('');
  });

  it('makes filenames safe and sends them in both forms', () => {
    expect(safeFilename('../../etc/passwd')).toBe('passwd');
    expect(safeFilename('C:\\Users\\x\\photo.jpg')).toBe('photo.jpg');
    expect(safeFilename('evil\u202Egpj.exe')).toBe('evil_gpj.exe');
    expect(safeFilename('a\u0000b\nc.txt')).toBe('a_b_c.txt');
    expect(safeFilename('...')).toBe('evidence');
    expect(safeFilename(undefined)).toBe('evidence');
    const long = safeFilename(`${'x'.repeat(300)}.jpeg`);
    expect(long).toHaveLength(200);
    expect(long.endsWith('.jpeg')).toBe(true);
    expect(contentDisposition('attachment', 'Gaza "north" é.pdf')).toBe(
      `attachment; filename="Gaza _north_ _.pdf"; filename*=UTF-8''Gaza%20%22north%22%20%C3%A9.pdf`,
    );
  });
});

describe('evidence markings', () => {
  it('covers what is at least as restrictive', () => {
    const usa: Marking = { classification: 'SECRET', releasableTo: ['USA'] };
    const usaGbr: Marking = { classification: 'RESTRICTED', releasableTo: ['USA', 'GBR'] };
    expect(markingCovers(usa, usaGbr)).toBe(true);
    expect(markingCovers(usaGbr, usa)).toBe(false);
    expect(markingCovers(usa, ALL)).toBe(true);
    expect(markingCovers(ALL, usaGbr)).toBe(false);
    expect(markingCovers({ ...usa, caveats: ['X'] }, { ...usa, caveats: ['X'] })).toBe(true);
    expect(markingCovers(usa, { ...usa, caveats: ['X'] })).toBe(false);
  });
});

describe('evidence suggestion ranking', () => {
  it('tests footprints with their holes', () => {
    const withHole = {
      ...squarePolygon(34.4, 31.45, 0.02),
      coordinates: [
        ...squarePolygon(34.4, 31.45, 0.02).coordinates,
        ...squarePolygon(34.4, 31.45, 0.005).coordinates,
      ],
    };
    expect(footprintCovers(squarePolygon(34.4, 31.45, 0.01), 34.4, 31.45)).toBe(true);
    expect(footprintCovers(squarePolygon(34.5, 31.45, 0.01), 34.4, 31.45)).toBe(false);
    expect(footprintCovers(withHole, 34.4, 31.45)).toBe(false);
    expect(footprintCovers(withHole, 34.415, 31.45)).toBe(true);
    expect(footprintCovers(null, 34.4, 31.45)).toBe(false);
  });

  it('ranks footprint first, then distance, then time gap, one entry per track', () => {
    const t = Date.UTC(2026, 0, 1, 12);
    const target = { lon: 34.4, lat: 31.45, from: t, to: t, radiusM: 5000, windowMs: 30 * 60_000 };
    const p = (
      uid: string,
      at: number,
      lon: number,
      lat: number,
      footprint: ReturnType<typeof squarePolygon> | null = null,
    ) => ({
      uid,
      at,
      lon,
      lat,
      footprint,
      marking: ALL,
    });
    const out = rankSuggestions(
      target,
      [
        p('near-late', t + 20 * 60_000, 34.401, 31.45),
        p('near', t, 34.401, 31.45),
        p('near', t + 60_000, 34.402, 31.45),
        p('far', t, 34.6, 31.45),
        p('eye', t, 34.4, 31.52, squarePolygon(34.4, 31.45, 0.01)),
      ],
      new Map([
        ['near', { callsign: 'N', kind: 'uav', affiliation: 'friend', sidc: null, organisation: 'X' }],
      ]),
    );
    expect(out.map((x) => x.uid)).toEqual(['eye', 'near', 'near-late']);
    expect(out[1]).toMatchObject({
      callsign: 'N',
      positions: 2,
      timeGapS: 0,
      from: new Date(t).toISOString(),
    });
    expect(out[2]!.timeGapS).toBe(1200);
    expect(out[0]!.footprintCovers).toBe(true);
  });
});
