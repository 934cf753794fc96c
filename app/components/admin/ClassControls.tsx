'use client';

import { useState } from 'react';
import { DC_LABEL, type ClassSnapshot, type ParticipantView } from '../../../server/protocol/wire';
import { DcBadge } from '../DcBadge';
import { request } from '../../lib/socket';
import { ConfirmPrompt, useConfirmKey } from './Confirm';
import { withSettings, type SectionProps } from './types';
import { otherDc } from '../../lib/dc';
import './ClassControls.css';

/** Class: how to join, who is here and where (with failover, FO1), the switching lock, and reset. */
export function ClassControls({ snapshot, update, onError, joinUrl }: SectionProps & { joinUrl: string }) {
  const code = snapshot.code;
  return (
    <>
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
      <Participants snapshot={snapshot} update={update} onError={onError} />
      <LockSwitch snapshot={snapshot} update={update} onError={onError} />
      <TwoStepAction
        confirmKey="reset"
        label="Reset session"
        question="Erase every post in both datacenters? People stay joined."
        act={() => request('admin:reset', {})}
        onError={onError}
      />
      <TwoStepAction
        confirmKey="end"
        label="End session"
        question="End the session for good? Everyone can still read it; nobody can post, join or change anything."
        act={() => request('admin:end', {})}
        onError={onError}
      />
    </>
  );
}

type Props = Pick<SectionProps, 'snapshot' | 'update' | 'onError'>;

function Participants({ snapshot, update, onError }: Props) {
  if (snapshot.participants.length === 0) return <p className="muted">Nobody has joined yet.</p>;
  return (
    <table className="table admin-people" data-testid="participants">
      <thead>
        <tr>
          <th scope="col">Person</th>
          <th scope="col">Datacenter</th>
          <th scope="col">Status</th>
          <th scope="col">Failover</th>
        </tr>
      </thead>
      <tbody>
        {snapshot.participants.map((p) => (
          <ParticipantRow key={p.id} person={p} update={update} onError={onError} />
        ))}
      </tbody>
    </table>
  );
}

function ParticipantRow({ person, update, onError }: { person: ParticipantView } & Omit<Props, 'snapshot'>) {
  const { armed, arm, disarm } = useConfirmKey(`move:${person.id}`);
  const [busy, setBusy] = useState(false);
  const to = otherDc(person.home);
  const move = async () => {
    setBusy(true);
    const result = await request('admin:move', { participantId: person.id, to });
    setBusy(false);
    disarm();
    if (!result.ok) return onError(result.error.message);
    const moved = result.data;
    update((s: ClassSnapshot) => ({ ...s, participants: s.participants.map((p) => (p.id === moved.id ? moved : p)) }));
  };
  return (
    <tr className={person.online ? undefined : 'row-offline'}>
      <td>{person.name}</td>
      <td>
        <DcBadge dc={person.home} />
      </td>
      <td>{person.online ? 'online' : 'offline'}</td>
      <td>
        {armed ? (
          <ConfirmPrompt
            question={`Move ${person.name} to ${DC_LABEL[to]}? Their next writes start there.`}
            busy={busy}
            onConfirm={() => void move()}
            onCancel={disarm}
          />
        ) : (
          <button type="button" className="btn btn-small" onClick={arm}>
            Move to {DC_LABEL[to]}
          </button>
        )}
      </td>
    </tr>
  );
}

function LockSwitch({ snapshot, update, onError }: Props) {
  // The box shows the click at once; the server's answer then replaces it (or an error restores it).
  const [pending, setPending] = useState<boolean | null>(null);
  const toggle = async (locked: boolean) => {
    setPending(locked);
    const result = await request('admin:lockSwitch', { locked });
    if (result.ok) update(withSettings(result.data));
    setPending(null);
    if (!result.ok) onError(result.error.message);
  };
  return (
    <div className="admin-check">
      <input
        id="lock-switch"
        type="checkbox"
        checked={pending ?? snapshot.settings.switchLocked}
        disabled={pending !== null}
        onChange={(e) => void toggle(e.target.checked)}
      />
      <label htmlFor="lock-switch">Lock datacenter switching</label>
      <span className="muted"> (students cannot roam to the other side themselves)</span>
    </div>
  );
}

/** Two steps: the first click asks, the second acts. For what cannot be undone. */
function TwoStepAction({
  confirmKey,
  label,
  question,
  act,
  onError,
}: {
  confirmKey: string;
  label: string;
  question: string;
  act: () => Promise<{ ok: true } | { ok: false; error: { message: string } }>;
  onError: (message: string) => void;
}) {
  const { armed, arm, disarm } = useConfirmKey(confirmKey);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    const result = await act();
    setBusy(false);
    disarm();
    if (!result.ok) onError(result.error.message);
  };
  return (
    <div className="danger-zone">
      {armed ? (
        <div className="confirm-row">
          <span className="confirm-text">{question}</span>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void run()}>
            {label}
          </button>
          <button type="button" className="btn btn-quiet" disabled={busy} onClick={disarm}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className="btn btn-danger-quiet" onClick={arm} data-confirm-for={confirmKey}>
          {label}
        </button>
      )}
    </div>
  );
}
