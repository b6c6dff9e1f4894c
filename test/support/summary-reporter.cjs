'use strict';
// Mocha's own closing lines are not read by CI: it reads one plain line `N passed, N failed`.
// This reporter keeps the familiar spec output and adds that line last.
const Mocha = require('mocha');
const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    runner.on('pass', () => { passed += 1; });
    runner.on('fail', () => { failed += 1; });
    runner.once(EVENT_RUN_END, () => {
      // Spec prints its epilogue on the same event; print ours after it.
      setImmediate(() => process.stdout.write(`${passed} passed, ${failed} failed\n`));
    });
  }
}
module.exports = SummaryReporter;
