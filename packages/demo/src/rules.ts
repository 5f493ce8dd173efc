import type { AlertRuleDefinitionInput } from '@vigil/contracts';
import { deliveryEta } from './models/delivery-eta.js';
import { fraudDetector } from './models/fraud-detector.js';
import { ticketRouter } from './models/ticket-router.js';

/**
 * The story's alert rules and the team owning each (no channel: nothing is sent anywhere).
 * `projectId` gives the id of the project holding a model, for the rules scoped to one.
 */
export function demoRules(projectId: (modelSlug: string) => string): { team: string; rule: AlertRuleDefinitionInput }[] {
  return [
    {
      // Fires on the drift going on now: `amount` drifted in two consecutive hours.
      team: fraudDetector.team,
      rule: {
        name: 'Feature drift',
        metric: 'drift_detected',
        column: { kind: 'any' },
        granularity: 'hour',
        condition: { threshold: { kind: 'drift_verdict' } },
        for: 1,
      },
    },
    {
      // Fired 12 hours back, when distances went missing; resolved when they came back 4 hours later.
      team: deliveryEta.team,
      rule: {
        name: 'Missing distances',
        scope: { projectIds: [projectId(deliveryEta.slug)] },
        metric: 'missing_share',
        column: { kind: 'one', name: 'distance_km' },
        granularity: 'hour',
        condition: { op: '>', threshold: { kind: 'fixed', warning: 0.1, critical: 0.3 } },
      },
    },
    {
      // A guard against a collapse of the router: the new product's misroutes took daily
      // accuracy from ~0.87 to ~0.68 (the Performance tab shows it once labels arrived), which
      // stays above it. Days less than half labelled are not judged.
      team: ticketRouter.team,
      rule: {
        name: 'Accuracy drop',
        scope: { projectIds: [projectId(ticketRouter.slug)] },
        metric: 'accuracy',
        granularity: 'day',
        condition: { op: '<', threshold: { kind: 'fixed', warning: 0.65 } },
        minLabelCoverage: 0.5,
      },
    },
  ];
}
