/**
 * The consensus view as the browser holds it: the newest frame and analysis the server sent.
 * Frames arrive 10 times a second while the simulation plays; the page renders each one as it
 * comes and lets CSS transitions glide between them. It never simulates anything itself.
 */
import { useEffect, useState } from 'react';
import type { Ack, ConsensusAnalysis, ConsensusFrame, ErrorCode } from '../../../server/protocol/wire';
import { getSocket, request } from '../../lib/socket';

export interface ConsensusView {
  frame: ConsensusFrame | null;
  analysis: ConsensusAnalysis | null;
  /** Why there is nothing to show (an unknown session, a refused watch); null while all is well. */
  error: { code: ErrorCode; message: string } | null;
}

/** How long to wait before asking again when the watch was refused for now (not joined yet, no answer). */
const RETRY_MS = 1000;

/**
 * Watches the consensus view. `join` puts this socket in the class first (board:watch); pass
 * undefined when the page has already done that itself (the admin page's admin:watch), and null
 * to wait. A refused or unanswered watch is asked again every second, because on a reconnect
 * the page's own re-join may still be on its way.
 */
export function useConsensus(join: (() => Promise<Ack<unknown>>) | null | undefined): ConsensusView {
  const [view, setView] = useState<ConsensusView>({ frame: null, analysis: null, error: null });

  useEffect(() => {
    if (join === null) return undefined;
    const socket = getSocket();
    let live = true;
    let retry: ReturnType<typeof setTimeout> | null = null;

    const later = () => {
      if (retry === null && live) retry = setTimeout(() => void watch(), RETRY_MS);
    };
    const watch = async () => {
      if (retry !== null) clearTimeout(retry);
      retry = null;
      if (join) {
        const joined = await join();
        if (!live) return;
        if (!joined.ok) {
          const { code, message } = joined.error;
          setView((v) => ({ ...v, error: { code, message } }));
          if (code === 'internal') later();
          return;
        }
      }
      const result = await request('consensus:watch', {});
      if (!live) return;
      if (result.ok) {
        setView({ frame: result.data.frame, analysis: result.data.analysis, error: null });
        return;
      }
      const { code, message } = result.error;
      // Forbidden right after a (re)connect: the page's admin:watch has not landed yet.
      if (code === 'forbidden' || code === 'internal') later();
      setView((v) => ({ ...v, error: join === undefined && code === 'forbidden' ? v.error : { code, message } }));
    };
    const onFrame = (frame: ConsensusFrame) => setView((v) => ({ ...v, frame }));
    const onAnalysis = (analysis: ConsensusAnalysis) => setView((v) => ({ ...v, analysis }));
    const onConnect = () => void watch();

    socket.on('connect', onConnect);
    socket.on('consensus:frame', onFrame);
    socket.on('consensus:analysis', onAnalysis);
    if (socket.connected) void watch();
    return () => {
      live = false;
      if (retry !== null) clearTimeout(retry);
      socket.off('connect', onConnect);
      socket.off('consensus:frame', onFrame);
      socket.off('consensus:analysis', onAnalysis);
    };
  }, [join]);

  return view;
}
