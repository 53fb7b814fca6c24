import { Fault } from '../fault';
import {
  brokerStopped,
  connectionsClosed,
  freshBrokerSubscriberLast,
  memoryAlarmWithReconnect,
} from './broker-faults';
import { postgresImmediateRestart } from './database-faults';
import { deliveredThreeTimes, lateShuffledReplies, poison } from './message-faults';
import { crashAt, killService, slowConsumer, twoReplicas } from './process-faults';

/**
 * Every fault of the suite, in run order: those on the default platform first (they share one start), then
 * those that need the platform started differently.
 */
export function allFaults(): Fault[] {
  return [
    killService('order'),
    killService('inventory'),
    killService('payment'),
    killService('notification'),
    connectionsClosed(),
    postgresImmediateRestart(),
    poison(),
    slowConsumer(),
    memoryAlarmWithReconnect(),
    brokerStopped(),
    crashAt('after-commit'),
    crashAt('before-ack'),
    crashAt('mid-batch'),
    deliveredThreeTimes(),
    lateShuffledReplies(),
    twoReplicas(),
    freshBrokerSubscriberLast(),
  ];
}
