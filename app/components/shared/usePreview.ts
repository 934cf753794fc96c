'use client';

import { useEffect, useRef, useState } from 'react';
import type { HealReportView, Strategy } from '../../../server/protocol/wire';
import { request } from '../../lib/socket';

export type Preview = Record<Strategy, HealReportView>;

/** The board asks for a new preview at most this often, however fast the feeds diverge. */
export const PREVIEW_INTERVAL_MS = 1000;

/**
 * PRE1 on the board: while `key` is non-null (the link is cut; the key is when the cut began),
 * asks the server for all three strategies' outcomes whenever `trigger` changes (each
 * divergence:changed), at most once a second, the last change always answered. The page shows
 * what the server computed; it computes nothing itself.
 */
export function useHealPreview(key: number | null, trigger: unknown): Preview | null {
  const [result, setResult] = useState<{ key: number; preview: Preview } | null>(null);
  const lastAsked = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const sequence = useRef(0);

  useEffect(() => {
    if (key === null) {
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
      return;
    }
    const ask = () => {
      timer.current = null;
      lastAsked.current = Date.now();
      sequence.current += 1;
      const mine = sequence.current;
      void request('heal:preview', {}).then((answer) => {
        if (answer.ok && mine === sequence.current) setResult({ key, preview: answer.data });
      });
    };
    const wait = lastAsked.current + PREVIEW_INTERVAL_MS - Date.now();
    if (wait <= 0) ask();
    else timer.current ??= setTimeout(ask, wait);
  }, [key, trigger]);

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );

  return result !== null && result.key === key ? result.preview : null;
}
