/** After a change is stored and acknowledged: what each screen is told (validate, core, persist, ack, broadcast). */
import { DATACENTERS } from '../sim/index.ts';
import { cutOfLinkMode } from '../sim/raft/index.ts';
import { rooms, type Hub } from './hub.ts';
import { countsView, incidentView } from './counts.ts';
import { moveSockets } from './presence.ts';
import type { Committed, SessionRuntime } from './session-runtime.ts';
import { divergenceView, healReportView, inFlightView, linkView, participantView, postViewIn, settingsView, timelineOpView } from './views.ts';

/** Sends each change as a small diff: every touched post, as each datacenter now holds it. */
export function broadcast(hub: Hub, runtime: SessionRuntime, { state, events, timeline, timelineChanged }: Committed): void {
  const { io, readable } = hub;
  const sid = runtime.record.id;
  const consensus = hub.consensus.get(sid);
  readable.observe(sid, state, events.some((e) => e.type === 'session.reset'));
  const touched = new Set<string>();
  let diverged = false;
  let counted = false;
  for (const event of events) {
    switch (event.type) {
      case 'participant.joined':
        io.to(rooms.class(sid)).emit('participant:joined', participantView(event.participant, runtime.isOnline(event.participant.id), runtime.bots.has(event.participant.id)));
        break;
      case 'op.applied':
        touched.add(event.op.postId);
        if (event.op.kind === 'resolve') counted = true;
        if (event.local && (event.op.kind === 'create' || event.op.kind === 'edit')) {
          consensus?.classWrite(`${event.op.kind === 'create' ? 'post' : 'edit'}: ${(event.op.text ?? '').slice(0, 24)}`, event.dc);
        }
        break;
      case 'settings.changed':
        consensus?.setCut(cutOfLinkMode(state.link.mode));
        io.to(rooms.all(sid)).emit('settings:changed', settingsView(state));
        io.to(rooms.all(sid)).emit('link:configured', linkView(state));
        diverged = true;
        break;
      case 'participant.moved':
        io.to(rooms.class(sid)).emit('participant:moved', participantView(event.participant, runtime.isOnline(event.participant.id), runtime.bots.has(event.participant.id)));
        void moveSockets(hub, sid, event.participant, event.from);
        break;
      case 'session.reset':
        io.to(rooms.all(sid)).emit('session:reset');
        diverged = true;
        break;
      case 'heal.resolved':
        for (const id of event.touched) touched.add(id);
        io.to(rooms.all(sid)).emit('heal:reported', healReportView(state, event.report));
        diverged = true;
        counted = true;
        break;
      case 'incident.replayed':
        // INC2: its numbers only; each page then fetches a fresh snapshot.
        io.to(rooms.all(sid)).emit('incident:replayed', incidentView(event.summary));
        diverged = true;
        counted = true;
        break;
      default: {
        const unknown: never = event;
        hub.log(`unhandled event ${JSON.stringify(unknown)}`);
      }
    }
  }
  for (const postId of touched) {
    for (const dc of DATACENTERS) {
      const post = postViewIn(state, dc, postId);
      // CAP4: a side that cannot read is told nothing newer; the board still sees both.
      const to = readable.view(sid, state, dc) ? [rooms.class(sid)] : [rooms.dc(sid, dc), rooms.class(sid)];
      if (post) io.to(to).emit('post:changed', { dc, post });
    }
  }
  if (touched.size > 0) io.to(rooms.class(sid)).emit('link:inflight', inFlightView(state));
  if (touched.size > 0 || diverged) io.to(rooms.class(sid)).emit('divergence:changed', divergenceView(state));
  if (counted) io.to(rooms.class(sid)).emit('counts:changed', countsView(state, runtime.incident));
  if (timelineChanged.length > 0 || diverged) {
    io.to(rooms.class(sid)).emit('timeline:changed', {
      ops: timelineChanged.map((op) => timelineOpView(state, op)),
      bands: timeline.bands.map((b) => ({ ...b })),
    });
  }
}
