import { createCallerFactory, router } from '../trpc';
import { alertRuleRouter } from './alert-rule.router';
import { alertRouter } from './alert.router';
import { apiKeyRouter } from './api-key.router';
import { auditRouter } from './audit.router';
import { biAccessRouter } from './bi-access.router';
import { channelRouter } from './channel.router';
import { datasetRouter } from './dataset.router';
import { invitationRouter } from './invitation.router';
import { memberRouter } from './member.router';
import { modelRouter } from './model.router';
import { notificationPolicyRouter } from './notification-policy.router';
import { projectRouter } from './project.router';
import { silenceRouter } from './silence.router';
import { teamRouter } from './team.router';
import { workspaceRouter } from './workspace.router';

export const appRouter = router({
  workspace: workspaceRouter,
  member: memberRouter,
  invitation: invitationRouter,
  team: teamRouter,
  project: projectRouter,
  apiKey: apiKeyRouter,
  audit: auditRouter,
  biAccess: biAccessRouter,
  alert: alertRouter,
  alertRule: alertRuleRouter,
  channel: channelRouter,
  silence: silenceRouter,
  notificationPolicy: notificationPolicyRouter,
  model: modelRouter,
  dataset: datasetRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
