import React from 'react';

interface ContributionBarsProps {
  contributions: Record<string, number>;
  color: string;
  /** Show at most this many signals, largest first. */
  limit?: number;
}

/** Per-signal shares of a score as labelled bars. */
export function ContributionBars({ contributions, color, limit = 6 }: ContributionBarsProps) {
  const items = Object.entries(contributions)
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit);
  return (
    <table style={{ borderCollapse: 'collapse', width: '100%', fontSize: 12 }} aria-label="Per-signal contributions">
      <tbody>
        {items.map(([signal, share]) => (
          <tr key={signal}>
            <td style={{ paddingRight: 8, whiteSpace: 'nowrap' }}>{signal}</td>
            <td style={{ width: '100%', minWidth: 60 }}>
              <div style={{ background: color, height: 8, width: `${Math.max(2, share * 100)}%`, borderRadius: 2 }} />
            </td>
            <td style={{ paddingLeft: 8, textAlign: 'right' }}>{(share * 100).toFixed(0)}%</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
