/**
 * `npm run token -- <subject> [--admin] [--email <address>]`: prints a development bearer token, valid for one
 * hour, on its last line (SPEC section 8). The signing key is made under `.dev-keys/` on first use.
 */
import { issueDevToken } from '../dev-token';

const usage = 'usage: npm run token -- <customer id> [--admin] [--email <address>]';

async function main(argv: string[]): Promise<void> {
  let subject: string | undefined;
  let admin = false;
  let email: string | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === '--admin') admin = true;
    else if (argument === '--email') email = argv[++index];
    else if (argument.startsWith('--') || subject !== undefined) throw new Error(`unexpected "${argument}"`);
    else subject = argument;
  }
  // eslint-disable-next-line no-control-regex
  if (subject === undefined || subject.length > 100 || /[\u0000-\u001f\u007f]/.test(subject)) {
    throw new Error('the subject (customer id) must be 1 to 100 printable characters');
  }
  if (email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(email))
    throw new Error(`"${email}" is not an e-mail address`);
  const token = await issueDevToken(subject, { admin, email });
  process.stdout.write(
    `# ${admin ? 'admin' : 'customer'} "${subject}", valid for 1 hour; use as: Authorization: Bearer <token>\n`,
  );
  process.stdout.write(`${token}\n`);
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`token: ${error.message}\n${usage}\n`);
  process.exit(2);
});
