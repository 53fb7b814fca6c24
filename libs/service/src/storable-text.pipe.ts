import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { findUnstorableText } from './validators/unstorable-text';

/**
 * Refuses, with a 400 naming the field, any string in a request's body, query or path that PostgreSQL
 * cannot store exactly as sent (a NUL character, a lone surrogate). Runs before validation, for every
 * endpoint of every service, so no such string ever reaches the database and comes back as a 500.
 */
@Injectable()
export class StorableTextPipe implements PipeTransform {
  transform(value: unknown, { type, data }: ArgumentMetadata): unknown {
    if (type === 'custom') return value;
    const found = findUnstorableText(value, data ?? '', type === 'param' ? 'path' : type);
    if (found) throw new BadRequestException([`${found.path} ${found.problem}`]);
    return value;
  }
}
