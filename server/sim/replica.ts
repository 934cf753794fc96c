import { Map as IMap, Set as ISet } from 'immutable';
import {
  DATACENTERS,
  PINNED_POST_ID,
  type DcId,
  type LikeMark,
  type Op,
  type Post,
  type Replica,
  type Stamp,
} from './types.ts';
import { ZERO_VV, mergeVV, vvCovers } from './vv.ts';

/** The author id of the pinned class post: nobody in particular, the class. */
export const CLASS_AUTHOR = 'class';
export const PINNED_TEXT = 'Class notes: anyone may edit this post.';

/**
 * Orders two writes to the same register. Lamport time first, so a write that causally follows
 * another always wins over it; then a fixed datacenter order (West before East), then the op id.
 * A total order: replicas that apply the same writes in any order keep the same winner (NET1).
 */
export function compareStamps(a: Stamp, b: Stamp): number {
  if (a.lamport !== b.lamport) return a.lamport - b.lamport;
  const dcOrder = DATACENTERS.indexOf(a.origin) - DATACENTERS.indexOf(b.origin);
  if (dcOrder !== 0) return dcOrder;
  return a.opId < b.opId ? -1 : a.opId > b.opId ? 1 : 0;
}

function stampOf(op: Op): Stamp {
  return { lamport: op.lamport, wall: op.wall, origin: op.origin, opId: op.opId, by: op.author };
}

const PINNED_STAMP: Stamp = { lamport: 0, wall: 0, origin: 'west', opId: PINNED_POST_ID, by: CLASS_AUTHOR };

/**
 * The pinned class post as every session starts with it, identical in both datacenters.
 * Every field is written out here and in `placeholder`, in the same order as everywhere a post is
 * made: folding the shared ones into a spread (`{ ...UNTOUCHED, id, ... }`) gives posts another
 * hidden class, and building 100K posts took 2.2x as long (`npm run bench:core`).
 */
export function pinnedPost(): Post {
  return {
    id: PINNED_POST_ID,
    created: true,
    author: CLASS_AUTHOR,
    parentId: null,
    text: PINNED_TEXT,
    deleted: false,
    createdAt: 0,
    createdIn: 'west',
    textStamp: PINNED_STAMP,
    deleteStamp: null,
    restoreStamp: null,
    likes: NO_LIKES,
    likeTotal: 0,
    siblings: null,
    duplicateOf: null,
    vv: ZERO_VV,
    lamport: 0,
  };
}

/** The empty set of like marks, shared: Immutable maps are values. */
export const NO_LIKES: IMap<string, LikeMark> = IMap();

export function emptyReplica(dc: DcId): Replica {
  return { dc, posts: IMap([[PINNED_POST_ID, pinnedPost()]]), lamport: 0, applied: ISet(), conflicts: 0 };
}

/**
 * A post an op refers to before its `create` has arrived (jitter reorders messages). It is
 * invisible until created; its registers already merge, so the order of arrival does not matter.
 */
function placeholder(op: Op): Post {
  return {
    id: op.postId,
    created: false,
    author: op.author,
    parentId: null,
    text: '',
    deleted: false,
    createdAt: op.wall,
    createdIn: op.origin,
    textStamp: null,
    deleteStamp: null,
    restoreStamp: null,
    likes: NO_LIKES,
    likeTotal: 0,
    siblings: null,
    duplicateOf: null,
    vv: ZERO_VV,
    lamport: 0,
  };
}

function laterStamp(current: Stamp | null, incoming: Stamp): boolean {
  return current === null || compareStamps(incoming, current) > 0;
}

function later(current: Stamp | null, incoming: Stamp): Stamp {
  return laterStamp(current, incoming) ? incoming : (current ?? incoming);
}

/** Deleted while the newest delete outranks the newest restore (a choice or heal that undid it). */
function withDeleted(post: Post): Post {
  const { deleteStamp, restoreStamp } = post;
  const deleted = deleteStamp !== null && (restoreStamp === null || compareStamps(deleteStamp, restoreStamp) > 0);
  return deleted === post.deleted ? post : { ...post, deleted };
}

/** Applies one op's effect to a post. Every field is a register or a set, so this commutes. */
function mergeIntoPost(post: Post, op: Op): Post {
  return withDeleted(mergeRegisters(post, op));
}

/** One op's effect on a post, or on the placeholder of a post not seen yet: for rebuilding a side's version (split.ts). */
export function mergeOp(post: Post | undefined, op: Op): Post {
  return mergeIntoPost(post ?? placeholder(op), op);
}

