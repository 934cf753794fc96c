/**
 * Who is where: a socket belongs to one session at a time, as a student (their datacenter's room)
 * or as a board or admin page (the class room), and a person is online while any of their
 * sockets is (two tabs, a recovered reconnect: PRES1).
 */
import type { Participant } from '../sim/index.ts';
import { rooms, type AppSocket, type Hub } from './hub.ts';
import type { SessionRuntime } from './session-runtime.ts';

/** What a socket is in its session: a student, the board, or the instructor's admin page. */
export type Role =
  | { readonly kind: 'student'; readonly runtime: SessionRuntime; readonly participant: Participant }
  | { readonly kind: 'board'; readonly runtime: SessionRuntime }
  | { readonly kind: 'admin'; readonly runtime: SessionRuntime }
  | { readonly kind: 'none' };

export function roleOf(hub: Hub, socket: AppSocket): Role {
  const { sessionId, participantId, adminOf } = socket.data;
  const runtime = sessionId ? hub.byId.get(sessionId) : undefined;
  if (!runtime) return { kind: 'none' };
  if (participantId) {
    const participant = runtime.state.participants.get(participantId);
    return participant ? { kind: 'student', runtime, participant } : { kind: 'none' };
  }
  return adminOf === sessionId ? { kind: 'admin', runtime } : { kind: 'board', runtime };
}

export function studentOf(hub: Hub, socket: AppSocket): { runtime: SessionRuntime; participant: Participant } | null {
  const role = roleOf(hub, socket);
  return role.kind === 'student' ? role : null;
}

/** The session a board or admin socket watches; null for students and strangers. */
export function classViewOf(hub: Hub, socket: AppSocket): SessionRuntime | null {
  const role = roleOf(hub, socket);
  return role.kind === 'board' || role.kind === 'admin' ? role.runtime : null;
}

export function adminOf(hub: Hub, socket: AppSocket): SessionRuntime | null {
  const role = roleOf(hub, socket);
  return role.kind === 'admin' ? role.runtime : null;
}

export function setPresence(hub: Hub, runtime: SessionRuntime, participantId: string, delta: number): void {
  const before = runtime.isOnline(participantId);
  runtime.presence.set(participantId, Math.max(0, (runtime.presence.get(participantId) ?? 0) + delta));
  const after = runtime.isOnline(participantId);
  if (before !== after) hub.io.to(rooms.class(runtime.record.id)).emit('participant:presence', { id: participantId, online: after });
}

/** Leaves whatever session this socket was in, so a socket belongs to one place at a time. */
export function detach(hub: Hub, socket: AppSocket): void {
  const { sessionId, participantId } = socket.data;
  if (sessionId) {
    for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
    const runtime = hub.byId.get(sessionId);
    if (runtime && participantId) setPresence(hub, runtime, participantId, -1);
  }
  socket.data = {};
}

export function attachStudent(hub: Hub, socket: AppSocket, runtime: SessionRuntime, participant: Participant): void {
  detach(hub, socket);
  // Gone while its join was being stored: counting it would leave a ghost online (PRES1).
  if (socket.disconnected) return;
  const sid = runtime.record.id;
  socket.data = { sessionId: sid, participantId: participant.id };
  void socket.join([rooms.all(sid), rooms.dc(sid, participant.home)]);
  setPresence(hub, runtime, participant.id, +1);
}

export function attachClassView(hub: Hub, socket: AppSocket, runtime: SessionRuntime, admin: boolean): void {
  detach(hub, socket);
  if (socket.disconnected) return;
  const sid = runtime.record.id;
  socket.data = admin ? { sessionId: sid, adminOf: sid } : { sessionId: sid };
  void socket.join([rooms.all(sid), rooms.class(sid)]);
}

/** PRES1: a socket restored by connection-state recovery is back in its rooms and its session: online again. */
export function recovered(hub: Hub, socket: AppSocket): void {
  const role = roleOf(hub, socket);
  if (role.kind !== 'student') return;
  hub.connections.get(socket)?.people.add(role.participant.id);
  setPresence(hub, role.runtime, role.participant.id, +1);
}

/** A moved person's open screens change rooms at once, then re-join to get the new side's view (FO1). */
export async function moveSockets(hub: Hub, sessionId: string, participant: Participant, from: Participant['home']): Promise<void> {
  for (const socket of await hub.io.in(rooms.dc(sessionId, from)).fetchSockets()) {
    if (socket.data.participantId !== participant.id) continue;
    socket.leave(rooms.dc(sessionId, from));
    socket.join(rooms.dc(sessionId, participant.home));
    socket.emit('me:moved', { to: participant.home });
  }
}
