/**
 * The consensus view as a pure player of its journal: what the instructor did to it (play, pause,
 * step, back, crash, ...), the cuts the feeds' link made, and the class's writes, each applied at a
 * server (wall) time. Its simulated clock is a function of that journal, never of a timer: from the
 * last input on it runs at `speed` simulated ms per wall ms, or stands still while paused. So the
 * view at wall time t is what `play` of the inputs up to t then `positionAt(t)` gives, however often
 * (or seldom) anyone looked at it in between: `advance` to T in one step or in many is the same state.
 */
import { List } from 'immutable';
import { CLUSTER_NODE_DC, type ClusterDc, type ClusterInput, type ClusterNodeId, type Cut } from './cluster.ts';
import { createNaive, naiveStep, type NaiveEvent, type NaiveState } from './naive.ts';
import { createRaft, leaders, nextEventAt, raftStep, type RaftEvent, type RaftState } from './raft.ts';

/** What the instructor does to the consensus view (logged, so a replay does it at the same moment). */
export type ConsensusAct =
  | { readonly action: 'pause' | 'resume' | 'step' | 'back' | 'fresh' }
  | { readonly action: 'speed'; readonly speed: number }
  | { readonly action: 'crash' | 'restart'; readonly node: ClusterNodeId }
  | { readonly action: 'write'; readonly value: string };

/** One input of the journal. */
export type PlayInput =
  | { readonly kind: 'act'; readonly act: ConsensusAct }
  | { readonly kind: 'cut'; readonly cut: Cut }
  /** A class write accepted in datacenter `dc`: it goes to the leader its clients can reach. */
  | { readonly kind: 'classWrite'; readonly value: string; readonly dc: ClusterDc };

/** Something worth telling the class (the adapter words it); chatter such as votes and drops is left out. */
export type Told =
  | { readonly from: 'raft'; readonly event: RaftEvent }
  | { readonly from: 'naive'; readonly event: NaiveEvent }
  | { readonly from: 'fresh'; readonly leaders: readonly { readonly id: ClusterNodeId; readonly term: number }[] };

/** Both simulations at one simulated moment, and the newest things told. */
export interface Cluster {
  readonly raft: RaftState;
  readonly naive: NaiveState;
  readonly told: readonly Told[];
}

export interface Player {
  readonly seed: number;
  /** The clock's anchor: at wall time `wall` the simulated time was `sim` (>= base.raft.now). */
  readonly wall: number;
  readonly sim: number;
  readonly paused: boolean;
  /** Simulated ms per wall ms while playing. */
  readonly speed: number;
  /** The cluster right after the last input that changed it. */
  readonly base: Cluster;
  /** The positions just before each earlier change, newest last, for "Step back". */
  readonly kept: List<Cluster>;
}

/** One frame of the board's animation, in wall ms: "Step back" while playing goes back one. */
export const FRAME_MS = 100;
/** Changes "Step back" can undo. */
export const KEPT_CHANGES = 600;
/** Lines told. */
export const TOLD_LINES = 8;
export const DEFAULT_SPEED = 0.25;

const CHATTER: ReadonlySet<string> = new Set(['cutSet', 'voted', 'gaveUp', 'dropped', 'writeAccepted']);

function clusterOf(seed: number, cut: Cut): Cluster {
  let raft = createRaft(seed, 0);
  let naive = createNaive(0);
  if (cut !== 'none') {
    raft = raftStep(raft, { type: 'setCut', cut }, { now: 0 }).state;
    naive = naiveStep(naive, { type: 'setCut', cut }, { now: 0 }).state;
  }
  return { raft, naive, told: [] };
}

/** The view of a session that began at wall time `startedAt`: a whole cluster, playing from simulated 0. */
export function createPlayer(seed: number, startedAt: number): Player {
  return { seed, wall: startedAt, sim: 0, paused: false, speed: DEFAULT_SPEED, base: clusterOf(seed, 'none'), kept: List() };
}

/** The simulated time at wall time `wall` (never before the anchor). */
export function simAt(player: Player, wall: number): number {
  return player.paused ? player.sim : player.sim + Math.max(0, wall - player.wall) * player.speed;
}

/**
 * Both simulations' events merged by time (Raft first on a tie), chatter left out; a crash or
 * restart is told by Raft alone. Merging by time keeps what is told the same however the run is cut.
 */
function tell(told: readonly Told[], raft: readonly RaftEvent[], naive: readonly NaiveEvent[]): readonly Told[] {
  const r = raft.filter((e) => !CHATTER.has(e.type));
  const n = naive.filter((e) => !CHATTER.has(e.type) && e.type !== 'crashed' && e.type !== 'restarted');
  if (r.length === 0 && n.length === 0) return told;
  const merged: Told[] = [...told];
  let i = 0;
  let j = 0;
  while (i < r.length || j < n.length) {
    if (j >= n.length || (i < r.length && r[i]!.at <= n[j]!.at)) merged.push({ from: 'raft', event: r[i++]! });
    else merged.push({ from: 'naive', event: n[j++]! });
  }
  return merged.slice(-TOLD_LINES);
}

/** Runs both simulations up to simulated time `to` (a cluster already there is returned as it is). */
export function advance(cluster: Cluster, to: number): Cluster {
  if (to <= cluster.raft.now && to <= cluster.naive.now) return cluster;
  const r = raftStep(cluster.raft, { type: 'advance', to }, { now: to });
  const n = naiveStep(cluster.naive, { type: 'advance', to }, { now: to });
  return { raft: r.state, naive: n.state, told: tell(cluster.told, r.events, n.events) };
}

