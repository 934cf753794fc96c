/**
 * The board and the admin page watch the whole class: both datacenters' posts, the
 * participants and the link. This hook keeps that view current from broadcasts and fetches a
 * fresh snapshot on (re)connect and on reset.
 */
import { useEffect, useState } from 'react';
import type { Ack, ClassSnapshot, Dc, LinkView, ParticipantView, PostView, SettingsView } from '../../server/protocol';
import { replacePost } from './feed';
import { getSocket } from './socket';

export type ClassState =
  | { kind: 'loading' }
  | { kind: 'failed'; code: string; message: string }
  | { kind: 'ready'; snapshot: ClassSnapshot };

function replaceParticipant(list: readonly ParticipantView[], participant: ParticipantView): ParticipantView[] {
  const next = list.filter((p) => p.id !== participant.id);
  next.push(participant);
  return next;
}

/**
 * Watches a class through `watch` (board:watch or admin:watch). Pass null to wait (e.g. no
 * secret yet). `setSnapshot` lets the admin page apply its own acks (e.g. the new link).
 */
export function useClassWatch(watch: (() => Promise<Ack<ClassSnapshot>>) | null): {
  state: ClassState;
  update: (change: (s: ClassSnapshot) => ClassSnapshot) => void;
} {
  const [state, setState] = useState<ClassState>({ kind: 'loading' });

  useEffect(() => {
    if (!watch) return undefined;
    const socket = getSocket();
    let live = true;
    const edit = (change: (s: ClassSnapshot) => ClassSnapshot) =>
      setState((s) => (s.kind === 'ready' ? { kind: 'ready', snapshot: change(s.snapshot) } : s));

    const rewatch = () => {
      void watch().then((result) => {
        if (!live) return;
        if (result.ok) setState({ kind: 'ready', snapshot: result.data });
        else setState((s) => (s.kind === 'ready' && result.error.code === 'internal' ? s : { kind: 'failed', ...result.error }));
      });
    };
    const onPost = ({ dc, post }: { dc: Dc; post: PostView }) =>
      edit((s) => ({ ...s, posts: { ...s.posts, [dc]: replacePost(s.posts[dc], post) } }));
    const onJoined = (participant: ParticipantView) => edit((s) => ({ ...s, participants: replaceParticipant(s.participants, participant) }));
    const onPresence = ({ id, online }: { id: string; online: boolean }) =>
      edit((s) => ({ ...s, participants: s.participants.map((p) => (p.id === id ? { ...p, online } : p)) }));
    const onLink = (link: LinkView) => edit((s) => ({ ...s, link, settings: { ...s.settings, link } }));
    const onSettings = (settings: SettingsView) => edit((s) => ({ ...s, settings, link: settings.link }));
    const onInFlight = (inFlight: Record<Dc, number>) => edit((s) => ({ ...s, inFlight }));

    socket.on('connect', rewatch);
    socket.on('session:reset', rewatch);
    socket.on('post:changed', onPost);
    socket.on('participant:joined', onJoined);
    socket.on('participant:moved', onJoined);
    socket.on('participant:presence', onPresence);
    socket.on('settings:changed', onSettings);
    socket.on('link:configured', onLink);
    socket.on('link:inflight', onInFlight);
    if (socket.connected) rewatch();
    return () => {
      live = false;
      socket.off('connect', rewatch);
      socket.off('session:reset', rewatch);
      socket.off('post:changed', onPost);
      socket.off('participant:joined', onJoined);
      socket.off('participant:moved', onJoined);
      socket.off('participant:presence', onPresence);
      socket.off('settings:changed', onSettings);
      socket.off('link:configured', onLink);
      socket.off('link:inflight', onInFlight);
    };
  }, [watch]);

  const update = (change: (s: ClassSnapshot) => ClassSnapshot) =>
    setState((s) => (s.kind === 'ready' ? { kind: 'ready', snapshot: change(s.snapshot) } : s));
  return { state, update };
}
