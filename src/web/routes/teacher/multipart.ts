import type { RequestHandler } from 'express';
import multer from 'multer';
import { AppError } from '../../../shared/errors.js';

/** Upload limits: a unit file is JSON text; the form carries a handful of small fields besides it. */
export interface UploadLimits {
  fileBytes: number;
  fieldBytes: number;
}

const DEFAULT_LIMITS: UploadLimits = { fileBytes: 2 * 1024 * 1024, fieldBytes: 2 * 1024 * 1024 };

/** Maps multer/busboy failures to the error family: too big → 413, anything else unreadable → 400. */
function uploadError(err: unknown): AppError {
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE' || err.code === 'LIMIT_FIELD_VALUE') {
      return new AppError('upload_too_large', 'The uploaded file or field is too large.', { kind: 'too_large' });
    }
    return new AppError('malformed_upload', `The upload could not be read (${err.code}).`, { kind: 'invalid' });
  }
  return new AppError('malformed_upload', 'The upload could not be read.', { kind: 'invalid' });
}

/**
 * Reads a multipart/form-data import form (RFC 7578) with multer: one file in the field named
 * `file`, kept in memory within the limits, and plain text fields. The file's bytes become the
 * string field `file` (UTF-8, as RFC 8259 requires of JSON exchanged between systems), so the
 * session and CSRF checks and the route see the same fields as from any other form.
 */
export function multipartText(limits: UploadLimits = DEFAULT_LIMITS): RequestHandler[] {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: limits.fileBytes, files: 1, fieldSize: limits.fieldBytes, fields: 10, parts: 11 },
  }).single('file');
  const read: RequestHandler = (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (err) {
        next(uploadError(err));
        return;
      }
      if (req.file) {
        const body = (req.body ?? {}) as Record<string, unknown>;
        body.file = req.file.buffer.toString('utf8').replace(/^\uFEFF/, '');
        req.body = body;
      }
      next();
    });
  };
  return [read];
}
