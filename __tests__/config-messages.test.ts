/**
 * Messages of the adversarial review (issue 19): one clear problem per mistake, saying what to
 * change, and no config text that can forge output lines.
 */
import { ConfigError, formatProblem, type Problem } from '../lib/config/problems';
import { ACCOUNTS_YAML, configFrom, edit, HUB_YAML, problemsOf, withSharing } from './helpers/config';

/** The only problem of a configuration (fails when there are more or none). */
function onlyProblem(hub = HUB_YAML, accounts = ACCOUNTS_YAML): Problem {
  const problems = problemsOf(hub, accounts);
  expect(problems.map(formatProblem)).toHaveLength(1);
  return problems[0];
}

/** The text a failed synth prints: the ConfigError's message. */
function reportOf(hub = HUB_YAML, accounts = ACCOUNTS_YAML): string {
  try {
    configFrom(hub, accounts);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected the configuration to be invalid');
}

const ALL_ACCOUNTS = '"123456789012", "012345678901", "333333333333"';

describe('sharing.principals', () => {
  test('the hub account is refused: it owns the Profile, and RAM cannot share with the owner', () => {
    const problem = onlyProblem(withSharing(`  mode: profile\n  principals: ["111111111111", ${ALL_ACCOUNTS}]\n`));
    expect(problem).toMatchObject({
      file: 'config/hub.yaml',
      line: 19,
      path: 'sharing.principals[0]',
      value: '"111111111111"',
    });
    expect(problem.message).toContain('this is the hub account (hub.accountId)');
    expect(problem.message).toContain('owns the Route 53 Profile');
    expect(problem.message).toContain('Remove it from sharing.principals');
  });

  test('an empty list is one problem, not one more per account', () => {
    const problem = onlyProblem(withSharing('  mode: profile\n  principals: []\n'));
    expect(problem).toMatchObject({ file: 'config/hub.yaml', path: 'sharing.principals', value: '[]' });
    expect(problem.message).toContain('list at least one principal, or leave principals out');
  });
});

describe('control characters from the config', () => {
  const FORGED = `${HUB_YAML}"x\\n::error title=forged::pwned": 1\n`;

  test('a newline in an unknown key cannot start an output line (a GitHub Actions workflow command)', () => {
    const report = reportOf(FORGED);
    const lines = report.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.filter((line) => line.trimStart().startsWith('::'))).toEqual([]);
    expect(lines[1]).toContain('unknown key "x\\u000a::error title=forged::pwned"');
  });

  test('escape sequences in values that a message repeats are shown, not obeyed', () => {
    const problem = onlyProblem(edit(HUB_YAML, 's3, logs]', 's3, "lo\\u001b[2Jgs"]'));
    expect(problem.message).toContain('is not in the service catalog');
    const line = formatProblem(problem);
    expect(line).not.toContain(String.fromCharCode(0x1b));
    expect(line).toContain('\\u001b[2J');
  });
});

describe('limits', () => {
  const withLimit = (value: string) => `${HUB_YAML}limits:\n  vpcAssociationsPerZone: ${value}\n`;

  test('a number too large to hold (1e400 is Infinity) is out of range, not "expected a number, got a number"', () => {
    const problem = onlyProblem(withLimit('1e400'));
    expect(problem).toMatchObject({ path: 'limits.vpcAssociationsPerZone', value: '1e400' });
    expect(problem.message).toContain('1e400 is out of range');
    expect(problem.message).toContain('not a finite number');
    expect(problem.message).not.toContain('got a number');
  });

  test('a negative quota is one problem: it must be a positive whole number (no "quota of -1")', () => {
    const problem = onlyProblem(withLimit('-1'));
    expect(problem).toMatchObject({ path: 'limits.vpcAssociationsPerZone', value: '-1' });
    expect(problem.message).toContain('must be a positive whole number, from 1 to 10000');
    expect(problem.message).not.toContain('quota of -1');
  });

  test('a fraction is refused in plain words, not "expected a int"', () => {
    const problem = onlyProblem(withLimit('1.5'));
    expect(problem.message).toContain('positive whole number');
    expect(problem.message).not.toMatch(/\ba int\b|quota of 1\.5/);
  });

  test('a quota over the maximum is refused once', () => {
    const problem = onlyProblem(`${HUB_YAML}limits:\n  vpcAssociationsPerProfile: 100001\n`);
    expect(problem.message).toContain('from 1 to 100000');
  });
});

describe('unquoted account IDs', () => {
  test('a 30-digit number is told what an account ID is, with no invalid value to copy', () => {
    const digits = '3'.repeat(30);
    const problem = onlyProblem(HUB_YAML, edit(ACCOUNTS_YAML, '"333333333333"', digits));
    expect(problem).toMatchObject({ path: 'accounts[2].id', value: digits });
    expect(problem.message).toContain('exactly 12 digits, written in quotes');
    expect(problem.message).not.toContain(`"${digits}"`);
    // Every quoted value it suggests is a 12-digit ID.
    for (const [, quoted] of problem.message.matchAll(/"(\d+)"/g)) expect(quoted).toMatch(/^\d{12}$/);
  });

  test('a 12-digit number is still told to write it in quotes as it is', () => {
    const problem = onlyProblem(HUB_YAML, edit(ACCOUNTS_YAML, '"333333333333"', '333333333333'));
    expect(problem.message).toContain('Write "333333333333"');
  });
});

describe('account names', () => {
  test('letters of any alphabet are accepted, as the message says', () => {
    const config = configFrom(HUB_YAML, edit(ACCOUNTS_YAML, 'payments-prod', 'zahlungen-ä'));
    expect(config.accounts[0].name).toBe('zahlungen-ä');
    expect(configFrom(HUB_YAML, edit(ACCOUNTS_YAML, 'payments-prod', 'платежи_1')).accounts[0].name).toBe('платежи_1');
  });

  test('spaces, template sequences and bidirectional overrides are not', () => {
    for (const name of ['"payments prod"', '"pay${x}"', '"pay\\u202eusd"']) {
      const problem = onlyProblem(HUB_YAML, edit(ACCOUNTS_YAML, 'payments-prod', name));
      expect(problem).toMatchObject({ path: 'accounts[0].name' });
      expect(problem.message).toContain('letters (of any alphabet');
    }
  });
});

describe('services', () => {
  test('an empty list with nothing retired says to list one, and how to retire the last ones', () => {
    const problem = onlyProblem(edit(HUB_YAML, 'services: [ecr.api, ecr.dkr, s3, logs]', 'services: []'));
    expect(problem).toMatchObject({ path: 'services', value: '[]' });
    expect(problem.message).toContain('list at least one service');
    expect(problem.message).toContain('retiredServices');
  });

  test('an empty list while the last services are retired is the retire step, and loads', () => {
    const config = configFrom(
      edit(
        HUB_YAML,
        'services: [ecr.api, ecr.dkr, s3, logs]',
        'services: []\nretiredServices: [ecr.api, ecr.dkr, s3, logs]',
      ),
    );
    expect(config.services).toEqual([]);
    expect(config.retiredServices).toEqual(['ecr.api', 'ecr.dkr', 's3', 'logs']);
  });
});
