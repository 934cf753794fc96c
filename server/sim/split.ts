/**
 * What a heal needs to know about a split, kept up to date as ops are applied (O(log n) per op,
 * no scan at heal): the ops each side wrote, by post, and each side's copy of a post before the
 * split first changed it. A one-way cut delivers one side's writes early with the link-up rule;
 * from these the strategies still see every post written on both sides, and each side's own
 * version of it, as if nothing had crossed.
 */
import { List, Map as IMap } from 'immutable';
import { otherDc } from './vocab.ts';
import { mergeOp } from './replica.ts';
import type { DcId, Lane, Op, Post, PostId, Replica, Split, Written } from './types.ts';

/** A side that has written nothing yet. */
export const NOTHING_WRITTEN: Written = { ops: List(), byPost: IMap(), replies: IMap() };

function indexed(index: IMap<PostId, List<Op>>, key: PostId, op: Op): IMap<PostId, List<Op>> {
  return index.update(key, (ops) => (ops ?? List<Op>()).push(op));
}

/** One more op a side wrote: O(log n). */
export function withWritten(written: Written, op: Op): Written {
  return {
    ops: written.ops.push(op),
    byPost: indexed(written.byPost, op.postId, op),
    replies: op.kind === 'create' && op.parentId ? indexed(written.replies, op.parentId, op) : written.replies,
  };
}

/** The index of `ops`, in that order: O(k log k). */
export function writtenOf(ops: Iterable<Op>): Written {
  let written = NOTHING_WRITTEN;
  for (const op of ops) written = withWritten(written, op);
  return written;
}

/**
 * A split beginning now. What is still on the link counts as written during it (the other side has
 * not seen it): a handful of in-flight messages, indexed once.
 */
export function startSplit(inFlight: Readonly<Record<DcId, Lane>>, now: number): Split {
  return {
    since: now,
    written: { west: writtenOf(inFlight.west.messages.map((m) => m.op)), east: writtenOf(inFlight.east.messages.map((m) => m.op)) },
    before: { west: IMap(), east: IMap() },
  };
}

/** A side's own new ops, added to the split's index. */
export function recordWritten(split: Split, dc: DcId, ops: readonly Op[]): Split {
  let written = split.written[dc];
  for (const op of ops) written = withWritten(written, op);
  return { ...split, written: { ...split.written, [dc]: written } };
}

/**
 * A side's version of a post as if the other side's split writes had not crossed: its copy before
 * the split changed it, plus its own split writes (each register merges idempotently, so ops it
 * held already change nothing). A post the other side created during the split and that crossed
 * starts from that create: this side could only write to it after seeing it. O(ops on the post).
 */
export function versionOf(split: Split, replica: Replica, dc: DcId, id: PostId): Post | undefined {
  const saved = split.before[dc];
  let post = saved.has(id) ? (saved.get(id) ?? undefined) : replica.posts.get(id);
  if (!post?.created) {
    const create = split.written[otherDc(dc)].byPost.get(id)?.find((op) => op.kind === 'create');
    if (create) post = mergeOp(post, create);
  }
  for (const op of split.written[dc].byPost.get(id) ?? []) post = mergeOp(post, op);
  return post;
}
