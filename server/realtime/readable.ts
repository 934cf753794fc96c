/**
 * CAP4: the server enforces R. While a datacenter cannot reach R nodes, a read there cannot
 * succeed, so its students get the last view that could be read (the feed as it was when reads
 * stopped), marked with that time, and nothing newer: not in a re-join, not in an ack, not pushed.
 * The core only says whether a side can read now; which view was last readable is kept here, per
 * session and side, from the committed states in order.
 */
import type { PostView } from '../protocol/index.ts';
import type { LogEntry } from '../persistence/store.ts';
import { DATACENTERS, createInitialState, quorumStatus, step, type DcId, type SimState } from '../sim/index.ts';
import { feedView } from './views.ts';

/** A side's feed as of the moment its reads stopped. */
export interface ReadableView {
  /** Server time of the last state that side could read. */
  asOf: number;
  posts: readonly PostView[];
  byId: ReadonlyMap<string, PostView>;
}

function capture(state: SimState, dc: DcId): ReadableView {
  const posts = feedView(state, dc);
  return { asOf: state.now, posts, byId: new Map(posts.map((p) => [p.id, p])) };
}

const canRead = (state: SimState, dc: DcId): boolean => quorumStatus(state, dc).canRead;

/** The last readable view of each side of each session whose side cannot read now. */
export class LastReadable {
  private readonly frozen = new Map<string, Partial<Record<DcId, ReadableView>>>();

  /**
   * Told of every committed state of a session in commit order. A side that stops reading keeps
   * this state's feed; one that reads again forgets it. A reset while reads are refused starts
   * the frozen view again from the reset state (what was before it is gone everywhere).
   */
  observe(sessionId: string, state: SimState, reset: boolean): void {
    const sides = this.frozen.get(sessionId) ?? {};
    for (const dc of DATACENTERS) {
      if (canRead(state, dc)) delete sides[dc];
      else if (!sides[dc] || reset) sides[dc] = capture(state, dc);
    }
    this.frozen.set(sessionId, sides);
  }

  /** Restores a side's view after a restart: the last state of the log that side could read. */
  restore(sessionId: string, seed: number, log: readonly LogEntry[]): void {
    let state = createInitialState(seed);
    for (const entry of log) {
      const result = step(state, entry.command, { now: entry.at });
      if (!result.ok) continue;
      this.observe(sessionId, result.state, result.events.some((e) => e.type === 'session.reset' || e.type === 'heal.rewound'));
      state = result.state;
    }
  }

  /**
   * What a student of `dc` may see: null while the side can read (the live feed), else the last
   * readable view (taken now if no commit has been observed since reads stopped).
   */
  view(sessionId: string, state: SimState, dc: DcId): ReadableView | null {
    if (canRead(state, dc)) return null;
    const sides = this.frozen.get(sessionId) ?? {};
    const kept = sides[dc] ?? capture(state, dc);
    sides[dc] = kept;
    this.frozen.set(sessionId, sides);
    return kept;
  }
}
