/**
 * Incident domain (INC2): the instructor replays the seed's incident at a size; the session's
 * runtime applies it in chunks, telling everyone in the session how far it is, then stores the one
 * command. The board and the admin page read its numbers from `class:counts` and `counts:changed`.
 */
import { randomUUID } from 'node:crypto';
import { schemas, type Ack, type ClassCountsView, type IncidentProgressView } from '../../protocol/index.ts';
import { heldCounts, startIncident, type Command, type LinkMode, type SimState } from '../../sim/index.ts';
import { countsView } from '../counts.ts';
import { fail, forbidden, refused, rooms, type AppSocket, type Hub } from '../hub.ts';
import { adminOf, classViewOf } from '../presence.ts';
import { route } from '../route.ts';
import type { SessionRuntime, StepOutcome } from '../session-runtime.ts';

type IncidentCommand = Extract<Command, { type: 'incident.replay' }>;

/** Script steps applied between two turns of the event loop: other sessions are served in between. */
const CHUNK = 5000;
/** A heal of at least this many held messages shows the progress bar. */
const BIG_HEAL = 2000;

type Progress = (phase: 'generating' | 'storing', done: number, total: number) => void;

/**
 * The incident's step in chunks of CHUNK script steps (the core's `startIncident`), telling how far
 * it is; the runtime yields to the event loop between chunks and stores the one command.
 */
function* incidentChunks(state: SimState, at: number, command: IncidentCommand, progress: Progress): Generator<void, StepOutcome> {
  const started = startIncident(state, command, at);
  if (!started.ok) return started;
  for (state = started.state; ; yield) {
    const step = started.run.advance(state, CHUNK);
    state = step.state;
    progress('generating', step.applied, step.total);
    if (step.done) {
      progress('storing', 0, 1);
      return { ok: true, state, events: step.events };
    }
  }
}

function tell(hub: Hub, runtime: SessionRuntime, progress: IncidentProgressView): void {
  hub.io.to(rooms.all(runtime.record.id)).emit('incident:progress', progress);
}

/**
 * A heal is one `link.mode up`: one step, so its progress is "healing" before and done after, for
 * a heal large enough to take a moment (an incident's). Wraps the admin's partition handler.
 */
export async function withHealProgress<T>(hub: Hub, socket: AppSocket, mode: LinkMode, act: () => Promise<Ack<T>>): Promise<Ack<T>> {
  const runtime = adminOf(hub, socket);
  const held = runtime ? heldCounts(runtime.state) : { west: 0, east: 0 };
  const total = held.west + held.east;
  if (!runtime || mode !== 'up' || total < BIG_HEAL) return act();
  tell(hub, runtime, { phase: 'healing', done: 0, total });
  try {
    return await act();
  } finally {
    tell(hub, runtime, { phase: 'healing', done: total, total });
  }
}

export function incidentHandlers(hub: Hub, socket: AppSocket): void {
  route(hub, socket, 'admin:incident', schemas.adminIncident, async ({ size }): Promise<Ack<ClassCountsView>> => {
    const runtime = adminOf(hub, socket);
    if (!runtime) return forbidden();
    // The session's seed decides the story; the run id keeps its op ids new for the session's life (REL5).
    const runId = `inc${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const command = { type: 'incident.replay', seed: runtime.record.seed, size, runId } as const;
    const outcome = await runtime.executeInChunks(command, `incident-${runId}`, (state, at) => incidentChunks(state, at, command, (phase, done, total) => tell(hub, runtime, { phase, done, total })));
    if (outcome.ok) tell(hub, runtime, { phase: 'storing', done: 1, total: 1 });
    return outcome.ok ? { ok: true, data: countsView(outcome.state, runtime.incident) } : refused(outcome.error);
  });

  route(hub, socket, 'class:counts', schemas.classCounts, () => {
    const runtime = classViewOf(hub, socket);
    if (!runtime) return Promise.resolve(fail('forbidden', 'The counts are for the board and the instructor.'));
    return Promise.resolve({ ok: true, data: countsView(runtime.state, runtime.incident) });
  });
}
