/** Small hooks shared by the pages. */
import { useCallback, useState, useSyncExternalStore } from 'react';
import { getConnection, subscribeConnection, type ConnectionState } from './socket';

const SERVER_CONNECTION: ConnectionState = { status: 'connecting', error: null };

/** The socket's connection state, for the "Reconnecting…" line. */
export function useConnection(): ConnectionState {
  return useSyncExternalStore(subscribeConnection, getConnection, () => SERVER_CONNECTION);
}

const noSubscribe = () => () => {};

/** This page's origin once in the browser ('' while server-rendering). */
export function useOrigin(): string {
  return useSyncExternalStore(noSubscribe, () => window.location.origin, () => '');
}

/** The one visible error line of a page: the last failed Ack's message, until dismissed. */
export function useAlert(): { message: string | null; show: (message: string) => void; clear: () => void } {
  const [message, setMessage] = useState<string | null>(null);
  const show = useCallback((m: string) => setMessage(m), []);
  const clear = useCallback(() => setMessage(null), []);
  return { message, show, clear };
}
