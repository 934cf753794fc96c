'use client';

import { QRCodeSVG } from 'qrcode.react';
import { memo, useCallback, useMemo } from 'react';
import { DC_IDS, DC_LABEL, type ClassSnapshot, type Dc, type FeedWindowView, type LinkMode, type ParticipantView, type PostView, type ScrubView } from '../../../server/protocol/wire';
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
import { BOARD_THREADS, newestThreads } from '../../lib/feedWindow';
import { countPosts } from '../../lib/feed';
import { formatClock } from '../../lib/format';
import { useServerNow } from '../../lib/hooks';
import { Attempts } from './replay/Attempts';
import { Scrubber, useScrub, withEarlier } from './replay/Scrubber';
import { ScrubRaft } from './replay/ScrubRaft';
import { useAttempts } from './replay/useAttempts';
import { Lobby } from '../../components/lesson/Lobby';
import { PredictionBoard } from '../../components/lesson/Prediction';
import { StepBanner } from '../../components/lesson/StepBanner';
import { ConsensusBoard } from '../../components/consensus/ConsensusBoard';
import { useLesson } from '../../lib/useLesson';
import type { BoardPanel } from '../../../server/protocol/wire';
import { IncidentCounts, IncidentProgress, useIncidentStatus } from './IncidentStatus';
import { healMarks, marksShown, type PostMark } from '../../lib/healMarks';
import './BoardView.css';
import './BoardLesson.css';

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
  const live = state.kind === 'ready' ? state.snapshot : null;
  const clockOffset = state.kind === 'ready' ? state.clockOffset : 0;
  const scrub = useScrub();
  const { attempts } = useAttempts(live !== null);
  const serverNow = useServerNow(clockOffset);
  const comparing = attempts?.attempts.some((a) => a.rewound) ?? false;
  // Scrubbing shows the session at a moment; the live snapshot keeps updating underneath.
  const viewing = scrub.view;
  const snapshot: ClassSnapshot | null =
    live && viewing
      ? { ...live, posts: viewing.posts, link: viewing.link, settings: viewing.settings, inFlight: viewing.inFlight, divergence: viewing.divergence, lastHeal: null }
      : live;
  const mode = snapshot?.link.mode ?? 'up';
  const cutKey = snapshot && isCutMode(mode) ? (snapshot.link.since ?? 0) : null;
  const preview = useHealPreview(cutKey, snapshot?.divergence);
  const { lesson } = useLesson(state.kind === 'ready');
  // The lobby lasts until the lesson starts, or until the instructor drives the link by hand.
  const lobby = snapshot !== null && lesson?.step === -1 && (live?.timeline.bands.length ?? 0) === 0;
  const step = lesson && lesson.step >= 0 ? (lesson.steps[lesson.step] ?? null) : null;
  /** The detail panels the step needs; null before the lesson (everything, as driven by hand). */
  const panels: readonly BoardPanel[] | null = step ? step.panels : null;
  const shows = (panel: BoardPanel) => panels === null || panels.includes(panel);
  // The heal report is the hero while it is up (from the heal to the next split), in a lesson's heal
  // step or when the instructor drives by hand; a lesson's other steps show what they are about.
  const reportUp = cutKey === null && !comparing && snapshot?.lastHeal !== null && snapshot?.lastHeal !== undefined;
  const hero = reportUp && !lobby && (step === null || step.action === 'heal');
  // The last heal's marks on both feeds, until the next split begins.
  const lastHeal = snapshot?.lastHeal ?? null;
  const posts = snapshot?.posts;
  const marks = useMemo(
    () => (posts && marksShown(lastHeal, { mode }) ? { west: healMarks(lastHeal, posts.west), east: healMarks(lastHeal, posts.east) } : NO_MARKS),
    [lastHeal, posts, mode],
  );

  if (step && snapshot && panels?.includes('consensus')) {
    return (
      <main className="board board-lesson board-consensus-step">
        <h1 className="visually-hidden">Split-Brain Lab board, class {code}</h1>
        <StepBanner step={step} index={lesson?.step ?? 0} of={lesson?.steps.length ?? 0} />
        {lesson?.question && <PredictionBoard question={lesson.question} />}
        <ConsensusBoard code={code} embedded />
      </main>
    );
  }

  return (
    <main className={`board board-lesson board-look-${linkLook(mode)}${hero ? ' board-hero' : ''}`}>
      {lobby && <Lobby code={code} joinUrl={origin ? joinUrl : ''} participants={snapshot.participants} />}
      <div className="board-body" inert={lobby}>
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
            !viewing &&
            DC_IDS.map((dc) => <DcClock key={dc} dc={dc} skewMs={snapshot.settings.skew[dc]} clockOffset={clockOffset} size="board" />)}
          {viewing &&
            DC_IDS.map((dc) => (
              <span key={dc} className="board-scrub-clock" data-dc={dc} data-testid={`scrub-clock-${dc}`}>
                {DC_LABEL[dc]} {formatClock(viewing.clocks[dc].wall)} · Lamport {viewing.clocks[dc].lamport}
              </span>
            ))}
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
      {step && lesson && <StepBanner step={step} index={lesson.step} of={lesson.steps.length} />}
      {step && lesson?.question && <PredictionBoard question={lesson.question} />}

      {snapshot ? <DivergenceMeter divergence={snapshot.divergence} layout="board" /> : <div className="board-div-meter board-div-meter-board" />}

      <div className="board-main">
        <DcColumn dc="west" posts={snapshot?.posts.west ?? null} window={snapshot?.windows.west ?? null} participants={snapshot?.participants ?? null} mode={mode} vectors={shows('vectors')} marks={marks.west} />
        <LinkColumn snapshot={snapshot} quorum={shows('quorum')} viewing={viewing} />
        <DcColumn dc="east" posts={snapshot?.posts.east ?? null} window={snapshot?.windows.east ?? null} participants={snapshot?.participants ?? null} mode={mode} vectors={shows('vectors')} marks={marks.east} />
      </div>

      {/* After a rewind the attempts, the current heal among them, replace the single report. */}
      {snapshot && !viewing && !(comparing && cutKey === null) && (
        <Insights snapshot={snapshot} preview={cutKey !== null && (lesson?.previewShown ?? false) ? preview : undefined} hero={hero} />
      )}

      {!viewing && comparing && cutKey === null && attempts && (
        <section className="board-insights" aria-labelledby="attempts-title">
          <h2 id="attempts-title" className="board-insights-title">
            One history, healed {attempts.attempts.length === 1 ? 'once' : `${attempts.attempts.length} ways`}
          </h2>
          <Attempts view={attempts} layout="board" />
        </section>
      )}

      {live && shows('timeline') && (
        <Scrubber startedAt={Math.min(live.timeline.ops[0]?.at ?? live.serverNow, live.timeline.bands[0]?.from ?? live.serverNow) - 1000} liveAt={serverNow} scrub={scrub} />
      )}
      {live && shows('timeline') && (
        <Timeline
          ops={viewing ? withEarlier(live.timeline.ops, viewing.timeline.ops) : live.timeline.ops}
          bands={live.timeline.bands}
          mode={live.link.mode}
          clockOffset={clockOffset}
          cursor={viewing?.at ?? null}
        />
      )}
      </div>
    </main>
  );
}

