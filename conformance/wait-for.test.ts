// --wait-for: the CLI polls a target that is not up yet, then runs once it answers.
import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { freePort } from '../scripts/prism-process.ts'
import { startMock } from './testing/mock-process.ts'
import { CLI } from './testing/suite.ts'

describe('--wait-for', () => {
  it('waits for a target that starts later, then passes', async () => {
    const port = await freePort()
    const cli = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        CLI,
        '--base-url',
        `http://127.0.0.1:${port}`,
        '--wait-for',
        '60',
        '--only',
        'unauthenticated',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } }
    )
    let output = ''
    cli.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    cli.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => cli.once('exit', resolve))
    // The target comes up only after the CLI has started polling.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(cli.exitCode, output).toBeNull()
    const mock = await startMock(['--port', String(port)])
    try {
      expect(await exited, output).toBe(0)
      expect(output).toMatch(/^\d+ passed, 0 failed, 0 skipped$/m)
    } finally {
      await mock.stop()
    }
  }, 90_000)
})
