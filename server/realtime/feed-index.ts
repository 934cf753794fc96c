/**
 * Windows onto a feed without touching the rest of it: per side, the top-level posts in the order
 * they appeared there and each post's replies, kept up to date from the commits' events (O(1) per
 * op). The core's post maps are hash maps with no order, so a "newest 100 threads" read from them
 * would sort the whole session; this index makes a join cost the window, not the session.
 */
import { DATACENTERS, PINNED_POST_ID, type DcId, type SimEvent, type SimState } from '../sim/index.ts';

/** Threads per window: a join, a watch, and each "Show older posts". */
export const WINDOW_THREADS = 100;

interface Side {
  /** Top-level posts (not the pinned one), oldest first. */
  roots: string[];
  /** Reply ids by the post they reply to, oldest first. */
  children: Map<string, string[]>;
  /** Replies whose parent was not there when they arrived: shown at the top until it is. */
  orphans: Set<string>;
  /** Every post id this side holds (its create here or not): compared with the core's count. */
  seen: Set<string>;
  /** Posts whose create arrived here. */
  created: number;
}

/** One window: the post ids to show, and the cursor for the next one. */
export interface WindowIds {
  ids: string[];
  before: number | null;
  threads: number;
  posts: number;
}

const emptySide = (): Side => ({ roots: [], children: new Map(), orphans: new Set(), seen: new Set(), created: 0 });

export class FeedIndex {
  private readonly sides: Record<DcId, Side> = { west: emptySide(), east: emptySide() };

  constructor(state: SimState) {
    for (const dc of DATACENTERS) this.rebuild(state, dc);
  }

  /** Told of every committed change, in order. */
  observe(state: SimState, events: readonly SimEvent[]): void {
    for (const event of events) {
      switch (event.type) {
        case 'op.applied': {
          const side = this.sides[event.dc];
          const { op } = event;
          if (op.kind === 'create') this.add(state, event.dc, op.postId, op.parentId ?? null);
          else side.seen.add(op.postId);
          break;
        }
        case 'heal.resolved':
          for (const id of event.touched) for (const dc of DATACENTERS) if (!this.sides[dc].seen.has(id)) this.addFromState(state, dc, id);
          break;
        case 'session.reset':
        case 'heal.rewound':
          for (const dc of DATACENTERS) this.rebuild(state, dc);
          break;
        default:
          break;
      }
    }
    // A change that made posts without telling us one by one (a bulk history): index it again, once.
    for (const dc of DATACENTERS) if (this.sides[dc].seen.size !== state.replicas[dc].posts.size) this.rebuild(state, dc);
  }

  /**
   * The newest `threads` top-level posts before `before` (a position; absent: the newest), with all
   * their replies, the pinned post and any orphan on the first window.
   */
  window(state: SimState, dc: DcId, before?: number, threads = WINDOW_THREADS): WindowIds {
    const side = this.sides[dc];
    const end = Math.min(before ?? side.roots.length, side.roots.length);
    const start = Math.max(0, end - threads);
    const ids: string[] = [];
    if (before === undefined) {
      ids.push(PINNED_POST_ID);
      for (const id of side.orphans) {
        const parentId = state.replicas[dc].posts.get(id)?.parentId;
        if (parentId && state.replicas[dc].posts.get(parentId)?.created) side.orphans.delete(id);
        else ids.push(id);
      }
    }
    const stack = side.roots.slice(start, end);
    while (stack.length > 0) {
      const id = stack.pop()!;
      ids.push(id);
      const replies = side.children.get(id);
      if (replies) stack.push(...replies);
    }
    return { ids, before: start > 0 ? start : null, threads: side.roots.length, posts: side.created };
  }

  /** How much a side holds, O(1). */
  counts(dc: DcId): { threads: number; posts: number } {
    return { threads: this.sides[dc].roots.length, posts: this.sides[dc].created };
  }

  private add(state: SimState, dc: DcId, id: string, parentId: string | null): void {
    const side = this.sides[dc];
    side.seen.add(id);
    if (id === PINNED_POST_ID) return;
    side.created += 1;
    if (parentId === null) {
      side.roots.push(id);
      return;
    }
    const replies = side.children.get(parentId);
    if (replies) replies.push(id);
    else side.children.set(parentId, [id]);
    if (!state.replicas[dc].posts.get(parentId)?.created) side.orphans.add(id);
  }

  private addFromState(state: SimState, dc: DcId, id: string): void {
    const post = state.replicas[dc].posts.get(id);
    if (!post) return;
    if (post.created) this.add(state, dc, id, post.parentId);
    else this.sides[dc].seen.add(id);
  }

  /** O(n log n), once: at load, after a reset, or after a bulk change. */
  private rebuild(state: SimState, dc: DcId): void {
    this.sides[dc] = emptySide();
    const posts = [...state.replicas[dc].posts.values()];
    posts.sort((a, b) => a.createdAt - b.createdAt || a.lamport - b.lamport || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const post of posts) {
      if (post.created) this.add(state, dc, post.id, post.parentId);
      else this.sides[dc].seen.add(post.id);
    }
  }
}
