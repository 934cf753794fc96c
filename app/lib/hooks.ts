/** Small hooks shared by the pages. */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { getConnection, subscribeConnection, type ConnectionState } from './socket';

const SERVER_CONNECTION: ConnectionState = { status: 'connecting', error: null };

/** The socket's connection state, for the "Reconnecting…" line. */
export function useConnection(): ConnectionState {
  return useSyncExternalStore(subscribeConnection, getConnection, () => SERVER_CONNECTION);
}

const noSubscribe = () => () => {};

/** This page's origin once in the browser ('' while server-rendering). */
export function useOrigin(): string {
  return useSyncExternalStore(noSubscribe, () => window.location.origin, () => '');
}

/** The one visible error line of a page: the last failed Ack's message, until dismissed. */
export function useAlert(): { message: string | null; show: (message: string) => void; clear: () => void } {
  const [message, setMessage] = useState<string | null>(null);
  const show = useCallback((m: string) => setMessage(m), []);
  const clear = useCallback(() => setMessage(null), []);
  return { message, show, clear };
}

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

/**
 * Server time as this page knows it, ticking once a second: the browser's clock plus the
 * offset measured from the last snapshot's `serverNow`, so a student's laptop clock being
 * wrong never shows up as a datacenter's skew.
 */
export function useServerNow(offsetMs: number, intervalMs = 1000): number {
  const [local, setLocal] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setLocal(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return local + offsetMs;
}