/**
 * The cluster at wall time `wall`. `from`, when given, is a position of the same player at or
 * before that moment (a cache: the board's last frame), so only the stretch after it is run.
 */
export function positionAt(player: Player, wall: number, from?: Cluster): Cluster {
  const to = simAt(player, wall);
  const start = from && from.raft.now <= to && from.raft.now >= player.base.raft.now ? from : player.base;
  return advance(start, to);
}

/** One input to both simulations at the cluster's own time; the position before it is kept for "Step back". */
function change(player: Player, here: Cluster, input: ClusterInput, wall: number, paused = player.paused): Player {
  const r = raftStep(here.raft, input, { now: here.raft.now });
  const n = naiveStep(here.naive, input.type === 'next' ? { type: 'advance', to: r.state.now } : input, { now: r.state.now });
  const base = { raft: r.state, naive: n.state, told: tell(here.told, r.events, n.events) };
  const kept = player.kept.size >= KEPT_CHANGES ? player.kept.shift().push(here) : player.kept.push(here);
  return { ...player, wall, sim: base.raft.now, paused, base, kept };
}

/**
 * "Restart the scenario": a clean cluster under the current cut, played event by event until its
 * first leader is elected (term 1 on a whole cluster), then paused until the instructor presses
 * Play, so the class watches the split from a known start rather than term 41.
 */
function fresh(player: Player, cut: Cut, wall: number): Player {
  let cluster = clusterOf(player.seed, cut);
  // A split vote would put the first leader in term 2 or later: try the next seeds for a clean term-1 election.
  for (let attempt = 0; attempt < 20; attempt += 1) {
    let { raft, naive } = clusterOf(player.seed + attempt, cut);
    for (let i = 0; i < 1000 && leaders(raft).length === 0 && nextEventAt(raft) !== null; i += 1) {
      raft = raftStep(raft, { type: 'next' }, { now: raft.now }).state;
      naive = naiveStep(naive, { type: 'advance', to: raft.now }, { now: raft.now }).state;
    }
    const elected = leaders(raft).map((id) => ({ id, term: raft.nodes[id].term }));
    cluster = { raft, naive, told: [{ from: 'fresh', leaders: elected }] };
    if (elected.some((l) => l.term === 1)) break;
  }
  return { ...player, wall, sim: cluster.raft.now, paused: true, base: cluster, kept: List() };
}

/** Where a class write goes: during a split, a West write reaches only West's nodes, so an old leader there takes it and can never commit it. */
function classWrite(raft: RaftState, value: string, dc: ClusterDc): ClusterInput {
  const mine = leaders(raft).filter((id) => CLUSTER_NODE_DC[id] === dc);
  const node = mine.sort((a, b) => raft.nodes[b].term - raft.nodes[a].term)[0];
  if (node) return { type: 'clientWrite', value, node };
  if (raft.cut === 'none') return { type: 'clientWrite', value };
  return { type: 'clientWrite', value, node: dc === 'west' ? 'A' : 'C' };
}

/**
 * Applies one input at wall time `wall` (inputs come in wall-time order). `here`, when given, is
 * the cluster at exactly that moment (the adapter's cache); otherwise it is computed.
 */
export function play(player: Player, input: PlayInput, wall: number, here: Cluster = positionAt(player, wall)): Player {
  const now = here.raft.now;
  const moved = { ...player, wall, sim: now };
  switch (input.kind) {
    case 'cut':
      return input.cut === here.raft.cut ? player : change(moved, here, { type: 'setCut', cut: input.cut }, wall);
    case 'classWrite':
      return change(moved, here, classWrite(here.raft, input.value, input.dc), wall);
    case 'act':
      break;
    default: {
      const unknown: never = input;
      throw new Error(`unknown consensus input ${JSON.stringify(unknown)}`);
    }
  }
  const act = input.act;
  switch (act.action) {
    case 'pause':
      return { ...moved, paused: true };
    case 'resume':
      return { ...moved, paused: false };
    case 'speed':
      return { ...moved, speed: act.speed };
    case 'step':
      // One event: the earliest timer or delivery, in both simulations.
      return nextEventAt(here.raft) === null ? { ...moved, paused: true } : change(moved, here, { type: 'next' }, wall, true);
    case 'back': {
      // Within the stretch since the last change: one frame back. At a change: the moment before it.
      if (now > player.base.raft.now) return { ...moved, paused: true, sim: Math.max(player.base.raft.now, now - FRAME_MS * player.speed) };
      const before = player.kept.last();
      if (!before) return { ...moved, paused: true };
      return { ...moved, paused: true, sim: before.raft.now, base: before, kept: player.kept.pop() };
    }
    case 'fresh':
      return fresh(player, here.raft.cut, wall);
    case 'crash':
    case 'restart':
      return change(moved, here, { type: act.action, node: act.node }, wall);
    case 'write':
      return change(moved, here, { type: 'clientWrite', value: act.value }, wall);
    default: {
      const unknown: never = act;
      throw new Error(`unknown consensus action ${JSON.stringify(unknown)}`);
    }
  }
}

/** How many times "Step back" can still go back. */
export function backSteps(player: Player, here: Cluster): number {
  return player.kept.size + (here.raft.now > player.base.raft.now ? 1 : 0);
}
