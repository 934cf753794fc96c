/**
 * The consensus view of one session: Raft and naive failover on the five nodes, driven by the
 * same cut as the feeds, played on a simulated clock the instructor can pause, step, rewind and
 * slow down. Not part of the op log: it is a live demonstration, and a restart starts a fresh
 * election under the current cut. Step back is looking at an earlier kept state.
 */
import type { ConsensusAnalysis, ConsensusFrame } from '../protocol/index.ts';
import {
  CLUSTER_NODE_DC,
  createNaive,
  createRaft,
  leaders,
  messagesInFlight,
  naiveStep,
  nextEventAt,
  otherProtocols,
  partitionView,
  primaries,
  raftNodeViews,
  raftStep,
  toyDiagnosis,
  type ClusterInput,
  type ClusterNodeId,
  type Cut,
  type NaiveState,
  type RaftState,
} from '../sim/raft/index.ts';
import { describe } from './consensus-log.ts';

interface Snapshot {
  readonly raft: RaftState;
  readonly naive: NaiveState;
  readonly log: readonly string[];
}

/** Frames per real second while playing; the board animates between them. */
const FPS = 10;
/** Kept frames for "Step back": 60 s of play at 10 fps. */
const HISTORY = 600;
const LOG_LINES = 8;

export class ConsensusRuntime {
  private current: Snapshot;
  private readonly history: Snapshot[] = [];
  private timer: NodeJS.Timeout | null = null;
  private paused = false;
  private speed = 0.25;
  private analysisCache: ConsensusAnalysis | null = null;

  constructor(
    private readonly seed: number,
    cut: Cut,
    private readonly onFrame: (frame: ConsensusFrame) => void,
    private readonly onAnalysis: (analysis: ConsensusAnalysis) => void,
  ) {
    this.current = ConsensusRuntime.cluster(seed, cut);
  }

  private static cluster(seed: number, cut: Cut): Snapshot {
    let raft = createRaft(seed, 0);
    let naive = createNaive(0);
    if (cut !== 'none') {
      raft = raftStep(raft, { type: 'setCut', cut }, { now: 0 }).state;
      naive = naiveStep(naive, { type: 'setCut', cut }, { now: 0 }).state;
    }
    return { raft, naive, log: [] };
  }

  /**
   * "Restart the scenario": a clean cluster under the current cut, played event by event until its
   * first leader is elected (term 1 on a whole cluster), then paused until the instructor presses
   * Play, so the class watches the split from a known start rather than term 41.
   */
  private fresh(): void {
    const cut = this.current.raft.cut;
    let { raft, naive } = ConsensusRuntime.cluster(this.seed, cut);
    // A split vote would put the first leader in term 2 or later: try the next seeds for a clean term-1 election.
    for (let attempt = 0; attempt < 20; attempt += 1) {
      ({ raft, naive } = ConsensusRuntime.cluster(this.seed + attempt, cut));
      for (let i = 0; i < 1000 && leaders(raft).length === 0 && nextEventAt(raft) !== null; i += 1) {
        raft = raftStep(raft, { type: 'next' }, { now: raft.now }).state;
        naive = naiveStep(naive, { type: 'advance', to: raft.now }, { now: raft.now }).state;
      }
      if (leaders(raft).some((id) => raft.nodes[id].term === 1)) break;
    }
    const elected = leaders(raft).map((id) => `${id} is leader of term ${raft.nodes[id].term}`);
    this.current = { raft, naive, log: [`A fresh cluster${elected.length > 0 ? `: ${elected.join(', ')}` : ''}`] };
    this.history.length = 0;
    this.paused = true;
    this.refreshAnalysis();
  }

