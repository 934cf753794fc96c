'use client';

import { QRCodeSVG } from 'qrcode.react';
import { useCallback, useMemo } from 'react';
import { DC_IDS, DC_LABEL, LINK_MODE_LABEL, type ClassSnapshot, type Dc, type LinkMode } from '../../../server/protocol';
import { ConnectionLine } from '../../components/ConnectionLine';
import { Feed } from '../../components/Feed';
import { ParticipantList } from '../../components/ParticipantList';
import { countPosts } from '../../lib/feed';
import { useOrigin } from '../../lib/hooks';
import { useClassWatch } from '../../lib/classState';
import { request } from '../../lib/socket';

/**
 * The projector: West on the left in blue, East on the right in amber, the link between
 * them, and the join code big enough to read from the back of the room.
 */
export function BoardView({ code }: { code: string }) {
  const origin = useOrigin();
  const watch = useCallback(() => request('board:watch', { code }), [code]);
  const { state } = useClassWatch(watch);
  const joinUrl = `${origin}/s/${code}`;
  const snapshot = state.kind === 'ready' ? state.snapshot : null;

  return (
    <main className="board">
      <header className="board-head">
        <div className="board-title">
          <h1>Split-Brain Lab</h1>
          <p className="board-join-url">{origin ? joinUrl : ' '}</p>
          <ConnectionLine />
          {state.kind === 'failed' && (
            <p role="alert" className="alert alert-shown">
              {state.message}
            </p>
          )}
        </div>
        <div className="board-join">
          <div className="board-join-text">
            <span className="board-join-label">Join code</span>
            <span className="board-code" data-testid="join-code">
              {code}
            </span>
          </div>
          {origin && (
            <div className="board-qr">
              <QRCodeSVG value={joinUrl} size={168} marginSize={2} title={`Join at ${joinUrl}`} />
            </div>
          )}
        </div>
      </header>

      <div className="board-main">
        <DcColumn dc="west" snapshot={snapshot} />
        <LinkColumn snapshot={snapshot} />
        <DcColumn dc="east" snapshot={snapshot} />
      </div>
    </main>
  );
}

function DcColumn({ dc, snapshot }: { dc: Dc; snapshot: ClassSnapshot | null }) {
  const posts = snapshot?.posts[dc];
  const people = useMemo(() => (snapshot ? snapshot.participants.filter((p) => p.home === dc) : []), [snapshot, dc]);
  const names = useMemo(() => new Map((snapshot?.participants ?? []).map((p) => [p.id, p.name])), [snapshot]);
  const nameOf = useCallback((id: string) => names.get(id) ?? id, [names]);
  return (
    <section className={`board-col board-col-${dc}`} data-testid={`column-${dc}`} aria-labelledby={`col-${dc}-title`}>
      <header className="board-col-head">
        <h2 id={`col-${dc}-title`}>{DC_LABEL[dc]}</h2>
        <span className="board-count" data-testid={`post-count-${dc}`}>
          {posts ? countPosts(posts) : '–'} <span className="board-count-unit">posts</span>
        </span>
      </header>
      <ParticipantList people={people} dc={dc} />
      <div className="board-feed">
        {posts ? (
          <Feed posts={posts} dc={dc} showMeta nameOf={nameOf} emptyText={`Nothing posted in ${DC_LABEL[dc]} yet.`} />
        ) : (
          <p className="feed-empty">Loading…</p>
        )}
      </div>
    </section>
  );
}

/** Whether messages from `from` are held by the current link mode (a full or one-way cut). */
function held(mode: LinkMode, from: Dc): boolean {
  return mode === 'cut' || mode === `cut-${from}-to-${from === 'west' ? 'east' : 'west'}`;
}

/** The link between the datacenters: its mode, its delay and what is on the wire each way. */
function LinkColumn({ snapshot }: { snapshot: ClassSnapshot | null }) {
  const mode = snapshot?.link.mode ?? 'up';
  return (
    <section className={`board-link board-link-${mode === 'up' || mode === 'slow' ? mode : 'cut'}`} aria-label="Link between West and East">
      <h2 className="board-link-title">Link</h2>
      {snapshot ? (
        <>
          <p className="board-link-mode" data-testid="link-mode">
            {LINK_MODE_LABEL[mode]}
          </p>
          <p className="board-link-latency">
            <span className="big-number" data-testid="link-latency">
              {mode === 'slow' ? snapshot.link.slowLatencyMs : snapshot.link.latencyMs}
            </span>{' '}
            ms
          </p>
          <p className="board-link-jitter">
            ± <span data-testid="link-jitter">{snapshot.link.jitterMs}</span> ms jitter
          </p>
          {DC_IDS.map((from) => {
            const to = from === 'west' ? 'east' : 'west';
            const n = snapshot.inFlight[from];
            const blocked = held(mode, from);
            const classes = ['wire', `wire-${from}`];
            if (n > 0) classes.push('wire-busy');
            if (blocked) classes.push('wire-held');
            return (
              <div key={from} className={classes.join(' ')} data-testid={`inflight-${from}`}>
                <span className="wire-label">
                  {DC_LABEL[from]} → {DC_LABEL[to]}
                </span>
                <span className="wire-arrow" aria-hidden="true">
                  <span className="wire-dot" />
                  {blocked && <span className="wire-cut">✂</span>}
                </span>
                <span className="wire-count">
                  <span className="big-number">{n}</span> {blocked ? 'held' : 'in flight'}
                </span>
              </div>
            );
          })}
        </>
      ) : (
        <p className="muted">…</p>
      )}
    </section>
  );
}
