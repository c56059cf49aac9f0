import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';

describe('CONCORD_TAK_SEND_MS', () => {
  it('paces TAK clients at 1 s by default, takes 0 (every movement) and refuses nonsense clearly', () => {
    expect(loadConfig({}).tak.sendEveryMs).toBe(1000);
    expect(loadConfig({ CONCORD_TAK_SEND_MS: '0' }).tak.sendEveryMs).toBe(0);
    expect(loadConfig({ CONCORD_TAK_SEND_MS: '250' }).tak.sendEveryMs).toBe(250);
    for (const bad of ['-1', 'fast', '1.5', '60001'])
      expect(() => loadConfig({ CONCORD_TAK_SEND_MS: bad })).toThrow(
        `CONCORD_TAK_SEND_MS must be 0..60000 (ms), got "${bad}"`,
      );
  });
});
