/**
 * `npm run dlq -- list <service>` shows the messages parked in `<service>.dlq` with their errors;
 * `npm run dlq -- replay <service> [messageId]` sends them (or one) back to the queue they failed on and
 * says, per message, what it did; it exits with 1 when a message could not be replayed (it stays parked).
 * Uses RABBITMQ_URL (default amqp://guest:guest@127.0.0.1:5672): replay with the service's own broker user,
 * since a service accepts a replayed message only from itself (libs/messaging decode-delivery).
 */
import { connect } from 'amqplib';
import { z } from 'zod';
import { loadConfig, url } from '@platform/config';
import { brokerUserIn } from '../broker/broker-user';
import { listDeadLetters, replayDeadLetters } from './dead-letters';

const usage = 'usage: npm run dlq -- list <service> | replay <service> [messageId]';

async function main(): Promise<number> {
  const [action, serviceArgument, messageId] = process.argv.slice(2);
  if (!serviceArgument || !['list', 'replay'].includes(action)) {
    console.error(usage);
    return 2;
  }
  const service = serviceArgument.replace(/-service$/, '');
  const { RABBITMQ_URL } = loadConfig(
    z.object({ RABBITMQ_URL: url(['amqp:', 'amqps:'], 'amqp://guest:guest@127.0.0.1:5672') }),
    process.env,
  );
  const connection = await connect(RABBITMQ_URL!);
  try {
    if (action === 'list') {
      const letters = await listDeadLetters(connection, service);
      for (const letter of letters) console.log(JSON.stringify(letter));
      console.error(`${letters.length} message(s) in ${service}.dlq`);
    } else {
      const user = brokerUserIn(RABBITMQ_URL!);
      console.error(
        `replaying into ${service}'s own work queues as broker user "${user}", with mandatory and confirms`,
      );
      const results = await replayDeadLetters(connection, service, user, messageId);
      for (const { letter, error } of results) {
        if (error) console.log(`kept ${letter.messageId} (${letter.type}) in ${service}.dlq: ${error}`);
        else console.log(`replayed ${letter.messageId} (${letter.type}) to ${letter.queue}`);
      }
      const replayed = results.filter((result) => !result.error).length;
      console.error(`${replayed} message(s) replayed from ${service}.dlq, ${results.length - replayed} kept`);
      if (results.length > replayed || (messageId && results.length === 0)) return 1;
    }
    return 0;
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`dlq: ${error.message}`);
    process.exit(1);
  },
);
