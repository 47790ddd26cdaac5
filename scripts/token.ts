// Mints a bearer token for trying the API by hand:
//   npm run token -- consumer u1        npm run token -- department d1 quality
import { signToken } from '../api/auth';
import { principalSchema } from '../api/auth';
import { loadConfig } from '../runtime/config';

const [role = 'agent', sub = `${role}-1`, department] = process.argv.slice(2);
const claims = principalSchema.parse({ role, sub, department });
console.log(await signToken(loadConfig().jwtSecret, claims));
