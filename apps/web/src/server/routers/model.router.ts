import {
  ColumnDistributionInputSchema,
  ConfusionMatrixInputSchema,
  ModelEstimateInputSchema,
  ModelIdInputSchema,
  ModelReferenceCreateInputSchema,
  ModelSeriesInputSchema,
  ModelSettingsUpdateInputSchema,
  ModelTimeInputSchema,
  OverviewInputSchema,
  VersionsCompareInputSchema,
  WindowReportQuerySchema,
} from '@vigil/contracts';
import { createEventReference, resourceLimitsOf, updateModelSettings } from '@vigil/db';
import {
  columnDistribution,
  compareVersions,
  confusionMatrix,
  driftTable,
  modelAlerts,
  modelHeader,
  modelSeries,
  modelWindowReport,
  multivariateDrift,
  performanceEstimate,
  segmentsView,
  workspaceOverview,
} from '@vigil/services';
import { env } from '~/env';
import { alertingProcedure, modelMaintainerProcedure, router, workspaceProcedure } from '../trpc';

/**
 * What the monitoring pages read: the workspace overview and a model's tabs. Every member reads
 * every model of the workspace; alerts count only rules of the teams whose alerting they read.
 */
export const modelRouter = router({
  /** Every model with its health, volume, drift, headline performance and open alerts over the range. */
  overview: alertingProcedure
    .input(OverviewInputSchema)
    .query(({ ctx, input }) => workspaceOverview(ctx.db, { organizationId: ctx.organization.id, teamIds: ctx.access.readTeamIds }, input.time)),

  /** The model, its versions, columns, reference and health: the top of its page. */
  header: alertingProcedure
    .input(ModelIdInputSchema)
    .query(({ ctx, input }) => modelHeader(ctx.db, { organizationId: ctx.organization.id, teamIds: ctx.access.readTeamIds }, input.modelId)),

  /** Metrics over the range, one series per (metric, column). */
  series: workspaceProcedure.input(ModelSeriesInputSchema).query(({ ctx, input }) => modelSeries(ctx.db, ctx.organization.id, input)),

  /** Each column's newest drift verdict, with its score over the range. */
  driftTable: workspaceProcedure.input(ModelTimeInputSchema).query(({ ctx, input }) => driftTable(ctx.db, ctx.organization.id, input)),

  /** An estimated performance metric (CBPE) with its band, the reference band and the realized metric. */
  performanceEstimate: workspaceProcedure.input(ModelEstimateInputSchema).query(({ ctx, input }) => performanceEstimate(ctx.db, ctx.organization.id, input)),

  /** The PCA reconstruction error with its thresholds and drifted windows. */
  multivariateDrift: workspaceProcedure.input(ModelTimeInputSchema).query(({ ctx, input }) => multivariateDrift(ctx.db, ctx.organization.id, input)),

  /** A column's distribution over the range against the reference's. */
  distribution: workspaceProcedure.input(ColumnDistributionInputSchema).query(({ ctx, input }) => columnDistribution(ctx.db, ctx.organization.id, input)),

  /** The confusion matrix of one window (default: the newest day that has one). */
  confusionMatrix: workspaceProcedure.input(ConfusionMatrixInputSchema).query(({ ctx, input }) =>
    confusionMatrix(ctx.db, ctx.organization.id, {
      modelId: input.modelId,
      granularity: input.granularity,
      ...(input.versionId ? { versionId: input.versionId } : {}),
      ...(input.windowStart ? { windowStart: Date.parse(input.windowStart) } : {}),
    }),
  ),

  /** Headline metrics per segment value, worst first. */
  segments: workspaceProcedure.input(ModelTimeInputSchema).query(({ ctx, input }) => segmentsView(ctx.db, ctx.organization.id, input)),

  /** Two versions side by side. */
  compareVersions: workspaceProcedure.input(VersionsCompareInputSchema).query(({ ctx, input }) => compareVersions(ctx.db, ctx.organization.id, input)),

  /**
   * The report `vigil report` makes, for a window against the reference (or another window), as
   * a self-contained HTML page; `GET /api/models/{modelId}/report` serves it as a download.
   */
  report: workspaceProcedure.input(WindowReportQuerySchema.safeExtend(ModelIdInputSchema.shape)).query(async ({ ctx, input }) => {
    const { modelId, ...query } = input;
    const { html, filename } = await modelWindowReport(ctx.db, ctx.organization.id, modelId, query);
    return { html, filename };
  }),

  /** The model's alerts (of the teams the caller reads) and their state changes. */
  alerts: alertingProcedure
    .input(ModelIdInputSchema)
    .query(({ ctx, input }) => modelAlerts(ctx.db, { organizationId: ctx.organization.id, teamIds: ctx.access.readTeamIds }, input.modelId)),

  /** Name, task, segment tags, drift tests and thresholds, column kinds: maintainers of the model's team and admins. */
  updateSettings: modelMaintainerProcedure
    .input(ModelSettingsUpdateInputSchema)
    .mutation(async ({ ctx, input }) => {
      const m = await updateModelSettings(ctx.tenant, ctx.actor, ctx.model.id, input.settings);
      return { id: m.id, name: m.name, task: m.task, segmentTags: m.segmentTags, drift: m.driftConfig ?? null };
    }),

  /**
   * A reference built from the model's own events (a fixed range or a trailing window), selected
   * at once; the worker builds its profile within a minute (its reference sweep).
   */
  createReference: modelMaintainerProcedure
    .input(ModelReferenceCreateInputSchema)
    .mutation(({ ctx, input }) =>
      createEventReference(ctx.tenant, { organizationId: ctx.organization.id, projectId: ctx.model.projectId }, ctx.model.id, input.reference, resourceLimitsOf(env())),
    ),
});
