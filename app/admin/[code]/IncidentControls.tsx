'use client';

import { useEffect, useState } from 'react';
import { BOT_LIMITS, INCIDENT_SIZES, type Ack, type BotsView, type ClassCountsView, type IncidentSize } from '../../../server/protocol/wire';
import { getSocket, request } from '../../lib/socket';
import { IncidentCounts, IncidentProgress, useIncidentStatus } from '../../board/[code]/IncidentStatus';
import './IncidentControls.css';

const number = new Intl.NumberFormat('en');
/** A 100K incident takes seconds to build: its answer is awaited longer than an ordinary request's. */
const INCIDENT_WAIT_MS = 5 * 60_000;

/**
 * Incident (INC2): replay the seed's 12-minute split at a size, with a progress bar, then the
 * counts. Bots (BOT1): simulated students per datacenter at a rate the server caps, one button to stop.
 */
export function IncidentControls({ onError }: { onError: (message: string) => void }) {
  const { progress, counts } = useIncidentStatus();
  const [size, setSize] = useState<IncidentSize>(INCIDENT_SIZES[0]);
  const [busy, setBusy] = useState(false);

  const replay = async () => {
    setBusy(true);
    const result = await new Promise<Ack<ClassCountsView>>((resolve) => {
      getSocket()
        .timeout(INCIDENT_WAIT_MS)
        .emit('admin:incident', { size }, (error: Error | null, answer: Ack<ClassCountsView>) =>
          resolve(error ? { ok: false, error: { code: 'internal', message: 'The server did not answer; check your connection.' } } : answer),
        );
    });
    setBusy(false);
    if (!result.ok) onError(result.error.message);
  };

  return (
    <div className="stack admin-stack">
      <div className="row incident-row">
        <div className="field admin-field-inline">
          <label htmlFor="incident-size">Posts per side</label>
          <select id="incident-size" className="input" value={size} disabled={busy} onChange={(e) => setSize(Number(e.target.value) as IncidentSize)}>
            {INCIDENT_SIZES.map((s) => (
              <option key={s} value={s}>
                {number.format(s)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void replay()}>
          Replay the incident
        </button>
      </div>
      <p className="muted admin-hint">A 12-minute split from the session&apos;s seed: it cuts the link, then both sides fill with posts, replies, edits, likes and deletes.</p>
      <IncidentProgress progress={progress} />
      <IncidentCounts counts={counts} layout="admin" />
      <Bots onError={onError} />
    </div>
  );
}

function Bots({ onError }: { onError: (message: string) => void }) {
  const [view, setView] = useState<BotsView | null>(null);
  const [perDc, setPerDc] = useState(5);
  const [rate, setRate] = useState(2);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const socket = getSocket();
    socket.on('bots:changed', setView);
    return () => {
      socket.off('bots:changed', setView);
    };
  }, []);
  const send = async (payload: { action: 'start'; perDc: number; ratePerSec: number } | { action: 'stop' }) => {
    setBusy(true);
    const result = await request('admin:bots', payload);
    setBusy(false);
    if (result.ok) setView(result.data);
    else onError(result.error.message);
  };
  return (
    <section aria-labelledby="bots-title" className="incident-bots">
      <h3 id="bots-title">Bots</h3>
      <div className="row incident-row">
        <div className="field admin-field-inline">
          <label htmlFor="bots-per-dc">Per datacenter</label>
          <input id="bots-per-dc" className="input" type="number" min={1} max={BOT_LIMITS.perDc} value={perDc} onChange={(e) => setPerDc(Number(e.target.value))} />
        </div>
        <div className="field admin-field-inline">
          <label htmlFor="bots-rate">Writes per second (all bots)</label>
          <input id="bots-rate" className="input" type="number" min={0.1} max={BOT_LIMITS.maxRatePerSec} step={0.1} value={rate} onChange={(e) => setRate(Number(e.target.value))} />
        </div>
        <button type="button" className="btn" disabled={busy} onClick={() => void send({ action: 'start', perDc, ratePerSec: rate })}>
          {view?.running ? 'Change bots' : 'Start bots'}
        </button>
        <button type="button" className="btn btn-danger-quiet" disabled={busy || !view?.running} onClick={() => void send({ action: 'stop' })}>
          Stop all bots
        </button>
      </div>
      <p role="status" className="muted" data-testid="bots-status">
        {view?.running
          ? `${view.bots} bots writing ${Math.min(view.ratePerSec, view.capPerSec)} a second (the server caps them at ${view.capPerSec}); ${view.writes} sent, ${view.refused} refused.`
          : 'No bots running. Bots stop when the server restarts.'}
      </p>
    </section>
  );
}
