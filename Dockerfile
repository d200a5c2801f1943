# syntax=docker/dockerfile:1
#
# The subgraph as a container image:
#   docker build -t sectigo-order-status-subgraph .
#   docker run --rm -p 4001:4001 \
#     -e SECTIGO_LOGIN_NAME=... -e SECTIGO_LOGIN_PASSWORD=... sectigo-order-status-subgraph
#
# NODE_ENV=production is baked in, so the image refuses to start without
# credentials (the embedded simulator is a development default only).
#
# scripts/container-smoke.sh replays this file's build stage and final file
# set outside Docker (COPY and RUN lines of the `build` stage, the
# `COPY --from=build` list, ENV, HEALTHCHECK and CMD of the last stage), so keep
# to those instruction forms: shell-form RUN, plain COPY in `build`,
# `COPY --from=build` with unchanged paths in the last stage, exec-form CMD.

# Node.js LTS, major pinned; Debian 12 slim. Override with --build-arg NODE_IMAGE=...
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: full install from the lockfile, compile, then drop dev dependencies
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY schema ./schema
COPY src ./src
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

# ---- runtime: production node_modules, compiled JS and the SDL only
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production PORT=4001
WORKDIR /app
# Owned by root and not writable by the `node` user that runs the service.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read at run time from ../../schema/ relative to dist/graphql/.
COPY --from=build /app/schema ./schema
USER node
EXPOSE 4001
# No curl in slim images: ask node itself. Assumes HOST is unset (all interfaces) or loopback.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4001)+'/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself; main.ts drains in-flight
# requests (SHUTDOWN_GRACE_MS, default 8 s: below `docker stop`'s 10 s).
CMD ["node", "dist/main.js"]
