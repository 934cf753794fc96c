/**
 * The strategies on histories where both sides always write the same posts (edits, deletes,
 * likes, replies), with the held messages shuffled: LWW keeps the winner by (wall, delete, West
 * first), merge unions the likers, human choice keeps each side's last content, none depends on
 * delivery order. Plus HUM4 (delete against a reply or like) and HUM3's countdown.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PINNED_POST_ID,
  inFlightMessages,
  snapshotOf,
  stateFromSnapshot,
  step,
  type DcId,
  type JsonValue,
  type Op,
  type Post,
  type SimState,
  type Strategy,
} from '../../server/sim/index.ts';
import { actionLists, AUTHOR, lwwWinner, plainPosts, randomAction, SimDriver, splitClass } from '../support/sim.ts';
import { expectGenerated, fuzz, fuzzRuns, fuzzTimeout } from '../support/fuzz.ts';

const RUNS = fuzzRuns(40);
const TIMEOUT = fuzzTimeout(RUNS);

/** Wendy and Walt in West, Ed and Eve in East; the pinned post and one post by each, replicated; skewed clocks. */
function sharedClass(seed: number, skew: { west: number; east: number }): { sim: SimDriver; shared: string[] } {
  const sim = new SimDriver(seed);
  for (const id of ['wendy', 'ed', 'walt', 'eve']) sim.join(id);
  sim.run({ type: 'link.configure', latencyMs: 100, jitterMs: 50 });
  const shared = [PINNED_POST_ID, sim.post('wendy', 'by wendy'), sim.post('ed', 'by ed'), sim.post('walt', 'by walt')];
  sim.flush();
  sim.run({ type: 'clock.skew', dc: 'west', skewMs: skew.west });
  sim.run({ type: 'clock.skew', dc: 'east', skewMs: skew.east });
  sim.run({ type: 'link.mode', mode: 'cut' });
  return { sim, shared };
}

/** Writes on either side (the writer moved there, FO1), edits and deletes by their author, with time passing between them. */
const writes = randomAction({
  people: ['wendy', 'walt', 'ed', 'eve'],
  authors: true,
  sides: true,
  weights: { edit: 2, delete: 2, like: 2, unlike: 2, post: 2, wait: 3 },
  waits: fc.integer({ min: 1, max: 700 }),
  ticks: false,
});

/** Always a split in which both sides write the same posts: content on one, likes on another, then anything. */
const history = fc.record({
  seed: fc.integer({ min: 1, max: 10_000 }),
  // Often equal clocks, so cross-side ties on the wall clock happen (LWW1's tie-breaks).
  skew: fc.record({ west: fc.constantFrom(-1000, 0, 1000, 2500), east: fc.constantFrom(-1000, 0, 1000, -2500) }),
  contentPost: fc.integer({ min: 0, max: 3 }),
  contentKinds: fc.tuple(fc.constantFrom('edit' as const, 'delete' as const), fc.constantFrom('edit' as const, 'delete' as const)),
  likePost: fc.integer({ min: 1, max: 3 }),
  likers: fc.tuple(fc.constantFrom('wendy', 'walt'), fc.constantFrom('ed', 'eve')),
  more: actionLists(writes, { maxLength: 30 }),
  shuffle: fc.integer(),
});
type History = typeof history extends fc.Arbitrary<infer T> ? T : never;

/** Pinned: a delete in West and an edit in East of Wendy's post in the same millisecond on equal clocks (delete wins LWW1's tie). */
const DELETE_EDIT_TIE: History = { seed: 1, skew: { west: 0, east: 0 }, contentPost: 1, contentKinds: ['delete', 'edit'], likePost: 1, likers: ['walt', 'eve'], more: [], shuffle: 1 };

function divergent(h: History): { state: SimState; now: number; shared: string[] } {
  const { sim, shared } = sharedClass(h.seed, h.skew);
  const post = (i: number) => shared[i % shared.length] ?? PINNED_POST_ID;
  // The pinned post cannot be deleted: both sides edit it.
  const [west, east] = h.contentKinds.map((k) => (h.contentPost === 0 ? 'edit' : k));
  sim.actAll([
    // Likes first, so a delete on the same side cannot refuse them.
    { kind: 'wait', ms: 3, tick: false },
    { kind: 'like', who: h.likers[0], target: post(h.contentPost + h.likePost), on: 'west' },
    { kind: 'wait', ms: 3, tick: false },
    { kind: 'like', who: h.likers[1], target: post(h.contentPost + h.likePost), on: 'east' },
    { kind: 'wait', ms: 5, tick: false },
    { kind: west ?? 'edit', who: AUTHOR, target: post(h.contentPost), on: 'west' },
    // In the same millisecond as West's.
    { kind: east ?? 'edit', who: AUTHOR, target: post(h.contentPost), on: 'east' },
    ...h.more,
  ]);
  return { state: sim.state, now: sim.now + 10, shared };
}

