/**
 * `npm run soak [-- --runs N --lanes N --max-seconds N --seed N]`: the full soak (300 runs by default), then
 * its table; exit 1 when it did not pass.
 */
import { formatReport, runSoak, soakPassed } from "./soak";

/** The value of `--name N` on the command line, or the default. */
function numberArg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index < 0 ? undefined : Number(process.argv[index + 1]);
  return value === undefined || !Number.isFinite(value) ? fallback : value;
}

/** Runs the soak and sets the exit code. */
async function main(): Promise<void> {
  const report = await runSoak({
    runs: numberArg("runs", 300),
    lanes: numberArg("lanes", 4),
    maxSeconds: numberArg("max-seconds", 900),
    seed: numberArg("seed", 5),
    waitRate: 0.2,
  });
  process.stdout.write(`${formatReport(report)}\n`);
  const passed = soakPassed(report);
  process.stdout.write(passed ? "soak passed\n" : "soak FAILED\n");
  process.exitCode = passed ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`soak crashed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
