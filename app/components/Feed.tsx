'use client';

import { useMemo } from 'react';
import type { Dc, PostView } from '../../server/protocol';
import { buildThreads, type ThreadNode } from '../lib/feed';
import { PostCard, type PostActions } from './PostCard';

export interface FeedProps {
  posts: readonly PostView[];
  dc: Dc;
  showMeta: boolean;
  actions?: PostActions;
  nameOf: (id: string) => string;
  emptyText: string;
}

/**
 * One datacenter's feed: pinned post on top, newest first, replies nested under their parent
 * (indentation stops deepening after three levels so a phone keeps its width).
 */
export function Feed({ posts, dc, showMeta, actions, nameOf, emptyText }: FeedProps) {
  const threads = useMemo(() => buildThreads(posts), [posts]);
  const renderNode = (node: ThreadNode, depth: number) => (
    <li key={node.post.id} className="thread">
      <PostCard post={node.post} dc={dc} showMeta={showMeta} orphan={node.orphan} actions={actions} nameOf={nameOf}>
        {node.replies.length > 0 && (
          <ul className={depth < 3 ? 'replies' : 'replies replies-flat'} aria-label="Replies">
            {node.replies.map((r) => renderNode(r, depth + 1))}
          </ul>
        )}
      </PostCard>
    </li>
  );
  return (
    <div className="feed">
      {threads.pinned.length > 0 && <ul className="thread-list thread-list-pinned">{threads.pinned.map((n) => renderNode(n, 0))}</ul>}
      {threads.top.length === 0 ? <p className="feed-empty">{emptyText}</p> : <ul className="thread-list">{threads.top.map((n) => renderNode(n, 0))}</ul>}
    </div>
  );
}
