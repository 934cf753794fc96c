/**
 * Pure helpers that arrange posts for display. They never decide what is true: the server's
 * view of each post replaces the old one by id, and the page only sorts and nests.
 */
import { DC_IDS, type Dc, type PostView } from '../../server/protocol';

/** The other datacenter: where a pending post has not arrived yet. */
export function otherDc(dc: Dc): Dc {
  return DC_IDS.find((d) => d !== dc) ?? dc;
}

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

/** A wall-clock time as the room reads it. */
export function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** The element id of a post in one datacenter's feed, so a banner or a ledger can link to it. */
export function postAnchor(dc: Dc, postId: string): string {
  return `post-${dc}-${postId}`;
}

/** A length of time as a person says it: "45 s", "1 min 20 s", "1 h 5 min". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${min} min`;
  if (min > 0) return `${min} min ${s} s`;
  return `${s} s`;
}

/** Seconds with one decimal, as the heal report writes them ("4.0 s"). */
export function formatSeconds(ms: number): string {
  return `${(Math.abs(ms) / 1000).toFixed(1)} s`;
}

/** A clock's skew against real (server) time: "4.0 s behind", "2.5 s ahead", "on time". */
export function formatSkew(skewMs: number): string {
  if (Math.abs(skewMs) < 50) return 'on time';
  return `${formatSeconds(skewMs)} ${skewMs < 0 ? 'behind' : 'ahead'}`;
}

/** Merge-all's duplicates (MRG1), by the post they were made from: so the original can link to its twin. */
export function duplicatesByOriginal(posts: readonly PostView[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const p of posts) if (p.duplicateOf !== null && !map.has(p.duplicateOf)) map.set(p.duplicateOf, p.id);
  return map;
}
