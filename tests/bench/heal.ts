/**
 * Preview and heal times of the pure core for N ops per side (half new posts, half edits/likes
 * on shared posts, with skewed clocks), per strategy. Prints medians of 5 runs.
 * Usage: node --import tsx tests/bench/heal.ts [opsPerSide...]   (default: 1000 10000)
 */
import { createInitialState, inFlightMessages, previewHeal, step, STRATEGIES, type Command, type SimState, type Strategy } from '../../server/sim/index.ts';
import { median } from './stats.ts';

const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1000, 10_000];

function must(state: SimState, command: Command, now: number): SimState {
  const result = step(state, command, { now });
  if (!result.ok) throw new Error(result.error.message);
  return result.state;
}

/** A class of 20, 200 shared posts, then a split in which each side writes `ops` ops. */
function divergentState(ops: number, strategy: Strategy): { state: SimState; now: number } {
  let now = 1_000_000;
  let state = createInitialState(7);
  const people = Array.from({ length: 20 }, (_, i) => `p${i}`);
  for (const id of people) state = must(state, { type: 'participant.join', participantId: id, name: id }, now);
  state = must(state, { type: 'link.configure', latencyMs: 50, jitterMs: 0 }, now);
  state = must(state, { type: 'strategy.set', strategy }, now);
  state = must(state, { type: 'clock.skew', dc: 'east', skewMs: -3000 }, now);
  const shared: string[] = [];
  for (let i = 0; i < 200; i += 1) {
    const opId = `shared-${String(i).padStart(6, '0')}`;
    state = must(state, { type: 'post.create', opId, participantId: people[i % 20] ?? 'p0', parentId: null, text: `shared ${i}` }, now);
    shared.push(opId);
  }
  now += 1000;
  state = must(state, { type: 'tick' }, now);
  state = must(state, { type: 'link.mode', mode: 'cut' }, now);
  let n = 0;
  for (let i = 0; i < ops * 2; i += 1) {
    now += 1;
    const who = people[i % 20] ?? 'p0';
    const target = shared[(i * 7) % shared.length] ?? 'pinned';
    const opId = `op-${String((n += 1)).padStart(8, '0')}`;
    const kind = i % 4;
    const command: Command =
      kind < 2
        ? { type: 'post.create', opId, participantId: who, parentId: null, text: `new ${i}` }
        : kind === 2
          ? { type: 'post.like', opId, participantId: who, postId: target }
          : { type: 'post.edit', opId, participantId: who, postId: 'pinned', text: `edit ${i}` };
    state = must(state, command, now);
  }
  return { state, now: now + 1000 };
}

for (const ops of sizes) {
  const buildStart = performance.now();
  // Built once: the strategy only matters at the heal, so the same divergent state serves all three.
  const once = divergentState(ops, 'lww');
  const built = Object.fromEntries(STRATEGIES.map((s) => [s, { state: { ...once.state, strategy: s }, now: once.now }])) as Record<Strategy, { state: SimState; now: number }>;
  const buildMs = performance.now() - buildStart;
  const previewTimes: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const t0 = performance.now();
    previewHeal(built.lww.state, built.lww.now);
    previewTimes.push(performance.now() - t0);
  }
  const line = [`${ops} ops per side (${inFlightMessages(built.lww.state).length} held; built in ${(buildMs / 1000).toFixed(1)} s):`, `preview (all three) median ${median(previewTimes).toFixed(1)} ms`];
  for (const strategy of STRATEGIES) {
    const { state, now } = built[strategy];
    const times: number[] = [];
    for (let run = 0; run < 5; run += 1) {
      const t0 = performance.now();
      const result = step(state, { type: 'link.mode', mode: 'up' }, { now });
      times.push(performance.now() - t0);
      if (!result.ok) throw new Error('heal refused');
    }
    line.push(`heal ${strategy} median ${median(times).toFixed(1)} ms`);
  }
  console.log(line.join(' | '));
}
