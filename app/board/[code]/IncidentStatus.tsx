'use client';

import { useCallback, useEffect, useState } from 'react';
import {
  DC_IDS,
  DC_LABEL,
  INCIDENT_WRITE_KINDS,
  STRATEGY_LABEL,
  type ClassCountsView,
  type IncidentPhase,
  type IncidentProgressView,
} from '../../../server/protocol/wire';
import { getSocket, request } from '../../lib/socket';
import { useSocketEvents } from '../../lib/useSocketEvents';
import './IncidentStatus.css';

const PHASE_LABEL: Record<IncidentPhase, string> = {
  generating: 'Replaying the incident',
  storing: 'Storing it',
  healing: 'Healing',
};

const number = new Intl.NumberFormat('en');
const n = (value: number) => number.format(value);

/**
 * The incident's progress and numbers (INC2), for the board and the admin page: a progress bar
 * while it is replayed or healed, then counts that stay small whatever the session holds: posts
 * per side, what the link holds, the conflicts remaining, the last heal's counts. Never its rows.
 */
export function useIncidentStatus(): { progress: IncidentProgressView | null; counts: ClassCountsView | null } {
  const [progress, setProgress] = useState<IncidentProgressView | null>(null);
  const [counts, setCounts] = useState<ClassCountsView | null>(null);
  const fetchCounts = useCallback(() => {
    void request('class:counts', {}).then((result) => {
      if (result.ok) setCounts(result.data);
    });
  }, []);
  useEffect(fetchCounts, [fetchCounts]);
  useSocketEvents(getSocket, {
    'incident:progress': (p) => setProgress(p.done >= p.total && p.phase !== 'generating' ? null : p),
    'counts:changed': setCounts,
    // Anything that may change the counts without a counts event: fetch them again.
    connect: fetchCounts,
    'session:reset': fetchCounts,
    'settings:changed': fetchCounts,
    // SNAP1: a heal sends each screen one converged message; the counts follow on request.
    'class:healed': fetchCounts,
  });
  return { progress, counts };
}

/** The progress bar, with its words: what is happening and how far it is. */
export function IncidentProgress({ progress }: { progress: IncidentProgressView | null }) {
  if (!progress) return null;
  const percent = progress.total > 0 ? Math.round((100 * progress.done) / progress.total) : 0;
  return (
    <div className="incident-progress" data-testid="incident-progress">
      <label htmlFor="incident-progress-bar">
        {PHASE_LABEL[progress.phase]}… {progress.phase === 'generating' ? `${n(progress.done)} of ${n(progress.total)} steps` : `${percent} %`}
      </label>
      <progress id="incident-progress-bar" max={progress.total} value={progress.done}>
        {percent} %
      </progress>
    </div>
  );
}

/** The counts panel: the numbers of the session, and of the incident when one was replayed. */
export function IncidentCounts({ counts, layout }: { counts: ClassCountsView | null; layout: 'board' | 'admin' }) {
  if (!counts) return null;
  const { incident, heal } = counts;
  return (
    <section className={`incident-counts incident-counts-${layout}`} aria-label="Counts" data-testid="incident-counts">
      <dl className="incident-figures">
        {DC_IDS.map((dc) => (
          <div key={dc} className="incident-figure" data-dc={dc}>
            <dt>Posts in {DC_LABEL[dc]}</dt>
            <dd data-testid={`count-posts-${dc}`}>{n(counts.posts[dc])}</dd>
          </div>
        ))}
        <div className="incident-figure">
          <dt>Held on the link</dt>
          <dd data-testid="count-held">{n(counts.held.west + counts.held.east)}</dd>
        </div>
        <div className="incident-figure">
          <dt>Conflicts remaining</dt>
          <dd data-testid="count-conflicts">{n(counts.conflicts)}</dd>
        </div>
      </dl>
      {incident && (
        <p className="incident-line" data-testid="incident-summary">
          Incident (seed {incident.seed}): {n(incident.people)} people, {n(incident.shared)} posts shared before the split;{' '}
          {DC_IDS.map((dc) => `${DC_LABEL[dc]} wrote ${INCIDENT_WRITE_KINDS.map((k) => `${n(incident.perSide[dc][k])} ${k}s`).join(', ')}`).join('; ')}
          {incident.refused > 0 ? `; ${n(incident.refused)} steps refused` : ''}.
        </p>
      )}
      {heal && (
        <p className="incident-line" data-testid="heal-counts">
          Last heal ({STRATEGY_LABEL[heal.strategy]}): {n(heal.lost)} writes lost, {n(heal.duplicates)} duplicates, {n(heal.brokenThreads)} broken threads,{' '}
          {n(heal.phantomLikes)} phantom likes, {n(heal.resurrected)} resurrected, {n(heal.likeMerges)} like counts merged, {n(heal.conflicts)} conflicts to choose.
        </p>
      )}
    </section>
  );
}
