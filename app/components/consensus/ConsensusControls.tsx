'use client';

import { useId, useState, type FormEvent } from 'react';
import { NODE_IDS, type AdminConsensusPayload, type ConsensusFrame } from '../../../server/protocol/wire';
import { request } from '../../lib/socket';
import { useConsensus } from './useConsensus';
import { cutWords, leaderSentence, primariesSentence, simTime, speedWords, SPEEDS } from './words';
import './ConsensusControls.css';

/** Sends one instructor command; the frame it makes comes back to every screen as a broadcast. */
async function send(payload: AdminConsensusPayload, onError: (message: string) => void): Promise<boolean> {
  const result = await request('admin:consensus', payload);
  if (!result.ok) onError(result.error.message);
  return result.ok;
}

/**
 * The consensus view's controls for an instructor socket (after admin:watch): play and pause,
 * step one event and step back (the view is a replay of kept core states), the speed, crash and
 * restart per node, and a client write. `compact` keeps only the playback row, for the board.
 */
export function ConsensusControlsView({ frame, compact = false, onError }: { frame: ConsensusFrame | null; compact?: boolean; onError?: (message: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [value, setValue] = useState('');
  const speedId = useId();
  const writeId = useId();
  const fail = (message: string) => {
    setError(message);
    onError?.(message);
  };
  const act = (payload: AdminConsensusPayload) => {
    setError(null);
    void send(payload, fail);
  };
  const paused = frame?.paused ?? false;
  const speed = frame?.speed ?? 0.25;
  const speeds: number[] = SPEEDS.includes(speed as (typeof SPEEDS)[number]) ? [...SPEEDS] : [...SPEEDS, speed].sort((a, b) => a - b);

  const submitWrite = async (event: FormEvent) => {
    event.preventDefault();
    const text = value.trim();
    if (!text) return fail('Type a value to write first.');
    setError(null);
    if (await send({ action: 'write', value: text }, fail)) setValue('');
  };

  return (
    <div className={compact ? 'consensus-controls consensus-controls-compact' : 'consensus-controls'} data-testid="consensus-controls">
      <div className="consensus-controls-row" role="group" aria-label="Playback">
        <button type="button" className="btn btn-small" onClick={() => act({ action: 'pause' })} disabled={frame !== null && paused}>
          <span aria-hidden="true">❚❚ </span>Pause
        </button>
        <button type="button" className="btn btn-small" onClick={() => act({ action: 'resume' })} disabled={frame !== null && !paused}>
          <span aria-hidden="true">▶ </span>Play
        </button>
        <button type="button" className="btn btn-small" onClick={() => act({ action: 'step' })} aria-label="Step">
          <span aria-hidden="true">▶❚ </span>Step
        </button>
        <button type="button" className="btn btn-small" onClick={() => act({ action: 'back' })} disabled={frame !== null && frame.history === 0} aria-label="Step back">
          <span aria-hidden="true">❚◀ </span>Step back
        </button>
        <button type="button" className="btn btn-small" onClick={() => act({ action: 'fresh' })} data-testid="consensus-fresh">
          Restart the scenario
        </button>
        <label htmlFor={speedId} className="consensus-controls-label">
          Simulation speed
        </label>
        <select
          id={speedId}
          className="consensus-speed"
          value={String(speed)}
          onChange={(e) => act({ action: 'speed', speed: Number(e.target.value) })}
        >
          {speeds.map((s) => (
            <option key={s} value={String(s)}>
              {speedWords(s)}
            </option>
          ))}
        </select>
      </div>
      {!compact && (
        <>
          <div className="consensus-controls-nodes" role="group" aria-label="Crash and restart nodes">
            {NODE_IDS.map((id) => {
              const crashed = frame?.raft.nodes.find((n) => n.id === id)?.role === 'crashed';
              return (
                <span key={id} className="consensus-controls-node">
                  <button type="button" className="btn btn-small btn-danger-quiet" onClick={() => act({ action: 'crash', node: id })} disabled={frame !== null && crashed}>
                    Crash {id}
                  </button>
                  <button type="button" className="btn btn-small" onClick={() => act({ action: 'restart', node: id })} disabled={frame !== null && !crashed}>
                    Restart {id}
                  </button>
                </span>
              );
            })}
          </div>
          <form className="consensus-controls-row" onSubmit={(e) => void submitWrite(e)}>
            <label htmlFor={writeId} className="consensus-controls-label">
              Client write
            </label>
            <input id={writeId} className="input consensus-write" value={value} maxLength={40} onChange={(e) => setValue(e.target.value)} placeholder="x = 5" />
            <button type="submit" className="btn btn-small">
              Send write
            </button>
          </form>
          {frame ? <FrameSummary frame={frame} /> : <p className="muted">Waiting for the consensus view…</p>}
        </>
      )}
      {error !== null && !onError && (
        <p role="alert" className="consensus-controls-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** The state the instructor acts on, in words: leaders, every node's term, the primaries, the cut, the clock. */
function FrameSummary({ frame }: { frame: ConsensusFrame }) {
  return (
    <dl className="consensus-summary" data-testid="consensus-summary">
      <div>
        <dt>Raft</dt>
        <dd>{leaderSentence(frame.raft.leaders)}</dd>
      </div>
      <div>
        <dt>Terms</dt>
        <dd className="mono">{frame.raft.nodes.map((n) => `${n.id} ${n.role === 'crashed' ? 'crashed' : n.term}`).join(' · ')}</dd>
      </div>
      <div>
        <dt>Naive</dt>
        <dd>{primariesSentence(frame.naive.primaries)}</dd>
      </div>
      <div>
        <dt>Link</dt>
        <dd>{cutWords(frame.cut)}</dd>
      </div>
      <div>
        <dt>Clock</dt>
        <dd>
          sim {simTime(frame.simNow)} · {frame.paused ? 'paused' : `playing at ${speedWords(frame.speed)}`} · {frame.history} steps back kept
        </dd>
      </div>
    </dl>
  );
}

/**
 * For the admin page: mount it once the admin socket has done admin:watch (e.g. inside the
 * "ready" branch). It asks for the consensus view itself and keeps asking after a reconnect.
 */
export function ConsensusControls({ code, onError }: { code: string; onError?: (message: string) => void }) {
  const { frame, error } = useConsensus(undefined);
  return (
    <div className="consensus-admin">
      <ConsensusControlsView frame={frame} onError={onError} />
      {error && !frame && <p className="muted">{error.message}</p>}
      <p className="consensus-admin-link">
        <a href={`/board/${encodeURIComponent(code)}/consensus`} target="_blank" rel="noreferrer">
          Open the consensus board
        </a>
      </p>
    </div>
  );
}
