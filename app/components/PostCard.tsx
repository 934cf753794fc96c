'use client';

import { useState, type ReactNode } from 'react';
import { DC_LABEL, type Dc, type PostView } from '../../server/protocol/wire';
import { ConflictBanner, type ConflictChooser, type Keep } from './student/ConflictBanner';
import { TextComposer } from './TextComposer';
import { formatTime } from '../lib/format';
import { otherDc } from '../lib/dc';
import { postAnchor } from '../lib/feed';
import type { PostMark } from '../lib/healMarks';
import { mayChoose } from '../lib/healWords';
import './PostCard.css';

/** What a person can do to posts; absent on the board, which only watches. */
export interface PostActions {
  /** The participant acting, to know which posts are theirs and which they already like. */
  meId: string;
  reply: (parentId: string, text: string) => Promise<boolean>;
  edit: (postId: string, text: string) => Promise<boolean>;
  remove: (postId: string) => Promise<boolean>;
  like: (postId: string, like: boolean) => Promise<boolean>;
  /** Chooses between a conflicted post's versions (HUM2); offered on my own posts and the pinned post. */
  resolve: (postId: string, keep: Keep) => Promise<boolean>;
  /** Local validation messages go to the page's alert region. */
  invalid: (message: string) => void;
  /** Why my datacenter refuses writes right now (CAP1), or null: the controls are disabled with it. */
  blockedReason?: string | null;
}

export interface PostCardProps {
  post: PostView;
  /** The datacenter whose copy this is. */
  dc: Dc;
  /** Shows the version vector and Lamport time (the board does, the student page does not). */
  showMeta: boolean;
  orphan?: boolean;
  actions?: PostActions;
  /** Resolves a participant id to a name (editedBy may be an id). */
  nameOf: (id: string) => string;
  /** The link holds what this datacenter sends (a cut): a pending version waits for the heal. */
  linkHeld?: boolean;
  /**
   * Who may choose between conflicting versions here, for screens without `actions` (the admin).
   * Without it, a student screen offers the choice on its own posts and the pinned post, and the
   * board only shows who it is waiting for.
   */
  chooser?: ConflictChooser;
  /** What the last heal did to this post (lost, duplicated, resurrected, chosen); none after the next split begins. */
  marks?: readonly PostMark[];
  /** The replies, rendered inside this post after its own controls (a thread is one article). */
  children?: ReactNode;
}

type Mode = 'view' | 'reply' | 'edit' | 'confirm-delete';

const NO_MARKS: readonly PostMark[] = [];

/** The test ids the heal specs find marks by; the duplicate ones keep the names they had. */
const MARK_TEST_ID: Record<PostMark['kind'], string> = {
  lost: 'mark-lost',
  duplicated: 'has-duplicate',
  duplicate: 'duplicate-of',
  resurrected: 'mark-resurrected',
  chosen: 'mark-chosen',
};

/**
 * One post as one datacenter holds it, with its replies nested inside (HTML's own pattern for
 * comments); its own controls come first, so the first "Reply" in a post is that post's. Used by the student feed (with actions) and by the
 * board (read-only, with vectors and Lamport times): one component, one look.
 */
