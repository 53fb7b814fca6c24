import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';

/** Query string of `GET /notifications`: an order, a customer, or both. */
export class NotificationFilterParams {
  @ApiPropertyOptional({ format: 'uuid', description: 'Notifications of this order.' })
  @IsOptional()
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100, description: 'Notifications of this customer.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  customerId?: string;
}
