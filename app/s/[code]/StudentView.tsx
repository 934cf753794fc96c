'use client';

import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { DC_LABEL, holdsFrom, LIMITS, type PostView, type StudentSnapshot } from '../../../server/protocol/wire';
import { AlertRegion } from '../../components/AlertRegion';
import { ConnectionLine } from '../../components/ConnectionLine';
import { SessionEnded } from '../../components/SessionEnded';
import { Feed } from '../../components/Feed';
import type { PostActions } from '../../components/PostCard';
import { DcIdentity } from '../../components/student/DcIdentity';
import { HealLedger } from '../../components/student/HealLedger';
import { conflictsToChoose, healStory } from '../../lib/healStory';
import { StatusBanners } from '../../components/student/StatusBanners';
import { TextComposer } from '../../components/TextComposer';
import { HealNotice, PredictionCard, StatusStrip } from '../../components/lesson/StudentLesson';
import { useLesson } from '../../lib/useLesson';
import { useAlert } from '../../lib/hooks';
import { canRead, useStudentSession } from '../../lib/useStudentSession';
import { newOpId, request, write } from '../../lib/socket';
import { otherDc } from '../../lib/dc';
import { formatTime } from '../../lib/format';
import { healMarks, marksShown } from '../../lib/healMarks';
import './StudentView.css';

/**
 * A student's page: who I am, my datacenter and its clock, the banner of the moment, and my
 * datacenter's feed only. Every change comes from the server as a whole post that replaces the
 * old one; a reconnect, a move or reads coming back re-join and replace everything with the new
 * snapshot, which is how the page gets all it missed. While my side cannot reach a read quorum
 * the feed is frozen as it was last seen (greyed), since a refused read shows nothing new.
 */
