import type { Database } from './database.js';
import { AuditLog, personRef, type Actor } from './audit-log.js';
import { deleteStudent, exportStudent, type DeletionReport, type StudentExport } from './student-data.js';
import { retentionDryRun, runRetention, type RetentionReport } from './retention.js';

export interface PrivacyService {
  audit: AuditLog;
  /** A data request: everything about one LMS user (null when none); the export is audited. */
  exportStudent(platformId: string, sub: string, actor: Actor): Promise<StudentExport | null>;
  /** Deletes one LMS user everywhere; keeps only an audit entry without personal data. */
  deleteStudent(platformId: string, sub: string, actor: Actor): Promise<DeletionReport | null>;
  retentionDryRun(options?: { platformId?: string }): Promise<RetentionReport>;
  runRetention(actor: Actor, options?: { platformId?: string }): Promise<RetentionReport>;
}

/** Student data requests and retention, each with its audit entry written in the same transaction. */
export function createPrivacyService(db: Database, options: { retentionDays: number; now?: () => Date }): PrivacyService {
  const audit = new AuditLog(db);
  const now = options.now ?? (() => new Date());
  return {
    audit,
    async exportStudent(platformId, sub, actor) {
      const data = await exportStudent(db, platformId, sub);
      if (!data) return null;
      const userId = (await db.query<{ id: string }>('select id from users where platform_id = $1 and sub = $2', [platformId, sub])).rows[0]?.id;
      await audit.record({ actor, action: 'student.exported', platformId, subjectRef: userId ? personRef(userId) : null });
      return data;
    },
    deleteStudent(platformId, sub, actor) {
      return db.transaction(async (tx) => {
        const report = await deleteStudent(tx, platformId, sub);
        if (!report) return null;
        await audit.record({ actor, action: 'student.deleted', platformId, subjectRef: personRef(report.userId), details: { rows: report.rows } }, tx);
        return report;
      });
    },
    retentionDryRun(o = {}) {
      return retentionDryRun(db, options.retentionDays, { now: now(), platformId: o.platformId });
    },
    runRetention(actor, o = {}) {
      return db.transaction(async (tx) => {
        const report = await runRetention(tx, options.retentionDays, { now: now(), platformId: o.platformId });
        await audit.record(
          {
            actor,
            action: 'retention.run',
            platformId: o.platformId ?? null,
            details: { retentionDays: report.retentionDays, cutoff: report.cutoff.toISOString(), courses: report.courses.length, people: report.people },
          },
          tx,
        );
        return report;
      });
    },
  };
}
