'use client';

import { useState, type FormEvent } from 'react';
import { DC_IDS, DC_LABEL, LIMITS, type Dc } from '../../../server/protocol/wire';
import { DcClock } from '../shared/LiveState';
import { request } from '../../lib/socket';
import { withSettings, type SectionProps } from './types';
import './ClockControls.css';

const MAX_S = LIMITS.maxSkewMs / 1000;

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

/** Clocks: each datacenter's skew against real time (CLK1), and each side's clock ticking live. */
export function ClockControls({ snapshot, clockOffset, update, onError }: SectionProps) {
  const skew = snapshot.settings.skew;
  const [draft, setDraft] = useState<Record<Dc, string> | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const value = (dc: Dc) => draft?.[dc] ?? seconds(skew[dc]);

  const apply = async (e: FormEvent) => {
    e.preventDefault();
    const wanted: Partial<Record<Dc, number>> = {};
    for (const dc of DC_IDS) {
      const raw = value(dc).trim().replace('−', '-');
      const s = Number(raw);
      if (raw === '' || !Number.isFinite(s) || Math.abs(s) > MAX_S) {
        onError(`${DC_LABEL[dc]}'s skew is a number of seconds from −${MAX_S} to +${MAX_S}.`);
        return;
      }
      const ms = Math.round(s * 1000);
      if (ms !== skew[dc]) wanted[dc] = ms;
    }
    setBusy(true);
    const changed: string[] = [];
    for (const dc of DC_IDS) {
      const skewMs = wanted[dc];
      if (skewMs === undefined) continue;
      const result = await request('admin:skew', { dc, skewMs });
      if (!result.ok) {
        setBusy(false);
        onError(result.error.message);
        return;
      }
      update(withSettings(result.data));
      changed.push(`${DC_LABEL[dc]} ${skewMs >= 0 ? '+' : '−'}${seconds(Math.abs(skewMs))} s`);
    }
    setBusy(false);
    setDraft(null);
    setNote(changed.length > 0 ? `Skew set: ${changed.join(', ')}.` : 'Nothing changed.');
  };

  return (
    <form className="stack admin-stack" onSubmit={(e) => void apply(e)}>
      <div className="admin-clocks">
        {DC_IDS.map((dc) => (
          <DcClock key={dc} dc={dc} skewMs={skew[dc]} clockOffset={clockOffset} size="compact" />
        ))}
      </div>
      <div className="field-row">
        {DC_IDS.map((dc) => (
          <div key={dc} className="field">
            <label htmlFor={`skew-${dc}`}>{DC_LABEL[dc]} clock skew (s)</label>
            <input
              id={`skew-${dc}`}
              className="input"
              type="number"
              min={-MAX_S}
              max={MAX_S}
              step={0.5}
              value={value(dc)}
              onChange={(e) => setDraft({ west: value('west'), east: value('east'), [dc]: e.target.value })}
            />
          </div>
        ))}
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
          Apply skew
        </button>
        <p role="status" className="muted note">
          {draft ? 'Not sent yet: press Apply skew.' : note}
        </p>
      </div>
      <p className="muted admin-hint">A datacenter&apos;s clock is server time plus its skew; every write is stamped with it, so a clock behind can make a later edit lose under last write wins.</p>
    </form>
  );
}
