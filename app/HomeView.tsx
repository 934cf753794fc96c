'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, LIMITS, type ImportedSession } from '../server/protocol/wire';
import { AlertRegion } from './components/AlertRegion';
import { DcName } from './components/DcBadge';
import { ConnectionLine } from './components/ConnectionLine';
import { useAlert } from './lib/hooks';
import { request } from './lib/socket';
import { storageKeys, writeStored } from './lib/storage';
import './HomeView.css';

const CODE_PATTERN = new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`);

/** The two ways in: start a session (instructor) or join a class (student). */
export function HomeView() {
  const router = useRouter();
  const alert = useAlert();
  const [starting, setStarting] = useState(false);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');

  const start = async () => {
    setStarting(true);
    alert.clear();
    const created = await request('session:create', {});
    if (!created.ok) {
      setStarting(false);
      alert.show(created.error.message);
      return;
    }
    const { code: newCode, secret } = created.data;
    // The secret lives in this browser and the URL fragment only: fragments are never sent to a server.
    writeStored('local', storageKeys.admin(newCode), secret);
    router.push(`/admin/${newCode}#${encodeURIComponent(secret)}`);
  };

  /** An exported session, recreated under a new code: its instructor link is this browser's. */
  const open = async (file: File | undefined) => {
    if (!file) return;
    setStarting(true);
    alert.clear();
    const response = await fetch('/api/import', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: await file.text() }).catch(() => null);
    const body = (await response?.json().catch(() => null)) as (ImportedSession & { error?: string }) | null;
    if (!response?.ok || !body?.code) {
      setStarting(false);
      alert.show(body?.error ?? 'The server did not answer; check your connection.');
      return;
    }
    writeStored('local', storageKeys.admin(body.code), body.secret);
    router.push(`/admin/${body.code}#${encodeURIComponent(body.secret)}`);
  };

  const join = (e: FormEvent) => {
    e.preventDefault();
    const cleanCode = code.trim().toUpperCase();
    const cleanName = name.trim();
    if (!CODE_PATTERN.test(cleanCode)) {
      alert.show(`A join code has ${JOIN_CODE_LENGTH} letters and digits, like K7QM3P.`);
      return;
    }
    if (!cleanName) {
      alert.show('Pick a name.');
      return;
    }
    writeStored('session', storageKeys.name(cleanCode), cleanName);
    router.push(`/s/${cleanCode}`);
  };

  return (
    <main className="home">
      <header className="home-head">
        <div className="split-bar" aria-hidden="true">
          <span className="split-bar-half" data-dc="west" />
          <span className="split-bar-half" data-dc="east" />
        </div>
        <h1>Split-Brain Lab</h1>
        <p className="home-tagline">
          Two datacenters, <DcName dc="west" /> and <DcName dc="east" />. Cut the link between them
          and watch the truth split in two.
        </p>
      </header>
      <ConnectionLine />
      <AlertRegion message={alert.message} onDismiss={alert.clear} />
      <div className="home-cards">
        <section className="card" aria-labelledby="join-title">
          <h2 id="join-title">Join a class</h2>
          <form className="stack" onSubmit={join}>
            <div className="field">
              <label htmlFor="join-code">Join code</label>
              <input
                id="join-code"
                className="input input-code"
                value={code}
                onChange={(e) => setCode(e.target.value.toUpperCase().replace(/\s/g, ''))}
                maxLength={JOIN_CODE_LENGTH}
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                placeholder="K7QM3P"
              />
            </div>
            <div className="field">
              <label htmlFor="join-name">Your name</label>
              <input
                id="join-name"
                className="input"
                value={name}
                onChange={(e) => setName(e.target.value)}
                maxLength={LIMITS.nameChars}
                autoComplete="nickname"
              />
            </div>
            <button type="submit" className="btn btn-primary btn-wide">
              Join
            </button>
          </form>
        </section>
        <section className="card card-quiet" aria-labelledby="teach-title">
          <h2 id="teach-title">Teaching?</h2>
          <p className="muted">Start a session, put the board on the projector, and open the instructor panel on your laptop.</p>
          <button type="button" className="btn btn-wide" onClick={() => void start()} disabled={starting}>
            Start a session
          </button>
          <div className="field home-import">
            <label htmlFor="import-file">Open an exported session</label>
            <input
              id="import-file"
              type="file"
              accept="application/json,.json"
              disabled={starting}
              onChange={(e) => {
                void open(e.target.files?.[0]);
                e.target.value = '';
              }}
            />
            <span className="muted">A .json file downloaded from an instructor panel: it opens under a new code, to replay and heal again.</span>
          </div>
        </section>
      </div>
    </main>
  );
}
