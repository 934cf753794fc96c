/**
 * The consensus view of one session, live: Raft and naive failover on the five nodes, driven by
 * its journal in the op log (consensus-journal.ts) and played by the pure player (sim/raft/player.ts).
 * This adapter only keeps the player up to date as commits arrive, caches the position it last
 * showed, and sends frames while a board or admin page watches. Its view at any wall time is what
 * a fresh replay of the journal to that time gives (SCR1), so a restart restores it and a scrub shows it.
 */
import type { ConsensusAnalysis, ConsensusFrame } from '../protocol/index.ts';
import type { SimEvent, SimState } from '../sim/index.ts';
import { FRAME_MS, advance, play, positionAt, simAt, type Cluster, type Cut, type PlayInput, type Player } from '../sim/raft/index.ts';
import { inputsOf, type LiveStart } from './consensus-journal.ts';
import { analysisKey, analysisView, frameView } from './consensus-view.ts';
import type { Clock } from './session-runtime.ts';

/** Positions kept since the last input (5 s of frames): a commit that arrives after a frame went past its time starts from one. */
const RECENT = 50;

interface Commit {
  readonly at: number;
  readonly events: readonly SimEvent[];
  readonly state: SimState;
}

export class ConsensusRuntime {
  private player: Player | null = null;
  /** The position last shown: a cache of `positionAt(player, ...)`. */
  private here: Cluster | null = null;
  private recent: Cluster[] = [];
  /**
   * Commits that arrived while the journal was being read; those at or before `through` (the last
   * entry read) are in it. Known gap: a commit stored in the same millisecond as that entry but
   * after the read is skipped by the live view (a replay, a scrub and a restart still have it).
   */
  private waiting: Commit[] | null = [];
  private through = -Infinity;
  private told: Cut = 'none';
  private timer: NodeJS.Timeout | null = null;
  private analysis: { key: string; view: ConsensusAnalysis } | null = null;

  constructor(
    private readonly clock: Clock,
    /** Told of each frame while someone watches (`watched`). */
    private readonly onFrame: (frame: ConsensusFrame) => void,
    private readonly onAnalysis: (analysis: ConsensusAnalysis) => void,
    private readonly watched: () => boolean = () => true,
  ) {}

  /** Starts from the journal read from the stored log (its view a moment ago), then plays the commits that came meanwhile. */
  load(start: LiveStart): void {
    this.player = start.player;
    this.here = start.here;
    this.told = start.cut;
    this.through = start.through;
    const waiting = this.waiting ?? [];
    this.waiting = null;
    for (const commit of waiting) this.committed(commit.at, commit.events, commit.state);
  }

  get loaded(): boolean {
    return this.player !== null;
  }

  /** Told of every commit of the session (broadcast.ts), in commit order, with its server time. */
  committed(at: number, events: readonly SimEvent[], state: SimState): void {
    if (this.waiting) {
      this.waiting.push({ at, events, state });
      return;
    }
    if (at <= this.through) return;
    const made = inputsOf(events, state, this.told);
    this.told = made.cut;
    for (const input of made.inputs) this.input(at, input);
  }

  /**
   * Runs the view along with the clock, a frame at a time, and sends the frames while someone
   * watches. It keeps running unwatched: a look after an hour would otherwise run the hour at once.
   */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (!this.player || this.player.paused) return;
      if (this.watched()) this.onFrame(this.frame());
      else this.here = positionAt(this.player, this.clock(), this.here ?? undefined);
      if (this.here) this.recent = [...this.recent.slice(1 - RECENT), this.here];
    }, FRAME_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The view now. */
  frame(): ConsensusFrame {
    const player = this.loadedPlayer();
    this.here = positionAt(player, this.clock(), this.here ?? undefined);
    this.checkAnalysis(this.here);
    return frameView(player, this.here);
  }

  /** The protocol card and the toy-rule diagnosis of the view now, recomputed only when the cut or a crash changed. */
  analysisNow(): ConsensusAnalysis {
    const raft = (this.here ?? positionAt(this.loadedPlayer(), this.clock())).raft;
    const key = analysisKey(raft);
    if (this.analysis?.key !== key) this.analysis = { key, view: analysisView(raft) };
    return this.analysis.view;
  }

  private loadedPlayer(): Player {
    if (!this.player) throw new Error('the consensus view is not loaded yet');
    return this.player;
  }

  /** One input at server time `at`, from the newest shown position at or before that moment. */
  private input(at: number, input: PlayInput): void {
    const player = this.loadedPlayer();
    const to = simAt(player, at);
    const shown = [this.here, ...[...this.recent].reverse()].find((c) => c !== null && c.raft.now <= to && c.raft.now >= player.base.raft.now);
    this.player = play(player, input, at, advance(shown ?? player.base, to));
    this.here = null;
    this.recent = [];
    // Unwatched, no frame is built per class write: the timer (or the next look) plays on from the new base.
    if (this.watched()) this.onFrame(this.frame());
  }

  private checkAnalysis(here: Cluster): void {
    if (this.analysis === null || this.analysis.key === analysisKey(here.raft)) return;
    this.analysis = null;
    setImmediate(() => this.onAnalysis(this.analysisNow()));
  }
}
