/** Admin domain: the instructor's controls, each only from a socket that presented the session's secret (SEC1). */
import { randomUUID } from 'node:crypto';
import { schemas, type Ack, type SettingsView } from '../../protocol/index.ts';
import { previewHeal, type Command, type SimState } from '../../sim/index.ts';
import { fail, forbidden, refused, type AppSocket, type Hub } from '../hub.ts';
import { adminOf, classViewOf } from '../presence.ts';
import { route } from '../route.ts';
import { healReportView } from '../report.ts';
import { linkView, participantView, postViewIn, settingsView } from '../views.ts';
import { withHealProgress } from './incident.ts';

/** Runs an instructor's command and answers from the state after it. */
async function admin<T>(hub: Hub, socket: AppSocket, command: Command, answer: (state: SimState) => Ack<T>): Promise<Ack<T>> {
  const runtime = adminOf(hub, socket);
  if (!runtime) return forbidden();
  const outcome = await runtime.execute(command, `admin-${randomUUID()}`);
  return outcome.ok ? answer(outcome.state) : refused(outcome.error);
}

const settingsAck = (state: SimState): Ack<SettingsView> => ({ ok: true, data: settingsView(state) });

export function adminHandlers(hub: Hub, socket: AppSocket): void {
  route(hub, socket, 'admin:link', schemas.adminLink, ({ latencyMs, jitterMs }) =>
    admin(hub, socket, { type: 'link.configure', latencyMs, jitterMs }, (state) => ({ ok: true, data: linkView(state) })),
  );
  route(hub, socket, 'admin:reset', schemas.adminReset, () => admin(hub, socket, { type: 'session.reset' }, () => ({ ok: true, data: null })));
  route(hub, socket, 'admin:end', schemas.adminEnd, async () => {
    const runtime = adminOf(hub, socket);
    if (!runtime) return forbidden();
    await runtime.end('instructor');
    return runtime.ended ? { ok: true, data: runtime.ended } : fail('internal', 'The session could not be ended; please try again.');
  });
  route(hub, socket, 'admin:partition', schemas.adminPartition, ({ mode, slowLatencyMs }) =>
    withHealProgress(hub, socket, mode, () => admin(hub, socket, { type: 'link.mode', mode, ...(slowLatencyMs === undefined ? {} : { slowLatencyMs }) }, settingsAck)),
  );
  route(hub, socket, 'admin:skew', schemas.adminSkew, ({ dc, skewMs }) => admin(hub, socket, { type: 'clock.skew', dc, skewMs }, settingsAck));
  route(hub, socket, 'admin:consistency', schemas.adminConsistency, ({ w, r }) => admin(hub, socket, { type: 'consistency.set', w, r }, settingsAck));
  route(hub, socket, 'admin:lockSwitch', schemas.adminLockSwitch, ({ locked }) => admin(hub, socket, { type: 'settings.lockSwitch', locked }, settingsAck));
  route(hub, socket, 'admin:move', schemas.adminMove, ({ participantId, to }) =>
    admin(hub, socket, { type: 'participant.move', participantId, to }, (state) => {
      const moved = state.participants.get(participantId);
      return moved ? { ok: true, data: participantView(moved, adminOf(hub, socket)?.isOnline(participantId) ?? false) } : fail('unknown_participant', 'No such participant.');
    }),
  );
  route(hub, socket, 'admin:strategy', schemas.adminStrategy, ({ strategy }) => admin(hub, socket, { type: 'strategy.set', strategy }, settingsAck));
  route(hub, socket, 'admin:resolve', schemas.adminResolve, ({ opId, postId, keep, dc }) =>
    admin(hub, socket, { type: 'conflict.resolve', opId, participantId: null, dc, postId, keep }, (state) => {
      const view = postViewIn(state, dc, postId);
      return view ? { ok: true, data: view } : fail('unknown_post', 'That post is not there.');
    }),
  );
  route(hub, socket, 'heal:preview', schemas.healPreview, () => {
    const runtime = classViewOf(hub, socket);
    if (!runtime) return Promise.resolve(fail('forbidden', 'The preview is for the board and the instructor.'));
    const state = runtime.state;
    const preview = previewHeal(state, Math.max(hub.clock(), state.now));
    return Promise.resolve({
      ok: true,
      data: { lww: healReportView(state, preview.lww), merge: healReportView(state, preview.merge), human: healReportView(state, preview.human) },
    });
  });
}
