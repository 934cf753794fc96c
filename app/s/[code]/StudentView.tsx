'use client';

import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { DC_LABEL, LIMITS, LINK_MODE_LABEL, type Ack, type PostView, type StudentSnapshot } from '../../../server/protocol';
import { AlertRegion } from '../../components/AlertRegion';
import { ConnectionLine } from '../../components/ConnectionLine';
import { DcBadge } from '../../components/DcBadge';
import { Feed } from '../../components/Feed';
import type { PostActions } from '../../components/PostCard';
import { TextComposer } from '../../components/TextComposer';
import { otherDc, replacePost } from '../../lib/feed';
import { useAlert } from '../../lib/hooks';
import { joinClass, joinClassAs, type JoinOutcome } from '../../lib/join';
import { getSocket, newOpId, setSessionReady, write } from '../../lib/socket';

type Phase =
  | { kind: 'joining' }
  | { kind: 'need-name' }
  | { kind: 'failed'; message: string }
  | { kind: 'joined'; snapshot: StudentSnapshot };

/**
 * A student's page: who I am, my datacenter, and my datacenter's feed only. Every change
 * comes from the server as a whole post that replaces the old one; a reconnect re-joins and
 * replaces everything with the new snapshot, which is how it gets all it missed.
 */
export function StudentView({ code }: { code: string }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'joining' });
  const alert = useAlert();
  const showError = alert.show;

  const applyOutcome = useCallback(
    (outcome: JoinOutcome) => {
      switch (outcome.kind) {
        case 'joined':
          setPhase({ kind: 'joined', snapshot: outcome.result.snapshot });
          setSessionReady(true);
          return;
        case 'need-name':
          setPhase({ kind: 'need-name' });
          return;
        case 'error':
          if (outcome.code === 'unknown_session') {
            setPhase({ kind: 'failed', message: outcome.message });
          } else {
            showError(outcome.message);
            // No answer: keep waiting (a retry or the next connect re-joins); a refusal: ask again.
            const next: Phase = outcome.code === 'internal' ? { kind: 'joining' } : { kind: 'need-name' };
            setPhase((p) => (p.kind === 'joined' ? p : next));
          }
          return;
        default: {
          const unknown: never = outcome;
          throw new Error(`unexpected join outcome ${JSON.stringify(unknown)}`);
        }
      }
    },
    [showError],
  );

  useEffect(() => {
    const socket = getSocket();
    let live = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const rejoin = () => {
      clearTimeout(retry);
      void joinClass(code).then((outcome) => {
        if (!live) return;
        applyOutcome(outcome);
        // An unanswered join while still connected: try again, or writes would wait forever.
        if (outcome.kind === 'error' && outcome.code === 'internal' && socket.connected) retry = setTimeout(rejoin, 2000);
      });
    };
    const onPostChanged = ({ dc, post }: { dc: StudentSnapshot['dc']; post: PostView }) => {
      setPhase((p) => (p.kind === 'joined' && p.snapshot.dc === dc ? { ...p, snapshot: { ...p.snapshot, posts: replacePost(p.snapshot.posts, post) } } : p));
    };
    const onLink = (link: StudentSnapshot['link']) => {
      setPhase((p) => (p.kind === 'joined' ? { ...p, snapshot: { ...p.snapshot, link, settings: { ...p.snapshot.settings, link } } } : p));
    };
    const onSettings = (settings: StudentSnapshot['settings']) => {
      setPhase((p) => (p.kind === 'joined' ? { ...p, snapshot: { ...p.snapshot, settings, link: settings.link } } : p));
    };
    socket.on('connect', rejoin);
    socket.on('session:reset', rejoin);
    // Moved to the other datacenter (failover or roaming): the new side's view comes with a re-join.
    socket.on('me:moved', rejoin);
    socket.on('post:changed', onPostChanged);
    socket.on('link:configured', onLink);
    socket.on('settings:changed', onSettings);
    if (socket.connected) rejoin();
    return () => {
      live = false;
      clearTimeout(retry);
      socket.off('connect', rejoin);
      socket.off('session:reset', rejoin);
      socket.off('me:moved', rejoin);
      socket.off('post:changed', onPostChanged);
      socket.off('link:configured', onLink);
      socket.off('settings:changed', onSettings);
      setSessionReady(false);
    };
  }, [code, applyOutcome]);

  const submitName = (name: string) => {
    setPhase({ kind: 'joining' });
    void joinClassAs(code, name).then(applyOutcome);
  };

  const snapshot = phase.kind === 'joined' ? phase.snapshot : null;

  /** The server's answer to a write replaces the post: its view is the truth. */
  const acceptPost = useCallback(
    (result: Ack<PostView>): boolean => {
      if (!result.ok) {
        showError(result.error.message);
        return false;
      }
      const post = result.data;
      setPhase((p) => (p.kind === 'joined' ? { ...p, snapshot: { ...p.snapshot, posts: replacePost(p.snapshot.posts, post) } } : p));
      return true;
    },
    [showError],
  );

  /** Every write gets a fresh op id; `write` resends it with that same id if unanswered. */
  const meId = snapshot?.me.id;
  const actions = useMemo<PostActions | undefined>(() => {
    if (meId === undefined) return undefined;
    return {
      meId,
      reply: async (parentId, text) => acceptPost(await write('post:create', { opId: newOpId(), text, parentId })),
      edit: async (postId, text) => acceptPost(await write('post:edit', { opId: newOpId(), postId, text })),
      remove: async (postId) => acceptPost(await write('post:delete', { opId: newOpId(), postId })),
      like: async (postId, like) => acceptPost(await write(like ? 'post:like' : 'post:unlike', { opId: newOpId(), postId })),
      invalid: showError,
    };
  }, [meId, acceptPost, showError]);

  const createPost = async (text: string) => acceptPost(await write('post:create', { opId: newOpId(), text, parentId: null }));

  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const p of snapshot?.posts ?? []) map.set(p.authorId, p.authorName);
    if (snapshot) map.set(snapshot.me.id, 'you');
    return map;
  }, [snapshot]);
  const nameOf = useCallback((id: string) => names.get(id) ?? id, [names]);

  return (
    <main className={snapshot ? `student student-${snapshot.dc}` : 'student'}>
      <header className="student-top">
        <span className="brand">Split-Brain Lab</span>
        <span className="student-code">
          Class <strong>{code}</strong>
        </span>
      </header>
      <ConnectionLine />
      <AlertRegion message={alert.message} onDismiss={alert.clear} />

      {phase.kind === 'joining' && <p className="muted center">Joining class {code}…</p>}
      {phase.kind === 'failed' && (
        <section className="card">
          <h1 className="h-small">Cannot join {code}</h1>
          <p>{phase.message}</p>
          <p>
            <a href="/">Try another code</a>
          </p>
        </section>
      )}
      {phase.kind === 'need-name' && <NameForm code={code} onSubmit={submitName} />}
      {snapshot && actions && (
        <>
          <section className={`identity identity-${snapshot.dc}`} aria-label="You">
            <p className="identity-line">
              <span className="identity-name" data-testid="my-name">
                {snapshot.me.name}
              </span>
              <span className="identity-in">in</span>
              <DcBadge dc={snapshot.dc} testId="my-dc" size="large" />
            </p>
            <p className="identity-link muted">
              Link to {DC_LABEL[otherDc(snapshot.dc)]}: {snapshot.link.latencyMs} ms ± {snapshot.link.jitterMs} ms
            </p>
          </section>
          <LinkBanners snapshot={snapshot} />
          <PendingBanner posts={snapshot.posts} other={DC_LABEL[otherDc(snapshot.dc)]} />
          <TextComposer
            label="Write a post"
            submitLabel="Post"
            placeholder={`Say something to ${DC_LABEL[snapshot.dc]}…`}
            onSubmit={createPost}
            onInvalid={showError}
            className="composer-main"
          />
          <Feed posts={snapshot.posts} dc={snapshot.dc} showMeta={false} actions={actions} nameOf={nameOf} emptyText="No posts yet. Be the first." />
        </>
      )}
    </main>
  );
}

