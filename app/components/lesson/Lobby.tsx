'use client';

import { QRCodeSVG } from 'qrcode.react';
import type { ParticipantView } from '../../../server/protocol/wire';
import './Lobby.css';

/** The newest names shown as they arrive; the count says the rest. */
const NAMES_SHOWN = 24;

/**
 * Before the lesson starts, the board is a lobby: the join code big enough to read from the back
 * row, a QR code a phone can scan from a few metres, the address, and the class arriving live.
 */
export function Lobby({ code, joinUrl, participants }: { code: string; joinUrl: string; participants: readonly ParticipantView[] }) {
  const here = participants.filter((p) => p.online);
  const newest = here.slice(-NAMES_SHOWN).reverse();
  return (
    <section className="lobby" aria-labelledby="lobby-title" data-testid="lobby">
      <div className="lobby-join">
        <h2 id="lobby-title" className="lobby-title">
          Join the class
        </h2>
        <p className="lobby-code" data-testid="lobby-code" aria-label={`Join code ${code.split('').join(' ')}`}>
          {code}
        </p>
        <p className="lobby-url" data-testid="lobby-url">
          {joinUrl}
        </p>
        <p className="lobby-count" data-testid="lobby-count" aria-live="polite">
          <span className="lobby-count-n">{here.length}</span> {here.length === 1 ? 'person' : 'people'} here
        </p>
        <ul className="plain-list lobby-names" aria-label="People here">
          {newest.map((p) => (
            <li key={p.id} className="lobby-name" data-dc={p.home}>
              {p.name}
            </li>
          ))}
        </ul>
      </div>
      {joinUrl && (
        <div className="lobby-qr" data-testid="lobby-qr">
          <QRCodeSVG value={joinUrl} size={440} marginSize={2} title={`Join at ${joinUrl}`} />
        </div>
      )}
    </section>
  );
}
