/** Session domain: create a session, join it as a student, watch it as the board or the instructor, roam (FO1). */
import { randomInt, randomUUID } from 'node:crypto';
import { schemas, type StudentSnapshot } from '../../protocol/index.ts';
import { DuplicateCodeError } from '../../persistence/store.ts';
import type { Participant, SimState } from '../../sim/index.ts';
import {
  fail,
  mayLookUp,
  refused,
  register,
  requester,
  tooFast,
  tooManyPeople,
  withEnd,
  wrongGuess,
  type AppSocket,
  type Hub,
} from '../hub.ts';
import { attachClassView, attachStudent, studentOf } from '../presence.ts';
import { route } from '../route.ts';
import { SessionRuntime } from '../session-runtime.ts';
import { hashSecret, newJoinCode, newSecret, secretMatches } from '../secrets.ts';
import { classSnapshot, studentSnapshot } from '../views.ts';

/** A student's snapshot, holding back what their side cannot read (CAP4). */
export function snapshotFor(hub: Hub, runtime: SessionRuntime, state: SimState, me: Participant): StudentSnapshot {
  return withEnd(runtime, studentSnapshot(runtime.code, state, me, hub.clock(), hub.readable.view(runtime.record.id, state, me.home)));
}

function classSnapshotOf(hub: Hub, runtime: SessionRuntime) {
  return withEnd(runtime, classSnapshot(runtime.code, runtime.state, runtime.timeline, (id) => runtime.isOnline(id), hub.clock(), (id) => runtime.bots.has(id)));
}

export function sessionHandlers(hub: Hub, socket: AppSocket): void {
  const { store, guard, clock } = hub;

  route(hub, socket, 'session:create', schemas.sessionCreate, async () => {
    if (!(await guard.take('create', requester(hub, socket)))) return tooFast();
    const secret = newSecret();
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const record = { id: randomUUID(), code: newJoinCode(), secretHash: hashSecret(secret), seed: randomInt(2 ** 31), createdAt: clock() };
      try {
        await store.createSession(record);
      } catch (error) {
        if (error instanceof DuplicateCodeError) continue;
        throw error;
      }
      register(hub, SessionRuntime.fromLog(record, [], store, clock, hub.hooks));
      return { ok: true, data: { code: record.code, secret } };
    }
    return fail('internal', 'Could not find a free join code; try again.');
  });

  route(hub, socket, 'session:join', schemas.sessionJoin, async ({ code, name, token }) => {
    if (!(await mayLookUp(hub, socket))) return tooFast();
    const runtime = hub.byCode.get(code);
    if (!runtime) return wrongGuess(hub, socket, fail('unknown_session', `No session has the code ${code}.`));
    const people = hub.connections.get(socket)?.people ?? new Set<string>();
    let participantId: string | null = null;
    if (token) {
      const found = await store.findParticipantByToken(runtime.record.id, hashSecret(token));
      if (found && runtime.state.participants.has(found)) participantId = found;
    }
    let keptToken = token;
    if (participantId && !people.has(participantId) && !guard.allowsParticipant(people.size)) return tooManyPeople();
    if (!participantId) {
      if (!name) return wrongGuess(hub, socket, fail('not_joined', 'Your place in this session was not found: join again with a name.'));
      if (!guard.allowsParticipant(people.size)) return tooManyPeople();
      participantId = randomUUID();
      keptToken = newSecret();
      const outcome = await runtime.execute({ type: 'participant.join', participantId, name }, `join-${participantId}`, {
        participantId,
        tokenHash: hashSecret(keptToken),
      });
      if (!outcome.ok) return refused(outcome.error);
    }
    const participant = runtime.state.participants.get(participantId);
    if (!participant || !keptToken) return fail('internal', 'Joining failed; please try again.');
    people.add(participantId);
    attachStudent(hub, socket, runtime, participant);
    return { ok: true, data: { token: keptToken, snapshot: snapshotFor(hub, runtime, runtime.state, participant) } };
  });

  route(hub, socket, 'board:watch', schemas.boardWatch, async ({ code }) => {
    if (!(await mayLookUp(hub, socket))) return tooFast();
    const runtime = hub.byCode.get(code);
    if (!runtime) return wrongGuess(hub, socket, fail('unknown_session', `No session has the code ${code}.`));
    attachClassView(hub, socket, runtime, false);
    return { ok: true, data: classSnapshotOf(hub, runtime) };
  });

  route(hub, socket, 'admin:watch', schemas.adminWatch, async ({ code, secret }) => {
    if (!(await mayLookUp(hub, socket))) return tooFast();
    const runtime = hub.byCode.get(code);
    if (!runtime || !secretMatches(secret, runtime.record.secretHash)) {
      return wrongGuess(hub, socket, fail('forbidden', 'That instructor link is not valid for this session.'));
    }
    attachClassView(hub, socket, runtime, true);
    return { ok: true, data: classSnapshotOf(hub, runtime) };
  });

  route(hub, socket, 'me:switch', schemas.meSwitch, async () => {
    const who = studentOf(hub, socket);
    if (!who) return fail('not_joined', 'Join the session first.');
    // Every switch is stored: it spends a write (SEC5).
    if (!(await guard.take('write', requester(hub, socket, who.participant.id)))) return tooFast();
    const outcome = await who.runtime.execute({ type: 'participant.switch', participantId: who.participant.id }, `switch-${randomUUID()}`);
    if (!outcome.ok) return refused(outcome.error);
    const me = outcome.state.participants.get(who.participant.id);
    if (!me) return fail('internal', 'Switching failed; please try again.');
    attachStudent(hub, socket, who.runtime, me);
    return { ok: true, data: snapshotFor(hub, who.runtime, outcome.state, me) };
  });
}
