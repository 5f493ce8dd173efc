# syntax=docker/dockerfile:1.7
# Vigil's images: one Dockerfile, one final stage per app, sharing one build.
#
#   docker build --target api    -t vigil-api .
#   docker build --target worker -t vigil-worker .
#   docker build --target web    -t vigil-web .
#
# Migrations are a one-shot command of the api image:
#   docker run --rm -e DATABASE_URL=… vigil-api node /app/packages/db/dist/bin/migrate.js
#
# Each final stage starts from a fresh slim Node image and receives only the app's compiled
# output, the workspace packages it uses (compiled) and their production dependencies: no pnpm,
# no compilers, no sources of tests. It runs as the unprivileged `node` user (uid 1000).

ARG NODE_VERSION=20.20.2

# ─── build: install everything, compile everything ───
FROM node:${NODE_VERSION}-bookworm-slim AS build
ENV CI=true TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
RUN npm install -g pnpm@12.4.2 && npm cache clean --force
WORKDIR /src
# The package store from the lockfile alone: this layer is rebuilt only when the lockfile changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch --frozen-lockfile
COPY . .
RUN pnpm install --frozen-lockfile --offline && pnpm build

# ─── per app: production dependencies only, no sources of tests ───
# Each pruned-<app> stage drops every node_modules, installs the production dependencies of the
# app and of the workspace packages it uses, and removes what no running process reads (other
# apps, sources of compiled packages, tests, benches, docs).

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
USER node

# ─── api: ingest, REST, Prometheus /metrics; also the migration command ───
FROM build AS pruned-api
RUN rm -rf node_modules apps/*/node_modules packages/*/node_modules tooling/*/node_modules bench/node_modules \
 && pnpm install --prod --frozen-lockfile --offline --filter "@vigil/api..." \
 && rm -rf apps/web apps/worker bench docs infra scripts .ci tooling/*/src apps/api/src apps/api/test test-artifacts \
 && find packages -path '*/node_modules' -prune -o -type d -name src -print | xargs rm -rf \
 && find apps packages -path '*/node_modules' -prune -o \( -name '*.test.*' -o -name 'vitest.config.*' -o -name 'tsconfig*.json' \) -print | xargs rm -f

FROM runtime AS api
COPY --from=pruned-api --chown=node:node /src /app
WORKDIR /app/apps/api
ENV PORT=4000 HOST=0.0.0.0
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--max-semi-space-size=64", "dist/main.js"]

# ─── worker: the pipeline, alert evaluation and notifications ───
FROM build AS pruned-worker
RUN rm -rf node_modules apps/*/node_modules packages/*/node_modules tooling/*/node_modules bench/node_modules \
 && pnpm install --prod --frozen-lockfile --offline --filter "@vigil/worker..." \
 && rm -rf apps/web apps/api bench docs infra scripts .ci tooling/*/src apps/worker/src apps/worker/test test-artifacts \
 && find packages -path '*/node_modules' -prune -o -type d -name src -print | xargs rm -rf \
 && find apps packages -path '*/node_modules' -prune -o \( -name '*.test.*' -o -name 'vitest.config.*' -o -name 'tsconfig*.json' \) -print | xargs rm -f

FROM runtime AS worker
COPY --from=pruned-worker --chown=node:node /src /app
WORKDIR /app/apps/worker
ENV HEALTH_PORT=4100
EXPOSE 4100
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HEALTH_PORT||4100)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]

# ─── web: the Next.js app behind server.mjs (client addresses from trusted proxies only) ───
FROM build AS pruned-web
RUN rm -rf node_modules apps/*/node_modules packages/*/node_modules tooling/*/node_modules bench/node_modules \
 && pnpm install --prod --frozen-lockfile --offline --filter "@vigil/web..." \
 && rm -rf apps/api apps/worker bench docs infra scripts .ci tooling/*/src apps/web/test apps/web/e2e apps/web/.next/cache test-artifacts \
 && find packages -path '*/node_modules' -prune -o -type d -name src -print | xargs rm -rf \
 && find apps packages -path '*/node_modules' -prune -o \( -name '*.test.*' -o -name 'vitest.config.*' \) -print | xargs rm -f

FROM runtime AS web
COPY --from=pruned-web --chown=node:node /src /app
WORKDIR /app/apps/web
ENV PORT=3000 HOSTNAME=0.0.0.0
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "server.mjs"]
