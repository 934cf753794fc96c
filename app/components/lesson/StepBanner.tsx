import type { LessonStepView } from '../../../server/protocol/wire';
import './StepBanner.css';

/** The step of the lesson on the board: a title and one sentence, in projector type. */
export function StepBanner({ step, index, of }: { step: LessonStepView; index: number; of: number }) {
  return (
    <section className="step-banner" aria-label="Lesson step" data-testid="step-banner">
      <p className="step-banner-n">
        Step {index + 1} of {of}
      </p>
      <h2 className="step-banner-title" data-testid="step-title">
        {step.title}
      </h2>
      <p className="step-banner-sentence">{step.sentence}</p>
    </section>
  );
}
