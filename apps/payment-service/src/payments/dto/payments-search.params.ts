import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';

/** Query string of `GET /payments`: `orderId` or `customerId`, at least one (the controller checks which). */
export class PaymentsSearchParams {
  @ApiPropertyOptional({ format: 'uuid', description: 'The order whose payment to show' })
  @IsOptional()
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100, description: 'The customer whose payments to list' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  customerId?: string;
}
