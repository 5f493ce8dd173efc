/*
 * The demo's clock: every episode is placed relative to the anchor, the moment the history was
 * seeded (kept in the credentials file as `seededAt`, so the simulator continues the same
 * story). Boundaries fall on whole UTC hours, so each hour window is either inside an episode
 * or outside it.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Days of history the seed writes before the anchor. */
export const HISTORY_DAYS = 30;

export const floorHour = (ms: number) => ms - (((ms % HOUR_MS) + HOUR_MS) % HOUR_MS);

/** A time span [from, to); `to` is Infinity for an episode still going on. */
export interface Span {
  from: number;
  to: number;
}

export const within = (t: number, s: Span) => t >= s.from && t < s.to;

export interface Story {
  /** epoch ms: where the seeded history ends and the simulator takes over */
  anchor: number;
  /** the first history hour (start of the UTC hour HISTORY_DAYS before the anchor's) */
  historyStart: number;
  episodes: {
    /** fraud-detector: `amount` shifts up, then recovers (days 16–13 before the anchor) */
    fraudPastDrift: Span;
    /** fraud-detector: `amount` shifts up over the last 6 hours and stays up */
    fraudCurrentDrift: Span;
    /** ticket-router: a new product (`earbuds`) the model misroutes, from 4 days back on */
    ticketNewProduct: Span;
    /** delivery-eta: `distance_km` missing for ~40 % of orders, 12 to 8 hours back */
    etaMissingDistance: Span;
  };
}

export function storyAt(anchor: number): Story {
  const h = floorHour(anchor);
  return {
    anchor,
    historyStart: h - HISTORY_DAYS * DAY_MS,
    episodes: {
      fraudPastDrift: { from: h - 16 * DAY_MS, to: h - 13 * DAY_MS },
      fraudCurrentDrift: { from: h - 6 * HOUR_MS, to: Infinity },
      ticketNewProduct: { from: h - 4 * DAY_MS, to: Infinity },
      etaMissingDistance: { from: h - 12 * HOUR_MS, to: h - 8 * HOUR_MS },
    },
  };
}
