import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchmarkNames } from '../../bench/lib/names.js';
import { median, parseArgs, quantile } from '../../bench/lib/report.js';
import {
  GAZA_BBOX,
  generateZones,
  importBatches,
  MAX_IMPORT_FEATURES,
  vertexCount,
} from '../../bench/zones-generator.js';
import { bboxOf, validateGeometry } from '../../src/domain/geometry.js';
import { ZONE_GEOMETRY } from '../../src/domain/zones.js';

describe('benchmark zone generator', () => {
  const fc = generateZones(1000, { seed: 7 });

  it('makes valid zones of the right geometry for their kind, inside the Gaza bounding box', () => {
    expect(fc.features).toHaveLength(1000);
    for (const f of fc.features) {
      expect(validateGeometry(f.geometry, ZONE_GEOMETRY[f.properties.kind]).ok).toBe(true);
      const [w, s, e, n] = bboxOf(f.geometry);
      expect(w).toBeGreaterThanOrEqual(GAZA_BBOX.west);
      expect(e).toBeLessThanOrEqual(GAZA_BBOX.east);
      expect(s).toBeGreaterThanOrEqual(GAZA_BBOX.south);
      expect(n).toBeLessThanOrEqual(GAZA_BBOX.north);
      const parts =
        f.geometry.type === 'Polygon' ? f.geometry.coordinates[0]!.length - 1 : vertexCount(f.geometry);
      expect(parts).toBeGreaterThanOrEqual(20);
      expect(parts).toBeLessThanOrEqual(60);
    }
  });

  it('mixes kinds and markings, lines only for control lines', () => {
    const kinds = new Set(fc.features.map((f) => f.properties.kind));
    expect(kinds.size).toBeGreaterThanOrEqual(8);
    for (const f of fc.features) {
      expect(f.geometry.type === 'LineString').toBe(f.properties.kind.endsWith('-line'));
    }
    const restricted = fc.features.filter((f) => f.properties.marking.classification === 'RESTRICTED');
    expect(restricted.length).toBeGreaterThan(50);
    expect(restricted.length).toBeLessThan(300);
    expect(restricted[0]!.properties.marking.releasableTo).toEqual(['USA', 'GBR']);
  });

  it('is deterministic from its seed', () => {
    expect(generateZones(50, { seed: 7 })).toEqual({ ...fc, features: fc.features.slice(0, 50) });
    expect(generateZones(50, { seed: 8 })).not.toEqual(generateZones(50, { seed: 7 }));
  });

  it('splits into import requests the server accepts', () => {
    const big = generateZones(MAX_IMPORT_FEATURES + 1, { seed: 1 });
    const batches = importBatches(big);
    expect(batches.map((b) => b.features.length)).toEqual([MAX_IMPORT_FEATURES, 1]);
  });
});

describe('benchmark runner helpers', () => {
  it('lists the benchmarks in bench/, not the runner, generator or helpers', () => {
    const names = benchmarkNames(path.resolve('bench'));
    expect(names).toContain('cop');
    expect(names).not.toContain('run');
    expect(names).not.toContain('zones-generator');
  });

  it('parses options and computes quantiles', () => {
    expect(parseArgs(['--zones', '10', '--profile', '--seed=3'])).toEqual(
      new Map<string, string | true>([
        ['zones', '10'],
        ['profile', true],
        ['seed', '3'],
      ]),
    );
    expect(median([3, 1, 2])).toBe(2);
    expect(quantile([0, 10], 0.95)).toBeCloseTo(9.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });
});
