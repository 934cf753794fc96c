/** Post domain: a student's writes and choices, each as the socket's own participant only (SEC1). */
import { schemas, type Ack, type PostView } from '../../protocol/index.ts';
import type { Command, PostCommand } from '../../sim/index.ts';
import { fail, refused, requester, tooFast, type AppSocket, type Hub } from '../hub.ts';
import { studentOf } from '../presence.ts';
import { route } from '../route.ts';
import { postViewIn } from '../views.ts';

/** A student's write, answered with the post's new view as their side may read it (CAP4). */
async function write(
  hub: Hub,
  socket: AppSocket,
  makeCommand: (participantId: string) => PostCommand | Extract<Command, { type: 'conflict.resolve' }>,
  postId: string,
): Promise<Ack<PostView>> {
  const who = studentOf(hub, socket);
  if (!who) return fail('not_joined', 'Join the session first.');
  if (!(await hub.guard.take('write', requester(hub, socket, who.participant.id)))) return tooFast();
  const command = makeCommand(who.participant.id);
  const sid = who.runtime.record.id;
  // CAP4: while my side cannot read, I may write only to what I can see: the last readable view, or my own post.
  const before = hub.readable.view(sid, who.runtime.state, who.participant.home);
  if (before && command.type !== 'post.create' && !before.byId.has(postId) && postViewIn(who.runtime.state, who.participant.home, postId)?.authorId !== who.participant.id) {
    return fail('unknown_post', 'That post is not in your datacenter.');
  }
  const outcome = await who.runtime.execute(command, command.opId);
  if (!outcome.ok) return refused(outcome.error);
  const home = outcome.state.participants.get(who.participant.id)?.home ?? who.participant.home;
  const view = hub.readable.view(sid, outcome.state, home)?.byId.get(postId) ?? postViewIn(outcome.state, home, postId);
  return view ? { ok: true, data: view } : fail('unknown_post', 'That post is not in your datacenter.');
}

export function postHandlers(hub: Hub, socket: AppSocket): void {
  route(hub, socket, 'post:create', schemas.postCreate, (p) =>
    write(hub, socket, (participantId) => ({ type: 'post.create', opId: p.opId, participantId, parentId: p.parentId, text: p.text }), p.opId),
  );
  route(hub, socket, 'post:edit', schemas.postEdit, (p) =>
    write(hub, socket, (participantId) => ({ type: 'post.edit', opId: p.opId, participantId, postId: p.postId, text: p.text }), p.postId),
  );
  route(hub, socket, 'post:delete', schemas.postTarget, (p) =>
    write(hub, socket, (participantId) => ({ type: 'post.delete', opId: p.opId, participantId, postId: p.postId }), p.postId),
  );
  route(hub, socket, 'post:like', schemas.postTarget, (p) =>
    write(hub, socket, (participantId) => ({ type: 'post.like', opId: p.opId, participantId, postId: p.postId }), p.postId),
  );
  route(hub, socket, 'post:unlike', schemas.postTarget, (p) =>
    write(hub, socket, (participantId) => ({ type: 'post.unlike', opId: p.opId, participantId, postId: p.postId }), p.postId),
  );
  route(hub, socket, 'conflict:resolve', schemas.conflictResolve, ({ opId, postId, keep }) =>
    write(hub, socket, (participantId) => ({ type: 'conflict.resolve', opId, participantId, postId, keep }), postId),
  );
}
