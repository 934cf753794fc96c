/** Session domain: create a session, join it as a student, watch it as the board or the instructor, roam (FO1). */
import { randomInt, randomUUID } from 'node:crypto';
import { schemas, type Ack } from '../../protocol/index.ts';
import { DuplicateCodeError } from '../../persistence/store.ts';
import {
  fail,
  mayLookUp,
  refused,
  register,
  requester,
  tooFast,
  tooManyPeople,
  wrongGuess,
  type AppSocket,
  type Hub,
} from '../hub.ts';
import { attachClassView, attachStudent, roleOf, studentOf } from '../presence.ts';
import { reportPage } from '../report.ts';
import { route } from '../route.ts';
import { SessionRuntime } from '../session-runtime.ts';
import { hashSecret, newJoinCode, newSecret, secretMatches } from '../secrets.ts';
import { classSnapshotOf, snapshotFor } from '../snapshots.ts';
import { windowPosts } from '../views.ts';

export { snapshotFor } from '../snapshots.ts';

/** The session behind a code, or the answer to give: still loading after a restart, or unknown. */
async function lookUp(hub: Hub, socket: AppSocket, code: string, unknown: Ack<never>): Promise<SessionRuntime | Ack<never>> {
  const runtime = hub.byCode.get(code);
  if (runtime) return runtime;
  if (hub.loading.has(code)) return fail('loading', 'This session is still loading; try again in a moment.');
  return wrongGuess(hub, socket, unknown);
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
    const runtime = await lookUp(hub, socket, code, fail('unknown_session', `No session has the code ${code}.`));
    if (!(runtime instanceof SessionRuntime)) return runtime;
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
    const runtime = await lookUp(hub, socket, code, fail('unknown_session', `No session has the code ${code}.`));
    if (!(runtime instanceof SessionRuntime)) return runtime;
    attachClassView(hub, socket, runtime, false);
    return { ok: true, data: classSnapshotOf(hub, runtime) };
  });

  route(hub, socket, 'admin:watch', schemas.adminWatch, async ({ code, secret }) => {
    if (!(await mayLookUp(hub, socket))) return tooFast();
    const denied = fail<never>('forbidden', 'That instructor link is not valid for this session.');
    const runtime = await lookUp(hub, socket, code, denied);
    if (!(runtime instanceof SessionRuntime)) return runtime;
    if (!secretMatches(secret, runtime.record.secretHash)) return wrongGuess(hub, socket, denied);
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

  route(hub, socket, 'feed:more', schemas.feedMore, ({ dc, before }) => {
    const role = roleOf(hub, socket);
    if (role.kind === 'none') return Promise.resolve(fail('not_joined', 'Join or watch the session first.'));
    const state = role.runtime.state;
    if (role.kind === 'student') {
      // A student reads their own side, and nothing while it cannot read (CAP4).
      if (dc !== role.participant.home) return Promise.resolve(fail('forbidden', 'You can only read your own datacenter.'));
      if (hub.readable.view(role.runtime.record.id, state, dc)) return Promise.resolve(fail('no_quorum', 'Your datacenter cannot read right now.'));
    }
    const page = windowPosts(state, dc, role.runtime.feed.window(state, dc, before));
    return Promise.resolve({ ok: true, data: { dc, ...page } });
  });

  route(hub, socket, 'heal:report-page', schemas.healReportPage, ({ list, offset }) => {
    const role = roleOf(hub, socket);
    if (role.kind !== 'board' && role.kind !== 'admin') return Promise.resolve(fail('forbidden', 'The full report is for the board and the instructor.'));
    const page = reportPage(role.runtime.state, list, offset);
    return Promise.resolve(page ? { ok: true, data: page } : fail('invalid', 'There has been no heal yet.'));
  });
}