function healWith(state: SimState, strategy: Strategy, now: number): SimState {
  const r = step({ ...state, strategy }, { type: 'link.mode', mode: 'up' }, { now });
  if (!r.ok) throw new Error(r.error.message);
  return r.state;
}

/** The same divergent state with each side's held messages in another order. */
function shuffled(state: SimState, seed: number): SimState {
  const json = snapshotOf(state) as { inFlight: Record<DcId, JsonValue[]> } & Record<string, JsonValue>;
  let s = seed;
  const shuffle = (items: JsonValue[]) => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i -= 1) {
      s = (Math.imul(s, 1103515245) + 12345) | 0;
      const j = Math.abs(s) % (i + 1);
      [out[i], out[j]] = [out[j] as JsonValue, out[i] as JsonValue];
    }
    return out;
  };
  return stateFromSnapshot(JSON.parse(JSON.stringify({ ...json, inFlight: { west: shuffle(json.inFlight.west), east: shuffle(json.inFlight.east) } })) as JsonValue);
}

function heldBySide(state: SimState): Record<DcId, Map<string, Op[]>> {
  const by = { west: new Map<string, Op[]>(), east: new Map<string, Op[]>() };
  for (const m of inFlightMessages(state)) {
    const list = by[m.from].get(m.op.postId) ?? [];
    list.push(m.op);
    by[m.from].set(m.op.postId, list);
  }
  return by;
}

function likers(post: Post | undefined): string[] {
  return post ? [...post.likes].filter(([, m]) => m.on).map(([id]) => id).sort() : [];
}

describe('strategies on histories that always split and write the same posts on both sides', () => {
  it('[LWW1] [MRG2] [HUM2] each strategy keeps what it says, converges, and does not depend on delivery order', () => {
    const cases: Record<Strategy, number> = { lww: 0, merge: 0, human: 0 };
    fuzz(
      history,
      (h) => {
        const { state, now } = divergent(h);
        const held = heldBySide(state);
        const both = [...held.west.keys()].filter((id) => held.east.has(id) && state.replicas.west.posts.get(id)?.created && state.replicas.east.posts.get(id)?.created);
        expect(both.length).toBeGreaterThan(0);
        const before = state.replicas;
        for (const strategy of ['lww', 'merge', 'human'] as const) {
          const healed = healWith(state, strategy, now);
          expect(plainPosts(healed, 'west')).toEqual(plainPosts(healed, 'east'));
          expect(plainPosts(healWith(shuffled(state, h.shuffle), strategy, now), 'west')).toEqual(plainPosts(healed, 'west'));
          for (const id of both) {
            const ops = [...(held.west.get(id) ?? []), ...(held.east.get(id) ?? [])];
            const after = healed.replicas.west.posts.get(id);
            const content = (dc: DcId) => (held[dc].get(id) ?? []).some((op) => op.kind === 'edit' || op.kind === 'delete');
            if (strategy === 'lww') {
              const winner = before[lwwWinner(ops).origin].posts.get(id);
              expect({ text: after?.text, deleted: after?.deleted, likes: likers(after) }).toEqual({ text: winner?.text, deleted: winner?.deleted, likes: likers(winner) });
              cases.lww += 1;
            } else if (strategy === 'merge' && !ops.some((op) => op.kind === 'unlike') && ops.some((op) => op.kind === 'like')) {
              expect(likers(after)).toEqual([...new Set([...likers(before.west.posts.get(id)), ...likers(before.east.posts.get(id))])].sort());
              cases.merge += 1;
            } else if (strategy === 'human' && content('west') && content('east')) {
              const side = (dc: DcId) => ({ dc, text: before[dc].posts.get(id)?.text, deleted: before[dc].posts.get(id)?.deleted });
              expect(after?.siblings?.map((s) => ({ dc: s.dc, text: s.text, deleted: s.deleted }))).toEqual([side('west'), side('east')]);
              cases.human += 1;
            }
          }
        }
      },
      { runs: RUNS, examples: [DELETE_EDIT_TIE] },
    );
    // Every run writes one post's content and another's likes on both sides: each strategy's rule is exercised.
    expectGenerated(() => {
      expect(cases.lww).toBeGreaterThanOrEqual(2 * RUNS);
      expect(cases.human).toBeGreaterThanOrEqual(RUNS);
      expect(cases.merge).toBeGreaterThanOrEqual(RUNS / 2);
    });
  }, TIMEOUT);
});

function heal(sim: SimDriver) {
  sim.run({ type: 'link.mode', mode: 'up' });
  sim.flush();
  expect(plainPosts(sim.state, 'west')).toEqual(plainPosts(sim.state, 'east'));
  const report = sim.state.lastHeal;
  if (!report) throw new Error('no heal report');
  return report;
}

