'use client';

import { useMemo } from 'react';
import type { Dc, PostView } from '../../server/protocol/wire';
import { PostCard, type PostActions } from './PostCard';
import type { ConflictChooser } from './student/ConflictBanner';
import { buildThreads, type ThreadNode } from '../lib/feed';
import type { PostMark } from '../lib/healMarks';
import './Feed.css';

export interface FeedProps {
  posts: readonly PostView[];
  dc: Dc;
  /** Each post's version vector and Lamport time (on for the board, a toggle for students). */
  showMeta: boolean;
  actions?: PostActions;
  nameOf: (id: string) => string;
  emptyText: string;
  /** The link holds what `dc` sends: pending posts say "held, will replicate on heal". */
  linkHeld?: boolean;
  /** Conflict choices for a screen without `actions` (e.g. the admin); the board leaves it out. */
  chooser?: ConflictChooser;
  /** The server sent a window of the newest threads: this fetches the next, older one ("Show older posts"). */
  onMore?: () => void;
  /** The last heal's marks, by post id (healMarks.ts); absent or empty once the next split begins. */
  marks?: ReadonlyMap<string, readonly PostMark[]>;
}

/**
 * One datacenter's feed: pinned post on top, newest first, replies nested under their parent
 * (indentation stops deepening after three levels so a phone keeps its width).
 */
export function Feed({ posts, dc, showMeta, actions, nameOf, emptyText, linkHeld = false, chooser, onMore, marks }: FeedProps) {
  const threads = useMemo(() => buildThreads(posts), [posts]);
  const renderNode = (node: ThreadNode, depth: number) => (
    <li key={node.post.id} className="thread">
      <PostCard
        post={node.post}
        dc={dc}
        showMeta={showMeta}
        orphan={node.orphan}
        actions={actions}
        nameOf={nameOf}
        linkHeld={linkHeld}
        chooser={chooser}
        {...(marks?.has(node.post.id) ? { marks: marks.get(node.post.id) } : {})}
      >
        {node.replies.length > 0 && (
          <ul className={depth < 3 ? 'plain-list replies' : 'plain-list replies replies-flat'} aria-label="Replies">
            {node.replies.map((r) => renderNode(r, depth + 1))}
          </ul>
        )}
      </PostCard>
    </li>
  );
  return (
    <div className="feed">
      {threads.pinned.length > 0 && <ul className="plain-list thread-list thread-list-pinned">{threads.pinned.map((n) => renderNode(n, 0))}</ul>}
      {threads.top.length === 0 ? <p className="feed-empty">{emptyText}</p> : <ul className="plain-list thread-list">{threads.top.map((n) => renderNode(n, 0))}</ul>}
      {onMore && (
        <button type="button" className="feed-more" onClick={onMore} data-testid={`feed-more-${dc}`}>
          Show older posts
        </button>
      )}
    </div>
  );
}
