import type { ComplaintWorkflowInput } from '../../domain/complaint';

/** A complete intake as the workflow receives it, for tests that start workflows directly. */
export const sampleIntake = (overrides: Partial<ComplaintWorkflowInput['intake']> = {}): ComplaintWorkflowInput['intake'] => ({
  customerId: 'u1',
  orderId: 'o1',
  productName: 'Kettle',
  description: 'Leaks',
  channel: 'web',
  category: 'quality',
  severity: 'general',
  evidence: [],
  locale: 'zh-CN',
  contact: { name: 'Li Wei', phone: '13800138000' },
  ...overrides,
});
