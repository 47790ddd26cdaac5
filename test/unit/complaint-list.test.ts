import { describe, expect, it } from 'vitest';
import { complaintDocument, type ListedCase } from '../../activities/read-model';
import { listItemText, listPageText } from '../../api/complaint-list';
import type { Actor } from '../../domain/complaint-schema';
import { applyAction, openCase } from '../../domain/lifecycle';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { sampleIntake } from '../support/fixtures';

const receivedAt = '2026-11-23T02:00:00.000Z';
const now = new Date('2026-11-23T03:00:00.000Z');
const agent: Actor = { role: 'agent', sub: 'a1' };
const owner: Actor = { role: 'consumer', sub: 'u1' };

/** A case as the read model lists it: acknowledged by an agent (an assignee), quality investigating. */
function listedCase(id = 'c1'): ListedCase {
  const { state } = openCase({
    id, receivedAt, actor: 'consumer:u1', policy: loadSlaPolicy(undefined).forSeverity('general'),
    intake: sampleIntake({ customerId: 'u1', category: 'quality', contact: { name: 'Li Wei', phone: '13800138000' } }),
  });
  applyAction(state, { type: 'acknowledge', input: { note: 'Called the merchant' } }, agent, receivedAt);
  const doc = complaintDocument(state.complaint);
  return { id: doc._id, status: doc.status, snapshot: doc.snapshot, clockTimes: JSON.parse(doc.clocks!) };
}

describe('a list page\'s text (decision 036)', () => {
  it('gives staff the stored text with the badge: the same text as the case parsed and serialised', () => {
    const item = listedCase();
    const text = listItemText(agent, item, now, 'Asia/Shanghai')!;
    const parsed = JSON.parse(text);
    expect(parsed).toMatchObject({ id: 'c1', assignee: 'a1', status: 'investigating', sla: { state: 'on_track', stage: 'investigate' }, timeZone: 'Asia/Shanghai', nextDeadlineStage: 'investigate' });
    const { sla, timeZone, nextDeadline, nextDeadlineStage } = parsed;
    expect(text).toBe(JSON.stringify({ id: 'c1', ...JSON.parse(item.snapshot), sla, timeZone, nextDeadline, nextDeadlineStage }));
    expect(parsed).not.toHaveProperty('timeline');
  });

  it('gives a consumer and a department their views, not the stored text', () => {
    const item = listedCase();
    const mine = JSON.parse(listItemText(owner, item, now, 'Asia/Shanghai')!);
    expect(mine).toMatchObject({ id: 'c1', status: 'investigating', sla: { state: 'on_track' } });
    expect(mine).not.toHaveProperty('assignee');
    const quality = JSON.parse(listItemText({ role: 'department', sub: 'q1', department: 'quality' }, item, now, 'Asia/Shanghai')!);
    expect(quality.contact).toEqual({ name: 'L***', phone: '138****8000' });
    expect(quality.assignee).toBe('a1');
  });

  it('leaves out an item the caller may not see', () => {
    const item = listedCase();
    expect(listItemText({ role: 'consumer', sub: 'u2' }, item, now, 'Asia/Shanghai')).toBeNull();
    expect(listItemText({ role: 'department', sub: 'g1', department: 'legal' }, item, now, 'Asia/Shanghai')).toBeNull();
    const page = JSON.parse(listPageText({ role: 'consumer', sub: 'u2' }, { items: [item], nextCursor: 'abc' }, now, 'Asia/Shanghai'));
    expect(page).toEqual({ items: [], nextCursor: 'abc' });
  });

  it('joins the items and the cursor into the page, the cursor only when there is one', () => {
    const items = [listedCase('c1'), listedCase('c2')];
    const page = listPageText(agent, { items }, now, 'Asia/Shanghai');
    expect(JSON.parse(page).items.map((i: { id: string }) => i.id)).toEqual(['c1', 'c2']);
    expect(Object.keys(JSON.parse(page))).toEqual(['items']);
    expect(JSON.parse(listPageText(agent, { items, nextCursor: 'x"y' }, now, 'Asia/Shanghai')).nextCursor).toBe('x"y');
    expect(listPageText(agent, { items: [] }, now, 'Asia/Shanghai')).toBe('{"items":[]}');
  });
});
