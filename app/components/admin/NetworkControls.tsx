'use client';

import { healLabel } from '../../lib/lessonWords';
import { useState, type FormEvent, type ReactNode } from 'react';
import { DC_IDS, DC_LABEL, LIMITS, STRATEGY_LABEL, type LinkMode, type LinkView } from '../../../server/protocol/wire';
import { LinkStateWords } from '../shared/LiveState';
import { request } from '../../lib/socket';
import { ConfirmPrompt, useArmed } from './Confirm';
import { withSettings, type SectionProps } from './types';
import { otherDc } from '../../lib/dc';
import './NetworkControls.css';

const SLOW_MIN_MS = 500;

interface ModeAction {
  mode: LinkMode;
  label: string;
  question: (slowMs: number, strategy: string) => ReactNode;
}

/** The link's modes in the order an instructor reaches for them; each asks once before it acts. */
const MODE_ACTIONS: readonly ModeAction[] = [
  {
    mode: 'cut',
    label: 'Split (full cut)',
    question: () => 'Cut the link both ways? Both sides keep their own copy and the feeds drift apart.',
  },
  {
    mode: 'cut-west-to-east',
    label: 'Cut West → East',
    question: () => 'Block messages from West to East? East stops hearing West; West still hears East.',
  },
  {
    mode: 'cut-east-to-west',
    label: 'Cut East → West',
    question: () => 'Block messages from East to West? West stops hearing East; East still hears West.',
  },
  {
    mode: 'slow',
    label: 'Slow link',
    question: (slowMs) => `Slow the link to ${slowMs} ms each way? Every message crosses late.`,
  },
  {
    mode: 'up',
    label: 'Heal',
    question: (_slowMs, strategy) => `Heal the link? Everything held is delivered now, and ${strategy} settles what both sides changed.`,
  },
];

function parseMs(raw: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(raw.trim())) return null;
  const n = Number(raw.trim());
  return n >= min && n <= max ? n : null;
}

/** Network: the link's mode (split, one-way cuts, slow, heal), the slow link's latency, and latency and jitter. */
export function NetworkControls({ snapshot, clockOffset, update, onError }: SectionProps) {
  const { armed, arm } = useArmed();
  const [busy, setBusy] = useState(false);
  const [slowDraft, setSlowDraft] = useState<string | null>(null);
  const link = snapshot.link;
  const slowText = slowDraft ?? String(link.slowLatencyMs);
  const armedAction = MODE_ACTIONS.find((a) => armed === `mode:${a.mode}`);

  const apply = async (mode: LinkMode) => {
    let slowLatencyMs: number | undefined;
    if (mode === 'slow') {
      const parsed = parseMs(slowText, SLOW_MIN_MS, LIMITS.maxLatencyMs);
      if (parsed === null) {
        arm(null);
        onError(`The slow link's latency is a whole number of ms from ${SLOW_MIN_MS} to ${LIMITS.maxLatencyMs}.`);
        return;
      }
      slowLatencyMs = parsed;
    }
    setBusy(true);
    const result = await request('admin:partition', slowLatencyMs === undefined ? { mode } : { mode, slowLatencyMs });
    setBusy(false);
    arm(null);
    if (!result.ok) return onError(result.error.message);
    update(withSettings(result.data));
    setSlowDraft(null);
  };

  const slowChanged = slowDraft !== null && slowDraft.trim() !== String(link.slowLatencyMs);

  return (
    <>
      <LinkStateWords link={link} clockOffset={clockOffset} size="compact" />
      <div className="admin-modes" role="group" aria-label="Link mode">
        {MODE_ACTIONS.map((a) => {
          const active = link.mode === a.mode;
          return (
            <button
              key={a.mode}
              type="button"
              className={['btn', 'btn-small', active ? 'admin-mode-active' : '', a.mode === 'up' ? 'admin-mode-heal' : a.mode === 'slow' ? '' : 'admin-mode-cut'].join(' ')}
              aria-pressed={active}
              disabled={busy || (active && !(a.mode === 'slow' && slowChanged))}
              onClick={() => arm(`mode:${a.mode}`)}
            >
              {a.mode === 'up' ? healLabel(snapshot.settings.strategy) : a.label}
            </button>
          );
        })}
      </div>
      {armedAction && (
        <ConfirmPrompt
          question={armedAction.question(parseMs(slowText, 0, Number.MAX_SAFE_INTEGER) ?? link.slowLatencyMs, STRATEGY_LABEL[snapshot.settings.strategy])}
          busy={busy}
          onConfirm={() => void apply(armedAction.mode)}
          onCancel={() => arm(null)}
          testId="mode-confirm"
        />
      )}
      <div className="field admin-field-inline">
        <label htmlFor="slow-latency">Slow link latency (ms)</label>
        <input
          id="slow-latency"
          className="input admin-input-short"
          type="number"
          inputMode="numeric"
          min={SLOW_MIN_MS}
          max={LIMITS.maxLatencyMs}
          step={100}
          value={slowText}
          onChange={(e) => setSlowDraft(e.target.value)}
        />
      </div>
      <dl className="facts facts-inline admin-wire-facts">
        {DC_IDS.map((from) => (
          <div key={from} className="facts-pair">
            <dt>
              {DC_LABEL[from]} → {DC_LABEL[otherDc(from)]}
            </dt>
            <dd data-testid={`admin-inflight-${from}`}>{snapshot.inFlight[from]} on the link</dd>
          </div>
        ))}
      </dl>
      <h3>Latency</h3>
      <LinkForm current={link} onApplied={(next) => update((s) => ({ ...s, link: next, settings: { ...s.settings, link: next } }))} onError={onError} />
    </>
  );
}

