/**
 * The consensus view's journal is the op log. Its inputs are facts the log already holds, each at
 * its entry's time: the instructor's actions on the view (`consensus.act`, which the core only
 * notes), the cut the feeds' link makes (any entry that changes the link's mode), and the class's
 * writes (each post or edit a datacenter accepted). Keeping them in the log, not beside it, means
 * one durable, ordered record with one time axis: a restart, an export and import, and a scrub all
 * replay the same prefix, and nothing new has to be stored or migrated. The simulated time of each
 * input is a function of the journal before it (player.ts), so it is not stored either.
 */
import type { LogEntry } from '../persistence/store.ts';
import { createInitialState, ownCollections, replayStep, type SimEvent, type SimState } from '../sim/index.ts';
import { advance, createPlayer, cutOfLinkMode, play, simAt, type Cluster, type Cut, type PlayInput, type Player } from '../sim/raft/index.ts';
import type { SessionRuntime } from './session-runtime.ts';

export interface TimedInput {
  /** The log entry's server time. */
  readonly at: number;
  readonly input: PlayInput;
}

/** The live view's start (`ConsensusJournal.start`). */
export interface LiveStart {
  readonly player: Player;
  readonly here: Cluster;
  readonly cut: Cut;
  /** The time of the last entry read: a live commit at or before it is already played. */
  readonly through: number;
}

/** Inputs between two kept players: the most a scrub plays again. */
const CHECKPOINT_EVERY = 64;
/**
 * Simulated ms between two kept positions of one stretch of play: a stretch of an hour (900 s at
 * the default speed, a second or more of CPU) is run once, in slices that let the server breathe,
 * and a later look anywhere in it runs at most this much.
 */
const SLICE = 20_000;
/** Log entries read between two breaths. */
const READ_SLICE = 1000;
/** Stretches whose positions are kept (the newest looked at). */
const STRETCHES = 16;

const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Stretch {
  readonly player: Player;
  /** The player's positions at each multiple of SLICE from its base on, in order. */
  readonly kept: Cluster[];
}

/**
 * The consensus inputs one accepted command made, in order, given the cut the view was last told;
 * the same function reads the live commits (broadcast) and the stored log (replay).
 */
export function inputsOf(events: readonly SimEvent[], state: SimState, cut: Cut): { inputs: PlayInput[]; cut: Cut } {
  const inputs: PlayInput[] = [];
  let told = cut;
  const cutNow = () => {
    const next = cutOfLinkMode(state.link.mode);
    if (next === told) return;
    inputs.push({ kind: 'cut', cut: next });
    told = next;
  };
  for (const event of events) {
    if (event.type === 'op.applied' && event.local && (event.op.kind === 'create' || event.op.kind === 'edit')) {
      inputs.push({ kind: 'classWrite', value: `${event.op.kind === 'create' ? 'post' : 'edit'}: ${(event.op.text ?? '').slice(0, 24)}`, dc: event.dc });
    } else if (event.type === 'consensus.acted') {
      inputs.push({ kind: 'act', act: event.act });
    } else if (event.type === 'settings.changed' || event.type === 'session.reset' || event.type === 'heal.rewound' || event.type === 'incident.replayed') {
      cutNow();
    }
  }
  cutNow();
  return { inputs, cut: told };
}

/** One session's consensus journal, read from its stored log by a fresh core, with kept players for scrubbing. */
export class ConsensusJournal {
  private count = 0;
  private core: SimState;
  private told: Cut = 'none';
  private readonly inputs: TimedInput[] = [];
  /** The player after each CHECKPOINT_EVERY inputs. */
  private readonly kept: Player[];
  /** Kept positions of the stretches after the first `n` inputs, by `n`. */
  private readonly stretches = new Map<number, Stretch>();
  private reading: Promise<void> = Promise.resolve();
  /** The time of the last entry read: a live commit at or before it is already in the journal. */
  private lastAt = -Infinity;

