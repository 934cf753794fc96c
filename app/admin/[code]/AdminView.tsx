'use client';

import { useCallback, useState, useSyncExternalStore, type FormEvent } from 'react';
import { DC_IDS, DC_LABEL, LIMITS, LINK_MODE_LABEL, type ClassSnapshot } from '../../../server/protocol';
import { AlertRegion } from '../../components/AlertRegion';
import { ConnectionLine } from '../../components/ConnectionLine';
import { DcBadge } from '../../components/DcBadge';
import { countPosts } from '../../lib/feed';
import { useAlert, useOrigin } from '../../lib/hooks';
import { useClassWatch } from '../../lib/classState';
import { request } from '../../lib/socket';
import { readStored, storageKeys, writeStored } from '../../lib/storage';

function subscribeHash(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

function hashSecret(): string | null {
  const raw = window.location.hash.replace(/^#/, '');
  if (!raw) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * The instructor's secret: from the URL fragment (the link made on the home page), else from
 * this browser's storage. null: none; undefined: not known yet (server render).
 */
function useSecret(code: string): string | null | undefined {
  return useSyncExternalStore(
    subscribeHash,
    () => hashSecret() ?? readStored('local', storageKeys.admin(code)),
    () => undefined,
  );
}

const PRESETS = [
  { label: 'Same room', latencyMs: 5, jitterMs: 2 },
  { label: 'Across a continent', latencyMs: 400, jitterMs: 100 },
  { label: 'Across an ocean', latencyMs: 1500, jitterMs: 800 },
  { label: 'Satellite, bad day', latencyMs: 6000, jitterMs: 4000 },
] as const;

/** The instructor's panel: dense and calm, controls grouped, dangerous actions confirmed. */
export function AdminView({ code }: { code: string }) {
  const secret = useSecret(code);
  const origin = useOrigin();
  const alert = useAlert();

  // The secret is kept in this browser only once the server accepted it, so a mistyped link
  // never overwrites a good one.
  const watch = useCallback(async () => {
    const result = await request('admin:watch', { code, secret: secret ?? '' });
    if (result.ok && secret) writeStored('local', storageKeys.admin(code), secret);
    return result;
  }, [code, secret]);
  const { state, update } = useClassWatch(secret ? watch : null);

  if (secret === undefined) return <main className="admin" />;
  if (secret === null || state.kind === 'failed') {
    return (
      <main className="admin">
        <AdminHeader code={code} />
        <section className="card admin-denied" role="alert" data-testid="alert">
          <h2>{secret !== null && state.kind === 'failed' && state.code !== 'forbidden' ? `Cannot open session ${code}` : 'This panel needs the instructor link'}</h2>
          <p>
            {secret === null
              ? 'Open the link you got when you started the session (it ends with #…), on the browser that started it.'
              : state.kind === 'failed' && state.code === 'forbidden'
                ? 'The instructor secret in this link is wrong for this session. Open the exact link you got when you started it.'
                : state.kind === 'failed'
                  ? state.message
                  : ''}
          </p>
          <p>
            <a href="/">Start a new session</a>
          </p>
        </section>
      </main>
    );
  }

  const joinUrl = `${origin}/s/${code}`;
  const snapshot = state.kind === 'ready' ? state.snapshot : null;
  return (
    <main className="admin">
      <AdminHeader code={code} />
      <ConnectionLine />
      <AlertRegion message={alert.message} onDismiss={alert.clear} />
      {!snapshot ? (
        <p className="muted">Loading session {code}…</p>
      ) : (
        <div className="admin-grid">
          <section className="panel" aria-labelledby="class-title">
            <h2 id="class-title">Class</h2>
            <dl className="facts">
              <dt>Join code</dt>
              <dd className="mono big-code" data-testid="join-code">
                {code}
              </dd>
              <dt>Join link</dt>
              <dd className="mono">{joinUrl}</dd>
              <dt>Board</dt>
              <dd>
                <a href={`/board/${code}`} target="_blank" rel="noopener noreferrer">
                  Open the board
                </a>{' '}
                <span className="muted">(new tab, for the projector)</span>
              </dd>
            </dl>
            <h3>Participants ({snapshot.participants.length})</h3>
            <Participants snapshot={snapshot} />
            <ResetControl onError={alert.show} />
          </section>

          <section className="panel" aria-labelledby="network-title">
            <h2 id="network-title">Network</h2>
            <LinkStatus snapshot={snapshot} />
            <LinkForm
              current={snapshot.link}
              onApplied={(link) => update((s) => ({ ...s, link, settings: { ...s.settings, link } }))}
              onError={alert.show}
            />
          </section>
        </div>
      )}
    </main>
  );
}

function AdminHeader({ code }: { code: string }) {
  return (
    <header className="admin-head">
      <span className="brand">Split-Brain Lab</span>
      <h1>
        Instructor panel · <span className="mono">{code}</span>
      </h1>
    </header>
  );
}

function Participants({ snapshot }: { snapshot: ClassSnapshot }) {
  if (snapshot.participants.length === 0) return <p className="muted">Nobody has joined yet.</p>;
  return (
    <table className="table" data-testid="participants">
      <thead>
        <tr>
          <th scope="col">Person</th>
          <th scope="col">Datacenter</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {snapshot.participants.map((p) => (
          <tr key={p.id} className={p.online ? undefined : 'row-offline'}>
            <td>{p.name}</td>
            <td>
              <DcBadge dc={p.home} />
            </td>
            <td>{p.online ? 'online' : 'offline'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LinkStatus({ snapshot }: { snapshot: ClassSnapshot }) {
  return (
    <dl className="facts facts-inline">
      <dt>Link now</dt>
      <dd data-testid="link-now">
        {snapshot.link.latencyMs} ms ± {snapshot.link.jitterMs} ms
      </dd>
      <dt>Mode</dt>
      <dd data-testid="link-mode">{LINK_MODE_LABEL[snapshot.link.mode]}</dd>
      {DC_IDS.map((from) => (
        <div key={from} className="facts-pair">
          <dt>
            {DC_LABEL[from]} → {DC_LABEL[from === 'west' ? 'east' : 'west']}
          </dt>
          <dd>{snapshot.inFlight[from]} in flight</dd>
        </div>
      ))}
      {DC_IDS.map((dc) => (
        <div key={dc} className="facts-pair">
          <dt>Posts in {DC_LABEL[dc]}</dt>
          <dd>{countPosts(snapshot.posts[dc])}</dd>
        </div>
      ))}
    </dl>
  );
}

function parseMs(raw: string, max: number): number | null {
  if (!/^\d+$/.test(raw.trim())) return null;
  const n = Number(raw.trim());
  return n >= 0 && n <= max ? n : null;
}

function LinkForm({
  current,
  onApplied,
  onError,
}: {
  current: ClassSnapshot['link'];
  onApplied: (link: ClassSnapshot['link']) => void;
  onError: (message: string) => void;
}) {
  // A draft only while the instructor edits; otherwise the inputs show the live setting.
  const [draft, setDraft] = useState<{ latency: string; jitter: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const latency = draft?.latency ?? String(current.latencyMs);
  const jitter = draft?.jitter ?? String(current.jitterMs);

  const apply = async (e: FormEvent) => {
    e.preventDefault();
    const latencyMs = parseMs(latency, LIMITS.maxLatencyMs);
    const jitterMs = parseMs(jitter, LIMITS.maxJitterMs);
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
    <form className="stack" onSubmit={(e) => void apply(e)}>
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
      <div className="presets" role="group" aria-label="Presets">
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
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Apply
        </button>
        <p role="status" className="muted note">
          {draft ? 'Not sent yet: press Apply.' : note}
        </p>
      </div>
    </form>
  );
}

/** Two steps: the first click asks, the second resets. */
function ResetControl({ onError }: { onError: (message: string) => void }) {
  const [armed, setArmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const reset = async () => {
    setBusy(true);
    const result = await request('admin:reset', {});
    setBusy(false);
    setArmed(false);
    if (!result.ok) onError(result.error.message);
  };
  return (
    <div className="danger-zone">
      {armed ? (
        <div className="confirm-row">
          <span className="confirm-text">Erase every post in both datacenters? People stay joined.</span>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void reset()}>
            Reset session
          </button>
          <button type="button" className="btn btn-quiet" disabled={busy} onClick={() => setArmed(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className="btn btn-danger-quiet" onClick={() => setArmed(true)}>
          Reset session
        </button>
      )}
    </div>
  );
}
