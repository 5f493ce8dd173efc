import { describe, expect, it } from 'vitest';
import { dockerStages, readYaml } from './support.js';

interface Service {
  profiles?: string[];
  image?: string;
  build?: { context: string; dockerfile: string; target: string };
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
const compose = readYaml<{ services: Record<string, Service> }>('infra/docker-compose.yml');
const services = compose.services;

describe('infra/docker-compose.yml', () => {
  it('starts only Postgres and Redis by default, the whole platform with the "full" profile', () => {
    const byDefault = Object.entries(services).filter(([, s]) => !s.profiles).map(([n]) => n);
    expect(byDefault.sort()).toEqual(['postgres', 'redis']);
    const full = Object.entries(services).filter(([, s]) => s.profiles?.includes('full')).map(([n]) => n);
    expect(full.sort()).toEqual(['api', 'migrate', 'web', 'worker']);
  });

  it('keeps the queues across Redis restarts (append-only file, no eviction)', () => {
    const redis = services.redis!.command!.join(' ');
    expect(redis).toContain('--appendonly yes');
    expect(redis).toContain('--maxmemory-policy noeviction');
  });

  it('health-checks every long-running service and gates the start order on health', () => {
    for (const name of ['postgres', 'redis', 'api', 'worker', 'web']) expect(services[name]!.healthcheck?.test, name).toBeDefined();
    expect(services.migrate!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const name of ['api', 'worker', 'web']) {
      expect(services[name]!.depends_on?.migrate, name).toEqual({ condition: 'service_completed_successfully' });
    }
    expect(services.api!.depends_on?.redis).toEqual({ condition: 'service_healthy' });
    expect(services.worker!.depends_on?.redis).toEqual({ condition: 'service_healthy' });
    expect(services.web!.depends_on?.api).toEqual({ condition: 'service_healthy' });
  });

  it('builds each app from its Dockerfile stage and runs migrations with the api image', () => {
    const stages = new Set(dockerStages().map((s) => s.name));
    for (const name of ['migrate', 'api', 'worker', 'web']) {
      const s = services[name]!;
      expect(s.build?.dockerfile, name).toBe('Dockerfile');
      expect(stages.has(s.build!.target), `${name} → stage ${s.build?.target}`).toBe(true);
    }
    expect(services.migrate!.build!.target).toBe('api');
    expect(services.migrate!.command).toEqual(['node', '/app/packages/db/dist/bin/migrate.js']);
    for (const name of ['api', 'worker', 'web']) expect(services[name]!.environment?.NODE_ENV, name).toBe('production');
    expect(services.worker!.environment?.HEALTH_PORT).toBe('4100');
  });
});
