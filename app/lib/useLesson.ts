/**
 * Where the class is in its lesson, for every page: the step, the question of the moment with
 * its live distribution, and whether the board may show the heal preview. The server keeps it
 * (a lesson:step, lesson:ask... broadcast `lesson:changed`); a heal or a reset may judge a
 * question, so the page asks again after either. `ready`: the page has joined or watches the
 * session, so the server knows who asks.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Ack, LessonView } from '../../server/protocol/wire';
import { getSocket, request } from './socket';
import { useSocketEvents } from './useSocketEvents';

export function useLesson(ready: boolean): { lesson: LessonView | null; accept: (result: Ack<LessonView>) => string | null } {
  const [lesson, setLesson] = useState<LessonView | null>(null);

  /** Asks for the lesson again; set while `ready`, so a late answer never lands on a page that left. */
  const refetch = useRef<() => void>(() => {});
  useEffect(() => {
    if (!ready) return undefined;
    let live = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const fetchLesson = (attempt = 0) => {
      clearTimeout(retry);
      void request('lesson:watch', {}).then((result) => {
        if (!live) return;
        if (result.ok) setLesson(result.data);
        // Asked before the page's own join was answered on a reconnect: ask once more shortly.
        else if (attempt < 5) retry = setTimeout(() => fetchLesson(attempt + 1), 400);
      });
    };
    refetch.current = () => fetchLesson();
    fetchLesson();
    return () => {
      live = false;
      clearTimeout(retry);
      refetch.current = () => {};
    };
  }, [ready]);
  const again = () => refetch.current();
  useSocketEvents(ready ? getSocket : null, {
    // A broadcast carries no one's own answer: keep the one this page already knows.
    'lesson:changed': (view) => setLesson((old) => ({ ...view, mine: old && old.question?.id === view.question?.id ? old.mine : null })),
    // After a heal (students hear heal:converged, the board and admin class:healed): who predicted right.
    'heal:converged': again,
    'class:healed': again,
    'session:reset': again,
    connect: again,
  });

  /** Takes the answer to a lesson request: the new view, or the error's message. */
  const accept = useCallback((result: Ack<LessonView>): string | null => {
    if (!result.ok) return result.error.message;
    setLesson((old) => ({ ...result.data, mine: result.data.mine ?? (old && old.question?.id === result.data.question?.id ? old.mine : null) }));
    return null;
  }, []);

  return { lesson, accept };
}
