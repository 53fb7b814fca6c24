import { ApiProperty } from '@nestjs/swagger';
import { buildMessage, IsNumber, Max, Min, ValidateBy } from 'class-validator';
import { isWholeCents } from '../../money/cents';

/** Largest credit an account may be given. */
export const MAX_CREDIT = 1_000_000_000;

// class-validator's maxDecimalPlaces reads toString(), which throws on exponent forms such as 1e-7.
const HasAtMostTwoDecimals = () =>
  ValidateBy({
    name: 'hasAtMostTwoDecimals',
    validator: {
      validate: (value) => typeof value !== 'number' || isWholeCents(value),
      defaultMessage: buildMessage((each) => `${each}$property must have at most two decimals`),
    },
  });

/** Body of `PUT /accounts/{customerId}`: the customer's remaining credit. */
export class SetCreditBody {
  @ApiProperty({ minimum: 0, maximum: MAX_CREDIT, multipleOf: 0.01, example: 250.5 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @HasAtMostTwoDecimals()
  @Min(0)
  @Max(MAX_CREDIT)
  credit!: number;
}
