import type { Client } from '@temporalio/client';
import protoPkg from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintWorkflowId } from '../../domain/complaint';
import {
  agent, consumer, department, eventually, newComplaintBody, startTestService, testClient, testDataConverter, type TestService,
} from '../support/service';

const name = 'Zhao Minghui';
const phone = '13912345678';
const email = 'zhao.minghui@example.net';

/** Personal data never reaches Temporal in plaintext: not in payloads, failures or search attributes. */
describe('personal data in Temporal', () => {
  let service: TestService;
  let temporal: Client;

  beforeAll(async () => {
    service = await startTestService();
    temporal = await testClient(service.mongoUri);
  });
  afterAll(async () => {
    await temporal?.connection.close();
    await service?.stop();
  });

  it('stores no plaintext name, phone or e-mail in the history, and the codec can read them', async () => {
    const id = (await service.api.post('/api/v1/complaints', newComplaintBody({ contact: { name, phone, email } }), consumer('pd'))).body.id;
    await service.api.post(`/api/v1/complaints/${id}/acknowledge`, { note: `Called ${phone}` }, agent);
    await service.api.post(`/api/v1/complaints/${id}/findings`, { department: 'quality', summary: `Spoke to ${name}`, responsibleParty: 'merchant' }, department('quality'));
    await eventually(async () => ((await service.api.get(`/api/v1/complaints/${id}`, agent)).body.status === 'planning' ? true : null));

    // The history exactly as the server stores it: raw protobuf, nothing decoded.
    const response = await temporal.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId: complaintWorkflowId(id) },
    });
    const raw = Buffer.from(protoPkg.temporal.api.history.v1.History.encode(response.history!).finish());
    for (const secret of [name, phone, email, 'Spoke to']) {
      expect(raw.includes(Buffer.from(secret)), `${secret} in the stored history`).toBe(false);
    }
    const events = response.history!.events!;
    expect(events.length).toBeGreaterThan(5);

    // The same history decoded with the case's key holds them: the scan above looked at real data.
    const input = events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
    const [decoded] = await testDataConverter(service.mongoUri).payloadCodecs![0]!.decode(input as never);
    const text = Buffer.from(decoded!.data!).toString('utf8');
    expect(text).toContain(phone);
    expect(text).toContain(email);

    const description = await temporal.workflow.getHandle(complaintWorkflowId(id)).describe();
    const attributes = JSON.stringify(description.raw.workflowExecutionInfo?.searchAttributes ?? {});
    expect(attributes).not.toMatch(new RegExp(`${phone}|${email}|${name}`));
    expect(Object.keys(description.raw.workflowExecutionInfo?.searchAttributes?.indexedFields ?? {})).toEqual(
      expect.arrayContaining(['ComplaintStatus', 'ComplaintCategory', 'EscalationLevel', 'Breached', 'Departments']),
    );
  });
});
