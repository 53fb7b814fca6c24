import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

/** The `{customerId}` path parameter. */
export class CustomerIdParams {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'customer-42' })
  @IsString()
  @Length(1, 100)
  customerId!: string;
}
