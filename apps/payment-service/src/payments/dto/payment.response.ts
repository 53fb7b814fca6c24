import { ApiProperty } from '@nestjs/swagger';
import { fromCents } from '@platform/contracts';
import { Payment, PaymentStatus } from '../domain/payment';

const statuses: PaymentStatus[] = ['CAPTURED', 'DECLINED', 'REFUNDED'];

/** One payment as the API shows it. */
export class PaymentResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  orderId!: string;

  @ApiProperty({ example: 'customer-42' })
  customerId!: string;

  @ApiProperty({ description: 'The order total charged (or refused), two decimals', example: 25.99 })
  amount!: number;

  @ApiProperty({ enum: statuses })
  status!: PaymentStatus;

  static of({ id, orderId, customerId, amount, status }: Payment): PaymentResponse {
    return { id, orderId, customerId, amount: fromCents(amount), status };
  }
}
