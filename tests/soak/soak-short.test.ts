/** The short soak inside npm test: 30 runs under the fault mix, with the same pass rule as `npm run soak`. */
import { formatReport, runSoak, soakPassed } from "./soak";

test("runSoak() with 30 runs under faults: no duplicate, orphan, non-JSON output, secret or unexpected failure", async () => {
  const report = await runSoak({ runs: 30, lanes: 3, maxSeconds: 90, seed: 11, waitRate: 0.2 });
  const table = formatReport(report);
  if (!soakPassed(report)) throw new Error(`The short soak failed:\n${table}`);
  expect(report.runs).toBeGreaterThanOrEqual(30);
}, 120_000);
