import { backtest, type FiringEpisode } from '@vigil/alerting';
import { BACKTEST_MAX_DAYS, BACKTEST_MAX_DAYS_ROLLING, DEFAULT_WINDOW_GRACE_MS, type AlertRuleDefinition } from '@vigil/contracts';
import { loadRulePoints, modelsByIds, teamProjectIds, validateAlertRule, validationError, type Db } from '@vigil/db';

const DAY_MS = 86_400_000;

export interface BacktestInput {
  /** A draft rule, validated here as on save (its channels, projects and models must be the team's). */
  definition: unknown;
  /** Days replayed; default and limit: 30, or 7 for rolling-1h rules. More is refused at `days`. */
  days?: number;
}

export interface BacktestEpisode {
  fingerprint: string;
  labels: FiringEpisode['labels'];
  /** The model's display name (its id when the model is gone). */
  modelName: string;
  firedAt: string;
  /** null: still firing at the end of the replay. */
  resolvedAt: string | null;
  peakSeverity: FiringEpisode['peakSeverity'];
}

/** What a backtest answers, the same over REST and tRPC. */
export interface BacktestResult {
  /** The draft with its defaults applied. */
  definition: AlertRuleDefinition;
  days: number;
  from: string;
  to: string;
  /** Distinct complete windows of the rule's metric that were replayed. */
  windows: number;
  episodes: BacktestEpisode[];
}

/**
 * How often a draft rule of `teamId` would have fired over the last `days` days: the live
 * evaluator replayed over the stored points of the team's projects (`@vigil/alerting`
 * backtest). A window counts once it is complete, as the evaluator sees it: closed by its exact
 * recompute, or `graceMs` past its end.
 */
export async function backtestRule(
  db: Db,
  scope: { organizationId: string; teamId: string },
  input: BacktestInput,
  opts: { graceMs?: number; now?: number } = {},
): Promise<BacktestResult> {
  const t = db.forTenant(scope.organizationId);
  const definition = await validateAlertRule(t, scope.teamId, input.definition);
  const maxDays = definition.granularity === 'rolling_1h' ? BACKTEST_MAX_DAYS_ROLLING : BACKTEST_MAX_DAYS;
  const days = input.days ?? maxDays;
  if (days > maxDays) throw validationError([{ path: 'days', message: `at most ${maxDays} days for ${definition.granularity} rules` }]);

  const now = opts.now ?? Date.now();
  const from = now - days * DAY_MS;
  const projects = await teamProjectIds(t, scope.teamId);
  const points = await loadRulePoints(db.pool, scope.organizationId, projects, definition, from, now + 1, {
    now,
    graceMs: opts.graceMs ?? DEFAULT_WINDOW_GRACE_MS,
  });
  const episodes = backtest({ id: 'draft', definition }, points, now);
  const windows = new Set(points.filter((p) => p.metric === definition.metric && p.ready).map((p) => p.windowStart)).size;
  const names = new Map((await modelsByIds(db.pool, scope.organizationId, episodes.map((e) => e.labels.model))).map((m) => [m.id, m.name]));
  return {
    definition,
    days,
    from: new Date(from).toISOString(),
    to: new Date(now).toISOString(),
    windows,
    episodes: episodes.map((e) => ({
      fingerprint: e.fingerprint,
      labels: e.labels,
      modelName: names.get(e.labels.model) ?? e.labels.model,
      firedAt: new Date(e.firedAt).toISOString(),
      resolvedAt: e.resolvedAt === null ? null : new Date(e.resolvedAt).toISOString(),
      peakSeverity: e.peakSeverity,
    })),
  };
}
