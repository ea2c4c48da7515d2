// Where the project's data files (specs, fixtures, migrations) are. This module sits one level
// below the package root, as does the bundled dist/main.mjs, so the same relative URL works in both.
const ROOT = new URL('../', import.meta.url)

/** A file of the project, by its path from the package root ("openapi/openapi.yaml"). */
export function projectFile(path: string): URL {
  return new URL(path, ROOT)
}
