/**
 * Runs the simulator on its own, for manual use:
 *   PORT=8443 SIM_LOGIN_NAME=me SIM_LOGIN_PASSWORD=secret npx tsx src/simulator/cli.ts
 * Prints the endpoint URL (never the password) and runs until SIGINT/SIGTERM.
 */
import { DEMO_CREDENTIALS, startSimulator } from './index.js';

const port = Number(process.env['PORT'] ?? '0');
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  process.stderr.write(`PORT must be an integer 0..65535, got ${JSON.stringify(process.env['PORT'])}\n`);
  process.exit(1);
}

const simulator = await startSimulator({
  loginName: process.env['SIM_LOGIN_NAME'] ?? DEMO_CREDENTIALS.loginName,
  loginPassword: process.env['SIM_LOGIN_PASSWORD'] ?? DEMO_CREDENTIALS.loginPassword,
  port,
});
process.stdout.write(`${simulator.url}\n`);

const stop = (): void => {
  void simulator.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
