/** Progress goes to stderr, with the time since the bench started; stdout is kept for the final table. */
const started = performance.now();

export function progress(line: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${seconds}s] ${line}\n`);
}

export function elapsedSeconds(): number {
  return (performance.now() - started) / 1000;
}
