import { beforeAll, describe, expect, it } from 'vitest';
import { canonical, divergentHistory, mergeWithAutomerge, mergeWithAutomergeHere, mergeWithYjs, whatEachKeeps, yjsContent, type DivergentHistory, type KeepsRow, type LibraryMerge, type MergedContent } from '../bench/heal-libs.ts';
import { PINNED_POST_ID, type Op } from '../../server/sim/index.ts';

// A small incident: the core builds it in well under a second, Automerge merges it in a few.
const SEED = 1;
const SIZE = 200;

const creates = (ops: readonly Op[]) => ops.filter((op) => op.kind === 'create');

/** The text a side last wrote to each post during the split. */
function lastEdits(ops: readonly Op[]): Map<string, string> {
  return new Map(ops.filter((op) => op.kind === 'edit').map((op) => [op.postId, op.text ?? '']));
}

function without(content: MergedContent, ids: ReadonlySet<string>): MergedContent {
  return new Map([...content].filter(([id]) => !ids.has(id)));
}

describe('the incident merged by Yjs and Automerge (bench:heal)', () => {
  let history: DivergentHistory;
  let yjs: ReturnType<typeof mergeWithYjs>;
  let automerge: LibraryMerge;
  let keeps: KeepsRow[];

  beforeAll(() => {
    history = divergentHistory(SEED, SIZE);
    yjs = mergeWithYjs(history, 1);
    automerge = mergeWithAutomergeHere(history, 'text', 1);
    keeps = whatEachKeeps(history, yjs.merged, automerge.merged);
  }, 120_000);

  it('[INC1] takes each side its own ops from the core: the split starts after the shared posts arrived everywhere', () => {
    expect(history.undeliveredAtCut).toBe(0);
    expect(history.refused).toBe(0);
    expect(creates(history.base).length).toBeGreaterThanOrEqual(20);
    for (const dc of ['west', 'east'] as const) {
      expect(history[dc].every((op) => op.origin === dc)).toBe(true);
      expect(creates(history[dc])).toHaveLength(SIZE);
    }
    expect(divergentHistory(SEED, SIZE)).toEqual({ ...history, buildMs: expect.any(Number) as number });
  });

  it('[INC1] both Yjs docs hold the same posts after the merge, with every post either side created', () => {
    expect(yjs.converged).toBe(true);
    expect(canonical(yjsContent(yjs.eastDoc))).toBe(canonical(yjsContent(yjs.westDoc)));
    const all = [...history.base, ...history.west, ...history.east];
    expect(yjs.merged.size).toBe(1 + creates(all).length);
    expect(yjs.merged.has(PINNED_POST_ID)).toBe(true);
    for (const op of creates(all)) {
      const post = yjs.merged.get(op.postId);
      expect(post, op.postId).toBeDefined();
      expect(post?.author).toBe(op.author);
      expect(post?.parentId).toBe(op.parentId ?? null);
    }
    // A post edited on one side only holds that side's last edit, whatever the other side did.
    const west = lastEdits(history.west);
    const east = lastEdits(history.east);
    for (const [id, text] of [...west].filter(([i]) => !east.has(i)).concat([...east].filter(([i]) => !west.has(i)))) {
      expect(yjs.merged.get(id)?.text, id).toBe(text);
    }
  });

  it('[INC1] Automerge converges to the same content as Yjs, except which version of a post edited on both sides wins', () => {
    expect(automerge.converged).toBe(true);
    const east = lastEdits(history.east);
    const both = new Set([...lastEdits(history.west).keys()].filter((id) => east.has(id)));
    expect(both.size).toBeGreaterThan(0);
    expect(canonical(without(automerge.merged, both))).toBe(canonical(without(yjs.merged, both)));
    for (const id of both) expect(automerge.merged.get(id)?.textVersions).toHaveLength(2);
  });

  it("[INC1] the keeps table's figures add up to the history's counts, and the story's cases occur", () => {
    const byName = new Map(keeps.map((r) => [r.situation, r]));
    const figures = (situation: string, column: 'yjs' | 'automerge') => {
      const row = byName.get(situation);
      if (!row) throw new Error(`no row ${situation}`);
      return { count: row.count, f: row.figures[column] ?? {} };
    };
    const sum = (f: Readonly<Record<string, number>>, keys: readonly string[]) => keys.reduce((n, k) => n + (f[k] ?? NaN), 0);
    for (const column of ['yjs', 'automerge'] as const) {
      const created = figures('posts and replies created during the split', column);
      expect(created.count).toBe(2 * SIZE);
      expect(created.f).toEqual({ kept: 2 * SIZE, missing: 0 });
      const edited = figures('posts edited on both sides', column);
      expect(edited.count).toBeGreaterThan(0);
      expect(sum(edited.f, ['west', 'east', 'other'])).toBe(edited.count);
      expect(edited.f.versionsVisible).toBe(column === 'yjs' ? 0 : edited.count);
      const likes = figures('liker pairs on posts liked on both sides', column);
      expect(likes.count).toBeGreaterThan(0);
      expect(sum(likes.f, ['liked', 'unliked', 'conflicts'])).toBe(likes.count);
      expect(sum(likes.f, ['kept', 'dropped'])).toBe(likes.f.liked);
      expect(sum(likes.f, ['revived', 'stayUnliked'])).toBe(likes.f.unliked);
      expect(sum(likes.f, ['likeWon', 'unlikeWon'])).toBe(likes.f.conflicts);
      const replies = figures('replies to a post deleted on the other side', column);
      expect(sum(replies.f, ['kept', 'lost'])).toBe(replies.count);
      const phantom = figures('likes on a post deleted on the other side', column);
      expect(sum(phantom.f, ['kept', 'lost'])).toBe(phantom.count);
      expect(replies.count + phantom.count).toBeGreaterThan(0);
      const editedDeleted = figures('posts edited on one side and deleted on the other', column);
      expect(sum(editedDeleted.f, ['deletedWithEdit', 'deletedWithoutEdit', 'restored'])).toBe(editedDeleted.count);
    }
    // Yjs breaks a tie by client id: the higher one (East's) wins every post edited on both sides.
    const yjsEdited = figures('posts edited on both sides', 'yjs');
    expect(yjsEdited.f.east).toBe(yjsEdited.count);
  });

  it('[INC1] reports Automerge running out of memory instead of crashing', async () => {
    const outcome = await mergeWithAutomerge(history, { maxRssMb: 40 });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.reason).toMatch(/out of memory/);
  }, 60_000);
});
