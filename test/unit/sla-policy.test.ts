import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deadlineAfter, durationMs, parseSlaPolicy, resolveSlaPolicy, SlaPolicyError } from '../../domain/sla-policy';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';

const writePolicy = (content: string) => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'policy-')), 'sla.json');
  writeFileSync(file, content);
  return file;
};

describe('SLA policy', () => {
  it('defaults to domain.md: 24 h / 3 / 2 working days / 7 working days, urgent 12 h and 24 h', () => {
    const policy = loadSlaPolicy(undefined);
    expect(policy.version).toBe('cn-2026.1');
    expect(policy.forSeverity('general').durations).toEqual({
      acknowledge: '24h', investigate: { businessDays: 3 }, plan: { businessDays: 2 },
      feedback: '7d', repair: '48h', resolve: { businessDays: 7 }, revisit: '7d',
    });
    expect(policy.forSeverity('complex').durations).toEqual(policy.forSeverity('general').durations);
    expect(policy.forSeverity('urgent').durations).toMatchObject({ acknowledge: '12h', resolve: '24h', investigate: { businessDays: 3 } });
    expect(policy.forSeverity('general').calendar.timezone).toBe('Asia/Shanghai');
  });

  it('takes each stage from the file for that severity and the default otherwise', () => {
    const file = parseSlaPolicy({ policies: { urgent: { acknowledge: '2h' }, general: { plan: '90s' } } });
    expect(resolveSlaPolicy(file, 'urgent', 'v').durations).toMatchObject({ acknowledge: '2h', resolve: '24h', plan: { businessDays: 2 } });
    expect(resolveSlaPolicy(file, 'general', 'v').durations).toMatchObject({ acknowledge: '24h', plan: '90s' });
  });

  it('takes the consumer\'s reply time, the reopen window and the pauses per severity, with defaults', () => {
    const file = parseSlaPolicy({ policies: { urgent: { consumerReply: '1d', reopen: { businessDays: 5 }, pauses: { resolve: false } } } });
    expect(resolveSlaPolicy(file, 'urgent', 'v')).toMatchObject({ consumerReply: '1d', reopen: { businessDays: 5 }, pauses: { investigate: true, plan: true, resolve: false } });
    expect(resolveSlaPolicy(file, 'general', 'v')).toMatchObject({ consumerReply: '3d', reopen: '7d', pauses: { investigate: true, plan: true, resolve: true } });
  });

  it('names every problem of a bad policy', () => {
    const bad = {
      timezone: 'Mars/Olympus', calendar: { workdays: [8], holidays: ['1 Oct'] },
      policies: { general: { acknowledge: '3 days', consumerReply: 'soon', pauses: { acknowledge: true } }, complex: { reopen: { businessDays: -1 } }, vip: {} },
    };
    let message = '';
    try {
      parseSlaPolicy(bad, 'test policy');
    } catch (err) {
      expect(err).toBeInstanceOf(SlaPolicyError);
      message = (err as Error).message;
    }
    expect(message).toContain('test policy is not a valid SLA policy');
    for (const where of [
      'timezone', 'calendar.workdays.0', 'calendar.holidays.0', 'policies.general.acknowledge', 'policies.general.consumerReply',
      'policies.general.pauses', 'policies.complex.reopen.businessDays', 'policies',
    ]) {
      expect(message).toContain(`${where}:`);
    }
  });

  it('fails start-up clearly for a missing, non-JSON or invalid file', () => {
    expect(() => loadSlaPolicy('/nonexistent/sla.json')).toThrow(/cannot be read/);
    expect(() => loadSlaPolicy(writePolicy('{ not json'))).toThrow(/is not JSON/);
    expect(() => loadSlaPolicy(writePolicy('{"policies":{"general":{"resolve":{"businessDays":-1}}}}'))).toThrow(
      /policies\.general\.resolve/,
    );
  });

  it('versions a file by its content unless it names its version', () => {
    const a = loadSlaPolicy(writePolicy('{"policies":{"general":{"acknowledge":"1h"}}}'));
    const b = loadSlaPolicy(writePolicy('{"policies":{"general":{"acknowledge":"2h"}}}'));
    expect(a.version).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(a.version).not.toBe(b.version);
    expect(loadSlaPolicy(writePolicy('{"version":"2027-q1"}')).version).toBe('2027-q1');
    expect(a.forSeverity('general').version).toBe(a.version);
  });

  it('computes calendar and working-day deadlines', () => {
    expect(durationMs('90s')).toBe(90_000);
    expect(durationMs('1.5h')).toBe(5_400_000);
    const policy = resolveSlaPolicy(parseSlaPolicy({ policies: { general: { acknowledge: '15m' } } }), 'general', 'v');
    const monday = new Date('2026-11-23T02:00:00Z'); // 10:00 in Shanghai
    expect(deadlineAfter(policy, 'acknowledge', monday).toISOString()).toBe('2026-11-23T02:15:00.000Z');
    expect(deadlineAfter(policy, 'investigate', monday).toISOString()).toBe('2026-11-26T02:00:00.000Z');
  });
});
