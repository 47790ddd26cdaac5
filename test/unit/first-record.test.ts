import { describe, expect, it } from 'vitest';
import { firstRecordOf } from '../../bench/first-record';

const at = (ms: number) => new Date(1_000_000 + ms);

describe("the benchmark's first record of a new case", () => {
  const requestedAt = new Map([['a', 1_000_000], ['b', 1_000_000 + 50], ['c', 1_000_000]]);

  it('times each case from its request to its record (its first notice queued) and to the consumer told', () => {
    const figure = firstRecordOf([
      // The earliest of a case's notices is its record, in whatever order they come.
      { complaintId: 'a', recipient: 'agent', createdAt: at(90) },
      { complaintId: 'a', recipient: 'consumer', createdAt: at(100), sentAt: at(400) },
      { complaintId: 'b', recipient: 'consumer', createdAt: at(350), sentAt: at(650) },
      // A second consumer's notice of the same record: the consumer was told at the first.
      { complaintId: 'b', recipient: 'consumer', createdAt: at(350), sentAt: at(700) },
      // An unknown case (another figure's) is not counted.
      { complaintId: 'z', recipient: 'consumer', createdAt: at(9_000), sentAt: at(9_500) },
    ], requestedAt);
    expect(figure).toMatchObject({
      recordedP50Ms: 90, recordedP99Ms: 300, recordedMaxMs: 300,
      consumerToldP50Ms: 400, consumerToldP99Ms: 600,
      recorded: 2, consumersTold: 2, cases: 3,
    });
  });

  it('counts a consumer not yet told as not told, and a case without notices as not recorded', () => {
    const figure = firstRecordOf([{ complaintId: 'a', recipient: 'consumer', createdAt: at(20) }], requestedAt);
    expect(figure.recorded).toBe(1);
    expect(figure.consumersTold).toBe(0);
    expect(figure.recordedP99Ms).toBe(20);
    expect(figure.consumerToldP50Ms).toBeNaN();
  });
});
