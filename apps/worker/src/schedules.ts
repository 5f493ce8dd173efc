/** Schedules that every deployment runs (BullMQ job schedulers: one per id, cluster-wide). */
export const SCHEDULES = [
  { id: 'create-partitions', every: 60 * 60 * 1000, data: { task: 'create-partitions' as const } },
  { id: 'stream-sweep', every: 10 * 1000, data: { task: 'stream-sweep' as const } },
  { id: 'close-windows', every: 60 * 1000, data: { task: 'close-windows' as const } },
  { id: 'drop-expired-partitions', every: 6 * 60 * 60 * 1000, data: { task: 'drop-expired-partitions' as const } },
  { id: 'compact-profiles', every: 60 * 60 * 1000, data: { task: 'compact-profiles' as const } },
  { id: 'alert-sweep', every: 60 * 1000, data: { task: 'alert-sweep' as const } },
  { id: 'delivery-sweep', every: 5 * 1000, data: { task: 'delivery-sweep' as const } },
  { id: 'reference-sweep', every: 10 * 1000, data: { task: 'reference-sweep' as const } },
] as const;
export type ScheduleId = (typeof SCHEDULES)[number]['id'];

/** Ids of the schedules a worker can register (WORKER_SCHEDULES chooses among them). */
export const SCHEDULE_IDS = SCHEDULES.map((s) => s.id) as [ScheduleId, ...ScheduleId[]];
