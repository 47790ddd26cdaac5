/**
 * Demo cases for the screens, opened through the API with development bearer tokens: one per
 * stage (received, investigating with quality and logistics, planning, awaiting the customer,
 * resolved), for consumer-1 and consumer-2. Run by dev-service.ts --seed.
 */
import { signToken } from '../../api/auth';
import { loadConfig } from '../../runtime/config';

type Principal = { role: 'consumer' | 'agent' | 'department' | 'supervisor' | 'ops'; sub: string; department?: 'quality' | 'logistics' | 'legal' };

export async function seed(base: string, env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(env);
  const tokens = new Map<string, string>();
  const token = async (p: Principal) => {
    const key = `${p.role}:${p.sub}`;
    if (!tokens.has(key)) tokens.set(key, await signToken(config.jwtSecret, p, '2h', { issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE }));
    return tokens.get(key)!;
  };
  const call = async (p: Principal, method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}/api/v1${url}`, {
      method,
      headers: { authorization: `Bearer ${await token(p)}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json().catch(() => ({}))) as { id?: string; detail?: string };
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${json.detail ?? ''}`);
    return json;
  };
  const agent: Principal = { role: 'agent', sub: 'agent-1' };
  const quality: Principal = { role: 'department', sub: 'quality-1', department: 'quality' };
  const logistics: Principal = { role: 'department', sub: 'logistics-1', department: 'logistics' };
  const open = (sub: string, n: number, body: Record<string, unknown>) =>
    call({ role: 'consumer', sub }, 'POST', '/complaints', {
      orderId: `DEMO-${Date.now().toString(36)}-${n}`, channel: 'web', contact: { name: sub === 'consumer-1' ? '李伟' : 'Emma Clark', phone: '13800138000' }, ...body,
    }).then((c) => c.id!);
  const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

  await open('consumer-1', 1, { productName: '电热水壶 1.7L', description: '用了两天底部开始漏水，插电时有焦味。', category: 'quality', locale: 'zh-CN' });
  const investigating = await open('consumer-1', 2, {
    productName: 'Espresso machine', description: 'Arrived with a cracked water tank and the box was crushed.', category: 'logistics', locale: 'en',
    evidence: ['https://example.com/photos/tank.jpg'],
  });
  await call(agent, 'POST', `/complaints/${investigating}/acknowledge`, { note: 'Called the customer.' });
  await call(agent, 'POST', `/complaints/${investigating}/departments`, { add: ['quality'] }).catch(() => undefined);
  await later(500);
  await call(logistics, 'POST', `/complaints/${investigating}/findings`, { department: 'logistics', summary: 'The parcel was damaged in transit (hub scan shows a crushed box).', responsibleParty: 'carrier' }).catch(() => undefined);

  const awaiting = await open('consumer-1', 3, { productName: 'Wireless earbuds', description: 'The left earbud does not charge.', category: 'quality', locale: 'en' });
  await call(agent, 'POST', `/complaints/${awaiting}/acknowledge`, {});
  await later(500);
  await call(quality, 'POST', `/complaints/${awaiting}/findings`, { department: 'quality', summary: 'Charging contact defective: a manufacturing fault.', responsibleParty: 'merchant' });
  await later(500);
  await call(agent, 'POST', `/complaints/${awaiting}/plan`, { remedy: 'replacement', description: 'We send a new pair today; a courier collects the faulty one.', currency: 'CNY' });

  const urgent = await open('consumer-2', 4, { productName: 'Space heater', description: 'It overheated and melted the plug.', category: 'quality', severity: 'urgent', locale: 'en' });
  await call({ role: 'supervisor', sub: 'supervisor-1' }, 'POST', `/complaints/${urgent}/escalate`, { reason: 'Safety risk: fire hazard reported.' });
}
