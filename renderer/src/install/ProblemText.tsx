/** An API problem as an alert: what happened and, when the backend listed them, each reason. */
import type { Problem } from '../api/problems.ts';

export function ProblemText({ problem }: { problem: Problem }) {
  return (
    <div className="form-error" role="alert">
      <p>{problem.message}</p>
      {problem.details && problem.details.length > 0 ? (
        <ul>
          {problem.details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
