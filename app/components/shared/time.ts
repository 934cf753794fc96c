/**
 * Time on the board and the admin page: live clocks tick from this browser's clock plus the
 * server's offset (from the snapshot), and everything is written the way a room reads it.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';

/** A value of Date.now() that changes every `intervalMs` (null until mounted: nothing ticks on the server). */
export function useTicker(intervalMs: number): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    tick();
    const id = setInterval(tick, intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

function subscribeReducedMotion(listener: () => void): () => void {
  const query = window.matchMedia('(prefers-reduced-motion: reduce)');
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}

/** Whether the person asked for less motion: the timeline then moves in larger, rarer steps. */
export function useReducedMotion(): boolean {
  return useSyncExternalStore(
    subscribeReducedMotion,
    () => window.matchMedia('(prefers-reduced-motion: reduce)').matches,
    () => false,
  );
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A wall clock as 24-hour "14:03:07": the same digits on every screen, whatever the locale. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A wall clock with milliseconds, for the timeline's details. */
export function formatClockMs(ms: number): string {
  return `${formatClock(ms)}.${pad(new Date(ms).getMilliseconds(), 3)}`;
}

/** A clock skew as the board writes it: "+2.0 s", "−1.5 s", "+0.0 s". */
export function formatSkew(ms: number): string {
  return `${ms < 0 ? '−' : '+'}${(Math.abs(ms) / 1000).toFixed(1)} s`;
}

