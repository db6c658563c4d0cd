import { z } from 'zod';
import {
  CAPTURE_FIELDS,
  ERROR_TYPES,
  OUTCOMES,
  PAYMENT_STATUSES,
} from '../../domain/capture/capture-types.js';
import { CARD_BRANDS } from '../../domain/card/card-brand.js';

const fieldSchema = z
  .object({
    state: z.enum(['pending', 'capturing', 'captured']),
    digits: z.number().int().min(0).max(64),
    brand: z.enum(CARD_BRANDS).optional(),
    valid: z.boolean().optional(),
  })
  .strict();

/** A stored status record (a line of the file, a value in Redis), parsed strictly: one with any other field (a digit string) is refused. */
export const statusRecordSchema = z
  .object({
    id: z.string().regex(/^PK[0-9a-f]{32}$/),
    callId: z.string().regex(/^CA[0-9a-f]{32}$/),
    agent: z.string().max(256),
    status: z.enum(PAYMENT_STATUSES),
    capture: z.enum(CAPTURE_FIELDS).nullable(),
    required: z.array(z.enum(CAPTURE_FIELDS)),
    fields: z.partialRecord(z.enum(CAPTURE_FIELDS), fieldSchema),
    errorType: z.enum(ERROR_TYPES).optional(),
    outcome: z.enum(OUTCOMES).optional(),
    startedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    interrupted: z.enum(['capturing', 'processing']).optional(),
    statusCallback: z.string().max(2048).optional(),
    sequence: z.number().int().min(0).optional(),
  })
  .strict();
