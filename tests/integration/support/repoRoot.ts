import { fileURLToPath } from 'node:url';

/** The repository root, where go.mod and package.json are. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
