import { BadRequestException, Controller, Get, NotFoundException, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Caller, CurrentCaller, visibleList } from '@platform/service';
import { NotificationFilterParams } from './notification-filter.params';
import { NotificationView } from './notification.view';
import { ListNotifications } from './queries/list-notifications.query';

/** The list never grows without bound; a customer's latest notifications are the ones worth showing. */
const LIST_LIMIT = 100;

/**
 * HTTP: which notifications were recorded for an order or a customer, and how far their delivery got. A
 * customer sees only its own (someone else's is 404); an admin sees any.
 */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No bearer token, or not a valid one' })
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: `Notifications of an order or a customer, newest first (at most ${LIST_LIMIT})` })
  @ApiOkResponse({ type: [NotificationView] })
  @ApiBadRequestResponse({ description: 'Neither orderId nor customerId given, or one of them malformed' })
  @ApiNotFoundResponse({ description: "A customer asked for another customer's notifications" })
  async list(
    @CurrentCaller() caller: Caller,
    @Query() { orderId, customerId }: NotificationFilterParams,
  ): Promise<NotificationView[]> {
    if (orderId === undefined && customerId === undefined) {
      throw new BadRequestException(['orderId or customerId is required']);
    }
    const notifications = await visibleList(caller, { orderId, customerId }, (filter) =>
      this.queryBus.execute(new ListNotifications(filter, LIST_LIMIT)),
    );
    if (notifications === undefined) {
      throw new NotFoundException(`no notifications of ${orderId ?? customerId} for this caller`);
    }
    return notifications.map(NotificationView.of);
  }
}
