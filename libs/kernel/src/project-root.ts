import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's root folder (the nearest one above this module with a package.json). The build
 * copies only .ts files, so data files (JSON schemas, translations) are read from the source
 * tree: found from here, that works for `libs/...` under jest and for `dist/libs/...` after tsc.
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('no package.json above this module');
    dir = up;
  }
  return dir;
}
