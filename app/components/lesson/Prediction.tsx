'use client';

import type { QuestionView } from '../../../server/protocol/wire';
import './Prediction.css';

/**
 * Predict, then reveal, on the board: the question, how the class is answering (live bars), and
 * once the outcome is known, which answer was right and who predicted it.
 */
export function PredictionBoard({ question }: { question: QuestionView }) {
  const max = Math.max(1, ...Object.values(question.counts));
  const verdict = question.verdict;
  return (
    <section className="prediction" aria-labelledby="prediction-q" data-testid="prediction">
      <h2 id="prediction-q" className="prediction-q">
        {question.text}
      </h2>
      <ul className="plain-list prediction-bars">
        {question.options.map((o) => {
          const n = question.counts[o.id] ?? 0;
          const right = verdict?.correct === o.id;
          return (
            <li key={o.id} className={right ? 'prediction-bar prediction-bar-right' : 'prediction-bar'} data-testid={`prediction-${o.id}`}>
              <span className="prediction-label">
                {o.label}
                {right && <strong> ✓ right</strong>}
              </span>
              <span className="prediction-track" aria-hidden="true">
                <span className="prediction-fill" style={{ width: `${(n / max) * 100}%` }} />
              </span>
              <span className="prediction-n">{n}</span>
            </li>
          );
        })}
      </ul>
      <p className="prediction-status">
        {question.phase === 'open' ? `${question.answered} answered: answer on your page` : question.phase === 'revealed' ? 'Answers closed' : ''}
      </p>
      {verdict && (
        <p className="prediction-verdict" data-testid="prediction-verdict">
          <strong>
            {verdict.right.length} predicted right{verdict.right.length > 0 ? ': ' : ''}
          </strong>
          {verdict.right.map((p) => p.name).join(', ')}
        </p>
      )}
    </section>
  );
}
