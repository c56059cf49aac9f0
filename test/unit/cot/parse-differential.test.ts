import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCotEvent } from '../../../src/server/ingest/cot/parse.js';
import { CotError, type CotEvent } from '../../../src/server/ingest/cot/types.js';
import { cotEventArb, mutatedCotArb } from '../../support/cot-arbitrary.js';
import { parseCotEventWithSaxes } from '../../support/cot-saxes-parse.js';

/**
 * Concord's CoT scanner against the saxes-based parser it replaced (ADR 0009): on generated
 * events, valid and broken, both give the same event or both refuse. Where the scanner is
 * deliberately stricter (ADR 0009: a DOCTYPE or processing instruction refused on sight, lone
 * surrogates refused), the comparison says so.
 */

type Outcome = { ok: true; event: CotEvent } | { ok: false; reason: string };

function outcome(parse: (xml: string) => CotEvent, xml: string): Outcome {
  try {
    return { ok: true, event: parse(xml) };
  } catch (e) {
    if (e instanceof CotError) return { ok: false, reason: e.reason };
    throw e;
  }
}

/** Reasons the scanner gives where saxes said `not-xml`: it refuses these constructs on sight. */
const EARLIER = new Set(['doctype', 'processing-instruction']);
/** saxes let a lone high surrogate through; the scanner refuses any lone surrogate. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('CoT scanner against saxes', () => {
  it('gives the same event, or the same refusal, for generated events', () => {
    let accepted = 0;
    fc.assert(
      fc.property(cotEventArb, (xml) => {
        const ours = outcome(parseCotEvent, xml);
        const theirs = outcome(parseCotEventWithSaxes, xml);
        expect(ours).toEqual(theirs);
        if (ours.ok) accepted++;
      }),
      { numRuns: 3000 },
    );
    // The generator is meant to make mostly acceptable events; if not, it tests little.
    expect(accepted).toBeGreaterThan(1000);
  });

  it('never accepts what saxes refuses, and agrees on broken events', () => {
    fc.assert(
      fc.property(mutatedCotArb, (xml) => {
        const ours = outcome(parseCotEvent, xml);
        const theirs = outcome(parseCotEventWithSaxes, xml);
        // Splicing can cut an emoji's surrogate pair in two.
        if (LONE_SURROGATE.test(xml)) expect(ours.ok).toBe(false);
        else if (ours.ok || theirs.ok) expect(ours).toEqual(theirs);
        else if (ours.reason !== theirs.reason) {
          // Only ever a harder refusal of a DOCTYPE or a processing instruction saxes met later.
          expect(theirs.reason).toBe('not-xml');
          expect(EARLIER.has(ours.reason), `${ours.reason} for ${JSON.stringify(xml)}`).toBe(true);
        }
      }),
      { numRuns: 10_000 },
    );
  });
});
