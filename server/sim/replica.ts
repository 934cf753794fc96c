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
import { ZERO_VV, mergeVV } from './vv.ts';

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

/** The pinned class post as every session starts with it, identical in both datacenters. */
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
    likes: {},
    vv: ZERO_VV,
    lamport: 0,
  };
}

export function emptyReplica(dc: DcId): Replica {
  return { dc, posts: { [PINNED_POST_ID]: pinnedPost() }, lamport: 0, applied: {} };
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
    likes: {},
    vv: ZERO_VV,
    lamport: 0,
  };
}

function laterStamp(current: Stamp | null, incoming: Stamp): boolean {
  return current === null || compareStamps(incoming, current) > 0;
}

/** Applies one op's effect to a post. Every field is a register or a set, so this commutes. */
function mergeIntoPost(post: Post, op: Op): Post {
  const stamp = stampOf(op);
  const base: Post = { ...post, vv: mergeVV(post.vv, op.vv), lamport: Math.max(post.lamport, op.lamport) };
  switch (op.kind) {
    case 'create': {
      const created: Post = {
        ...base,
        created: true,
        author: op.author,
        parentId: op.parentId ?? null,
        createdAt: op.wall,
        createdIn: op.origin,
      };
      return laterStamp(post.textStamp, stamp) ? { ...created, text: op.text ?? '', textStamp: stamp } : created;
    }
    case 'edit':
      return laterStamp(post.textStamp, stamp) ? { ...base, text: op.text ?? '', textStamp: stamp } : base;
    case 'delete':
      // Deletes are tombstones that stay: a delete concurrent with an edit wins (remove-wins).
      return { ...base, deleted: true, deleteStamp: laterStamp(post.deleteStamp, stamp) ? stamp : post.deleteStamp };
    case 'like':
    case 'unlike': {
      const mark: LikeMark = { ...stamp, on: op.kind === 'like' };
      const current = post.likes[op.author] ?? null;
      return laterStamp(current, mark) ? { ...base, likes: { ...post.likes, [op.author]: mark } } : base;
    }
    default: {
      const unknown: never = op.kind;
      throw new Error(`unknown op kind ${String(unknown)}`);
    }
  }
}

/**
 * Applies an op to a replica, once (REL2). `local` ops were stamped from this replica's own
 * Lamport counter; a received op moves the counter to max(own, received) + 1 (CLK1).
 */
export function applyOp(replica: Replica, op: Op, local: boolean): Replica {
  if (replica.applied[op.opId]) return replica;
  const post = replica.posts[op.postId] ?? placeholder(op);
  return {
    ...replica,
    lamport: local ? Math.max(replica.lamport, op.lamport) : Math.max(replica.lamport, op.lamport) + 1,
    posts: { ...replica.posts, [op.postId]: mergeIntoPost(post, op) },
    applied: { ...replica.applied, [op.opId]: true },
  };
}

/** How many people currently like a post. */
export function likeCount(post: Post): number {
  let n = 0;
  for (const mark of Object.values(post.likes)) if (mark.on) n += 1;
  return n;
}