export function StudentView({ code }: { code: string }) {
  const [showVectors, setShowVectors] = useState(false);
  /** The heal whose ledger was hidden (by its time), so the next heal shows again. */
  const [hiddenHeal, setHiddenHeal] = useState<number | null>(null);
  const alert = useAlert();
  const showError = alert.show;
  const { phase, submitName, acceptPost, switchDc, more } = useStudentSession(code, showError);
  const joined = phase.kind === 'joined' ? phase : null;
  const snapshot = joined?.snapshot ?? null;
  const reading = snapshot ? canRead(snapshot) : true;
  const { lesson, accept } = useLesson(joined !== null);
  const [answering, setAnswering] = useState(false);
  const answerQuestion = async (option: string) => {
    setAnswering(true);
    const error = accept(await request('lesson:answer', { option }));
    setAnswering(false);
    if (error) showError(error);
  };

  /** Every write gets a fresh op id; `write` resends it with that same id if unanswered. */
  const meId = snapshot?.me.id;
  const blockedReason = snapshot ? snapshot.settings.quorum[snapshot.dc].writeRefusal : null;
  const actions = useMemo<PostActions | undefined>(() => {
    if (meId === undefined) return undefined;
    return {
      meId,
      reply: async (parentId, text) => acceptPost(await write('post:create', { opId: newOpId(), text, parentId })),
      edit: async (postId, text) => acceptPost(await write('post:edit', { opId: newOpId(), postId, text })),
      remove: async (postId) => acceptPost(await write('post:delete', { opId: newOpId(), postId })),
      like: async (postId, like) => acceptPost(await write(like ? 'post:like' : 'post:unlike', { opId: newOpId(), postId })),
      resolve: async (postId, keep) => acceptPost(await write('conflict:resolve', { opId: newOpId(), postId, keep })),
      invalid: showError,
      blockedReason,
    };
  }, [meId, acceptPost, showError, blockedReason]);

  const createPost = async (text: string) => acceptPost(await write('post:create', { opId: newOpId(), text, parentId: null }));

  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const p of snapshot?.posts ?? []) map.set(p.authorId, p.authorName);
    if (snapshot) map.set(snapshot.me.id, 'you');
    return map;
  }, [snapshot]);
  const nameOf = useCallback((id: string) => names.get(id) ?? id, [names]);

  const story = useMemo(() => (snapshot?.lastHeal ? healStory(snapshot.lastHeal, snapshot.me.id, snapshot.posts) : null), [snapshot]);
  const toChoose = useMemo(() => (snapshot ? conflictsToChoose(snapshot.posts, snapshot.me.id) : []), [snapshot]);
  const storyShown = story !== null && hiddenHeal !== story.at ? story : null;
  // The last heal's marks on my feed, until the next split begins (the board shows the same ones).
  const marks = useMemo(
    () => (snapshot && marksShown(snapshot.lastHeal, snapshot.settings.link) ? healMarks(snapshot.lastHeal, snapshot.posts, snapshot.me.id) : undefined),
    [snapshot],
  );
  const lostCount = storyShown?.strategy === 'lww' ? storyShown.lost.length + storyShown.lostLikes.length : 0;
  const noteCount = storyShown && storyShown.strategy !== 'lww' ? storyShown.notes.length : 0;

  return (
    <main className="student" data-dc={snapshot?.dc}>
      <header className="student-top">
        <h1 className="brand student-brand">Split-Brain Lab</h1>
        <span className="student-code">
          Class <strong>{code}</strong>
        </span>
      </header>
      <ConnectionLine />
      <SessionEnded ended={snapshot?.ended} />
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
      {joined && snapshot && actions && (
        <>
          <StatusStrip snapshot={snapshot} />
          <HealNotice snapshot={snapshot} />
          {lesson && <PredictionCard lesson={lesson} meId={snapshot.me.id} onAnswer={(o) => void answerQuestion(o)} busy={answering} />}
          <StatusBanners
            snapshot={snapshot}
            offsetMs={joined.offsetMs}
            toChoose={toChoose}
            blindWrites={joined.blindWrites}
            lostCount={lostCount}
            noteCount={noteCount}
          />
          <DcIdentity snapshot={snapshot} offsetMs={joined.offsetMs} onSwitch={switchDc} />
          <PendingBanner posts={snapshot.posts} other={DC_LABEL[otherDc(snapshot.dc)]} held={holdsFrom(snapshot.settings.link.mode, snapshot.dc)} />
          <fieldset className="student-compose" disabled={blockedReason !== null} aria-describedby={blockedReason !== null ? 'compose-blocked' : undefined}>
            {blockedReason !== null && (
              <p id="compose-blocked" className="student-compose-blocked" data-testid="composer-blocked">
                You cannot post now: {blockedReason}
              </p>
            )}
            <TextComposer
              label="Write a post"
              submitLabel="Post"
              placeholder={`Say something to ${DC_LABEL[snapshot.dc]}…`}
              onSubmit={createPost}
              onInvalid={showError}
              className="composer-main"
            />
          </fieldset>
          {storyShown && <HealLedger story={storyShown} dc={snapshot.dc} onHide={() => setHiddenHeal(storyShown.at)} />}
          <div className="student-feed-head">
            <h2 className="student-feed-title">
              {DC_LABEL[snapshot.dc]}&apos;s feed{!reading && <span className="student-feed-frozen-note"> (last view, reads refused)</span>}
            </h2>
            <label className="student-toggle">
              <input type="checkbox" checked={showVectors} onChange={(e) => setShowVectors(e.target.checked)} />
              Show version vectors
            </label>
          </div>
          {snapshot.readableAsOf !== null && <StaleBanner snapshot={snapshot} asOf={snapshot.readableAsOf} />}
          <div className={reading ? 'student-feed' : 'student-feed student-feed-frozen'} data-testid="feed" data-frozen={reading ? undefined : 'true'}>
            <Feed
              posts={snapshot.posts}
              dc={snapshot.dc}
              showMeta={showVectors}
              actions={actions}
              nameOf={nameOf}
              linkHeld={holdsFrom(snapshot.settings.link.mode, snapshot.dc)}
              emptyText="No posts yet. Be the first."
              {...(marks ? { marks } : {})}
              {...(snapshot.window.before !== null ? { onMore: () => void more() } : {})}
            />
          </div>
        </>
      )}
    </main>
  );
}

/** CAP4: the server sent the last view my side could read; say how old it is and why. */
function StaleBanner({ snapshot, asOf }: { snapshot: StudentSnapshot; asOf: number }) {
  const quorum = snapshot.settings.quorum[snapshot.dc];
  return (
    <p className="banner student-banner student-banner-refusal" data-testid="stale-banner">
      Reads need R={quorum.r} nodes; {DC_LABEL[snapshot.dc]} reaches {quorum.reachable.length}: you see the feed as of {formatTime(asOf)}.
    </p>
  );
}

/** "Not yet replicated" said once, besides the marker on each post; during a cut, "held until the heal". */
function PendingBanner({ posts, other, held }: { posts: readonly PostView[]; other: string; held: boolean }) {
  const pending = posts.filter((p) => p.pending).length;
  if (pending === 0) return null;
  const changes = `${pending} ${pending === 1 ? 'change' : 'changes'}`;
  return (
    <p className={held ? 'banner banner-pending student-pending-held' : 'banner banner-pending'} data-testid="pending-banner">
      {held ? `${changes} held at the cut: ${pending === 1 ? 'it reaches' : 'they reach'} ${other} when the link heals` : `${changes} ${pending === 1 ? 'has' : 'have'} not reached ${other} yet`}
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
