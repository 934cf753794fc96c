'use client';

import { useState, type FormEvent } from 'react';
import { CONSISTENCY_PRESETS, LIMITS } from '../../../server/protocol/wire';
import { QuorumTable } from '../shared/QuorumTable';
import { request } from '../../lib/socket';
import { withSettings, type SectionProps } from './types';

const CUSTOM = 'custom';

function presetFor(w: string, r: string): string {
  return CONSISTENCY_PRESETS.find((p) => String(p.w) === w.trim() && String(p.r) === r.trim())?.id ?? CUSTOM;
}

function parseQuorum(raw: string): number | null {
  if (!/^\d+$/.test(raw.trim())) return null;
  const n = Number(raw.trim());
  return n >= 1 && n <= LIMITS.nodes ? n : null;
}

/**
 * Consistency: the lecture's W/R presets on 5 nodes, or any W and R, and what each side can do
 * under the current setting during the current link mode (CAP1–CAP3).
 */
export function ConsistencyControls({ snapshot, update, onError }: SectionProps) {
  const { settings } = snapshot;
  const [draft, setDraft] = useState<{ w: string; r: string; preset: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const w = draft?.w ?? String(settings.w);
  const r = draft?.r ?? String(settings.r);
  const preset = draft?.preset ?? settings.preset ?? CUSTOM;

  const choose = (id: string) => {
    const found = CONSISTENCY_PRESETS.find((p) => p.id === id);
    setDraft(found ? { w: String(found.w), r: String(found.r), preset: id } : { w, r, preset: CUSTOM });
  };
  const edit = (next: { w: string; r: string }) => setDraft({ ...next, preset: presetFor(next.w, next.r) });

  const apply = async (e: FormEvent) => {
    e.preventDefault();
    const wn = parseQuorum(w);
    const rn = parseQuorum(r);
    if (wn === null || rn === null) return onError(`W and R are whole numbers from 1 to ${LIMITS.nodes}.`);
    setBusy(true);
    const result = await request('admin:consistency', { w: wn, r: rn });
    setBusy(false);
    if (!result.ok) return onError(result.error.message);
    update(withSettings(result.data));
    setDraft(null);
    const label = CONSISTENCY_PRESETS.find((p) => p.id === result.data.preset)?.label ?? `Custom (W=${result.data.w}, R=${result.data.r})`;
    setNote(`Now: ${label}.`);
  };

  return (
    <form className="stack admin-stack" onSubmit={(e) => void apply(e)}>
      <div className="field">
        <label htmlFor="consistency-mode">Consistency mode</label>
        <select id="consistency-mode" className="input" value={preset} onChange={(e) => choose(e.target.value)}>
          {CONSISTENCY_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
          <option value={CUSTOM}>Custom W/R</option>
        </select>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="quorum-w">W</label>
          <input id="quorum-w" className="input" type="number" min={1} max={LIMITS.nodes} step={1} value={w} onChange={(e) => edit({ w: e.target.value, r })} />
        </div>
        <div className="field">
          <label htmlFor="quorum-r">R</label>
          <input id="quorum-r" className="input" type="number" min={1} max={LIMITS.nodes} step={1} value={r} onChange={(e) => edit({ w, r: e.target.value })} />
        </div>
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
          Apply consistency
        </button>
        <p role="status" className="muted note">
          {draft ? 'Not sent yet: press Apply consistency.' : note}
        </p>
      </div>
      <QuorumTable settings={settings} layout="compact" />
    </form>
  );
}