  constructor(
    readonly seed: number,
    readonly startedAt: number,
  ) {
    this.core = ownCollections(createInitialState(seed));
    this.kept = [createPlayer(seed, startedAt)];
  }

  /** Reads the entries of `log` it has not read yet (the log only grows), one reader at a time. */
  catchUp(log: readonly LogEntry[]): Promise<void> {
    this.reading = this.reading.then(() => this.read(log));
    return this.reading;
  }

  private async read(log: readonly LogEntry[]): Promise<void> {
    for (; this.count < log.length; this.count += 1) {
      if (this.count % READ_SLICE === READ_SLICE - 1) await breathe();
      const entry = log[this.count]!;
      this.lastAt = Math.max(this.lastAt, entry.at);
      // The journal owns its core state (never shared), so it replays as a restart does, in place.
      const result = replayStep(this.core, entry.command, { now: entry.at });
      this.core = result.state;
      if (result.error) continue;
      const made = inputsOf(result.events, result.state, this.told);
      this.told = made.cut;
      for (const input of made.inputs) this.inputs.push({ at: entry.at, input });
    }
  }

  /**
   * Where the live view starts: the view at `t`, with the cut last told and the time of the last
   * entry read, all of the same read (a scrub reading a newer log waits its turn).
   */
  start(t: number): Promise<LiveStart> {
    const started = this.reading.then(async () => ({ ...(await this.at(t)), cut: this.told, through: this.lastAt }));
    this.reading = started.then(() => undefined);
    return started;
  }

  /** The player after the first `n` inputs, from the nearest kept one (letting the server breathe between two kept ones). */
  private async playerAfter(n: number): Promise<Player> {
    const k = Math.min(Math.floor(n / CHECKPOINT_EVERY), this.kept.length - 1);
    let player = this.kept[k]!;
    for (let i = k * CHECKPOINT_EVERY; i < n; ) {
      const { at, input } = this.inputs[i]!;
      player = play(player, input, at);
      i += 1;
      if (i % CHECKPOINT_EVERY === 0) {
        if (i / CHECKPOINT_EVERY === this.kept.length) this.kept.push(player);
        if (i < n) await breathe();
      }
    }
    return player;
  }

  /**
   * The consensus view at server time `t`: every input up to `t` played, then the cluster run to
   * `t`, from the nearest kept position of that stretch.
   */
  async at(t: number): Promise<{ player: Player; here: Cluster }> {
    let lo = 0;
    let hi = this.inputs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.inputs[mid]!.at <= t) lo = mid + 1;
      else hi = mid;
    }
    let stretch = this.stretches.get(lo);
    if (!stretch) {
      stretch = { player: await this.playerAfter(lo), kept: [] };
      if (this.stretches.size >= STRETCHES) this.stretches.delete(this.stretches.keys().next().value!);
    }
    this.stretches.delete(lo);
    this.stretches.set(lo, stretch);
    const { player, kept } = stretch;
    const to = simAt(player, t);
    let here = player.base;
    for (const c of kept) {
      if (c.raft.now > to) break;
      here = c;
    }
    while (here.raft.now + SLICE < to) {
      here = advance(here, (Math.floor(here.raft.now / SLICE) + 1) * SLICE);
      if ((kept.at(-1)?.raft.now ?? -1) < here.raft.now) kept.push(here);
      await breathe();
    }
    return { player, here: advance(here, to) };
  }
}

const journals = new WeakMap<SessionRuntime, ConsensusJournal>();

/** The session's journal, caught up with `log` (the stored log, read by the caller). */
export async function journalOf(runtime: SessionRuntime, log: readonly LogEntry[]): Promise<ConsensusJournal> {
  let journal = journals.get(runtime);
  if (!journal) {
    journal = new ConsensusJournal(runtime.record.seed, runtime.record.createdAt);
    journals.set(runtime, journal);
  }
  await journal.catchUp(log);
  return journal;
}
