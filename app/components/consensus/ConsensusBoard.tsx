'use client';

import { useCallback, useSyncExternalStore } from 'react';
import { DC_LABEL, NODE_HOME, type ConsensusFrame } from '../../../server/protocol/wire';
import { ConnectionLine } from '../ConnectionLine';
import { request } from '../../lib/socket';
import { readStored, storageKeys } from '../../lib/storage';
import { ConsensusControlsView } from './ConsensusControls';
import { EventLog, NaivePanel, ProtocolCard, RaftPanel, ToyDiagnosis } from './Panels';
import { useConsensus } from './useConsensus';
import { byTermDesc, cutWords, isStale, simTime, speedWords } from './words';
import './ConsensusBoard.css';

const noSubscribe = () => () => {};

/** The instructor secret, if this browser started the session: then the board also offers playback. */
function useStoredSecret(code: string): string | null {
  return useSyncExternalStore(
    noSubscribe,
    () => readStored('local', storageKeys.admin(code)),
    () => null,
  );
}

/**
 * `/board/<code>/consensus`, for the projector (1920x1080, read from the back, no scrolling):
 * Raft and naive failover side by side under the session's cut, the leaders and the cut in words
 * on top, and below them the last events, the toy election diagnosed and the other protocols.
 * Opened in the browser that started the session, it also shows the playback controls.
 */
export function ConsensusBoard({ code, embedded = false }: { code: string; embedded?: boolean }) {
  const secret = useStoredSecret(code);
  const join = useCallback(async () => {
    if (!secret) return request('board:watch', { code });
    const admin = await request('admin:watch', { code, secret });
    // A stale secret in this browser: still a board, just without the controls working.
    return !admin.ok && admin.error.code === 'forbidden' ? request('board:watch', { code }) : admin;
  }, [code, secret]);
  const { frame, analysis, error } = useConsensus(join);
  // Inside the feeds board (the lesson's Raft step) it is a region of that page, not a page of its own.
  const Frame = embedded ? 'section' : 'main';
  const Heading = embedded ? 'h2' : 'h1';

  return (
    <Frame className={embedded ? 'consensus-board consensus-board-embedded' : 'consensus-board'} data-cut={frame?.cut ?? 'none'}>
      <header className="consensus-head">
        <div className="consensus-brand">
          <Heading>Consensus on the same partition</Heading>
          <p className="consensus-brand-sub">
            Split-Brain Lab · <span className="mono">{code}</span> ·{' '}
            <a href={`/board/${encodeURIComponent(code)}`} data-testid="feeds-link">
              <span aria-hidden="true">← </span>Feeds board
            </a>
          </p>
          <ConnectionLine />
          {error && !frame && (
            <p role="alert" className="alert alert-shown">
              {error.message}
            </p>
          )}
        </div>
        {frame ? <HeadState frame={frame} /> : <div className="consensus-head-state" />}
      </header>

      {frame ? (
        <div className="consensus-panels">
          <RaftPanel frame={frame} />
          <NaivePanel frame={frame} />
        </div>
      ) : (
        <p className="consensus-loading muted">{error ? ' ' : 'Loading the consensus view…'}</p>
      )}

      <div className="consensus-bottom">
        <div className="consensus-bottom-left">
          {frame && secret && (
            <section className="consensus-card consensus-card-controls" aria-label="Instructor controls">
              <ConsensusControlsView frame={frame} compact />
            </section>
          )}
          <EventLog log={frame?.log ?? []} />
        </div>
        {analysis ? <ToyDiagnosis toy={analysis.toy} /> : <section className="consensus-card" />}
        {analysis ? <ProtocolCard protocols={analysis.protocols} /> : <section className="consensus-card" />}
      </div>
    </Frame>
  );
}

/** The header's live facts: who leads (and in which term), the cut in words, the simulated clock. */
function HeadState({ frame }: { frame: ConsensusFrame }) {
  const leaders = byTermDesc(frame.raft.leaders);
  const primaries = frame.naive.primaries;
  return (
    <div className="consensus-head-state">
      <div className="consensus-leaders">
        <p className="consensus-leaders-raft" data-testid="raft-leaders" data-count={leaders.length}>
          {leaders.length === 0 ? (
            <>Raft: no leader <span className="consensus-leaders-note">(election under way)</span></>
          ) : (
            <>
              {leaders.length === 1 ? 'Raft leader: ' : 'Raft leaders: '}
              {leaders.map((l, i) => (
                <span key={l.id} className="consensus-leader" data-testid="raft-leader" data-node={l.id} data-term={l.term} data-dc={NODE_HOME[l.id]}>
                  {i > 0 && ' · '}
                  {l.id}, term {l.term}
                  {isStale(l, leaders) && <span className="consensus-leaders-note"> (stale: cannot commit)</span>}
                </span>
              ))}
            </>
          )}
        </p>
        <p className={primaries.length > 1 ? 'consensus-leaders-naive consensus-leaders-naive-bad' : 'consensus-leaders-naive'}>
          Naive: {primaries.length === 1 ? '1 primary' : `${primaries.length} primaries`} ({primaries.map((p) => `${p} in ${DC_LABEL[NODE_HOME[p]]}`).join(', ')})
        </p>
      </div>
      <p className="consensus-cut-words" data-testid="consensus-cut" data-cut={frame.cut}>
        {frame.cut !== 'none' && <span aria-hidden="true">✂ </span>}
        {cutWords(frame.cut)}
      </p>
      <div className="consensus-clock">
        <span className="consensus-clock-label">simulated time</span>
        <span className="consensus-clock-time" data-testid="sim-time">
          {simTime(frame.simNow)}
        </span>
        <span className={frame.paused ? 'consensus-play consensus-play-paused' : 'consensus-play'} data-testid="sim-status">
          {frame.paused ? '❚❚ Paused' : `▶ Playing ${speedWords(frame.speed)}`}
        </span>
      </div>
    </div>
  );
}
