# One Dockerfile, one target per process: api (also serves the web app), worker, pc-sim.
FROM node:20-bookworm-slim AS build
# better-sqlite3 (the embedded store's driver) is a native module and compiles from source.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY apps/web/package.json apps/web/
COPY apps/pc-sim/package.json apps/pc-sim/
COPY libs/contracts/package.json libs/contracts/
COPY libs/finops/package.json libs/finops/
COPY libs/notify/package.json libs/notify/
COPY libs/observability/package.json libs/observability/
COPY libs/partner-center/package.json libs/partner-center/
COPY libs/store/package.json libs/store/
COPY libs/sync/package.json libs/sync/
COPY tools/repo-checks/package.json tools/repo-checks/
RUN npm ci --no-audit --no-fund
COPY . .
RUN NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t build --outputStyle=static \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node

FROM runtime AS api
ENV HOST=0.0.0.0 PORT=3000 MERIDIAN_DATA_DIR=/app/data
EXPOSE 3000
CMD ["node", "apps/api/dist/main.js"]

FROM runtime AS worker
# Young generation large enough that a sync page's garbage dies young; old generation capped so the
# heap is collected before RSS grows past 300 MB (docs/performance.md). bench/ingest reads this line.
ENV MERIDIAN_DATA_DIR=/app/data NODE_OPTIONS="--max-old-space-size=160 --max-semi-space-size=32"
CMD ["node", "apps/worker/dist/main.js"]

FROM runtime AS pc-sim
ENV SIM_HOST=0.0.0.0 SIM_PORT=4100
EXPOSE 4100
CMD ["node", "apps/pc-sim/dist/main.js"]
