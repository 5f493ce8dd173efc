import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kustomize, readYaml, ROOT, type K8sObject } from './support.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are checked field by field */

const APPS = {
  'vigil-api': { port: 4000, secrets: ['DATABASE_URL', 'REDIS_URL', 'VIGIL_SECRET_KEY'] },
  'vigil-worker': { port: 4100, secrets: ['DATABASE_URL', 'REDIS_URL', 'VIGIL_SECRET_KEY'] },
  'vigil-web': { port: 3000, secrets: ['DATABASE_URL', 'VIGIL_SECRET_KEY', 'AUTH_SECRET'] },
} as const;

function containersOf(podSpec: any): any[] {
  return [...(podSpec.initContainers ?? []), ...podSpec.containers];
}

function checkContainerHardening(where: string, podSpec: any) {
  expect(podSpec.securityContext, where).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
  for (const c of containersOf(podSpec)) {
    expect(c.securityContext, `${where}/${c.name}`).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(c.resources?.requests?.cpu, `${where}/${c.name} cpu request`).toBeDefined();
    expect(c.resources?.requests?.memory, `${where}/${c.name} memory request`).toBeDefined();
    expect(c.resources?.limits?.cpu, `${where}/${c.name} cpu limit`).toBeDefined();
    expect(c.resources?.limits?.memory, `${where}/${c.name} memory limit`).toBeDefined();
  }
}

for (const overlay of ['production', 'dev'] as const) {
  describe(`kubectl kustomize infra/k8s/overlays/${overlay}`, () => {
    const objects = kustomize(`infra/k8s/overlays/${overlay}`);
    const of = (kind: string) => objects.filter((o) => o.kind === kind);
    const named = (kind: string, name: string) => of(kind).find((o) => o.metadata.name === name);
    const configMap = of('ConfigMap').find((o) => o.metadata.name.startsWith('vigil-config'));

    it('puts everything in one namespace, with its config generated and referenced', () => {
      const namespace = overlay === 'production' ? 'vigil' : 'vigil-dev';
      expect(objects.every((o) => o.metadata.namespace === namespace)).toBe(true);
      expect(configMap?.data).toMatchObject({ NODE_ENV: 'production', HEALTH_PORT: '4100' });
      expect(of('Secret')).toEqual([]); // secrets are referenced, never shipped
    });

    it.each(Object.entries(APPS))('runs %s with probes, limits, a non-root context, its image and its env', (name, app) => {
      const d = named('Deployment', name) as K8sObject;
      expect(d, name).toBeDefined();
      const pod = d.spec.template.spec;
      expect(d.spec.selector.matchLabels).toEqual(d.spec.template.metadata.labels);
      checkContainerHardening(name, pod);
      const c = pod.containers[0];
      expect(c.image).toMatch(overlay === 'production' ? new RegExp(`/${name}:\\d+\\.\\d+\\.\\d+$`) : new RegExp(`/${name}:dev$`));
      const port = c.ports.find((p: any) => p.containerPort === app.port);
      expect(port, `${name} port ${app.port}`).toBeDefined();
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: port.name });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: port.name });
      expect(c.envFrom).toContainEqual({ configMapRef: { name: configMap!.metadata.name } });
      for (const key of app.secrets) {
        expect(c.env.find((e: any) => e.name === key)?.valueFrom?.secretKeyRef, `${name} ${key}`).toEqual({ name: 'vigil-secrets', key });
      }
      // A PodDisruptionBudget selects exactly its pods.
      expect(named('PodDisruptionBudget', name)?.spec.selector.matchLabels).toEqual(d.spec.selector.matchLabels);
      expect(d.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    });

    it('migrates before serving: a Job, and an init container in the API, both running the migrator of the api image', () => {
      const job = named('Job', 'vigil-migrate') as K8sObject;
      const api = named('Deployment', 'vigil-api') as K8sObject;
      for (const [where, podSpec] of [['job', job.spec.template.spec], ['api init', { ...api.spec.template.spec, containers: api.spec.template.spec.initContainers }]] as const) {
        checkContainerHardening(where, podSpec);
        const c = podSpec.containers[0];
        expect(c.image, where).toBe(api.spec.template.spec.containers[0].image);
        expect(c.command, where).toEqual(['node', '/app/packages/db/dist/bin/migrate.js']);
      }
      // The script the command names is built from the source the repository holds.
      expect(existsSync(join(ROOT, 'packages/db/src/bin/migrate.ts'))).toBe(true);
    });

    it('autoscales the API on CPU and the worker on queue depth served by the shipped adapter rule', () => {
      const apiHpa = named('HorizontalPodAutoscaler', 'vigil-api') as K8sObject;
      expect(apiHpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'vigil-api' });
      expect(apiHpa.spec.metrics[0].resource.name).toBe('cpu');
      const workerHpa = named('HorizontalPodAutoscaler', 'vigil-worker') as K8sObject;
      const metric = workerHpa.spec.metrics[0].external.metric.name;
      const rules = readYaml<{ rules: { external: { name: { as: string }; seriesQuery: string }[] } }>('infra/k8s/prometheus-adapter/rules.yaml');
      const rule = rules.rules.external.find((r) => r.name.as === metric);
      expect(rule, `adapter rule for ${metric}`).toBeDefined();
      expect(rule!.seriesQuery).toContain('vigil_queue_jobs');
      for (const hpa of [apiHpa, workerHpa]) expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
    });
  });
}
