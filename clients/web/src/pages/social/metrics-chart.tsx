import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { formatCount, formatDateTime } from "../../components/format.ts";

export const MetricsChart_metrics = graphql(`
  fragment MetricsChart_metrics on PostMetrics {
    at
    likes
    reposts
    replies
  }
`);

const SERIES = [
  { key: "likes", label: "Likes", className: "social-line-likes" },
  { key: "reposts", label: "Reposts", className: "social-line-reposts" },
  { key: "replies", label: "Replies", className: "social-line-replies" },
] as const;

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { top: 12, right: 12, bottom: 28, left: 40 };

/**
 * A post's engagement over time: an inline SVG line per count (likes, reposts, replies), labelled
 * for screen readers, with the same samples as a table underneath (the chart's text alternative).
 */
export function MetricsChart({ samples: masked }: { samples: readonly FragmentType<typeof MetricsChart_metrics>[] }) {
  const samples = masked.map((sample) => getFragmentData(MetricsChart_metrics, sample));
  if (samples.length === 0) {
    return <p className="hint">No engagement yet: Mary reads the post's likes, reposts and replies every so often.</p>;
  }
  const times = samples.map((sample) => Date.parse(sample.at));
  const first = Math.min(...times);
  const last = Math.max(...times);
  const top = Math.max(1, ...samples.flatMap((sample) => [sample.likes, sample.reposts, sample.replies]));
  const x = (time: number) =>
    PAD.left +
    (last === first
      ? (WIDTH - PAD.left - PAD.right) / 2
      : ((time - first) / (last - first)) * (WIDTH - PAD.left - PAD.right));
  const y = (value: number) => PAD.top + (1 - value / top) * (HEIGHT - PAD.top - PAD.bottom);
  const latest = samples[samples.length - 1]!;
  const summary =
    `Engagement from ${formatDateTime(samples[0]!.at)} to ${formatDateTime(latest.at)}, ${samples.length} readings: ` +
    `now ${latest.likes} likes, ${latest.reposts} reposts and ${latest.replies} replies.`;
  return (
    <figure className="social-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="social-chart-title">
        <title id="social-chart-title">{summary}</title>
        <line className="social-axis" x1={PAD.left} y1={y(0)} x2={WIDTH - PAD.right} y2={y(0)} />
        <line className="social-axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={y(0)} />
        <text x={PAD.left - 6} y={y(top) + 4} textAnchor="end" className="social-tick">
          {formatCount(top)}
        </text>
        <text x={PAD.left - 6} y={y(0) + 4} textAnchor="end" className="social-tick">
          0
        </text>
        <text x={PAD.left} y={HEIGHT - 8} className="social-tick">
          {formatDateTime(samples[0]!.at)}
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 8} textAnchor="end" className="social-tick">
          {formatDateTime(latest.at)}
        </text>
        {SERIES.map((series) => {
          const points = samples.map((sample, index) => `${x(times[index]!)},${y(sample[series.key])}`).join(" ");
          return (
            <g key={series.key} className={series.className}>
              <polyline points={points} fill="none" strokeWidth={2} />
              {samples.map((sample, index) => (
                <circle key={sample.at} cx={x(times[index]!)} cy={y(sample[series.key])} r={3} />
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="social-legend">
          {SERIES.map((series) => (
            <li key={series.key} className={series.className}>
              {series.label}: {formatCount(latest[series.key])}
            </li>
          ))}
        </ul>
      </figcaption>
      <details>
        <summary>Readings as a table</summary>
        <table className="social-table">
          <caption className="visually-hidden">Engagement readings, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Likes</th>
              <th scope="col">Reposts</th>
              <th scope="col">Replies</th>
            </tr>
          </thead>
          <tbody>
            {samples.map((sample) => (
              <tr key={sample.at}>
                <th scope="row">
                  <time dateTime={sample.at}>{formatDateTime(sample.at)}</time>
                </th>
                <td>{formatCount(sample.likes)}</td>
                <td>{formatCount(sample.reposts)}</td>
                <td>{formatCount(sample.replies)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
