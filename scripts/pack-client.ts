// Builds @messenger-contract/client (packages/client) from the repository's own client and
// generated types, copies the contract in, and packs it. The last line printed is the tarball's
// path. `--out-dir DIR` writes the tarball there (default: dist/).
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = fileURLToPath(new URL('../', import.meta.url))
const pkg = resolve(root, 'packages/client')
const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } })
const outDir = resolve(values['out-dir'] ?? resolve(root, 'dist'))

rmSync(resolve(pkg, 'dist'), { recursive: true, force: true })
copyFileSync(resolve(root, 'openapi/openapi.yaml'), resolve(pkg, 'openapi.yaml'))
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
execFileSync(process.execPath, [tsc, '-p', resolve(pkg, 'tsconfig.json')], { stdio: 'inherit' })

mkdirSync(outDir, { recursive: true })
const packed = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], {
    cwd: pkg,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
) as { filename: string; size: number; unpackedSize: number; files: unknown[] }[]
const [tarball] = packed
if (!tarball) {
  throw new Error('npm pack wrote no tarball')
}
console.log(
  `packed ${String(tarball.files.length)} files, ${(tarball.size / 1024).toFixed(1)} kB ` +
    `(${(tarball.unpackedSize / 1024).toFixed(1)} kB unpacked)`
)
console.log(resolve(outDir, tarball.filename))
