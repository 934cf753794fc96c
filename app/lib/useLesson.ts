/**
 * Where the class is in its lesson, for every page: the step, the question of the moment with
 * its live distribution, and whether the board may show the heal preview. The server keeps it
 * (a lesson:step, lesson:ask... broadcast `lesson:changed`); a heal or a reset may judge a
 * question, so the page asks again after either. `ready`: the page has joined or watches the
 * session, so the server knows who asks.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Ack, LessonView } from '../../server/protocol/wire';
import { getSocket, request } from './socket';

export function useLesson(ready: boolean): { lesson: LessonView | null; accept: (result: Ack<LessonView>) => string | null } {
  const [lesson, setLesson] = useState<LessonView | null>(null);

  useEffect(() => {
    if (!ready) return undefined;
    const socket = getSocket();
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
    // A broadcast carries no one's own answer: keep the one this page already knows.
    const onChanged = (view: LessonView) => setLesson((old) => ({ ...view, mine: old && old.question?.id === view.question?.id ? old.mine : null }));
    const refetch = () => fetchLesson();
    socket.on('lesson:changed', onChanged);
    // After a heal (students hear heal:converged, the board and admin class:healed): who predicted right.
    socket.on('heal:converged', refetch);
    socket.on('class:healed', refetch);
    socket.on('session:reset', refetch);
    socket.on('connect', refetch);
    fetchLesson();
    return () => {
      live = false;
      clearTimeout(retry);
      socket.off('lesson:changed', onChanged);
      socket.off('heal:converged', refetch);
      socket.off('class:healed', refetch);
      socket.off('session:reset', refetch);
      socket.off('connect', refetch);
    };
  }, [ready]);

  /** Takes the answer to a lesson request: the new view, or the error's message. */
  const accept = useCallback((result: Ack<LessonView>): string | null => {
    if (!result.ok) return result.error.message;
    setLesson((old) => ({ ...result.data, mine: result.data.mine ?? (old && old.question?.id === result.data.question?.id ? old.mine : null) }));
    return null;
  }, []);

  return { lesson, accept };
}
