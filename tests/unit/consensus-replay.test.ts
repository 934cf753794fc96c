/**
 * The consensus view is a replay of its journal (SCR1): the live adapter, sampled whenever a board
 * asks and told of commits late, shows at wall time t exactly what a fresh replay of the log's
 * entries up to t gives; and the simulated clock behind it does not depend on how often anyone looked.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../server/persistence/store.ts';
import { ConsensusRuntime } from '../../server/realtime/consensus.ts';
import { ConsensusJournal, inputsOf } from '../../server/realtime/consensus-journal.ts';
import { frameView } from '../../server/realtime/consensus-view.ts';
import { LINK_MODES, createInitialState, step, type Command, type SimEvent, type SimState } from '../../server/sim/index.ts';
import { CLUSTER_NODES, advance, createPlayer, play, positionAt, type ConsensusAct, type Cut } from '../../server/sim/raft/index.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const TIMEOUT = Math.max(20_000, RUNS * 400);
const STARTED = 1_764_590_000_000;

/** What a board would see at `t` from a brand-new journal read from `log`. */
async function replayed(seed: number, log: readonly LogEntry[], t: number) {
  const journal = new ConsensusJournal(seed, STARTED);
  await journal.catchUp(log);
  const { player, here } = await journal.at(t);
  return frameView(player, here);
}

/** The same without the journal's kept players: every input of the log folded into a new player. */
function folded(seed: number, log: readonly LogEntry[], t: number) {
  let core = createInitialState(seed);
  let cut: Cut = 'none';
  let player = createPlayer(seed, STARTED);
  for (const entry of log.filter((e) => e.at <= t)) {
    const result = step(core, entry.command, { now: entry.at });
    if (!result.ok) continue;
    core = result.state;
    const made = inputsOf(result.events, core, cut);
    cut = made.cut;
    for (const input of made.inputs) player = play(player, input, entry.at);
  }
  return frameView(player, positionAt(player, t));
}

type Op =
  | { kind: 'command'; command: Command; dt: number; late: boolean }
  | { kind: 'look'; dt: number };

const actArb: fc.Arbitrary<ConsensusAct> = fc.oneof(
  fc.constantFrom<ConsensusAct>({ action: 'pause' }, { action: 'resume' }, { action: 'step' }, { action: 'back' }, { action: 'fresh' }, { action: 'write', value: 'x = 1' }),
  fc.integer({ min: 1, max: 200 }).map((n): ConsensusAct => ({ action: 'speed', speed: n / 100 })),
  fc.tuple(fc.constantFrom<'crash' | 'restart'>('crash', 'restart'), fc.constantFrom(...CLUSTER_NODES)).map(([action, node]): ConsensusAct => ({ action, node })),
);

/** A post's op id is given when it is committed: `op-?` here. */
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: actArb.map((act): Command => ({ type: 'consensus.act', act })) },
  { weight: 2, arbitrary: fc.constantFrom(...LINK_MODES).map((mode): Command => ({ type: 'link.mode', mode })) },
  { weight: 3, arbitrary: fc.constantFrom('p-west', 'p-east').map((participantId): Command => ({ type: 'post.create', opId: 'op-?', participantId, parentId: null, text: 'a post' })) },
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('command' as const), command: commandArb, dt: fc.integer({ min: 0, max: 2500 }), late: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('look' as const), dt: fc.integer({ min: 0, max: 2500 }) }) },
);

