import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/database.js';

/** A resource link in the demo course (what a real LMS shows as a module item). */
export interface DemoLink {
  id: string;
  title: string;
  custom: Record<string, string>;
  lineItemId: string | null;
}

/** A gradebook column, https://www.imsglobal.org/spec/lti-ags/v2p0/#line-item-service */
export interface DemoLineItem {
  id: string;
  label: string;
  scoreMaximum: number;
  resourceId: string | null;
  resourceLinkId: string | null;
  tag: string | null;
}

/** A score as received, https://www.imsglobal.org/spec/lti-ags/v2p0/#score-publish-service */
export interface DemoScore {
  lineItemId: string;
  userId: string;
  scoreGiven: number | null;
  scoreMaximum: number | null;
  activityProgress: string;
  gradingProgress: string;
  comment: string | null;
  timestamp: Date;
  receivedAt: Date;
}

const LINE_ITEM_COLUMNS = `id, label, score_maximum as "scoreMaximum", resource_id as "resourceId",
  resource_link_id as "resourceLinkId", tag`;

/** The demo LMS's own tables (migration 009): links, line items, received scores. */
export class DemoStore {
  constructor(private readonly db: Queryable) {}

  async links(): Promise<DemoLink[]> {
    const { rows } = await this.db.query<DemoLink>(`select id, title, custom, line_item_id as "lineItemId" from demo_lms_links order by created_at, id`);
    return rows;
  }

  async findLink(id: string): Promise<DemoLink | null> {
    const { rows } = await this.db.query<DemoLink>(`select id, title, custom, line_item_id as "lineItemId" from demo_lms_links where id = $1`, [id]);
    return rows[0] ?? null;
  }

  async addLink(link: Omit<DemoLink, 'id'> & { id?: string }): Promise<DemoLink> {
    const id = link.id ?? `link-${randomUUID()}`;
    await this.db.query(`insert into demo_lms_links (id, title, custom, line_item_id) values ($1, $2, $3, $4)`, [
      id,
      link.title,
      JSON.stringify(link.custom),
      link.lineItemId,
    ]);
    return { ...link, id };
  }

  async lineItems(filter: { resourceLinkId?: string; resourceId?: string; tag?: string } = {}): Promise<DemoLineItem[]> {
    const { rows } = await this.db.query<DemoLineItem>(
      `select ${LINE_ITEM_COLUMNS} from demo_lms_line_items
       where ($1::text is null or resource_link_id = $1) and ($2::text is null or resource_id = $2) and ($3::text is null or tag = $3)
       order by created_at, id`,
      [filter.resourceLinkId ?? null, filter.resourceId ?? null, filter.tag ?? null],
    );
    return rows;
  }

  async findLineItem(id: string): Promise<DemoLineItem | null> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return null;
    const { rows } = await this.db.query<DemoLineItem>(`select ${LINE_ITEM_COLUMNS} from demo_lms_line_items where id = $1`, [id]);
    return rows[0] ?? null;
  }

  async addLineItem(item: Omit<DemoLineItem, 'id'>): Promise<DemoLineItem> {
    const id = randomUUID();
    await this.db.query(`insert into demo_lms_line_items (id, label, score_maximum, resource_id, resource_link_id, tag) values ($1, $2, $3, $4, $5, $6)`, [
      id,
      item.label,
      item.scoreMaximum,
      item.resourceId,
      item.resourceLinkId,
      item.tag,
    ]);
    return { ...item, id };
  }

  /** The newest timestamp received for this column and user, if any. */
  async lastTimestamp(lineItemId: string, userId: string): Promise<Date | null> {
    const { rows } = await this.db.query<{ ts: Date | null }>(
      `select max(score_timestamp) as ts from demo_lms_scores where line_item_id = $1 and user_id = $2`,
      [lineItemId, userId],
    );
    return rows[0]?.ts ?? null;
  }

  async addScore(score: Omit<DemoScore, 'receivedAt'>): Promise<void> {
    await this.db.query(
      `insert into demo_lms_scores (id, line_item_id, user_id, score_given, score_maximum, activity_progress, grading_progress,
         comment, score_timestamp) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        randomUUID(),
        score.lineItemId,
        score.userId,
        score.scoreGiven,
        score.scoreMaximum,
        score.activityProgress,
        score.gradingProgress,
        score.comment,
        score.timestamp,
      ],
    );
  }

  /** The gradebook: the newest score per column and user, with how many were received. */
  async latestScores(): Promise<Array<DemoScore & { received: number }>> {
    const { rows } = await this.db.query<DemoScore & { received: number }>(
      `select s.line_item_id as "lineItemId", s.user_id as "userId", s.score_given as "scoreGiven",
         s.score_maximum as "scoreMaximum", s.activity_progress as "activityProgress", s.grading_progress as "gradingProgress",
         s.comment, s.score_timestamp as "timestamp", s.received_at as "receivedAt",
         (select count(*)::int from demo_lms_scores c where c.line_item_id = s.line_item_id and c.user_id = s.user_id) as received
       from demo_lms_scores s
       where not exists (select 1 from demo_lms_scores n where n.line_item_id = s.line_item_id and n.user_id = s.user_id
         and (n.score_timestamp, n.received_at, n.id) > (s.score_timestamp, s.received_at, s.id))`,
    );
    return rows;
  }
}
