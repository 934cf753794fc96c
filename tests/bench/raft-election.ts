/**
 * How long the majority (East: C, D, E) takes to elect a new leader after a full split cuts off a
 * West leader, in simulated ms, over 1,000 seeds. Prints the median and p95.
 * Usage: node --import tsx tests/bench/raft-election.ts [seeds]   (default 1000)
 */
import { CLUSTER_NODE_DC, createRaft, leaders, raftStep, type RaftState } from '../../server/sim/raft/index.ts';
import { percentile } from './stats.ts';

const wanted = Number(process.argv[2] ?? 1000);
const SETTLE_MS = 2000;
const GIVE_UP_MS = 60_000;

const times: number[] = [];
let eastAlreadyLed = 0;
let seed = 0;
while (times.length < wanted) {
  seed += 1;
  let s: RaftState = raftStep(createRaft(seed, 0), { type: 'advance', to: SETTLE_MS }, { now: 0 }).state;
  const [old] = leaders(s);
  if (!old) throw new Error(`seed ${seed}: no leader after ${SETTLE_MS} ms`);
  // Only a West leader leaves the majority leaderless; an East leader just carries on (0 ms).
  if (CLUSTER_NODE_DC[old] === 'east') {
    eastAlreadyLed += 1;
    continue;
  }
  s = raftStep(s, { type: 'setCut', cut: 'full' }, { now: s.now }).state;
  const splitAt = s.now;
  let electedAt: number | null = null;
  // Events carry their own time, so stepping in 50 ms chunks still measures to the millisecond.
  while (electedAt === null && s.now - splitAt < GIVE_UP_MS) {
    const r = raftStep(s, { type: 'advance', to: s.now + 50 }, { now: s.now });
    s = r.state;
    for (const e of r.events) if (electedAt === null && e.type === 'elected' && CLUSTER_NODE_DC[e.node] === 'east') electedAt = e.at;
  }
  if (electedAt === null) throw new Error(`seed ${seed}: East elected nobody in ${GIVE_UP_MS} ms`);
  times.push(electedAt - splitAt);
}
times.sort((a, b) => a - b);
const mean = times.reduce((a, b) => a + b, 0) / times.length;
console.log(`Raft: East elects after a full split cuts off a West leader (${times.length} seeds; ${eastAlreadyLed} other seeds already had an East leader)`);
console.log(`  median ${percentile(times, 50)} ms   p95 ${percentile(times, 95)} ms   mean ${mean.toFixed(0)} ms   min ${times[0]} ms   max ${times[times.length - 1]} ms   (simulated)`);
