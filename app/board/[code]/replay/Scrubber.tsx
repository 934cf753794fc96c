'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { BoardScrubPayload, ScrubView, TimelineOpView } from '../../../../server/protocol/wire';
import { formatClock } from '../../../lib/format';
import { request } from '../../../lib/socket';
import './Scrubber.css';

/**
 * The board at a moment (SCR1): null while live. Viewing only: the class keeps writing, the live
 * snapshot keeps updating underneath, and "Live" returns to it.
 */
export function useScrub(): { view: ScrubView | null; go: (target: BoardScrubPayload) => void; live: () => void; error: string | null } {
  const [view, setView] = useState<ScrubView | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Only the newest request's answer is shown: dragging sends many.
  const latest = useRef(0);
  const go = useCallback((target: BoardScrubPayload) => {
    latest.current += 1;
    const mine = latest.current;
    void request('board:scrub', target).then((result) => {
      if (mine !== latest.current) return;
      if (result.ok) {
        setView(result.data);
        setError(null);
      } else setError(result.error.message);
    });
  }, []);
  const live = useCallback(() => {
    latest.current += 1;
    setView(null);
  }, []);
  return { view, go, live, error };
}

/**
 * The ops the timeline draws while a moment is scrubbed: the live ones (they know where each went
 * later), and before them the moment's own that the live window no longer holds, so a cursor far
 * back still has the ops around it.
 */
export function withEarlier(live: readonly TimelineOpView[], atMoment: readonly TimelineOpView[]): readonly TimelineOpView[] {
  const known = new Set(live.map((op) => op.opId));
  const first = live[0]?.at ?? Infinity;
  const earlier = atMoment.filter((op) => !known.has(op.opId) && op.at <= first);
  return earlier.length === 0 ? live : [...earlier, ...live];
}

/**
 * The timeline's scrubber: a range over the session's time, a step back and forward per logged
 * event (like RaftScope's replay), and "Live". Says what is shown: "viewing 14:02:11 — live is 14:05:40".
 */
export function Scrubber({ startedAt, liveAt, scrub }: { startedAt: number; liveAt: number; scrub: ReturnType<typeof useScrub> }) {
  const { view, go, live, error } = scrub;
  const [dragging, setDragging] = useState<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  const min = view?.startedAt ?? startedAt;
  const max = Math.max(liveAt, view?.liveAt ?? 0, min + 1);
  const value = dragging ?? view?.at ?? max;
  const onRange = (at: number) => {
    setDragging(at);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setDragging(null);
      go({ at });
    }, 120);
  };
  return (
    <section className={view ? 'scrubber scrubber-viewing' : 'scrubber'} aria-label="Scrub the session" data-testid="scrubber">
      <button type="button" className="btn btn-small" onClick={() => go(view ? { seq: Math.max(0, view.seq - 1) } : { at: max - 1 })} disabled={view !== null && view.seq === 0}>
        ◀ Step back
      </button>
      <input
        type="range"
        className="scrubber-range"
        aria-label="Moment of the session"
        min={min}
        max={max}
        step={100}
        value={value}
        onChange={(e) => onRange(Number(e.target.value))}
      />
      <button type="button" className="btn btn-small" onClick={() => view && go({ seq: view.seq + 1 })} disabled={!view || view.seq >= view.total}>
        Step forward ▶
      </button>
      <button type="button" className="btn btn-small btn-primary" onClick={live} disabled={!view}>
        Live
      </button>
      <span className="scrubber-words" role="status" data-testid="scrub-status">
        {view ? `viewing ${formatClock(view.at)} — live is ${formatClock(max)} · event ${view.seq} of ${view.total}` : 'Live'}
      </span>
      {error && <span className="scrubber-error">{error}</span>}
    </section>
  );
}
