# Builds the Grafana plugin (frontend bundles and the Go backend of the datasource) and, when
# run, copies it into the volume Grafana loads plugins from.
FROM golang:1.26-bookworm AS build
COPY --from=node:20-bookworm /usr/local/bin/node /usr/local/bin/node
COPY --from=node:20-bookworm /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
WORKDIR /src
COPY package.json package-lock.json ./
COPY backend-sidecar/package.json backend-sidecar/
COPY demo/package.json demo/
# Install scripts stay off, as in package.json's allowScripts: the packages ship what they need.
RUN npm install --ignore-scripts --no-audit --no-fund
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN npm run build && npm run build:backend:all

FROM busybox:1.36
COPY --from=build /src/dist /plugin
CMD ["sh", "-c", "rm -rf /out/* && cp -r /plugin/. /out/ && echo plugin copied"]
