'use client';

import { QRCodeSVG } from 'qrcode.react';
import { memo, useCallback, useMemo } from 'react';
import { DC_IDS, DC_LABEL, type ClassSnapshot, type Dc, type LinkMode, type ParticipantView, type PostView } from '../../../server/protocol';
import { ClusterNodes } from '../../components/shared/ClusterNodes';
import { DivergenceMeter } from '../../components/shared/DivergenceMeter';
import { HealReportPanel, PreviewGrid, postLabeler } from '../../components/shared/HealReports';
import { DcClock, LinkStateWords } from '../../components/shared/LiveState';
import { QuorumTable } from '../../components/shared/QuorumTable';
import { Timeline } from '../../components/shared/Timeline';
import { useHealPreview } from '../../components/shared/usePreview';
import { SessionEnded } from '../../components/SessionEnded';
import { ConnectionLine } from '../../components/ConnectionLine';
import { Feed } from '../../components/Feed';
import { ParticipantList } from '../../components/ParticipantList';
import { useOrigin } from '../../lib/hooks';
import { useClassWatch } from '../../lib/classState';
import { request } from '../../lib/socket';
import { holdsFrom, isCutMode, linkLook, otherDc } from '../../lib/dc';
import { newestThreads } from '../../lib/feedWindow';
import { countPosts } from '../../lib/feed';
import { IncidentCounts, IncidentProgress, useIncidentStatus } from './IncidentStatus';
import './BoardView.css';

/**
 * The projector (1920x1080, read from the back of the room): the link's state and both clocks
 * on top, the divergence meter, West on the left in blue and East on the right in amber with the
 * link, the nodes and the quorums between them, the heal preview or report when there is one,
 * and the timeline along the bottom. Nothing scrolls but the feeds.
 */
export function BoardView({ code }: { code: string }) {
  const origin = useOrigin();
  const watch = useCallback(() => request('board:watch', { code }), [code]);
  const { state } = useClassWatch(watch);
  const joinUrl = `${origin}/s/${code}`;
  const snapshot = state.kind === 'ready' ? state.snapshot : null;
  const clockOffset = state.kind === 'ready' ? state.clockOffset : 0;
  const mode = snapshot?.link.mode ?? 'up';
  const cutKey = snapshot && isCutMode(mode) ? (snapshot.link.since ?? 0) : null;
  const preview = useHealPreview(cutKey, snapshot?.divergence);

  return (
    <main className={`board board-look-${linkLook(mode)}`}>
      <header className="board-head">
        <div className="board-brand">
          <h1>Split-Brain Lab</h1>
          <a className="board-view-link" href={`/board/${code}/consensus`} data-testid="consensus-link">
            Consensus view →
          </a>
          <ConnectionLine />
          {state.kind === 'failed' && (
            <p role="alert" className="alert alert-shown">
              {state.message}
            </p>
          )}
        </div>
        {snapshot ? <LinkStateWords link={snapshot.link} clockOffset={clockOffset} size="board" /> : <div className="board-state" />}
        <div className="board-clocks" aria-label="Datacenter clocks">
          {snapshot &&
            DC_IDS.map((dc) => <DcClock key={dc} dc={dc} skewMs={snapshot.settings.skew[dc]} clockOffset={clockOffset} size="board" />)}
        </div>
        <div className="board-join">
          <div className="board-join-text">
            <span className="board-join-label">Join code</span>
            <span className="board-code" data-testid="join-code">
              {code}
            </span>
            <span className="board-join-url">{origin ? joinUrl : ' '}</span>
          </div>
          {origin && (
            <div className="board-qr">
              <QRCodeSVG value={joinUrl} size={88} marginSize={2} title={`Join at ${joinUrl}`} />
            </div>
          )}
        </div>
      </header>
      <SessionEnded ended={snapshot?.ended} />

      {snapshot ? <DivergenceMeter divergence={snapshot.divergence} layout="board" /> : <div className="board-div-meter board-div-meter-board" />}

      <div className="board-main">
        <DcColumn dc="west" posts={snapshot?.posts.west ?? null} participants={snapshot?.participants ?? null} mode={mode} />
        <LinkColumn snapshot={snapshot} />
        <DcColumn dc="east" posts={snapshot?.posts.east ?? null} participants={snapshot?.participants ?? null} mode={mode} />
      </div>

      {snapshot && <Insights snapshot={snapshot} preview={cutKey !== null ? preview : undefined} />}

      {snapshot && <Timeline ops={snapshot.timeline.ops} bands={snapshot.timeline.bands} mode={mode} clockOffset={clockOffset} />}
    </main>
  );
}

/**
 * One datacenter's half: its name, post count, people and feed. Memoised on its own posts and
 * people, so a timeline or clock update does not re-render hundreds of posts.
 */
