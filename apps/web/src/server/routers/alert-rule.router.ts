import {
  AlertRuleBacktestInputSchema,
  AlertRuleCreateInputSchema,
  AlertRuleListInputSchema,
  AlertRuleUpdateInputSchema,
  type AlertRuleDefinition,
  type AlertRuleView,
} from '@vigil/contracts';
import { createAlertRule, deleteAlertRule, getAlertRule, listAlertRules, updateAlertRule } from '@vigil/db';
import { backtestRule } from '@vigil/services';
import { env } from '~/env';
import { alertingProcedure, alertingTeamProcedure, alertRuleProcedure, router, teamsToList } from '../trpc';

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
   * How often a draft rule would have fired over the last `days` days of the team's metrics
   * (the same use case as `POST /v1/alert-rules/backtest`). Read-only, so anyone who reads the
   * team's rules may run it.
   */
  backtest: alertingTeamProcedure
    .input(AlertRuleBacktestInputSchema)
    .query(({ ctx, input }) =>
      backtestRule(ctx.db, { organizationId: ctx.organization.id, teamId: ctx.team.id }, { definition: input.definition, ...(input.days !== undefined ? { days: input.days } : {}) }, { graceMs: env().WINDOW_GRACE_MS }),
    ),
});