/** The banner of the moment: the link is cut or slow, or my side refuses writes or reads (CAP1). */
function LinkBanners({ snapshot }: { snapshot: StudentSnapshot }) {
  const { mode } = snapshot.link;
  const quorum = snapshot.settings.quorum[snapshot.dc];
  return (
    <>
      {mode !== 'up' && (
        <p className={mode === 'slow' ? 'banner banner-slow' : 'banner banner-cut'} data-testid="link-banner">
          {LINK_MODE_LABEL[mode]}
        </p>
      )}
      {quorum.writeRefusal !== null && (
        <p className="banner banner-refusal" data-testid="write-refusal">
          Writes refused here: {quorum.writeRefusal}
        </p>
      )}
      {quorum.readRefusal !== null && (
        <p className="banner banner-refusal" data-testid="read-refusal">
          Reads refused here: {quorum.readRefusal}
        </p>
      )}
    </>
  );
}

/** "Not yet replicated" said once at the top, besides the marker on each post. */
function PendingBanner({ posts, other }: { posts: readonly PostView[]; other: string }) {
  const pending = posts.filter((p) => p.pending).length;
  if (pending === 0) return null;
  return (
    <p className="banner banner-pending" data-testid="pending-banner">
      ⏳ {pending} {pending === 1 ? 'change has' : 'changes have'} not reached {other} yet
    </p>
  );
}

/** Asked only when no name was carried from the home page and no token is stored. */
function NameForm({ code, onSubmit }: { code: string; onSubmit: (name: string) => void }) {
  const [name, setName] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) onSubmit(name);
  };
  return (
    <section className="card" aria-labelledby="name-title">
      <h1 id="name-title" className="h-small">
        Join class {code}
      </h1>
      <form className="stack" onSubmit={submit}>
        <div className="field">
          <label htmlFor="student-name">Your name</label>
          <input
            id="student-name"
            className="input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={LIMITS.nameChars}
            autoComplete="nickname"
            autoFocus
          />
        </div>
        <button type="submit" className="btn btn-primary btn-wide" disabled={!name.trim()}>
          Join
        </button>
      </form>
    </section>
  );
}
