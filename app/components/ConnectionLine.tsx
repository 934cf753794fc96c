'use client';

import { useConnection } from '../lib/hooks';
import './ConnectionLine.css';

/** A quiet status line: says so when the socket is down, says nothing when all is well. */
export function ConnectionLine() {
  const { status, error } = useConnection();
  let text: string | null = null;
  if (status === 'connecting') text = error ? `Cannot reach the server: ${error}` : 'Connecting…';
  if (status === 'reconnecting') text = error ? `Reconnecting… (${error})` : 'Reconnecting…';
  return (
    <p role="status" className={text ? 'connection connection-down' : 'connection'} data-testid="connection">
      {text}
    </p>
  );
}
