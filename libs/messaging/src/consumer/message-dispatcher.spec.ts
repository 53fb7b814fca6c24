import { DiscoveryModule } from '@nestjs/core';
import { CqrsModule, EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { event } from '@platform/contracts';
import { MessageDispatcher } from './message-dispatcher';

class ParcelShipped extends event('shipping', 'ParcelShipped', z.object({ parcelId: z.string() })) {}
class ParcelLost extends event('shipping', 'ParcelLost', z.object({ parcelId: z.string() })) {}

const handled: string[] = [];

@EventsHandler(ParcelShipped)
class RecordShipment implements IEventHandler<ParcelShipped> {
  async handle({ parcelId }: ParcelShipped): Promise<void> {
    handled.push(`recorded ${parcelId}`);
  }
}

@EventsHandler(ParcelShipped)
class NotifyRecipient implements IEventHandler<ParcelShipped> {
  async handle({ parcelId }: ParcelShipped): Promise<void> {
    handled.push(`notified ${parcelId}`);
  }
}

describe('dispatching a remote event to the service’s @EventsHandler classes', () => {
  let dispatcher: MessageDispatcher;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [CqrsModule, DiscoveryModule],
      providers: [MessageDispatcher, RecordShipment, NotifyRecipient],
    }).compile();
    await moduleRef.init();
    dispatcher = moduleRef.get(MessageDispatcher);
  });

  it('hands the event to every handler of its class, one after the other', async () => {
    expect(dispatcher.canHandle(ParcelShipped)).toBe(true);
    await dispatcher.dispatch(ParcelShipped, ParcelShipped.v1({ parcelId: 'P-1' }));
    expect(handled).toEqual(['recorded P-1', 'notified P-1']);
  });

  it('knows that no handler takes an event of another class, and refuses to dispatch it', async () => {
    expect(dispatcher.canHandle(ParcelLost)).toBe(false);
    await expect(dispatcher.dispatch(ParcelLost, ParcelLost.v1({ parcelId: 'P-2' }))).rejects.toThrow(
      'no @EventsHandler for shipping.ParcelLost',
    );
  });
});
