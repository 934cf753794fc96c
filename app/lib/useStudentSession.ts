/**
 * A student's place in a class, kept by the server: join (or re-join with the stored token) on
 * every connect, after a reset, after a move to the other datacenter and when reads come back,
 * and apply the broadcasts to the snapshot in between. The student page's counterpart of the
 * board's useClassWatch: components subscribe here, and React only renders what it holds.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Ack, PostView, StudentSnapshot } from '../../server/protocol/wire';
import { replacePost, replacePosts, settlePosts } from './feed';
import { joinClass, joinClassAs, type JoinOutcome } from './join';
import { getSocket, request, setSessionReady } from './socket';
import { useSocketEvents } from './useSocketEvents';

export type Joined = {
  kind: 'joined';
  snapshot: StudentSnapshot;
  /** Server time minus this browser's time when the snapshot arrived: the clocks run on server time. */
  offsetMs: number;
  /** Writes accepted while reads were refused: said in the banner, shown after the re-join. */
  blindWrites: number;
};

export type Phase = { kind: 'joining' } | { kind: 'need-name' } | { kind: 'failed'; message: string } | Joined;

function joinedWith(snapshot: StudentSnapshot): Joined {
  return { kind: 'joined', snapshot, offsetMs: snapshot.serverNow - Date.now(), blindWrites: 0 };
}

/** Whether my datacenter can reach a read quorum: while it cannot, the feed is frozen (CAP1–CAP3). */
export function canRead(snapshot: StudentSnapshot): boolean {
  return snapshot.settings.quorum[snapshot.dc].canRead;
}

/** Applies a change to a joined page's snapshot; any other phase stays as it is. */
function withSnapshot(p: Phase, change: (s: StudentSnapshot) => StudentSnapshot): Phase {
  return p.kind === 'joined' ? { ...p, snapshot: change(p.snapshot) } : p;
}

export interface StudentSession {
  phase: Phase;
  /** Joins with the name the student typed (the first visit, or after a refused token). */
  submitName: (name: string) => void;
  /** Takes the server's answer to a write: its post replaces mine (false, and the error shown, if refused). */
  acceptPost: (result: Ack<PostView>) => boolean;
  /** Roams to the other datacenter (FO1): the answer is my snapshot there. */
  switchDc: () => Promise<void>;
  /** Fetches the next window of older threads ("Show older posts"). */
  more: () => Promise<void>;
}

/** How long to wait before joining again while the server is still loading the session after a restart. */
const LOADING_RETRY_MS = 1000;