describe('the consensus view replays its journal', () => {
  it('[SCR1] running the cluster to T in one step or in many stops gives the same cluster', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.array(fc.integer({ min: 0, max: 4000 }), { minLength: 1, maxLength: 12 }), (seed, stops) => {
        const start = createPlayer(seed, 0).base;
        const sorted = [...stops].sort((a, b) => a - b);
        const end = sorted.at(-1)!;
        const inSteps = sorted.reduce((cluster, to) => advance(cluster, to), start);
        expect(inSteps).toEqual(advance(start, end));
      }),
      { numRuns: RUNS, seed: FUZZ_SEED },
    );
  });

  it(
    '[SCR1] the Raft view shown at time t equals a fresh consensus replay to t: live, watched or not, looked at any time, commits told late',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.array(opArb, { minLength: 1, maxLength: 40 }), fc.boolean(), async (seed, script, watched) => {
          let now = STARTED;
          // Unwatched, a commit builds no frame: the next look plays on from the new base.
          const live = new ConsensusRuntime(
            () => now,
            () => {},
            () => {},
            () => watched,
          );
          const empty = new ConsensusJournal(seed, STARTED);
          live.load(await empty.start(now));
          let core: SimState = createInitialState(seed);
          const log: LogEntry[] = [];
          const held: { at: number; events: readonly SimEvent[]; state: SimState }[] = [];
          const commit = (given: Command, late: boolean) => {
            const command: Command = given.type === 'post.create' ? { ...given, opId: `op-${log.length}`, text: `post ${log.length}` } : given;
            const result = step(core, command, { now });
            if (!result.ok) return;
            core = result.state;
            log.push({ seq: log.length, key: `k-${log.length}`, at: now, command });
            // Commits arrive in commit order: behind a held one, every later one waits too.
            if (late || held.length > 0) held.push({ at: now, events: result.events, state: core });
            else live.committed(now, result.events, core);
          };
          commit({ type: 'participant.join', participantId: 'p-west', name: 'Wendy' }, false);
          commit({ type: 'participant.join', participantId: 'p-east', name: 'Ed' }, false);
          for (const op of script) {
            now += op.dt;
            if (op.kind === 'command') {
              commit(op.command, op.late);
              continue;
            }
            // A frame goes out first, past the held commits' times; they arrive after it.
            live.frame();
            for (const c of held.splice(0)) live.committed(c.at, c.events, c.state);
            const shown = live.frame();
            expect(shown).toEqual(await replayed(seed, log, now));
          }
          now += 500;
          for (const c of held.splice(0)) live.committed(c.at, c.events, c.state);
          const last = live.frame();
          expect(last).toEqual(await replayed(seed, log, now));
          expect(last).toEqual(folded(seed, log, now));
        }),
        { numRuns: RUNS, seed: FUZZ_SEED },
      );
    },
    TIMEOUT,
  );

  it('[SCR1] a scrub back and forth over a long journal (kept players and positions) equals folding every input from the start', async () => {
    const seed = 7;
    let now = STARTED;
    let core = createInitialState(seed);
    const log: LogEntry[] = [];
    const add = (command: Command) => {
      const result = step(core, command, { now });
      if (!result.ok) throw new Error(result.error.message);
      core = result.state;
      log.push({ seq: log.length, key: `k-${log.length}`, at: now, command });
    };
    add({ type: 'participant.join', participantId: 'p-west', name: 'Wendy' });
    add({ type: 'participant.join', participantId: 'p-east', name: 'Ed' });
    for (let i = 0; i < 300; i += 1) {
      now += 150;
      if (i % 50 === 10) add({ type: 'link.mode', mode: 'cut' });
      else if (i % 50 === 30) add({ type: 'link.mode', mode: 'up' });
      else if (i % 37 === 5) add({ type: 'consensus.act', act: { action: 'crash', node: 'C' } });
      else if (i % 37 === 20) add({ type: 'consensus.act', act: { action: 'restart', node: 'C' } });
      else add({ type: 'post.create', opId: `op-${i}`, participantId: i % 3 === 0 ? 'p-west' : 'p-east', parentId: null, text: `post ${i}` });
    }
    const journal = new ConsensusJournal(seed, STARTED);
    await journal.catchUp(log);
    // Long after the last input too: a stretch of play run in slices, then looked at inside.
    const moments = [now + 1000, STARTED + 20_000, STARTED + 5_000, STARTED + 44_000, STARTED + 44_100, STARTED + 30_000, now + 400_000, now + 150_000, now + 399_000];
    for (const t of moments) {
      const { player, here } = await journal.at(t);
      expect(frameView(player, here), `at +${t - STARTED} ms`).toEqual(folded(seed, log, t));
    }
    // The inputs did reach the cluster: class writes are in Raft's logs, and the cut and crashes were played.
    const end = await journal.at(now + 1000);
    expect(Math.max(...CLUSTER_NODES.map((id) => end.here.raft.nodes[id].log.size))).toBeGreaterThan(100);
    expect(end.here.told.length).toBeGreaterThan(0);
  });
});
