import { describe, expect, it } from 'vitest';
import { formatClock, formatDuration, formatSeconds, formatSkew, formatTime, quote, truncate } from '../../app/lib/format.ts';
import { linkLook, otherDc, shortModeLabel } from '../../app/lib/dc.ts';

/** A local wall-clock instant, so the expectations hold in any time zone. */
const at = (h: number, m: number, s: number, ms = 0) => new Date(2026, 10, 30, h, m, s, ms).getTime();

describe('app/lib formatting', () => {
  it('[CLK1] a live clock is 24-hour, the same digits on every screen', () => {
    expect(formatClock(at(14, 3, 7, 980))).toBe('14:03:07');
    expect(formatClock(at(0, 0, 5))).toBe('00:00:05');
  });

  it('[LWW1] stamped times carry tenths of a second, so two writes a few hundred ms apart read apart', () => {
    const earlier = at(23, 59, 59, 120);
    const later = at(23, 59, 59, 870);
    expect(formatTime(earlier)).toBe('23:59:59.1');
    expect(formatTime(later)).toBe('23:59:59.8');
    expect(formatTime(at(9, 5, 0))).toBe('09:05:00.0');
  });

  it('[CLK1] one skew format in words: behind, ahead, on time under 50 ms', () => {
    expect(formatSkew(-6000)).toBe('6.0 s behind');
    expect(formatSkew(2500)).toBe('2.5 s ahead');
    expect(formatSkew(0)).toBe('on time');
    expect(formatSkew(-49)).toBe('on time');
    expect(formatSkew(50)).toBe('0.1 s ahead');
  });

  it('[CLK1] seconds are unsigned with one decimal, durations as a person says them', () => {
    expect(formatSeconds(-4000)).toBe('4.0 s');
    expect(formatDuration(45_400)).toBe('45 s');
    expect(formatDuration(80_000)).toBe('1 min 20 s');
    expect(formatDuration(3_900_000)).toBe('1 h 5 min');
    expect(formatDuration(-10)).toBe('0 s');
  });

  it('[SEC4] quotes keep a post on one line and cut it with an ellipsis at the limit', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('exactly ten', 11)).toBe('exactly ten');
    expect(truncate('a longer sentence', 8)).toBe('a longe…');
    expect(truncate('a longer sentence', 8)).toHaveLength(8);
    expect(quote('  two\n lines  ')).toBe('“two lines”');
    expect(quote('x'.repeat(50))).toBe(`“${'x'.repeat(39)}…”`);
  });

  it('[NET3] the other side, and the look of each link mode', () => {
    expect(otherDc('west')).toBe('east');
    expect(otherDc('east')).toBe('west');
    expect(linkLook('cut-west-to-east')).toBe('one-way');
    expect(linkLook('cut')).toBe('cut');
    expect(linkLook('slow')).toBe('slow');
    expect(shortModeLabel('cut-east-to-west')).toBe('East → West cut');
  });
});
