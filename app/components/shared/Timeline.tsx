'use client';

import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { DC_LABEL, type Dc, type LinkMode, type TimelineBandView, type TimelineOpView } from '../../../server/protocol/wire';
import { DcName } from '../DcBadge';
import { formatClock, formatTime } from '../../lib/format';
import { holdsFrom, linkLook, otherDc, shortModeLabel } from '../../lib/dc';
import { useReducedMotion, useTicker } from '../../lib/hooks';
import './Timeline.css';

/** The diagram shows the last minute, and at most this many ops, so it stays readable. */
export const TIMELINE_WINDOW_MS = 60_000;
export const TIMELINE_MAX_OPS = 150;
/** The narrowest window, for a session with only a few seconds of history. */
export const TIMELINE_MIN_SPAN_MS = 20_000;

const HEIGHT = 160;
const GUTTER = 78;
const RIGHT = 18;
const LANE: Record<Dc, number> = { west: 46, east: 116 };
const MID = (LANE.west + LANE.east) / 2;
const BAND_TOP = 22;
const BAND_BOTTOM = 136;
/** A message that took longer than this to cross is "late": its arrow leans visibly. */
const LATE_MS = 1500;

const KIND_LABEL: Record<TimelineOpView['kind'], string> = {
  create: 'Post',
  edit: 'Edit',
  delete: 'Delete',
  like: 'Like',
  unlike: 'Unlike',
  resolve: 'Conflict choice',
};

function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w !== undefined) setWidth(Math.floor(w));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** The shape of an op's dot says its kind: post ●, edit ◆, delete ■, like • (ringed when unliked). */
function Mark({ op, x, y }: { op: TimelineOpView; x: number; y: number }) {
  switch (op.kind) {
    case 'create':
      return <circle cx={x} cy={y} r={7} />;
    case 'edit':
    case 'resolve':
      return <path d={`M${x},${y - 8} L${x + 8},${y} L${x},${y + 8} L${x - 8},${y} z`} className={op.kind === 'resolve' ? 'board-tl-resolve' : undefined} />;
    case 'delete':
      return <rect x={x - 6} y={y - 6} width={12} height={12} />;
    case 'like':
      return <circle cx={x} cy={y} r={4.5} />;
    case 'unlike':
      return <circle cx={x} cy={y} r={4.5} className="board-tl-hollow" />;
    default: {
      const unknown: never = op.kind;
      throw new Error(`unknown op kind ${String(unknown)}`);
    }
  }
}

function describe(op: TimelineOpView, held: boolean): string {
  const travel =
    op.deliveredAt !== null
      ? `reached ${DC_LABEL[otherDc(op.origin)]} ${((op.deliveredAt - op.at) / 1000).toFixed(1)} s later`
      : held
        ? `held at the cut: ${DC_LABEL[otherDc(op.origin)]} has not seen it`
        : `on its way to ${DC_LABEL[otherDc(op.origin)]}`;
  return `${KIND_LABEL[op.kind]} by ${op.authorName} in ${DC_LABEL[op.origin]} · ${DC_LABEL[op.origin]} clock ${formatTime(op.wall)} · Lamport ${op.lamport} · {W:${op.vv.west}, E:${op.vv.east}} · ${travel}`;
}

interface Focus {
  opId: string;
  pinned: boolean;
}

/**
 * The space-time diagram: a lane per datacenter (West on top in blue, East below in amber), each
 * op a dot at the time it was accepted on its origin's lane, an arrow to the other lane when it
 * arrived there (leaning when late), a dashed stub stopped at the cut while it is held, and every
 * stretch of time the link was not up as a red-tinted band. Only the last minute (at most 150
 * ops) is drawn; hover or tap a dot for the op.
 */
