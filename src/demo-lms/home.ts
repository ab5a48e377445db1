import type { Request, Response } from 'express';
import { formatScore } from '../web/i18n/format.js';
import { translate } from '../web/i18n/index.js';
import { DEMO_COURSE, DEMO_USERS, demoStudents, fullName } from './demo-course.js';
import type { DemoLms } from './demo-lms.js';
import { coursePath, langOf } from './paths.js';
import { openedAt } from './public-host.js';

const scoreText = (locale: string, given: number | null, max: number | null) => (given === null ? null : formatScore(locale, given, max ?? 0));

/**
 * The home page when the demo LMS is on: the demo course, a button per user to open its activities
 * through a real LTI launch, "place a unit" (deep linking), and the gradebook of scores received.
 */
export async function renderDemoHome(demo: DemoLms, req: Request, res: Response): Promise<void> {
  const lang = langOf(req.query.lang);
  res.locals.locale = lang;
  const [links, lineItems, scores] = await Promise.all([demo.store.links(), demo.store.lineItems(), demo.store.latestScores()]);
  const activities = links.map((link) => ({
    title: link.title,
    openers: DEMO_USERS.map((u) => ({
      href: coursePath({ user: u.key, link: link.id, message: 'resource', lang }),
      label: translate(lang, u.teacher ? 'demo.home.openAsTeacher' : 'demo.home.openAsStudent', { name: u.givenName }),
      teacher: u.teacher,
    })),
  }));
  const teacher = DEMO_USERS.find((u) => u.teacher)!;
  const gradebook = {
    columns: lineItems.map((i) => ({ id: i.id, label: i.label })),
    rows: demoStudents().map((s) => ({
      name: fullName(s),
      cells: lineItems.map((i) => {
        const score = scores.find((x) => x.lineItemId === i.id && x.userId === s.sub);
        return score
          ? {
              score: scoreText(lang, score.scoreGiven, score.scoreMaximum),
              progress: `${score.activityProgress}, ${score.gradingProgress}`,
              received: score.received,
            }
          : null;
      }),
    })),
  };
  res.render('pages/demo-home', {
    title: translate(lang, 'demo.home.title'),
    lang,
    course: DEMO_COURSE,
    teacherName: fullName(teacher),
    students: demoStudents().map(fullName),
    activities,
    placeHref: coursePath({ user: teacher.key, message: 'deep_linking', lang }),
    gradebook,
    hasScores: scores.length > 0,
    // Sent here from another name of this machine (see public-host.ts): say so in one line.
    movedFrom: openedAt(req.query.opened_at),
    publicUrl: demo.urls.toolLaunch.replace(/\/lti\/launch$/, ''),
  });
}
