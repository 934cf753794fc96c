/** `npm run bench:live` at a tiny size: the script works and its figures are sane. No timings asserted. */
import { describe, expect, it } from 'vitest';
import { runLive } from '../bench/live.ts';

describe('bench:live at a tiny size', () => {
  it('delivers every post to every other student, on the raw baseline and on the app, empty and lived', async () => {
    const { raw, app, lived } = await runLive({ clients: 12, rate: 15, seconds: 2, lived: 500, rampSeconds: 1, rampRates: [30], log: () => {} });
    for (const run of [raw, app, lived]) {
      expect(run).not.toBeNull();
      expect(run?.delivered).toBe(1);
      expect(run?.posts).toBe(30);
      for (const figure of [run?.p50, run?.p99, run?.heapPerClientKb, run?.joinP50]) expect(Number.isFinite(figure)).toBe(true);
    }
  }, 120_000);
});