export function PostCard(props: PostCardProps) {
  const { post, dc, showMeta, orphan = false, actions, nameOf, linkHeld = false, marks = NO_MARKS, children } = props;
  const [mode, setMode] = useState<Mode>('view');
  const [busy, setBusy] = useState(false);
  const mine = actions !== undefined && post.authorId === actions.meId;
  const liked = actions !== undefined && post.likedBy.includes(actions.meId);
  const siblings = post.siblings;
  // The server refuses edits and deletes of a post in conflict until someone has chosen.
  const canEdit = actions !== undefined && !post.deleted && siblings === null && (mine || post.pinned);
  const canDelete = actions !== undefined && !post.deleted && siblings === null && mine && !post.pinned;
  const blocked = actions?.blockedReason ?? null;
  const chooser: ConflictChooser | undefined =
    props.chooser ?? (actions ? { may: (p) => mayChoose(p, actions.meId), choose: actions.resolve } : undefined);

  const run = async (action: () => Promise<boolean>, after?: () => void) => {
    if (busy) return;
    setBusy(true);
    const ok = await action();
    setBusy(false);
    if (ok) after?.();
  };

  const classes = ['post'];
  if (post.pinned) classes.push('post-pinned');
  if (post.deleted) classes.push('post-deleted');
  if (post.pending) classes.push('post-pending');
  if (siblings) classes.push('conflict-post');

  return (
    <article id={postAnchor(dc, post.id)} className={classes.join(' ')} data-testid="post" data-post-id={post.id} data-dc={post.createdIn} aria-busy={busy}>
      <header className="post-head">
        {post.pinned ? (
          <span className="post-pin">Pinned class post</span>
        ) : (
          <span className="post-author">
            {post.deleted ? 'Someone' : post.authorName}
            {mine && !post.deleted && <span className="post-you"> (you)</span>}
          </span>
        )}
        {!post.pinned && (
          <time className="post-time" dateTime={new Date(post.createdAt).toISOString()} title={`${DC_LABEL[post.createdIn]} clock`}>
            {formatTime(post.createdAt)}
          </time>
        )}
        {post.createdIn !== dc && !post.pinned && <span className="post-origin dc-text" data-dc={post.createdIn}>from {DC_LABEL[post.createdIn]}</span>}
        {post.pending &&
          (linkHeld ? (
            <span className="pending-badge student-held-badge" data-testid="pending" title={`The link is cut: ${DC_LABEL[otherDc(dc)]} gets this version when it heals`}>
              held, will replicate on heal
            </span>
          ) : (
            <span className="pending-badge" data-testid="pending" title="This version has not reached the other datacenter yet">
              not yet in {DC_LABEL[otherDc(dc)]}
            </span>
          ))}
      </header>

      {orphan && <p className="post-orphan">↪ reply to a post not in {DC_LABEL[dc]} yet</p>}
      {marks.length > 0 && <HealMarks marks={marks} dc={dc} />}

      {siblings !== null ? (
        <ConflictBanner post={{ ...post, siblings }} chooser={chooser} />
      ) : post.deleted ? (
        <>
          <p className="post-text post-text-deleted">{children ? '[deleted post]' : '[deleted]'}</p>
          {children && (
            <p className="student-broken" data-testid="broken-thread">
              Broken thread: the replies below outlived the post they answer.
            </p>
          )}
        </>
      ) : mode === 'edit' && actions ? (
        <TextComposer
          label="Edit post"
          submitLabel="Save"
          initialText={post.text}
          autoFocus
          onSubmit={async (text) => {
            const ok = await actions.edit(post.id, text);
            if (ok) setMode('view');
            return ok;
          }}
          onInvalid={actions.invalid}
          onCancel={() => setMode('view')}
          className="composer-inline"
          key="edit"
        />
      ) : (
        <p className="post-text">{post.text}</p>
      )}

      {!post.deleted && siblings === null && post.editedBy !== null && mode !== 'edit' && (
        <p className="post-edited">
          edited{post.pinned ? ` by ${nameOf(post.editedBy)}` : ''}
          {post.editedAt !== null ? ` at ${formatTime(post.editedAt)}` : ''}
        </p>
      )}

      {showMeta && post.deleted && <Meta post={post} />}

      {!post.deleted && (
        <footer className="post-actions">
          <span className="like-count" title={`${post.likeCount} ${post.likeCount === 1 ? 'like' : 'likes'}`}>
            <span aria-hidden="true">♥</span> <span data-testid="like-count">{post.likeCount}</span>
            <span className="visually-hidden"> likes</span>
          </span>
          {showMeta && <Meta post={post} />}
          {actions && mode === 'confirm-delete' && (
            <span className="confirm-row">
              <span className="confirm-text">Delete this post?</span>
              <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void run(() => actions.remove(post.id), () => setMode('view'))}>
                Delete
              </button>
              <button type="button" className="btn btn-quiet" disabled={busy} onClick={() => setMode('view')}>
                Cancel
              </button>
            </span>
          )}
          {actions && mode !== 'confirm-delete' && (
            <>
              <button
                type="button"
                className={liked ? 'btn btn-liked' : 'btn'}
                aria-pressed={liked}
                disabled={busy || blocked !== null}
                title={blocked ?? undefined}
                onClick={() => void run(() => actions.like(post.id, !liked))}
              >
                {liked ? 'Unlike' : 'Like'}
              </button>
              {mode !== 'reply' && (
                <button type="button" className="btn" disabled={blocked !== null} title={blocked ?? undefined} onClick={() => setMode('reply')}>
                  Reply
                </button>
              )}
              {canEdit && mode !== 'edit' && (
                <button type="button" className="btn" disabled={blocked !== null} title={blocked ?? undefined} onClick={() => setMode('edit')}>
                  Edit
                </button>
              )}
              {canDelete && (
                <button type="button" className="btn btn-danger-quiet" disabled={blocked !== null} title={blocked ?? undefined} onClick={() => setMode('confirm-delete')}>
                  Delete
                </button>
              )}
            </>
          )}
        </footer>
      )}

      {actions && mode === 'reply' && !post.deleted && (
        <TextComposer
          label="Write a reply"
          submitLabel="Post reply"
          autoFocus
          onSubmit={async (text) => {
            const ok = await actions.reply(post.id, text);
            if (ok) setMode('view');
            return ok;
          }}
          onInvalid={actions.invalid}
          onCancel={() => setMode('view')}
          className="composer-inline"
          key="reply"
        />
      )}
      {children}
    </article>
  );
}

/** The version vector and Lamport time: what the board teaches with (VV1, CLK1). */
function Meta({ post }: { post: PostView }) {
  return (
    <span className="post-meta" data-testid="post-meta">
      <span className="vv" title="Version vector: writes to this post made in West and in East">
        {`{W:${post.vv.west}, E:${post.vv.east}}`}
      </span>
      <span className="lamport" title="Lamport time of the newest change">
        L{post.lamport}
      </span>
    </span>
  );
}

/**
 * The last heal's marks on a post: a label in words and a sentence (colour is never the only
 * signal), each in its mark's colour from the tokens.
 */
function HealMarks({ marks, dc }: { marks: readonly PostMark[]; dc: Dc }) {
  return (
    <ul className="post-marks" aria-label="What the last heal did to this post">
      {marks.map((m) => (
        <li key={m.kind} className="post-mark" data-mark={m.kind} data-testid={MARK_TEST_ID[m.kind]}>
          <span className="post-mark-label">{m.label}</span>{' '}
          <span className="post-mark-text">
            {m.text}
            {m.link && (
              <>
                {' '}
                <a href={`#${postAnchor(dc, m.link.postId)}`}>{m.link.text}</a>
              </>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}
