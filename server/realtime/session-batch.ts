/**
 * Group commit's first half (REL1): step each queued command on the state the previous one left,
 * and stage what must be stored. Nothing is committed or answered here; the runtime stores the
 * staged entries in one transaction, then commits and answers in order.
 */
import type { ParticipantToken, PendingEntry } from '../persistence/store.ts';
import { step, type Command, type SimEvent, type SimState } from '../sim/index.ts';
import type { CommandJob } from './job-queue.ts';
import type { Outcome, StepOutcome } from './runtime-types.ts';

/** What a socket asked for: the command, its idempotency key, and the token a join hands out. */
export interface Submitted {
  command: Command;
  key: string;
  token: ParticipantToken | undefined;
}
export type Job = CommandJob<Submitted, Outcome>;

/** A command that changes something is stored; one whose only effects are deliveries (a retry, a repeated join) is not. */
const changesSomething = (events: readonly SimEvent[]) => events.some((e) => !(e.type === 'op.applied' && !e.local));

export interface SteppedBatch {
  stepped: { job: Job; outcome: StepOutcome }[];
  /** The entries to store, numbered from the `seq` given. */
  staged: PendingEntry[];
}

/** Steps the batch from `state`; a command the core throws on is rejected and left out. */
export function stepBatch(state: SimState, batch: readonly Job[], seq: number, now: () => number): SteppedBatch {
  const staged: PendingEntry[] = [];
  const stepped: SteppedBatch['stepped'] = [];
  for (const job of batch) {
    const at = Math.max(now(), state.now);
    const { command, key, token } = job.command;
    let result;
    try {
      result = step(state, command, { now: at });
    } catch (error) {
      job.reject(error);
      continue;
    }
    stepped.push({ job, outcome: result });
    if (!result.ok) continue;
    state = result.state;
    if (changesSomething(result.events)) staged.push({ entry: { seq: seq++, key, at, command }, ...(token ? { token } : {}) });
  }
  return { stepped, staged };
}
