/**
 * Heal again, another way: the core keeps, at each heal, the state just before it (a persistent
 * state, so keeping it costs O(1)) and the commands accepted after it. `heal.rewind` restores that
 * state (the link cut again, as it was) and queues the later writes; the next heal replays them,
 * in their original order, right after it. A list of attempts lets the class compare the
 * strategies on one history. All of it is state, so a replayed log reaches it again (REL1).
 */
import { List } from 'immutable';
import type { Command, Ctx, HealReport, SimEvent, SimState, StepResult, Strategy } from './types.ts';

/** A command that was refused when it was replayed after a heal, and why. */
export interface ReplayRefusal {
  readonly command: Command;
  readonly code: string;
  readonly message: string;
}

/** One heal of one history: its strategy and report, and what it replayed of a rewound heal's writes. */
export interface HealAttempt {
  /** The heal's number in the session (1, 2, ...): `heal.rewind` names it. */
  readonly index: number;
  readonly strategy: Strategy;
  readonly at: number;
  readonly report: HealReport;
  /** Writes made after the rewound heal, replayed after this one in their original order. */
  readonly replayed: number;
  readonly refused: readonly ReplayRefusal[];
  /** Set once this heal has been rewound. */
  readonly rewound: boolean;
}

/** Everything rewinding needs, kept in the state. */
export interface RewindLedger {
  /** Heals so far in this session (an attempt's index is this count after it). */
  readonly heals: number;
  /** The last heal, while it can be rewound: the state just before it (with an empty ledger). */
  readonly lastHeal: { readonly index: number; readonly at: number; readonly before: SimState } | null;
  /** Commands accepted since the last heal that a rewind carries over, in order. */
  readonly afterHeal: List<Command>;
  /** Writes of a rewound heal, waiting for the next heal to replay them. */
  readonly queued: List<Command>;
  /** The heals of the current history: a heal that follows a rewind adds one, any other starts over. */
  readonly attempts: List<HealAttempt>;
  /** A rewind happened since the last heal: the next heal is another attempt on the same history. */
  readonly rewound: boolean;
  /** Rewinds so far, for the export. */
  readonly rewinds: List<{ readonly index: number; readonly at: number; readonly queued: number }>;
}

export const NO_REWIND: RewindLedger = { heals: 0, lastHeal: null, afterHeal: List(), queued: List(), attempts: List(), rewound: false, rewinds: List() };

type Step = (state: SimState, command: Command, ctx: Ctx) => StepResult;

/** Commands a rewind carries over the heal it undoes: what people did, not what the instructor set. */
function carried(command: Command): boolean {
  switch (command.type) {
    case 'participant.join':
    case 'post.create':
    case 'post.edit':
    case 'post.delete':
    case 'post.like':
    case 'post.unlike':
    case 'conflict.resolve':
    case 'participant.move':
    case 'participant.switch':
      return true;
    default:
      return false;
  }
}

/** Records an accepted command that changed something, while there is a heal it could be carried over. */
export function noteCommand(state: SimState, command: Command, events: readonly SimEvent[]): SimState {
  const ledger = state.rewind;
  if (ledger.lastHeal === null || events.length === 0 || !carried(command)) return state;
  return { ...state, rewind: { ...ledger, afterHeal: ledger.afterHeal.push(command) } };
}

/**
 * Called by the link's heal path with the state before the command and after the heal. When a
 * heal happened, keeps `before` for a rewind, adds the attempt, and replays the queued writes of
 * a rewound heal through `step`, in their original order, at the heal's time.
 */
export function afterHeal(
  before: SimState,
  healed: { state: SimState; events: SimEvent[] },
  now: number,
  step: Step,
): { state: SimState; events: SimEvent[] } {
  const resolved = healed.events.find((e) => e.type === 'heal.resolved');
  if (!resolved) return healed;
  const ledger = before.rewind;
  const index = ledger.heals + 1;
  // Replayed with no heal to carry them over, so none is noted twice: all of them, refused ones
  // included, are carried again if this heal is rewound too, still in their original order.
  let state: SimState = { ...healed.state, rewind: { ...ledger, heals: index, lastHeal: null, afterHeal: List(), queued: List(), rewound: false } };
  const events = [...healed.events];
  const refused: ReplayRefusal[] = [];
  let replayed = 0;
  for (const command of ledger.queued) {
    const result = step(state, command, { now });
    if (!result.ok) {
      refused.push({ command, code: result.error.code, message: result.error.message });
      continue;
    }
    replayed += 1;
    state = result.state;
    events.push(...result.events);
  }
  state = { ...state, rewind: { ...state.rewind, lastHeal: { index, at: now, before: { ...before, rewind: NO_REWIND } }, afterHeal: ledger.queued } };
  const attempt: HealAttempt = { index, strategy: resolved.report.strategy, at: now, report: resolved.report, replayed, refused, rewound: false };
  const attempts = ledger.rewound ? ledger.attempts.push(attempt) : List([attempt]);
  return { state: { ...state, rewind: { ...state.rewind, attempts } }, events };
}

/**
 * `heal.rewind`: back to just before heal `healIndex` (the last one). The state before it comes
 * back, link cut included; people who joined since stay; every other write made since waits for
 * the next heal. Time does not go back: `now` stays.
 */
export function rewind(state: SimState, healIndex: number, now: number, step: Step): StepResult {
  const ledger = state.rewind;
  const last = ledger.lastHeal;
  if (!last || last.index !== healIndex) {
    return { ok: false, error: { code: 'invalid', message: last ? `Only the last heal (heal ${last.index}) can be rewound.` : 'There is no heal to rewind.' } };
  }
  const attempts = ledger.attempts.map((a) => (a.index === healIndex ? { ...a, rewound: true } : a));
  const queued = ledger.afterHeal.filter((c) => c.type !== 'participant.join');
  let next: SimState = {
    ...last.before,
    now,
    rewind: { ...ledger, lastHeal: null, afterHeal: List(), queued, attempts, rewound: true, rewinds: ledger.rewinds.push({ index: healIndex, at: now, queued: queued.size }) },
  };
  const events: SimEvent[] = [{ type: 'heal.rewound', healIndex, healAt: last.at, queued: queued.size }];
  // People who joined after the heal keep their place: their later writes need them.
  for (const command of ledger.afterHeal) {
    if (command.type !== 'participant.join') continue;
    const joined = step(next, command, { now });
    if (joined.ok) {
      next = joined.state;
      events.push(...joined.events);
    }
  }
  events.push({ type: 'settings.changed' });
  return { ok: true, state: next, events };
}
