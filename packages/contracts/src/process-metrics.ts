/**
 * prom-client's default process metrics include three gauges named `*_total`, a suffix
 * Prometheus reserves for counters (`promtool check metrics` refuses them); the handle and
 * request counts tell an operator nothing the other process metrics do not. Every Vigil process
 * that exports its metrics removes them with `removeTotalNamedGauges`.
 */
export const TOTAL_NAMED_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'] as const;

/** Removes `TOTAL_NAMED_GAUGES` (registered with `prefix`) from a prom-client registry. */
export function removeTotalNamedGauges(registry: { removeSingleMetric(name: string): void }, prefix: string): void {
  for (const name of TOTAL_NAMED_GAUGES) registry.removeSingleMetric(`${prefix}${name}`);
}
