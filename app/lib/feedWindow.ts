/**
 * The board shows the newest threads only: a projector shows a handful of posts, and rendering
 * every one of a thousand posts on each side would cost seconds on every update. The counts on
 * the board still count everything.
 */
import type { PostView } from '../../server/protocol/wire';

/** How many threads each half of the board renders. */
export const BOARD_THREADS = 40;

const newestFirst = (a: PostView, b: PostView) => b.createdAt - a.createdAt || b.lamport - a.lamport || (a.id < b.id ? 1 : -1);

/**
 * The posts of the newest `max` threads (a thread is a top-level post and all its replies; the
 * pinned post always stays), and how many top-level threads were left out.
 */
export function newestThreads(posts: readonly PostView[], max: number = BOARD_THREADS): { posts: readonly PostView[]; hidden: number } {
  const byId = new Map(posts.map((p) => [p.id, p]));
  const rootOf = (post: PostView): string => {
    const seen = new Set<string>();
    let current = post;
    while (current.parentId !== null && !seen.has(current.id)) {
      seen.add(current.id);
      const parent = byId.get(current.parentId);
      if (!parent) break;
      current = parent;
    }
    return current.id;
  };
  const roots = posts.filter((p) => !p.pinned && (p.parentId === null || !byId.has(p.parentId)));
  if (roots.length <= max) return { posts, hidden: 0 };
  const kept = new Set(
    [...roots]
      .sort(newestFirst)
      .slice(0, max)
      .map((p) => p.id),
  );
  const shown = posts.filter((p) => p.pinned || kept.has(rootOf(p)));
  return { posts: shown, hidden: roots.length - max };
}