const NO_MARKS: Record<Dc, ReadonlyMap<string, readonly PostMark[]>> = { west: new Map(), east: new Map() };

/**
 * One datacenter's half: its name, post count, people and feed. Memoised on its own posts and
 * people, so a timeline or clock update does not re-render hundreds of posts.
 */
const DcColumn = memo(function DcColumn({
  dc,
  posts,
  window,
  participants,
  mode,
  vectors,
  marks,
}: {
  dc: Dc;
  posts: readonly PostView[] | null;
  /** The server sends a window of the newest threads: the counts of the whole side come with it. */
  window: FeedWindowView | null;
  participants: readonly ParticipantView[] | null;
  mode: LinkMode;
  /** Version vectors and Lamport times on each post: only when the step is about them. */
  vectors: boolean;
  /** The last heal's marks on this side's posts (healMarks.ts). */
  marks: ReadonlyMap<string, readonly PostMark[]>;
}) {
  const people = useMemo(() => (participants ?? []).filter((p) => p.home === dc), [participants, dc]);
  const names = useMemo(() => new Map((participants ?? []).map((p) => [p.id, p.name])), [participants]);
  const nameOf = useCallback((id: string) => names.get(id) ?? id, [names]);
  const shown = useMemo(() => (posts ? newestThreads(posts) : null), [posts]);
  const complete = window === null || window.before === null;
  const hidden = shown ? (complete ? shown.hidden : Math.max(shown.hidden, (window?.threads ?? 0) - BOARD_THREADS)) : 0;
  return (
    <section className="board-col" data-dc={dc} data-testid={`column-${dc}`} aria-labelledby={`col-${dc}-title`}>
      <header className="board-col-head">
        <h2 id={`col-${dc}-title`}>{DC_LABEL[dc]}</h2>
        <span className="board-count" data-testid={`post-count-${dc}`}>
          {posts ? (complete ? countPosts(posts) : (window?.posts ?? 0)) : '–'} <span className="board-count-unit">posts</span>
        </span>
      </header>
      <ParticipantList people={people} dc={dc} />
      <div className="board-feed" tabIndex={0} role="region" aria-label={`${DC_LABEL[dc]}'s feed`}>
        {shown ? (
          <>
            <Feed posts={shown.posts} dc={dc} showMeta={vectors} nameOf={nameOf} linkHeld={holdsFrom(mode, dc)} marks={marks} emptyText={`Nothing posted in ${DC_LABEL[dc]} yet.`} />
            {hidden > 0 && (
              <p className="board-feed-more" data-testid={`older-${dc}`}>
                …and {hidden} older {hidden === 1 ? 'thread' : 'threads'} in {DC_LABEL[dc]}, not shown on the board
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
function LinkColumn({ snapshot, quorum, viewing }: { snapshot: ClassSnapshot | null; quorum: boolean; viewing: ScrubView | null }) {
  const mode = snapshot?.link.mode ?? 'up';
  return (
    <section className={`board-link board-link-${linkLook(mode)}`} aria-label="Link between West and East" tabIndex={0}>
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
          {viewing && <ScrubRaft raft={viewing.raft} at={viewing.at} />}
          {quorum && <QuorumTable settings={snapshot.settings} layout="board" />}
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
      {/* Counts, never rows (INC2): posts per side, held, conflicts remaining, the incident's numbers. */}
      <IncidentCounts counts={counts} layout="board" />
    </div>
  );
}

/** While the link is cut: all three strategies' outcomes (PRE1). After a heal: its report. */
function Insights({ snapshot, preview, hero }: { snapshot: ClassSnapshot; preview: ReturnType<typeof useHealPreview> | undefined; hero: boolean }) {
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
      <section className={hero ? 'board-insights board-insights-hero' : 'board-insights'} aria-labelledby="insights-title" tabIndex={hero ? 0 : undefined}>
        <h2 id="insights-title" className="board-insights-title">
          The heal
        </h2>
        <HealReportPanel report={snapshot.lastHeal} posts={snapshot.posts} label={label} />
      </section>
    );
  }
  return null;
}
