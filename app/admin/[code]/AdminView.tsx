'use client';

import { useCallback, useSyncExternalStore, type ReactNode } from 'react';
import { ClassControls } from '../../components/admin/ClassControls';
import { ClockControls } from '../../components/admin/ClockControls';
import { ConfirmProvider } from '../../components/admin/Confirm';
import { ConsensusControls } from '../../components/consensus/ConsensusControls';
import { ConsistencyControls } from '../../components/admin/ConsistencyControls';
import { NetworkControls } from '../../components/admin/NetworkControls';
import { ResolutionControls } from '../../components/admin/ResolutionControls';
import { StateBar } from '../../components/admin/StateBar';
import { IncidentControls } from './IncidentControls';
import { AlertRegion } from '../../components/AlertRegion';
import { LessonStrip } from '../../components/lesson/LessonStrip';
import { useLesson } from '../../lib/useLesson';
import { ConnectionLine } from '../../components/ConnectionLine';
import { SessionEnded } from '../../components/SessionEnded';
import { useAlert, useOrigin } from '../../lib/hooks';
import { useClassWatch } from '../../lib/classState';
import { request } from '../../lib/socket';
import { readStored, storageKeys, writeStored } from '../../lib/storage';
import { ReplayPanel } from './ReplayPanel';
import './AdminView.css';

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

/**
 * The instructor's panel: dense and calm. The current state stays in view at the top; the
 * controls are grouped (Network, Clocks, Consistency, Resolution, Class); every action that
 * disrupts people asks once more before it acts.
 */
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
  const { lesson, accept } = useLesson(state.kind === 'ready');

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
  const ready = state.kind === 'ready' ? state : null;
  return (
    <main className="admin">
      <AdminHeader code={code} />
      <ConnectionLine />
      <SessionEnded ended={ready?.snapshot.ended} />
      <AlertRegion message={alert.message} onDismiss={alert.clear} />
      {!ready ? (
        <p className="muted">Loading session {code}…</p>
      ) : (
        <ConfirmProvider>
          <LessonStrip code={code} snapshot={ready.snapshot} clockOffset={ready.clockOffset} lesson={lesson} accept={accept} onError={alert.show} />
          <StateBar snapshot={ready.snapshot} clockOffset={ready.clockOffset} />
          <div className="admin-grid">
            <Section id="network" title="Network">
              <NetworkControls snapshot={ready.snapshot} clockOffset={ready.clockOffset} update={update} onError={alert.show} />
            </Section>
            <Section id="clocks" title="Clocks">
              <ClockControls snapshot={ready.snapshot} clockOffset={ready.clockOffset} update={update} onError={alert.show} />
            </Section>
            <Section id="consistency" title="Consistency">
              <ConsistencyControls snapshot={ready.snapshot} clockOffset={ready.clockOffset} update={update} onError={alert.show} />
            </Section>
            <Section id="resolution" title="Resolution" wide>
              <ResolutionControls snapshot={ready.snapshot} clockOffset={ready.clockOffset} update={update} onError={alert.show} />
            </Section>
            <Section id="replay" title="Attempts and downloads" wide>
              <ReplayPanel snapshot={ready.snapshot} secret={secret} onError={alert.show} />
            </Section>
            <Section id="class" title="Class" wide>
              <ClassControls snapshot={ready.snapshot} clockOffset={ready.clockOffset} update={update} onError={alert.show} joinUrl={joinUrl} />
            </Section>
            <Section id="incident" title="Incident and bots" wide>
              <IncidentControls onError={alert.show} />
            </Section>
            <Section id="consensus" title="Consensus" wide>
              <ConsensusControls code={code} onError={alert.show} />
            </Section>
          </div>
        </ConfirmProvider>
      )}
    </main>
  );
}

/** One group of controls under its heading. */
function Section({ id, title, wide = false, children }: { id: string; title: string; wide?: boolean; children: ReactNode }) {
  return (
    <section className={wide ? 'panel admin-panel admin-panel-wide' : 'panel admin-panel'} aria-labelledby={`${id}-title`} data-testid={`section-${id}`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
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
