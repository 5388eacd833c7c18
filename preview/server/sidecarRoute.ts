/**
 * The sidecar API paths the Seismo datasource forwards (docs/frames.md, "Datasource resources"):
 * the preview's proxy allows exactly these, so the preview cannot reach anything the datasource
 * could not.
 */
const ALLOWED: readonly RegExp[] = [
  /^status$/,
  /^services$/,
  /^services\/[^/]+$/,
  /^edges$/,
  /^topology$/,
  /^forecasts$/,
  /^forecasts\/target$/,
  /^incidents$/,
  /^incidents\/[^/]+$/,
  /^evaluations$/,
  /^rootcause$/,
  /^models$/,
  /^models\/[^/]+\/(manifest|onnx)$/,
  /^window$/,
  /^signals$/,
  /^feedback$/,
  /^selection$/,
];

const PREFIX = /^\/api\/datasources\/uid\/[^/]+\/resources\/sidecar\/(.+)$/;

/**
 * The sidecar path (`topology`, `models/x/onnx`, ...) of a request to the datasource's sidecar
 * resource route, or undefined when the request is not one; throws for a path the datasource
 * does not forward.
 */
export function sidecarRoute(pathname: string): string | undefined {
  const match = PREFIX.exec(pathname);
  if (!match) {
    return undefined;
  }
  const path = match[1]!;
  if (
    path.split('/').some((segment) => segment === '..' || segment === '.' || segment === '') ||
    !ALLOWED.some((rule) => rule.test(path))
  ) {
    throw new Error(`"${path}" is not a sidecar route the Seismo datasource forwards`);
  }
  return path;
}
