import type { AlertRuleDefinition } from '@vigil/contracts';

/** A stored rule: `AlertRule.id` plus its parsed `definition` (AlertRuleDefinitionSchema output). */
export interface AlertRule {
  readonly id: string;
  readonly definition: AlertRuleDefinition;
}
