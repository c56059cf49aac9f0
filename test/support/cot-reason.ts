import { parseCotEvent } from '../../src/server/ingest/cot/parse.js';
import { CotError } from '../../src/server/ingest/cot/types.js';

/** Why the parser refuses an event (its CotError reason), or 'accepted'. */
export function reasonOf(xml: string): string {
  try {
    parseCotEvent(xml);
  } catch (e) {
    if (e instanceof CotError) return e.reason;
    throw e;
  }
  return 'accepted';
}
