import { useEffect, useState } from 'react';

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
