import { Socket } from 'node:net';

/**
 * Sends what is written to the socket within one turn of the event loop in one system call. amqplib writes
 * every frame on its own (each publish of a relay batch, each ack after a batch's commit), and each write is
 * a system call that also wakes RabbitMQ's reader; corked until the turn ends, they leave as one writev.
 * Nothing waits longer than the code that wrote it takes to return to the event loop.
 */
export function coalesceWrites(socket: Socket): void {
  const write = socket.write;
  let corked = false;
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked) {
      corked = true;
      this.cork();
      process.nextTick(() => {
        corked = false;
        this.uncork();
      });
    }
    return write.apply(this, args);
  } as Socket['write'];
}
