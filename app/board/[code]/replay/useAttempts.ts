/**
 * The attempts on the current history (board and admin): fetched on load, after every heal and
 * after every rewind (which every screen follows with a fresh snapshot, like a reset).
 */
import { useCallback, useEffect, useState } from 'react';
import type { AttemptsView } from '../../../../server/protocol/wire';
import { getSocket, request } from '../../../lib/socket';
import { useSocketEvents } from '../../../lib/useSocketEvents';

export function useAttempts(ready: boolean): { attempts: AttemptsView | null; refresh: () => void; set: (view: AttemptsView) => void } {
  const [attempts, setAttempts] = useState<AttemptsView | null>(null);
  const refresh = useCallback(() => {
    void request('board:attempts', {}).then((result) => {
      if (result.ok) setAttempts(result.data);
    });
  }, []);
  useEffect(() => {
    if (ready) refresh();
  }, [ready, refresh]);
  useSocketEvents(ready ? getSocket : null, { 'class:healed': refresh, 'session:reset': refresh });
  return { attempts, refresh, set: setAttempts };
}
