// Mints a bearer token for trying the API by hand (with the configured AUTH_JWT_ISSUER and
// AUTH_JWT_AUDIENCE, so the service accepts it):
//   npm run token -- consumer u1        npm run token -- department d1 quality
import { principalSchema, signToken } from '../api/auth';
import { loadConfig } from '../runtime/config';

const [role = 'agent', sub = `${role}-1`, department] = process.argv.slice(2);
const claims = principalSchema.parse({ role, sub, department });
const config = loadConfig();
console.log(await signToken(config.jwtSecret, claims, '12h', { issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE }));
