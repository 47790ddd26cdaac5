import { describe, expect, it } from 'vitest';
import { maskAddress, maskEmail, maskPhone } from '../../activities/notifications/mask';
import { render, templateEvents } from '../../activities/notifications/templates';

describe('notification texts', () => {
  const data = {
    complaintId: 'c-1', acknowledgeBy: '2026-11-24T02:00:00.000Z', expectedCompletion: '2026-12-02T02:00:00.000Z',
    investigateBy: '2026-11-26T02:00:00.000Z', answerBy: '2026-11-30T02:00:00.000Z', version: 2, remedy: 'refund',
    stage: 'investigate', deadline: '2026-11-26T02:00:00.000Z', reason: 'late', from: 1, to: 2, key: 'refund:v1', category: 'quality',
    question: 'A photo of the leak', needed: ['photo', 'order slip'], count: 1,
    deadlines: { investigate: { from: '2026-11-26T02:00:00.000Z', to: '2026-12-01T02:00:00.000Z' } },
  };

  it('states progress, expected completion and method in the first reply, in the consumer\'s time zone', () => {
    const zh = render('received', 'zh-CN', data, 'Asia/Shanghai');
    expect(zh.text).toContain('当前进度：已受理');
    expect(zh.text).toContain('预计完成时间：2026年12月2日 10:00');
    expect(zh.text).toContain('处理方式：');
    const en = render('received', 'en', data, 'Asia/Shanghai');
    expect(en.text).toMatch(/Progress: received.*Method: .*Expected completion: 2026-12-02 10:00/);
  });

  it('asks the consumer with what is needed and by when, and tells staff where the deadline moved', () => {
    expect(render('information_request', 'en', data, 'Asia/Shanghai').text).toBe(
      'To handle complaint c-1 we need: A photo of the leak (photo; order slip). Please answer by 2026-11-30 10:00 GMT+8; our deadline is paused while we wait.',
    );
    expect(render('information_request', 'zh-CN', data, 'Asia/Shanghai').text).toContain('2026年11月30日 10:00 前回复');
    expect(render('information_received', 'en', data, 'Asia/Shanghai').text).toContain('investigate → 2026-12-01 10:00 GMT+8');
  });

  it('has every event in both languages', () => {
    for (const event of templateEvents) {
      const zh = render(event, 'zh-CN', data, 'Asia/Shanghai');
      const en = render(event, 'en', data, 'Asia/Shanghai');
      expect(zh.subject, event).toMatch(/[\u4e00-\u9fff]/);
      expect(en.subject, event).not.toMatch(/[\u4e00-\u9fff]/);
      expect(en.text).not.toContain('undefined');
      expect(zh.text).not.toContain('undefined');
    }
  });
});

describe('masking recipients', () => {
  it('keeps a phone recognisable but unusable', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('+86 139 1234 5678')).toBe('861******5678');
  });
  it('keeps only the first letter of an e-mail user', () => {
    expect(maskEmail('li.wei@example.com')).toBe('l***@example.com');
    expect(maskAddress('email', 'a@b.cn')).toBe('a***@b.cn');
    expect(maskAddress('app', 'role:supervisor')).toBe('role:supervisor');
  });
});
