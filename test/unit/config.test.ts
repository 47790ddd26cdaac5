import { describe, expect, it } from 'vitest';
import { developmentJwtSecret, loadConfig } from '../../runtime/config';

describe('configuration from the environment', () => {
  it('has working defaults for development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, TEMPORAL_TASK_QUEUE: 'complaints', COMPONENTS: ['api', 'worker'] });
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
    expect(config.jwtSecret).toBe(developmentJwtSecret);
  });

  it('names every bad setting', () => {
    expect(() => loadConfig({ PORT: 'eighty', COMPONENTS: 'api,ui' })).toThrow(/PORT[\s\S]*COMPONENTS/);
  });

  it('refuses to run in production without a JWT secret or payload keys', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_JWT_SECRET[\s\S]*PAYLOAD_KEYS/);
    const keys = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
    expect(loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32), PAYLOAD_KEYS: keys }).jwtSecret).toBe('x'.repeat(32));
  });
});