export function Timeline({
  ops,
  bands,
  mode,
  clockOffset,
  cursor = null,
}: {
  ops: readonly TimelineOpView[];
  bands: readonly TimelineBandView[];
  mode: LinkMode;
  clockOffset: number;
  /** The scrubbed moment (server time), drawn as a cursor; null while live. */
  cursor?: number | null;
}) {
  const reduced = useReducedMotion();
  // The window slides in one-second steps (five with reduced motion): no continuous movement.
  const tick = useTicker(reduced ? 5000 : 1000);
  const [ref, width] = useWidth<HTMLDivElement>();
  const [focus, setFocus] = useState<Focus | null>(null);

  const picture = useMemo(() => {
    if (tick === null || width === 0) return null;
    // The newest op can be a little ahead of this browser's estimate of server time.
    const live = Math.max(tick + clockOffset, ops.at(-1)?.at ?? 0);
    // A scrubbed moment older than the window moves the window to it (a quarter of it after the cursor).
    const now = cursor !== null && cursor < live - TIMELINE_WINDOW_MS * 0.8 ? Math.min(live, cursor + TIMELINE_WINDOW_MS / 4) : live;
    let start = now - TIMELINE_WINDOW_MS;
    let shown = ops.filter((op) => op.at >= start && op.at <= now);
    if (shown.length > TIMELINE_MAX_OPS) {
      shown = shown.slice(shown.length - TIMELINE_MAX_OPS);
      start = (shown[0]?.at ?? start) - 500;
    } else {
      // A young session zooms in on what there is (at least 20 s), so its few dots are not
      // crowded against "now"; after a minute the window simply slides.
      const firstBand = bands.find((b) => b.mode !== 'up' && (b.to ?? now) >= start)?.from ?? now;
      const first = Math.min(shown[0]?.at ?? now, firstBand);
      start = Math.max(start, Math.min(first - 3000, now - TIMELINE_MIN_SPAN_MS));
    }
    const plot = Math.max(1, width - GUTTER - RIGHT);
    const span = Math.max(1, now - start);
    const x = (t: number) => GUTTER + ((Math.min(Math.max(t, start), now) - start) / span) * plot;
    const secondsStep = span > 90_000 ? 30_000 : span > 30_000 ? 10_000 : 5_000;
    const ticks: { x: number; label: string }[] = [];
    for (let ago = 0; ago <= span; ago += secondsStep) ticks.push({ x: x(now - ago), label: ago === 0 && now === live ? 'now' : `−${Math.round((live - now + ago) / 1000)} s` });
    const shownBands = bands
      .filter((b) => b.mode !== 'up' && (b.to ?? now) >= start)
      .map((b) => ({ band: b, x1: x(b.from), x2: x(b.to ?? now), healX: b.to !== null && b.to >= start ? x(b.to) : null }));
    const cursorX = cursor !== null && cursor >= start && cursor <= now ? x(cursor) : null;
    return { now, start, x, shown, ticks, shownBands, cursorX };
  }, [tick, clockOffset, width, ops, bands, cursor]);

  const held = (op: TimelineOpView) => op.deliveredAt === null && holdsFrom(mode, op.origin);
  const heldCount = ops.filter(held).length;
  const focused = focus ? picture?.shown.find((op) => op.opId === focus.opId) : undefined;
  const labelled = (picture?.shown.length ?? 0) <= 30;

  return (
    <section className="board-timeline" data-testid="timeline" data-ops={ops.length} data-shown={picture?.shown.length ?? 0} data-held={heldCount} aria-labelledby="timeline-title">
      <header className="board-timeline-head">
        <h2 id="timeline-title">Timeline</h2>
        <span className="board-timeline-sub">
          last {picture ? Math.round((picture.now - picture.start) / 1000) : Math.round(TIMELINE_WINDOW_MS / 1000)} s{picture && ops.length > picture.shown.length ? ` · ${ops.length - picture.shown.length} earlier ops not drawn` : ''}
          {heldCount > 0 ? ` · ${heldCount} held at the cut` : ''}
        </span>
        <span className="board-timeline-legend" aria-hidden="true">
          <span>● post</span>
          <span>◆ edit</span>
          <span>■ delete</span>
          <span>• like</span>
          <span className="board-tl-legend-arrow">→ replicated</span>
          <span className="board-tl-legend-held">┆ held</span>
        </span>
      </header>
      <div className="board-timeline-plot" ref={ref}>
        {picture && (
          <svg
            width={width}
            height={HEIGHT}
            role="img"
            aria-label={`Space-time diagram of the last ${Math.round((picture.now - picture.start) / 1000)} seconds: ${picture.shown.length} operations, ${heldCount} held.`}
            onPointerLeave={() => setFocus((f) => (f?.pinned ? f : null))}
          >
            <defs>
              <marker id="tl-head-west" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">
                <path d="M0,0 L10,5 L0,10 z" className="board-tl-head" data-dc="west" />
              </marker>
              <marker id="tl-head-east" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">
                <path d="M0,0 L10,5 L0,10 z" className="board-tl-head" data-dc="east" />
              </marker>
            </defs>

            {picture.shownBands.map(({ band, x1, x2, healX }) => (
              <g key={band.from} className={`board-tl-band board-tl-band-${linkLook(band.mode)}`} data-testid="timeline-band" data-mode={band.mode}>
                <rect x={x1} y={BAND_TOP} width={Math.max(2, x2 - x1)} height={BAND_BOTTOM - BAND_TOP} />
                {band.mode !== 'slow' && <line x1={x1} y1={MID} x2={x2} y2={MID} className="board-tl-cut" />}
                <text x={Math.min(x1 + 6, width - RIGHT - 130)} y={BAND_TOP - 6} className="board-tl-band-label">
                  {shortModeLabel(band.mode)}
                </text>
                {healX !== null && (
                  <>
                    <line x1={healX} y1={BAND_TOP} x2={healX} y2={BAND_BOTTOM} className="board-tl-heal" />
                    <text
                      x={healX > width - RIGHT - 40 ? healX - 5 : healX + 5}
                      y={BAND_TOP + 12}
                      textAnchor={healX > width - RIGHT - 40 ? 'end' : 'start'}
                      className="board-tl-heal-label"
                    >
                      heal
                    </text>
                  </>
                )}
              </g>
            ))}

            {(['west', 'east'] as const).map((dc) => (
              <g key={dc} className="board-tl-lane" data-dc={dc}>
                <line x1={GUTTER - 6} y1={LANE[dc]} x2={width - RIGHT} y2={LANE[dc]} />
                <text x={GUTTER - 14} y={LANE[dc] + 7} textAnchor="end">
                  {DC_LABEL[dc]}
                </text>
              </g>
            ))}

            <g className="board-tl-axis">
              {picture.ticks.map((t) => (
                <text key={t.label} x={t.x} y={HEIGHT - 4} textAnchor={t.label === 'now' ? 'end' : 'middle'}>
                  {t.label}
                </text>
              ))}
            </g>

            {cursor !== null && picture.cursorX !== null && (
              <g className="board-tl-cursor" data-testid="timeline-cursor" data-at={cursor}>
                <line x1={picture.cursorX} y1={2} x2={picture.cursorX} y2={BAND_BOTTOM + 6} />
                <text
                  x={picture.cursorX > width - RIGHT - 150 ? picture.cursorX - 6 : picture.cursorX + 6}
                  y={12}
                  textAnchor={picture.cursorX > width - RIGHT - 150 ? 'end' : 'start'}
                >
                  viewing {formatClock(cursor)}
                </text>
              </g>
            )}

            <g className="board-tl-messages">
              {picture.shown.map((op) => {
                const x1 = picture.x(op.at);
                const y1 = LANE[op.origin];
                const toward = op.origin === 'west' ? 1 : -1;
                if (op.deliveredAt !== null) {
                  const late = op.deliveredAt - op.at > LATE_MS;
                  return (
                    <line
                      key={op.opId}
                      x1={x1}
                      y1={y1 + toward * 8}
                      x2={picture.x(op.deliveredAt)}
                      y2={LANE[otherDc(op.origin)] - toward * 4}
                      className={late ? 'board-tl-msg board-tl-msg-late' : 'board-tl-msg'}
                      data-dc={op.origin}
                      markerEnd={`url(#tl-head-${op.origin})`}
                    />
                  );
                }
                const blocked = held(op);
                return (
                  <g key={op.opId} className={blocked ? 'board-tl-held' : 'board-tl-inflight'} data-dc={op.origin}>
                    <line x1={x1} y1={y1 + toward * 8} x2={x1 + 8} y2={MID - toward * 5} />
                    {blocked && <line x1={x1 + 2} y1={MID - toward * 5} x2={x1 + 14} y2={MID - toward * 5} className="board-tl-held-stop" />}
                  </g>
                );
              })}
            </g>

            <g className="board-tl-dots">
              {picture.shown.map((op) => {
                const x = picture.x(op.at);
                const y = LANE[op.origin];
                const isHeld = held(op);
                return (
                  <g
                    key={op.opId}
                    className={focus?.opId === op.opId ? 'board-tl-dot board-tl-dot-focus' : 'board-tl-dot'}
                    data-dc={op.origin}
                    data-testid="timeline-op"
                    data-op-id={op.opId}
                    data-held={isHeld ? 'true' : 'false'}
                    onPointerEnter={() => setFocus((f) => (f?.pinned ? f : { opId: op.opId, pinned: false }))}
                    onClick={() => setFocus((f) => (f?.opId === op.opId && f.pinned ? null : { opId: op.opId, pinned: true }))}
                  >
                    <title>{describe(op, isHeld)}</title>
                    {/* A larger invisible target for a finger or an unsteady pointer. */}
                    <circle cx={x} cy={y} r={13} className="board-tl-hit" />
                    <Mark op={op} x={x} y={y} />
                  </g>
                );
              })}
            </g>

            {labelled && (
              <g className="board-tl-vv" aria-hidden="true">
                {(['west', 'east'] as const).flatMap((dc) => {
                  let last = -Infinity;
                  return picture.shown
                    .filter((op) => op.origin === dc)
                    .map((op) => {
                      const x = picture.x(op.at);
                      if (x - last < 78) return null;
                      last = x;
                      return (
                        <text key={op.opId} x={x} y={dc === 'west' ? LANE.west - 14 : LANE.east + 24} textAnchor="middle" className={`board-tl-vv-${dc}`}>
                          {`{W:${op.vv.west},E:${op.vv.east}}`}
                        </text>
                      );
                    });
                })}
              </g>
            )}
          </svg>
        )}
        {focused && picture && (
          <p
            className="board-timeline-tip"
            data-dc={focused.origin}
            role="status"
            data-testid="timeline-tip"
            style={{
              left: Math.min(Math.max(8, picture.x(focused.at) - 160), Math.max(8, width - 340)),
              top: focused.origin === 'west' ? LANE.west + 18 : 4,
            }}
          >
            <strong>
              {KIND_LABEL[focused.kind]} by {focused.authorName}
            </strong>{' '}
            (<DcName dc={focused.origin} />)
            <br />
            {DC_LABEL[focused.origin]} clock {formatTime(focused.wall)} · Lamport {focused.lamport} ·{' '}
            <span className="mono">{`{W:${focused.vv.west}, E:${focused.vv.east}}`}</span>
            <br />
            {focused.deliveredAt !== null
              ? `Reached ${DC_LABEL[otherDc(focused.origin)]} ${((focused.deliveredAt - focused.at) / 1000).toFixed(1)} s later`
              : held(focused)
                ? `Held at the cut: ${DC_LABEL[otherDc(focused.origin)]} has not seen it`
                : `On its way to ${DC_LABEL[otherDc(focused.origin)]}`}
          </p>
        )}
      </div>
    </section>
  );
}
