# The demo mesh: simulated Online Boutique under load with a fault scenario.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY backend-sidecar/package.json backend-sidecar/
COPY demo/package.json demo/
RUN npm install --ignore-scripts --no-audit --no-fund --workspace demo
COPY tsconfig.node.json ./
COPY demo demo
WORKDIR /app/demo
USER node
EXPOSE 9464 9465
ENTRYPOINT ["npx", "tsx", "src/cli.ts"]
