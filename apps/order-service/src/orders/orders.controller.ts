import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
  UnprocessableEntityException,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Response } from 'express';
import { PlaceOrder } from './commands/place-order.command';
import { ListOrdersRequest } from './dto/list-orders.request';
import { OrderPageView } from './dto/order-page.view';
import { OrderView } from './dto/order.view';
import { PlaceOrderRequest } from './dto/place-order.request';
import { IdempotencyKey, MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-key.decorator';
import { GetOrder } from './queries/get-order.query';
import { ListOrders } from './queries/list-orders.query';

/** Orders over HTTP: place one (the saga runs on asynchronously), read one, list a customer's. */
@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: `1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters; a retry with the same key and body returns the same order`,
  })
  @ApiAcceptedResponse({
    type: OrderView,
    description: 'Accepted as PENDING; `Location` points to the order',
  })
  @ApiBadRequestResponse({ description: 'Invalid body or header; the message names the field' })
  @ApiUnprocessableEntityResponse({ description: 'The Idempotency-Key was used with a different body' })
  @ApiPayloadTooLargeResponse({ description: 'Body over 1 MiB' })
  async place(
    @Body() request: PlaceOrderRequest,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderView> {
    const result = await this.commands.execute(
      new PlaceOrder(request.customerId, request.items, idempotencyKey),
    );
    if (result.kind === 'idempotency-key-reused') {
      throw new UnprocessableEntityException(
        `Idempotency-Key "${idempotencyKey}" was already used with a different request body`,
      );
    }
    response.setHeader('Location', `/orders/${result.orderId}`);
    return result.kind === 'placed' ? result.view : this.get(result.orderId);
  }

  @Get(':id')
  @ApiOkResponse({ type: OrderView })
  @ApiNotFoundResponse({ description: 'No order with this id' })
  async get(@Param('id') id: string): Promise<OrderView> {
    const order = await this.queries.execute(new GetOrder(id));
    if (!order) throw new NotFoundException(`order ${id} not found`);
    return order;
  }

  @Get()
  @ApiOkResponse({ type: OrderPageView })
  @ApiBadRequestResponse({ description: 'Missing customerId, bad limit or cursor' })
  async list(@Query() request: ListOrdersRequest): Promise<OrderPageView> {
    const result = await this.queries.execute(
      new ListOrders(request.customerId, request.limit, request.cursor),
    );
    if (result.kind === 'invalid-cursor') {
      throw new BadRequestException('cursor is not valid: pass the nextCursor of a previous page');
    }
    return result.page;
  }
}
