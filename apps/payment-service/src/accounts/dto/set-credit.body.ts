import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, Max, Min } from 'class-validator';
import { HasAtMostTwoDecimals } from '@platform/service';

/** Largest credit an account may be given. */
export const MAX_CREDIT = 1_000_000_000;

/** Body of `PUT /accounts/{customerId}`: the customer's remaining credit. */
export class SetCreditBody {
  @ApiProperty({ minimum: 0, maximum: MAX_CREDIT, multipleOf: 0.01, example: 250.5 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @HasAtMostTwoDecimals()
  @Min(0)
  @Max(MAX_CREDIT)
  credit!: number;
}