const DcColumn = memo(function DcColumn({
  dc,
  posts,
  participants,
  mode,
}: {
  dc: Dc;
  posts: readonly PostView[] | null;
  participants: readonly ParticipantView[] | null;
  mode: LinkMode;
}) {
  const people = useMemo(() => (participants ?? []).filter((p) => p.home === dc), [participants, dc]);
  const names = useMemo(() => new Map((participants ?? []).map((p) => [p.id, p.name])), [participants]);
  const nameOf = useCallback((id: string) => names.get(id) ?? id, [names]);
  const shown = useMemo(() => (posts ? newestThreads(posts) : null), [posts]);
  return (
    <section className="board-col" data-dc={dc} data-testid={`column-${dc}`} aria-labelledby={`col-${dc}-title`}>
      <header className="board-col-head">
        <h2 id={`col-${dc}-title`}>{DC_LABEL[dc]}</h2>
        <span className="board-count" data-testid={`post-count-${dc}`}>
          {posts ? countPosts(posts) : '–'} <span className="board-count-unit">posts</span>
        </span>
      </header>
      <ParticipantList people={people} dc={dc} />
      <div className="board-feed">
        {shown ? (
          <>
            <Feed posts={shown.posts} dc={dc} showMeta nameOf={nameOf} linkHeld={holdsFrom(mode, dc)} emptyText={`Nothing posted in ${DC_LABEL[dc]} yet.`} />
            {shown.hidden > 0 && (
              <p className="board-feed-more" data-testid={`older-${dc}`}>
                …and {shown.hidden} older {shown.hidden === 1 ? 'thread' : 'threads'} in {DC_LABEL[dc]}, not shown on the board
              </p>
            )}
          </>
        ) : (
          <p className="feed-empty">Loading…</p>
        )}
      </div>
    </section>
  );
});

/** Between the halves: the nodes with the cut drawn, what waits on the wire each way, and the quorums. */
function LinkColumn({ snapshot }: { snapshot: ClassSnapshot | null }) {
  const mode = snapshot?.link.mode ?? 'up';
  return (
    <section className={`board-link board-link-${linkLook(mode)}`} aria-label="Link between West and East">
      {snapshot ? (
        <>
          <ClusterNodes mode={mode} caption={`${mode === 'slow' ? snapshot.link.slowLatencyMs : snapshot.link.latencyMs} ms ± ${snapshot.link.jitterMs} ms`} />
          <div className="board-wires">
            {DC_IDS.map((from) => {
              const n = snapshot.inFlight[from];
              const blocked = holdsFrom(mode, from);
              const classes = ['wire'];
              if (n > 0) classes.push('wire-busy');
              if (blocked) classes.push('wire-held');
              return (
                <div key={from} className={classes.join(' ')} data-dc={from} data-testid={`inflight-${from}`}>
                  <span className="wire-label">
                    {DC_LABEL[from]} → {DC_LABEL[otherDc(from)]}
                  </span>
                  <span className="wire-arrow" aria-hidden="true">
                    <span className="wire-dot" />
                    {blocked && <span className="wire-cut">✂</span>}
                  </span>
                  <span className="wire-count">
                    <span className="board-wire-number">{n}</span> {blocked ? 'held' : 'in flight'}
                  </span>
                </div>
              );
            })}
          </div>
          <QuorumTable settings={snapshot.settings} layout="board" />
          <BoardIncident />
        </>
      ) : (
        <p className="muted">…</p>
      )}
    </section>
  );
}

/** INC2: the incident's progress bar, then its counts: the board shows numbers, never 200K rows. */
function BoardIncident() {
  const { progress, counts } = useIncidentStatus();
  return (
    <div className="board-incident">
      <IncidentProgress progress={progress} />
      <IncidentCounts counts={counts} layout="board" />
    </div>
  );
}

/** While the link is cut: all three strategies' outcomes (PRE1). After a heal: its report. */
function Insights({ snapshot, preview }: { snapshot: ClassSnapshot; preview: ReturnType<typeof useHealPreview> | undefined }) {
  const label = useMemo(() => postLabeler(snapshot.posts), [snapshot.posts]);
  if (preview !== undefined) {
    return (
      <section className="board-insights" aria-labelledby="insights-title">
        <h2 id="insights-title" className="board-insights-title">
          If we heal now…
        </h2>
        {preview ? <PreviewGrid preview={preview} current={snapshot.settings.strategy} label={label} /> : <p className="muted">Working out the three outcomes…</p>}
      </section>
    );
  }
  if (snapshot.lastHeal) {
    return (
      <section className="board-insights" aria-labelledby="insights-title">
        <h2 id="insights-title" className="board-insights-title">
          The heal
        </h2>
        <HealReportPanel report={snapshot.lastHeal} posts={snapshot.posts} label={label} />
      </section>
    );
  }
  return null;
}