describe('[LWW1] delete beats edit on a tie, mirrored', () => {
  it('[LWW1] on an equal timestamp a delete in East beats an edit in West (West would win any other tie)', () => {
    const { sim, shared } = splitClass('lww');
    sim.edit('wendy', shared, 'edited in West');
    sim.run({ type: 'participant.move', participantId: 'wendy', to: 'east' });
    sim.run({ type: 'post.delete', opId: sim.opId(), participantId: 'wendy', postId: shared });
    const report = heal(sim);
    expect(sim.post_('west', shared)?.deleted).toBe(true);
    expect(report.lost).toHaveLength(1);
    expect(report.lost[0]).toMatchObject({ lost: { kind: 'edit', dc: 'west' }, winner: { kind: 'delete', dc: 'east' }, decidedBy: 'delete-on-tie' });
  });
});

describe('[HUM4] under human choice a delete against a reply or a like is a conflict to choose', () => {
  for (const use of ['reply', 'like'] as const) {
    for (const keep of ['west', 'east'] as const) {
      it(`[HUM4] deleted in West, ${use === 'reply' ? 'replied to' : 'liked'} in East: a conflict; keeping ${keep === 'west' ? 'the delete' : 'the post'} settles it`, () => {
        const { sim, shared } = splitClass('human');
        sim.run({ type: 'post.delete', opId: sim.opId(), participantId: 'wendy', postId: shared });
        sim.now += 10;
        const reply = use === 'reply' ? sim.post('ed', 'a reply in East', shared) : null;
        if (use === 'like') sim.like('ed', shared);
        const report = heal(sim);
        // Nothing is lost until a person chooses: the post is there, with both versions, and no thread is broken yet.
        expect(report.conflicts.map((c) => c.postId)).toEqual([shared]);
        expect(report.brokenThreads).toEqual([]);
        const conflicted = sim.post_('west', shared);
        expect(conflicted?.deleted).toBe(false);
        expect(conflicted?.siblings?.map((s) => [s.dc, s.deleted, s.by])).toEqual([
          ['west', true, 'wendy'],
          ['east', false, 'ed'],
        ]);
        expect(sim.state.replicas.west.conflicts).toBe(1);
        sim.run({ type: 'conflict.resolve', opId: sim.opId(), participantId: 'wendy', postId: shared, keep });
        sim.flush();
        for (const dc of ['west', 'east'] as const) {
          expect(sim.post_(dc, shared)).toMatchObject({ siblings: null, deleted: keep === 'west', text: 'original' });
          expect(sim.state.replicas[dc].conflicts).toBe(0);
        }
        if (reply) expect(sim.post_('east', reply)?.parentId).toBe(shared);
      });
    }
  }

  it('[HUM4] a delete on both sides, or under another strategy, is no conflict', () => {
    const { sim, shared } = splitClass('merge');
    sim.run({ type: 'post.delete', opId: sim.opId(), participantId: 'wendy', postId: shared });
    sim.post('ed', 'a reply in East', shared);
    const report = heal(sim);
    expect(report.conflicts).toEqual([]);
    expect(report.brokenThreads).toHaveLength(1);
  });
});

describe('[HUM3] conflicts remaining', () => {
  it('[HUM3] counts down after each choice, on both sides, and equals the posts carrying siblings', () => {
    const { sim } = splitClass('human');
    const posts = [sim.post('wendy', 'one'), sim.post('wendy', 'two'), sim.post('wendy', 'three')];
    sim.run({ type: 'link.mode', mode: 'up' });
    sim.flush();
    sim.run({ type: 'link.mode', mode: 'cut' });
    for (const id of posts) sim.edit('wendy', id, `${id} West`);
    sim.run({ type: 'participant.move', participantId: 'wendy', to: 'east' });
    for (const id of posts) sim.edit('wendy', id, `${id} East`);
    heal(sim);
    const remaining = (dc: DcId) => sim.state.replicas[dc].conflicts;
    const withSiblings = (dc: DcId) => [...sim.state.replicas[dc].posts.values()].filter((p) => p.siblings !== null).length;
    expect([remaining('west'), remaining('east'), withSiblings('west')]).toEqual([3, 3, 3]);
    posts.forEach((id, i) => {
      sim.run({ type: 'conflict.resolve', opId: sim.opId(), participantId: 'wendy', postId: id, keep: i % 2 === 0 ? 'west' : 'east' });
      expect(remaining('east')).toBe(2 - i); // at once where Wendy chose
      sim.flush();
      expect([remaining('west'), remaining('east'), withSiblings('west'), withSiblings('east')]).toEqual([2 - i, 2 - i, 2 - i, 2 - i]);
    });
  });
});
