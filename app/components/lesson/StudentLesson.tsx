'use client';

import { DC_LABEL, LINK_MODE_LABEL, type LessonView, type StudentSnapshot } from '../../../server/protocol/wire';
import { healNotice } from '../../lib/healWords';
import './StudentLesson.css';

/**
 * Where I stand, pinned to the top of my page whatever I scroll: my datacenter, the link, and
 * whether I can write and read, with the reason in words (a phone shows no tooltips).
 */
export function StatusStrip({ snapshot }: { snapshot: StudentSnapshot }) {
  const quorum = snapshot.settings.quorum[snapshot.dc];
  const reason = quorum.writeRefusal ?? quorum.readRefusal;
  return (
    <div className="status-strip" data-dc={snapshot.dc} data-testid="status-strip" role="status">
      <p className="status-strip-line">
        <strong className="status-strip-dc">{DC_LABEL[snapshot.dc]}</strong>
        <span>{LINK_MODE_LABEL[snapshot.settings.link.mode]}</span>
        <span data-testid="status-write">{quorum.canWrite ? 'You can write' : 'Writes refused'}</span>
        <span data-testid="status-read">{quorum.canRead ? 'You can read' : 'Reads refused'}</span>
      </p>
      {reason && (
        <p className="status-strip-reason" data-testid="status-reason">
          {reason}
        </p>
      )}
    </div>
  );
}

/** After a heal: what happened to the class and to me, in one line. */
export function HealNotice({ snapshot }: { snapshot: StudentSnapshot }) {
  if (!snapshot.lastHeal) return null;
  const notice = healNotice(snapshot.lastHeal, snapshot.me.id);
  return (
    <p className="heal-notice" data-testid="heal-notice">
      <strong>{notice.title}:</strong> {notice.forClass}; {notice.forMe}.
    </p>
  );
}

/** The question of the moment: answer it while it is open; once judged, whether I was right. */
export function PredictionCard({ lesson, meId, onAnswer, busy }: { lesson: LessonView; meId: string; onAnswer: (option: string) => void; busy: boolean }) {
  const q = lesson.question;
  if (!q) return null;
  const mine = lesson.mine ?? null;
  const right = q.verdict?.right.some((p) => p.id === meId) ?? false;
  const wrong = q.verdict?.wrong.some((p) => p.id === meId) ?? false;
  return (
    <section className="prediction-card" aria-labelledby="my-prediction" data-testid="prediction-card">
      <h2 id="my-prediction" className="prediction-card-q">
        {q.text}
      </h2>
      {q.phase === 'open' ? (
        <div className="prediction-card-options" role="group" aria-label="Your answer">
          {q.options.map((o) => (
            <button key={o.id} type="button" className="btn btn-wide" aria-pressed={mine === o.id} disabled={busy} onClick={() => onAnswer(o.id)}>
              {o.label}
            </button>
          ))}
        </div>
      ) : (
        <p className="prediction-card-mine">{mine ? `You answered: ${q.options.find((o) => o.id === mine)?.label ?? mine}.` : 'You did not answer.'}</p>
      )}
      {q.phase === 'open' && mine && <p className="prediction-card-mine">Answer saved: you can change it until the answers close.</p>}
      {q.verdict && (right || wrong) && (
        <p className={right ? 'prediction-card-verdict prediction-card-right' : 'prediction-card-verdict'} data-testid="my-verdict">
          {right ? 'You predicted right.' : 'Not this time.'}
        </p>
      )}
    </section>
  );
}
