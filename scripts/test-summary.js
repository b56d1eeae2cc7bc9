// Prints vitest's totals as one plain closing line ("Tests: N passed, N failed, N skipped"),
// and fails when the run executed no test at all.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
const report = JSON.parse(readFileSync(file, 'utf8'));
const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
// CI runs everything: a skipped test is a test that did not prove anything.
if (passed === 0 || failed > 0 || skipped > 0) process.exit(1);