const PRESETS = [
  { label: 'Same room', latencyMs: 5, jitterMs: 2 },
  { label: 'Across a continent', latencyMs: 400, jitterMs: 100 },
  { label: 'Across an ocean', latencyMs: 1500, jitterMs: 800 },
  { label: 'Satellite, bad day', latencyMs: 6000, jitterMs: 4000 },
] as const;

/** Latency and jitter of the working link; jitter large enough reorders messages (NET1). */
function LinkForm({ current, onApplied, onError }: { current: LinkView; onApplied: (link: LinkView) => void; onError: (message: string) => void }) {
  // A draft only while the instructor edits; otherwise the inputs show the live setting.
  const [draft, setDraft] = useState<{ latency: string; jitter: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const latency = draft?.latency ?? String(current.latencyMs);
  const jitter = draft?.jitter ?? String(current.jitterMs);

  const apply = async (e: FormEvent) => {
    e.preventDefault();
    const latencyMs = parseMs(latency, 0, LIMITS.maxLatencyMs);
    const jitterMs = parseMs(jitter, 0, LIMITS.maxJitterMs);
    if (latencyMs === null) return onError(`Latency is a whole number of ms from 0 to ${LIMITS.maxLatencyMs}.`);
    if (jitterMs === null) return onError(`Jitter is a whole number of ms from 0 to ${LIMITS.maxJitterMs}.`);
    setBusy(true);
    const result = await request('admin:link', { latencyMs, jitterMs });
    setBusy(false);
    if (!result.ok) return onError(result.error.message);
    onApplied(result.data);
    setDraft(null);
    setNote(`Link set to ${result.data.latencyMs} ms ± ${result.data.jitterMs} ms.`);
  };

  return (
    <form className="stack admin-stack" onSubmit={(e) => void apply(e)}>
      <div className="field-row">
        <div className="field">
          <label htmlFor="latency">Latency (ms)</label>
          <input
            id="latency"
            className="input"
            type="number"
            inputMode="numeric"
            min={0}
            max={LIMITS.maxLatencyMs}
            step={1}
            value={latency}
            onChange={(e) => setDraft({ latency: e.target.value, jitter })}
          />
        </div>
        <div className="field">
          <label htmlFor="jitter">Jitter (ms)</label>
          <input
            id="jitter"
            className="input"
            type="number"
            inputMode="numeric"
            min={0}
            max={LIMITS.maxJitterMs}
            step={1}
            value={jitter}
            onChange={(e) => setDraft({ latency, jitter: e.target.value })}
          />
        </div>
      </div>
      <div className="presets" role="group" aria-label="Latency presets">
        {PRESETS.map((p) => (
          <button
            key={p.label}
            type="button"
            className="btn btn-small btn-quiet"
            onClick={() => setDraft({ latency: String(p.latencyMs), jitter: String(p.jitterMs) })}
          >
            {p.label} <span className="muted">{p.latencyMs}±{p.jitterMs}</span>
          </button>
        ))}
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
          Apply latency
        </button>
        <p role="status" className="muted note">
          {draft ? 'Not sent yet: press Apply latency.' : note}
        </p>
      </div>
    </form>
  );
}
