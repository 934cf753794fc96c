/**
 * Pure helpers that arrange posts for display. They never decide what is true: the server's
 * view of each post replaces the old one by id, and the page only sorts and nests.
 */
import type { Dc, PostView } from '../../server/protocol/wire';

/** Replaces a post by id (or adds it): the server's copy is the truth, nothing is merged. */
export function replacePost(posts: readonly PostView[], post: PostView): PostView[] {
  let found = false;
  const next = posts.map((p) => {
    if (p.id !== post.id) return p;
    found = true;
    return post;
  });
  if (!found) next.push(post);
  return next;
}

/** Replaces or adds many posts at once (a batch, an older window): O(posts + incoming). */
export function replacePosts(posts: readonly PostView[], incoming: readonly PostView[]): PostView[] {
  if (incoming.length === 0) return posts as PostView[];
  const fresh = new Map(incoming.map((p) => [p.id, p]));
  const next = posts.map((p) => {
    const replaced = fresh.get(p.id);
    if (!replaced) return p;
    fresh.delete(p.id);
    return replaced;
  });
  for (const post of fresh.values()) next.push(post);
  return next;
}

/** The server says the other side now holds these posts as they are here: no longer pending. */
export function settlePosts(posts: readonly PostView[], ids: readonly string[]): PostView[] {
  if (ids.length === 0) return posts as PostView[];
  const settled = new Set(ids);
  return posts.map((p) => (p.pending && settled.has(p.id) ? { ...p, pending: false } : p));
}

export interface ThreadNode {
  post: PostView;
  replies: ThreadNode[];
  /** A reply whose parent is not in this datacenter (yet): shown at the top level, marked. */
  orphan: boolean;
}

export interface Threads {
  pinned: ThreadNode[];
  top: ThreadNode[];
}

const newestFirst = (a: ThreadNode, b: ThreadNode) =>
  b.post.createdAt - a.post.createdAt || b.post.lamport - a.post.lamport || (a.post.id < b.post.id ? 1 : -1);
const oldestFirst = (a: ThreadNode, b: ThreadNode) => -newestFirst(a, b);

/**
 * Arranges one datacenter's posts: pinned first, then top-level posts newest first, replies
 * oldest first under their parent. A deleted post stays as "[deleted post]" only while it has
 * visible replies (a broken thread keeps its context, MRG3) or is in conflict; otherwise it
 * disappears.
 */
export function buildThreads(posts: readonly PostView[]): Threads {
  const byId = new Map(posts.map((p) => [p.id, p]));
  const nodes = new Map<string, ThreadNode>(posts.map((p) => [p.id, { post: p, replies: [], orphan: false }]));
  const roots: ThreadNode[] = [];
  for (const node of nodes.values()) {
    const parentId = node.post.parentId;
    const parent = parentId === null ? undefined : nodes.get(parentId);
    if (parent && !createsCycle(byId, node.post.id, parentId)) {
      parent.replies.push(node);
    } else {
      node.orphan = parentId !== null;
      roots.push(node);
    }
  }
  const visible = (node: ThreadNode): ThreadNode | null => {
    const replies = node.replies.map(visible).filter((n): n is ThreadNode => n !== null).sort(oldestFirst);
    // A deleted version in a conflict stays: the person choosing must see it (HUM2).
    if (node.post.deleted && node.post.siblings === null && replies.length === 0) return null;
    return { ...node, replies };
  };
  const shown = roots.map(visible).filter((n): n is ThreadNode => n !== null).sort(newestFirst);
  return { pinned: shown.filter((n) => n.post.pinned), top: shown.filter((n) => !n.post.pinned) };
}

/** Guards against a malformed parent chain looping back on itself. */
function createsCycle(byId: ReadonlyMap<string, PostView>, id: string, parentId: string | null): boolean {
  const seen = new Set([id]);
  let current = parentId;
  while (current !== null) {
    if (seen.has(current)) return true;
    seen.add(current);
    current = byId.get(current)?.parentId ?? null;
  }
  return false;
}

/** The count shown in a column header: live posts and replies, not the pinned class post. */
export function countPosts(posts: readonly PostView[]): number {
  return posts.filter((p) => !p.deleted && !p.pinned).length;
}

/** The element id of a post in one datacenter's feed, so a banner or a ledger can link to it. */
export function postAnchor(dc: Dc, postId: string): string {
  return `post-${dc}-${postId}`;
}