  /** Starts playing frames (when someone watches); idempotent. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (!this.paused) this.apply({ type: 'advance', to: this.current.raft.now + (1000 / FPS) * this.speed });
    }, 1000 / FPS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  setCut(cut: Cut): void {
    if (cut === this.current.raft.cut) return;
    this.apply({ type: 'setCut', cut });
    this.refreshAnalysis();
  }

  control(
    action:
      | { action: 'pause' | 'resume' | 'step' | 'back' | 'fresh' }
      | { action: 'speed'; speed: number }
      | { action: 'crash' | 'restart'; node: ClusterNodeId }
      | { action: 'write'; value: string },
  ): ConsensusFrame {
    switch (action.action) {
      case 'fresh':
        this.fresh();
        break;
      case 'pause':
        this.paused = true;
        break;
      case 'resume':
        this.paused = false;
        break;
      case 'speed':
        this.speed = action.speed;
        break;
      case 'step':
        // One event: the earliest timer or delivery, in both simulations.
        this.paused = true;
        if (nextEventAt(this.current.raft) !== null) this.apply({ type: 'next' });
        break;
      case 'back': {
        this.paused = true;
        const previous = this.history.pop();
        if (previous) this.current = previous;
        break;
      }
      case 'crash':
      case 'restart':
        this.apply({ type: action.action, node: action.node });
        this.refreshAnalysis();
        break;
      case 'write':
        this.apply({ type: 'clientWrite', value: action.value });
        break;
      default: {
        const unknown: never = action;
        throw new Error(`unknown consensus action ${JSON.stringify(unknown)}`);
      }
    }
    const frame = this.frame();
    this.onFrame(frame);
    return frame;
  }

  /**
   * A class write accepted in datacenter `dc` goes to the leader its clients can reach: during a
   * split, a West write reaches only West's nodes, so an old leader there takes it and can never
   * commit it (it is discarded on heal), while East's leader commits with its majority.
   */
  classWrite(value: string, dc: 'west' | 'east'): void {
    const { raft } = this.current;
    const mine = leaders(raft).filter((id) => CLUSTER_NODE_DC[id] === dc);
    const node = mine.sort((a, b) => raft.nodes[b].term - raft.nodes[a].term)[0];
    if (node) this.apply({ type: 'clientWrite', value, node });
    else if (raft.cut === 'none') this.apply({ type: 'clientWrite', value });
    else this.apply({ type: 'clientWrite', value, node: dc === 'west' ? 'A' : 'C' });
  }

  frame(): ConsensusFrame {
    const { raft, naive, log } = this.current;
    const primaryIds = primaries(naive);
    return {
      simNow: Math.round(raft.now),
      paused: this.paused,
      speed: this.speed,
      cut: raft.cut,
      history: this.history.length,
      raft: {
        nodes: raftNodeViews(raft).map((n) => ({ ...n })),
        messages: messagesInFlight(raft).map((m) => ({ seq: m.message.seq, from: m.message.from, to: m.message.to, kind: m.message.rpc.kind, progress: m.progress, blocked: m.blocked })),
        leaders: leaders(raft).map((id) => ({ id, term: raft.nodes[id].term })),
      },
      naive: {
        nodes: Object.values(naive.nodes).map((n) => ({ id: n.id, dc: CLUSTER_NODE_DC[n.id], role: n.crashed ? 'crashed' : n.role, primary: n.primary, writes: n.writes.length })),
        primaries: primaryIds,
      },
      log: [...log],
    };
  }

  /** The protocol card and the toy-rule diagnosis (tens of ms): on a cut or crash, not per frame. */
  analysis(): ConsensusAnalysis {
    if (!this.analysisCache) {
      const { raft } = this.current;
      const crashed = Object.values(raft.nodes).filter((n) => n.crashed).map((n) => n.id);
      this.analysisCache = {
        protocols: otherProtocols(partitionView(raft.cut, crashed)).map((l) => ({ protocol: l.protocol, verdict: l.verdict, line: l.line })),
        toy: toyDiagnosis(raft).map((f) => ({ id: f.fault.id, title: f.fault.title, description: f.fault.description, summary: f.summary, differs: f.differs })),
      };
    }
    return this.analysisCache;
  }

  private refreshAnalysis(): void {
    this.analysisCache = null;
    setImmediate(() => this.onAnalysis(this.analysis()));
  }

  /** Applies one input to both simulations at Raft's time, keeps the previous state for "Step back". */
  private apply(input: ClusterInput): void {
    const { raft, naive, log } = this.current;
    const r = raftStep(raft, input, { now: raft.now });
    const n = naiveStep(naive, input.type === 'next' ? { type: 'advance', to: r.state.now } : input, { now: r.state.now });
    const lines = [
      ...r.events.map((e) => describe(e, 'Raft: ')),
      ...n.events.map((e) => describe(e, 'Naive: ')),
    ].filter((line): line is string => line !== null);
    const fresh = [...new Set(lines)]; // a crash is told by both simulations: say it once
    this.history.push(this.current);
    if (this.history.length > HISTORY) this.history.shift();
    this.current = { raft: r.state, naive: n.state, log: [...log, ...fresh].slice(-LOG_LINES) };
    this.onFrame(this.frame());
  }
}