/** Joins class `code` and keeps this student's snapshot current; `showError` says a failed Ack. */
export function useStudentSession(code: string, showError: (message: string) => void): StudentSession {
  const [phase, setPhase] = useState<Phase>({ kind: 'joining' });
  const rejoinRef = useRef<() => void>(() => {});

  const applyOutcome = useCallback(
    (outcome: JoinOutcome) => {
      switch (outcome.kind) {
        case 'joined': {
          const fresh = joinedWith(outcome.result.snapshot);
          // Re-joined while reads stay refused: the writes not shown yet are still not shown.
          setPhase((p) => (p.kind === 'joined' && !canRead(fresh.snapshot) ? { ...fresh, blindWrites: p.blindWrites } : fresh));
          setSessionReady(true);
          return;
        }
        case 'need-name':
          setPhase({ kind: 'need-name' });
          return;
        case 'error':
          if (outcome.code === 'loading') {
            // Just restarted: the session is still being rebuilt; the effect asks again shortly.
            setPhase((p) => (p.kind === 'joined' ? p : { kind: 'joining' }));
          } else if (outcome.code === 'unknown_session') {
            setPhase({ kind: 'failed', message: outcome.message });
          } else {
            showError(outcome.message);
            // No answer: keep waiting (a retry or the next connect re-joins); a refusal: ask again.
            const next: Phase = outcome.code === 'internal' ? { kind: 'joining' } : { kind: 'need-name' };
            setPhase((p) => (p.kind === 'joined' ? p : next));
          }
          return;
        default: {
          const unknown: never = outcome;
          throw new Error(`unexpected join outcome ${JSON.stringify(unknown)}`);
        }
      }
    },
    [showError],
  );

  useEffect(() => {
    const socket = getSocket();
    let live = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const rejoin = () => {
      clearTimeout(retry);
      void joinClass(code).then((outcome) => {
        if (!live) return;
        applyOutcome(outcome);
        // An unanswered join while still connected: try again, or writes would wait forever.
        if (outcome.kind === 'error' && outcome.code === 'internal' && socket.connected) retry = setTimeout(rejoin, 2000);
        if (outcome.kind === 'error' && outcome.code === 'loading' && socket.connected) retry = setTimeout(rejoin, LOADING_RETRY_MS);
      });
    };
    rejoinRef.current = rejoin;
    if (socket.connected) rejoin();
    return () => {
      live = false;
      clearTimeout(retry);
      rejoinRef.current = () => {};
      setSessionReady(false);
    };
  }, [code, applyOutcome]);
  const rejoin = () => rejoinRef.current();
  useSocketEvents(getSocket, {
    connect: rejoin,
    'session:reset': rejoin,
    'session:ended': rejoin,
    // Moved to the other datacenter (failover or roaming): the new side's view comes with a re-join.
    'me:moved': rejoin,
    // A refused read shows nothing new: the feed stays as last seen until reads come back.
    'post:changed': ({ dc, post }) => setPhase((p) => withSnapshot(p, (s) => (s.dc === dc && canRead(s) ? { ...s, posts: replacePost(s.posts, post) } : s))),
    'link:configured': (link) => setPhase((p) => withSnapshot(p, (s) => ({ ...s, link, settings: { ...s.settings, link } }))),
    'settings:changed': (settings) => setPhase((p) => withSnapshot(p, (s) => ({ ...s, settings, link: settings.link }))),
    'posts:settled': ({ dc, ids }) => setPhase((p) => withSnapshot(p, (s) => (s.dc === dc && canRead(s) ? { ...s, posts: settlePosts(s.posts, ids) } : s))),
    // SNAP1: after a heal, my converged view comes whole, in one message.
    'heal:converged': (snapshot) => applyOutcome({ kind: 'joined', result: { token: '', snapshot } }),
  });

  const submitName = useCallback(
    (name: string) => {
      setPhase({ kind: 'joining' });
      void joinClassAs(code, name).then(applyOutcome);
    },
    [code, applyOutcome],
  );

  const reading = phase.kind === 'joined' ? canRead(phase.snapshot) : true;

  // Reads stopped or came back: the server decides what may be read (CAP4), so ask it again.
  const wasReading = useRef(reading);
  useEffect(() => {
    if (reading !== wasReading.current) rejoinRef.current();
    wasReading.current = reading;
  }, [reading]);

  /** The server's answer to a write replaces the post: its view is the truth (unless reads are refused). */
  const acceptPost = useCallback(
    (result: Ack<PostView>): boolean => {
      if (!result.ok) {
        showError(result.error.message);
        return false;
      }
      const post = result.data;
      setPhase((p) => {
        if (p.kind !== 'joined') return p;
        if (!canRead(p.snapshot)) return { ...p, blindWrites: p.blindWrites + 1 };
        return { ...p, snapshot: { ...p.snapshot, posts: replacePost(p.snapshot.posts, post) } };
      });
      return true;
    },
    [showError],
  );

  /** Roaming (FO1): the answer is my snapshot in the other datacenter. */
  const switchDc = useCallback(async () => {
    const result = await request('me:switch', {});
    if (!result.ok) {
      showError(result.error.message);
      return;
    }
    setPhase(joinedWith(result.data));
  }, [showError]);

  const before = phase.kind === 'joined' ? phase.snapshot.window.before : null;
  const dc = phase.kind === 'joined' ? phase.snapshot.dc : null;
  const more = useCallback(async () => {
    if (before === null || dc === null) return;
    const page = await request('feed:more', { dc, before });
    if (!page.ok) {
      showError(page.error.message);
      return;
    }
    setPhase((p) => withSnapshot(p, (s) => (s.dc === page.data.dc ? { ...s, posts: replacePosts(s.posts, page.data.posts), window: page.data.window } : s)));
  }, [before, dc, showError]);

  return { phase, submitName, acceptPost, switchDc, more };
}
