'use client';

import { useState } from 'react';
import type { ClassSnapshot } from '../../../server/protocol/wire';
import { ConfirmPrompt, useConfirmKey } from '../../components/admin/Confirm';
import { request } from '../../lib/socket';
import { ATTEMPT_LABEL, Attempts } from '../../board/[code]/replay/Attempts';
import { useAttempts } from '../../board/[code]/replay/useAttempts';

const FORMATS = [
  { ext: 'json', label: 'Session (JSON)', what: 'the log, heal reports and rewinds: import it to replay the session' },
  { ext: 'csv', label: 'Posts and losses (CSV)', what: 'one row per post per datacenter, one per lost or merged write' },
  { ext: 'shiviz.txt', label: 'Events (ShiViz)', what: 'paste into ShiViz for a space-time diagram with vector clocks' },
] as const;

/** Saves what the server sends as a file: fetched with the secret in a header, never in the URL. */
async function download(code: string, secret: string, ext: string): Promise<string | null> {
  const response = await fetch(`/api/export/${code}.${ext}`, { headers: { Authorization: `Bearer ${secret}` } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: string } | null;
    return body?.error ?? `The download failed (${response.status}).`;
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `split-brain-${code}.${ext}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return null;
}

/**
 * Heal again, another way: the attempts on this history, "Rewind to just before this heal" under
 * the last one, and the session's downloads. An ended session keeps its downloads (the archive).
 */
export function ReplayPanel({ snapshot, secret, onError }: { snapshot: ClassSnapshot; secret: string; onError: (message: string) => void }) {
  const { attempts, set } = useAttempts(true);
  const confirm = useConfirmKey('rewind');
  const [busy, setBusy] = useState(false);
  const rewindable = attempts?.rewindable ?? null;
  const ended = snapshot.ended !== undefined;

  const rewind = async () => {
    if (!rewindable) return;
    setBusy(true);
    const result = await request('admin:rewind', { healIndex: rewindable.index });
    setBusy(false);
    confirm.disarm();
    if (result.ok) set(result.data);
    else onError(result.error.message);
  };

  const rewindAction =
    rewindable && !ended ? (
      confirm.armed ? (
        <ConfirmPrompt
          question={`Rewind to just before this heal (${ATTEMPT_LABEL[rewindable.strategy]})? The link is cut again as it was; writes made since wait and are replayed after the next heal.`}
          busy={busy}
          onConfirm={() => void rewind()}
          onCancel={confirm.disarm}
        />
      ) : (
        <button type="button" className="btn btn-small" onClick={confirm.arm}>
          Rewind to just before this heal
        </button>
      )
    ) : null;

  return (
    <>
      {attempts ? <Attempts view={attempts} layout="admin" rewindAction={rewindAction} /> : <p className="muted">Loading the attempts…</p>}
      {attempts && attempts.queued > 0 && (
        <p className="muted">After the rewind: pick any strategy under Resolution, then heal again. The {attempts.queued} later writes are replayed after that heal.</p>
      )}
      <h3>Download</h3>
      <ul className="admin-downloads">
        {FORMATS.map((f) => (
          <li key={f.ext}>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                void download(snapshot.code, secret, f.ext).then((failed) => failed && onError(failed));
              }}
            >
              {f.label}
            </button>{' '}
            <span className="muted">{f.what}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
