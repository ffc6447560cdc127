/**
 * The audit trail's command line, run from the repository root:
 *
 *   npm run audit -- export --out audit.jsonl
 *   npm run audit -- verify                   # the topic
 *   npm run audit -- verify --file audit.jsonl --public-key audit-key.pem
 *
 * See packages/audit-chain/README.md, and `npm run audit -- --help`.
 */
import { runAuditCli } from '../src/cli.ts';

process.exitCode = await runAuditCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  // npm runs the script in packages/audit-chain; paths on the command line are the caller's.
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
