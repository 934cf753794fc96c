'use client';

import { useMemo, useState } from 'react';
import { STRATEGIES, STRATEGY_LABEL, type Dc, type HealReportView, type Strategy } from '../../../server/protocol/wire';
import { openConflicts, postLabeler, PreviewGrid, StrategyReport } from '../shared/HealReports';
import { newOpId, request } from '../../lib/socket';
import { DcName } from '../DcBadge';
import { withSettings, type SectionProps } from './types';
import { formatTime } from '../../lib/format';
import { healHeadline } from '../../lib/healWords';
import './ResolutionControls.css';

type Keep = Dc | 'both';

const KEEP_LABEL: Record<Keep, string> = { west: 'Keep West', east: 'Keep East', both: 'Keep both' };

/**
 * Resolution: the strategy the next heal uses (applied on change), a preview of all three on the
 * current divergence (PRE1), the last heal's report, and the conflicts still open, which the
 * instructor may settle for anyone (HUM2).
 */
export function ResolutionControls({ snapshot, update, onError }: SectionProps) {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ at: number; data: Record<Strategy, HealReportView> } | null>(null);
  const label = useMemo(() => postLabeler(snapshot.posts), [snapshot.posts]);
  const conflicts = useMemo(() => openConflicts(snapshot.posts), [snapshot.posts]);

  // The select shows the choice at once; the server's answer then replaces it.
  const [pending, setPending] = useState<Strategy | null>(null);
  const setStrategy = async (strategy: Strategy) => {
    setPending(strategy);
    const result = await request('admin:strategy', { strategy });
    if (result.ok) update(withSettings(result.data));
    setPending(null);
    if (!result.ok) return onError(result.error.message);
    setNote(`The next heal uses ${STRATEGY_LABEL[result.data.strategy]}.`);
  };

  const askPreview = async () => {
    setBusy(true);
    const result = await request('heal:preview', {});
    setBusy(false);
    if (!result.ok) return onError(result.error.message);
    setPreview({ at: Date.now(), data: result.data });
  };

  const resolve = async (postId: string, keep: Keep) => {
    // The choice is a write: made in West unless West cannot write now and East can.
    const q = snapshot.settings.quorum;
    const dc: Dc = !q.west.canWrite && q.east.canWrite ? 'east' : 'west';
    const result = await request('admin:resolve', { opId: newOpId(), postId, keep, dc });
    if (!result.ok) onError(result.error.message);
  };

  return (
    <div className="stack admin-stack">
      <div className="row admin-row-top">
        <div className="field admin-field-inline">
          <label htmlFor="strategy">Resolution strategy</label>
          <select
            id="strategy"
            className="input"
            value={pending ?? snapshot.settings.strategy}
            disabled={pending !== null}
            onChange={(e) => void setStrategy(e.target.value as Strategy)}
          >
            {STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {STRATEGY_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="btn btn-small" disabled={busy} onClick={() => void askPreview()}>
          Preview heal
        </button>
        <p role="status" className="muted note">
          {note}
        </p>
      </div>

      {preview && (
        <div className="admin-preview">
          <p className="muted admin-hint">Preview of the divergence at {formatTime(preview.at)}: nothing has been healed.</p>
          <PreviewGrid preview={preview.data} current={snapshot.settings.strategy} label={label} />
        </div>
      )}

      <div className="admin-split">
        <section aria-labelledby="conflicts-title" className="admin-conflicts">
          <h3 id="conflicts-title">
            Conflicts remaining <span className="admin-count" data-testid="admin-conflict-count">{conflicts.length}</span>
          </h3>
          {conflicts.length === 0 ? (
            <p className="muted">No post is waiting for a choice.</p>
          ) : (
            <ul className="plain-list admin-conflict-list">
              {conflicts.map(({ post, waitingFor }) => (
                <li key={post.id} className="admin-conflict" data-testid="admin-conflict" data-post-id={post.id}>
                  <p className="admin-conflict-title">
                    <strong>{label.label(post.id)}</strong> <span className="muted">· waiting for {waitingFor}</span>
                  </p>
                  <div className="admin-siblings">
                    {(post.siblings ?? []).map((s) => (
                      <div key={s.dc} className="admin-sibling" data-dc={s.dc}>
                        <span className="admin-sibling-head">
                          <DcName dc={s.dc} /> · {s.byName} · {formatTime(s.wall)} ·{' '}
                          <span className="mono">{`{W:${s.vv.west}, E:${s.vv.east}}`}</span>
                        </span>
                        <span className="admin-sibling-text">{s.deleted ? <em>deleted</em> : s.text}</span>
                      </div>
                    ))}
                  </div>
                  <div className="row admin-keep" role="group" aria-label={`Choose for ${label.label(post.id)}`}>
                    {(['west', 'east', 'both'] as const).map((keep) => (
                      <button key={keep} type="button" className="btn btn-small" onClick={() => void resolve(post.id, keep)}>
                        {KEEP_LABEL[keep]}
                      </button>
                    ))}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="last-heal-title" className="admin-last-heal">
          <h3 id="last-heal-title">Last heal</h3>
          {snapshot.lastHeal ? (
            <>
              <p className="muted">{healHeadline(snapshot.lastHeal)}</p>
              <StrategyReport report={snapshot.lastHeal} label={label} conflicts={snapshot.lastHeal.strategy === 'human' ? conflicts : null} testPrefix="admin-heal" />
            </>
          ) : (
            <p className="muted">No heal yet in this session.</p>
          )}
        </section>
      </div>
    </div>
  );
}
