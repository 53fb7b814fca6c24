import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PaymentResponse } from './dto/payment.response';
import { PaymentsSearchParams } from './dto/payments-search.params';
import { ListPayments } from './queries/list-payments.query';

/** `/payments`: what was charged, declined or refunded, by order or by customer. */
@ApiTags('payments')
@Controller('payments')
export class PaymentsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'The payment of an order (`orderId`) or the payments of a customer (`customerId`)',
  })
  @ApiOkResponse({ type: [PaymentResponse] })
  @ApiBadRequestResponse({ description: 'Neither orderId nor customerId given, or one is invalid' })
  async listPayments(@Query() { orderId, customerId }: PaymentsSearchParams): Promise<PaymentResponse[]> {
    if (orderId === undefined && customerId === undefined) {
      throw new BadRequestException('orderId or customerId is required');
    }
    const payments = await this.queries.execute(new ListPayments({ orderId, customerId }));
    return payments.map(PaymentResponse.of);
  }
}
