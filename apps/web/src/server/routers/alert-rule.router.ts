import { backtest } from '@vigil/alerting';
import {
  AlertRuleBacktestInputSchema,
  AlertRuleCreateInputSchema,
  AlertRuleListInputSchema,
  AlertRuleUpdateInputSchema,
  BACKTEST_MAX_DAYS,
  BACKTEST_MAX_DAYS_ROLLING,
  VigilError,
  type AlertRuleDefinition,
  type AlertRuleView,
} from '@vigil/contracts';
import { createAlertRule, deleteAlertRule, getAlertRule, listAlertRules, loadRulePoints, updateAlertRule, validateAlertRule } from '@vigil/db';
import { alertingProcedure, alertingTeamProcedure, alertRuleProcedure, router, teamsToList } from '../trpc';

const DAY_MS = 86_400_000;
/** As the worker evaluates: an hour or day is complete this long after it ends (unless closed earlier). */
const BACKTEST_GRACE_MS = 300_000;

/** Stored definitions were validated on every write: hand them out typed. */
const typed = (rule: AlertRuleView) => ({ ...rule, definition: rule.definition as AlertRuleDefinition });

export const alertRuleRouter = router({
  /** Rules of the teams the caller reads, or of one of them. */
  list: alertingProcedure.input(AlertRuleListInputSchema).query(async ({ ctx, input }) => {
    const rules = await listAlertRules(ctx.tenant, teamsToList(ctx.access, input.teamId));
    return rules.map(typed);
  }),

  get: alertRuleProcedure.query(async ({ ctx, input }) => typed(await getAlertRule(ctx.tenant, ctx.teamIds, input.ruleId))),

  /** Validates the definition (its channels, projects and models must be the team's) and stores it. */
  create: alertingTeamProcedure
    .input(AlertRuleCreateInputSchema)
    .mutation(async ({ ctx, input }) => typed(await createAlertRule(ctx.tenant, ctx.actor, ctx.team.id, input.definition))),

  update: alertRuleProcedure
    .input(AlertRuleUpdateInputSchema)
    .mutation(async ({ ctx, input }) => typed(await updateAlertRule(ctx.tenant, ctx.actor, ctx.teamIds, input.ruleId, input.definition))),

  delete: alertRuleProcedure.mutation(async ({ ctx, input }) => {
    await deleteAlertRule(ctx.tenant, ctx.actor, ctx.teamIds, input.ruleId);
    return { ruleId: input.ruleId };
  }),

  /**
   * How often a draft rule would have fired over the last `days` days of the team's metrics:
   * the live evaluator replayed over the stored points (`@vigil/alerting` backtest). Read-only,
   * so anyone who reads the team's rules may run it.
   */
  backtest: alertingTeamProcedure.input(AlertRuleBacktestInputSchema).query(async ({ ctx, input }) => {
    const definition = await validateAlertRule(ctx.tenant, ctx.team.id, input.definition);
    const maxDays = definition.granularity === 'rolling_1h' ? BACKTEST_MAX_DAYS_ROLLING : BACKTEST_MAX_DAYS;
    const days = input.days ?? maxDays;
    if (days > maxDays) {
      const message = `at most ${maxDays} days for ${definition.granularity} rules`;
      throw new VigilError('VALIDATION_FAILED', `days: ${message}`, { errors: [{ path: 'days', message }] });
    }

    const teamProjects = (await ctx.tenant.project.findMany({ where: { teamId: ctx.team.id }, select: { id: true } })).map((p) => p.id);
    const now = Date.now();
    const from = now - days * DAY_MS;
    const points = await loadRulePoints(ctx.db.pool, ctx.organization.id, teamProjects, definition, from, now + 1, { now, graceMs: BACKTEST_GRACE_MS });
    const episodes = backtest({ id: 'draft', definition }, points, now);

    const windows = new Set(points.filter((p) => p.metric === definition.metric && p.ready).map((p) => p.windowStart)).size;
    const models = new Map(
      (await ctx.tenant.model.findMany({ where: { id: { in: [...new Set(episodes.map((e) => e.labels.model))] } }, select: { id: true, name: true } })).map(
        (m) => [m.id, m.name],
      ),
    );
    return {
      definition,
      days,
      from: new Date(from).toISOString(),
      to: new Date(now).toISOString(),
      /** Distinct windows of the rule's metric that were replayed. */
      windows,
      episodes: episodes.map((e) => ({
        fingerprint: e.fingerprint,
        labels: e.labels,
        modelName: models.get(e.labels.model) ?? e.labels.model,
        firedAt: new Date(e.firedAt).toISOString(),
        resolvedAt: e.resolvedAt === null ? null : new Date(e.resolvedAt).toISOString(),
        peakSeverity: e.peakSeverity,
      })),
    };
  }),
});
