import { createCallerFactory, router } from '../trpc';
import { apiKeyRouter } from './api-key.router';
import { auditRouter } from './audit.router';
import { invitationRouter } from './invitation.router';
import { memberRouter } from './member.router';
import { projectRouter } from './project.router';
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
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
