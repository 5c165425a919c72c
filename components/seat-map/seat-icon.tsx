import { PALETTE } from './draw';
import type { SeatState } from './labels';

/** The same shapes the canvas draws, as SVG, for the legend and the list view. */
export function SeatIcon({ state, color = '#2563eb', size = 18 }: { state: SeatState; color?: string; size?: number }) {
  return (
    <svg aria-hidden="true" width={size} height={size} viewBox="0 0 20 20" className="shrink-0">
      {state === 'available' && <circle cx="10" cy="10" r="8" fill={color} />}
      {state === 'held' && (
        <g stroke={PALETTE.held} strokeWidth="2.2" fill="#fff">
          <circle cx="10" cy="10" r="7.5" />
          <path d="M5 15 15 5" />
        </g>
      )}
      {state === 'sold' && (
        <g>
          <rect x="3" y="3" width="14" height="14" fill={PALETTE.sold} />
          <path d="M6.5 6.5l7 7m0-7-7 7" stroke="#fff" strokeWidth="2" />
        </g>
      )}
      {state === 'blocked' && (
        <g stroke={PALETTE.outline} strokeWidth="2" fill="none">
          <rect x="3.5" y="3.5" width="13" height="13" />
          <path d="M6 10h8" />
        </g>
      )}
      {(state === 'selected' || state === 'yours') && (
        <g>
          <circle cx="10" cy="10" r="8.5" fill={PALETTE.mine} stroke={PALETTE.mineInk} strokeWidth="1.8" />
          <path
            d="M6 10.2l2.8 3 5.4-6"
            fill="none"
            stroke={PALETTE.mineInk}
            strokeWidth="2.2"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </g>
      )}
    </svg>
  );
}

export function FlagIcon({ flag, size = 18 }: { flag: 'wheelchair' | 'companion' | 'restrictedView'; size?: number }) {
  return (
    <svg aria-hidden="true" width={size} height={size} viewBox="0 0 20 20" className="shrink-0">
      {flag === 'restrictedView' ? (
        <g>
          <circle cx="9" cy="11" r="7" fill="#2563eb" />
          <path d="M10 1h9v9z" fill={PALETTE.ink} />
        </g>
      ) : (
        <g>
          <circle cx="10" cy="10" r="8.5" fill="#2563eb" />
          <text
            x="10"
            y="14.2"
            textAnchor="middle"
            fontSize="11"
            fontWeight="700"
            fill="#fff"
            fontFamily="ui-sans-serif, system-ui, sans-serif"
          >
            {flag === 'wheelchair' ? 'W' : 'C'}
          </text>
        </g>
      )}
    </svg>
  );
}