function mergeRegisters(post: Post, op: Op): Post {
  const stamp = stampOf(op);
  const vv = mergeVV(post.vv, op.vv);
  const lamport = Math.max(post.lamport, op.lamport);
  // One new object per op on the hot paths (create, edit, like): a replay makes hundreds of thousands.
  switch (op.kind) {
    case 'create': {
      const wins = laterStamp(post.textStamp, stamp);
      return {
        ...post,
        vv,
        lamport,
        created: true,
        author: op.author,
        parentId: op.parentId ?? null,
        createdAt: op.wall,
        createdIn: op.origin,
        text: wins ? (op.text ?? '') : post.text,
        textStamp: wins ? stamp : post.textStamp,
      };
    }
    case 'edit': {
      const wins = laterStamp(post.textStamp, stamp);
      return { ...post, vv, lamport, text: wins ? (op.text ?? '') : post.text, textStamp: wins ? stamp : post.textStamp };
    }
    case 'delete':
      // A delete concurrent with an edit wins (remove-wins): an edit never clears it, only a restore.
      return { ...post, vv, lamport, deleteStamp: later(post.deleteStamp, stamp) };
    case 'resolve': {
      // A person's choice dominates the versions it chose between (HUM2): they are settled.
      const siblings = post.siblings?.filter((s) => !vvCovers(op.vv, s.vv)) ?? [];
      const chosen: Post = {
        ...post,
        vv,
        lamport,
        siblings: siblings.length > 0 ? siblings : null,
        ...(op.deleted ? { deleteStamp: later(post.deleteStamp, stamp) } : { restoreStamp: later(post.restoreStamp, stamp) }),
      };
      // The register is ordered by the choice's stamp, but the text keeps its writer (HUM2): the
      // card says who wrote it, not who chose it.
      const textStamp: Stamp = { ...stamp, by: op.textBy ?? op.author, wall: op.textWall ?? op.wall };
      return laterStamp(post.textStamp, stamp) ? { ...chosen, text: op.text ?? '', textStamp } : chosen;
    }
    case 'like':
    case 'unlike': {
      const on = op.kind === 'like';
      const current = post.likes.get(op.author) ?? null;
      if (!laterStamp(current, stamp)) return { ...post, vv, lamport };
      const mark: LikeMark = { lamport: op.lamport, wall: op.wall, origin: op.origin, opId: op.opId, by: op.author, on };
      const likeTotal = post.likeTotal + (on ? 1 : 0) - (current?.on ? 1 : 0);
      return { ...post, vv, lamport, likes: post.likes.set(op.author, mark), likeTotal };
    }
    default: {
      const unknown: never = op.kind;
      throw new Error(`unknown op kind ${String(unknown)}`);
    }
  }
}

/** Told of each post an op changed, before and after (undefined before: the op made it). */
export type PostChange = (before: Post | undefined, after: Post) => void;

/**
 * Applies ops to a replica in order, each once (REL2). `local` ops were stamped from this
 * replica's own Lamport counter; a received op moves the counter to max(own, received) + 1 (CLK1).
 * One transient mutable copy of the persistent maps per batch: O(k log n) for k ops, whatever the
 * size of the replica, and the input replica is untouched. The one exception is a replay's own
 * state (`ownCollections` in step.ts), whose maps are mutable already: they are changed in place
 * and stay mutable, so a 200K-op replay does not copy a path of the map for every op.
 */
export function applyOps(replica: Replica, ops: Iterable<Op>, local: boolean, onChange?: PostChange): Replica {
  let posts: IMap<string, Post> | null = null;
  let applied: ISet<string> | null = null;
  let lamport = replica.lamport;
  let conflicts = replica.conflicts;
  // A transient (owned, changed in place) copy only for a batch: one op is a plain persistent set.
  // asMutable() of a map that is mutable already is that map itself.
  const batch = !Array.isArray(ops) || ops.length > 1;
  for (const op of ops) {
    applied ??= batch ? replica.applied.asMutable() : replica.applied;
    // One lookup, not two: an id already applied leaves the set as it was (REL2).
    const size = applied.size;
    applied = applied.add(op.opId);
    if (applied.size === size) continue;
    posts ??= batch ? replica.posts.asMutable() : replica.posts;
    const before = posts.get(op.postId);
    const after = mergeIntoPost(before ?? placeholder(op), op);
    posts = posts.set(op.postId, after);
    conflicts += (after.siblings ? 1 : 0) - (before?.siblings ? 1 : 0);
    lamport = local ? Math.max(lamport, op.lamport) : Math.max(lamport, op.lamport) + 1;
    onChange?.(before, after);
  }
  // Nothing new applied: an unused mutable copy of `applied` is dropped.
  if (posts === null || applied === null) return replica;
  // The same object as the input's is a map the caller owns, changed in place: it stays theirs.
  return {
    ...replica,
    lamport,
    posts: posts === replica.posts ? posts : posts.asImmutable(),
    applied: applied === replica.applied ? applied : applied.asImmutable(),
    conflicts,
  };
}

export function applyOp(replica: Replica, op: Op, local: boolean): Replica {
  return applyOps(replica, [op], local);
}

/** How many people currently like a post. */
export function likeCount(post: Post): number {
  return post.likeTotal;
}
