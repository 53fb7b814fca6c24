import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotificationFilterParams } from './notification-filter.params';
import { NotificationView } from './notification.view';
import { ListNotifications } from './queries/list-notifications.query';

/** The list never grows without bound; a customer's latest notifications are the ones worth showing. */
const LIST_LIMIT = 100;

/** HTTP: which notifications were recorded for an order or a customer, and how far their delivery got. */
@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: `Notifications of an order or a customer, newest first (at most ${LIST_LIMIT})` })
  @ApiOkResponse({ type: [NotificationView] })
  @ApiBadRequestResponse({ description: 'Neither orderId nor customerId given, or one of them malformed' })
  async list(@Query() { orderId, customerId }: NotificationFilterParams): Promise<NotificationView[]> {
    if (orderId === undefined && customerId === undefined) {
      throw new BadRequestException(['orderId or customerId is required']);
    }
    const notifications = await this.queryBus.execute(
      new ListNotifications({ orderId, customerId }, LIST_LIMIT),
    );
    return notifications.map(NotificationView.of);
  }
}
