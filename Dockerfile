# One image for every hub service; docker-compose.yml picks the workspace to run.
# Used where a Docker engine exists (not on the development machines here).
FROM node:20-bookworm-slim
WORKDIR /hub
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY packages ./packages
COPY schemas ./schemas
COPY services ./services
COPY connectors ./connectors
COPY simulators ./simulators
COPY test/package.json ./test/package.json
RUN npm ci --no-audit --no-fund && npx turbo run build
ENV NODE_ENV=production HUB_DATA_DIR=/var/lib/hub
VOLUME /var/lib/hub
