import type { Dc, ParticipantView } from '../../server/protocol/wire';
import './ParticipantList.css';

/** Who is in a datacenter; offline people are dimmed and say so. Long lists are capped. */
export function ParticipantList({ people, dc, max = 40 }: { people: readonly ParticipantView[]; dc: Dc; max?: number }) {
  const shown = people.slice(0, max);
  return (
    <div className="people" data-testid={`participants-${dc}`}>
      <span className="people-count">
        {people.length} {people.length === 1 ? 'person' : 'people'}
      </span>
      <ul className="plain-list people-list">
        {shown.map((p) => (
          <li key={p.id} className={p.online ? 'person' : 'person person-offline'} data-dc={dc} title={p.online ? 'online' : 'offline'}>
            {p.name}
            {!p.online && <span className="visually-hidden"> (offline)</span>}
          </li>
        ))}
        {people.length > max && <li className="person person-more">+{people.length - max} more</li>}
      </ul>
    </div>
  );
}
