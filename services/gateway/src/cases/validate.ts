import { calendarDateAt, checkCreditCode, checkDivisionCode, checkResidentId, isKnownDivision } from '@hub/identifiers';
import type { Applicant, CaseSubmitted, Channel } from '@hub/schemas';
import type { FieldProblem } from '../http/field-problems.ts';
import type { CaseSubmission } from './submission.ts';


const channels: Record<NonNullable<CaseSubmission['channel']>, Channel> = {
  window: 'WINDOW',
  online: 'ONLINE',
  mobile: 'MOBILE',
  'self-service': 'SELF_SERVICE',
};

/**
 * Checks what a JSON schema cannot (ID number and credit code check characters,
 * birth date not in the future, a division that exists, a submission time
 * not in the future) and builds the CaseSubmitted content. Pure: `now` is the
 * time of receipt, and the submission's time unless it gives `submittedAt`.
 */
export function validateSubmission(
  submission: CaseSubmission,
  now: Date,
): { ok: true; content: Omit<CaseSubmitted, 'eventId' | 'caseId'> } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const { applicant } = submission;
  let idNumber: string | null = null;
  let creditCode: string | null = null;

  if (applicant.type === 'person') {
    if (applicant.idNumber === undefined) problems.push({ field: 'body.applicant.idNumber', reason: 'a person applicant needs a resident ID number' });
    else {
      const checked = checkResidentId(applicant.idNumber, { today: calendarDateAt(now.getTime()) });
      if (checked.ok) idNumber = checked.value.number;
      else problems.push({ field: 'body.applicant.idNumber', reason: checked.reason });
    }
    if (applicant.creditCode !== undefined) problems.push({ field: 'body.applicant.creditCode', reason: 'a person applicant has no credit code' });
  } else {
    if (applicant.creditCode === undefined) problems.push({ field: 'body.applicant.creditCode', reason: 'an organisation applicant needs a unified social credit code' });
    else {
      const checked = checkCreditCode(applicant.creditCode);
      if (checked.ok) creditCode = checked.value.code;
      else problems.push({ field: 'body.applicant.creditCode', reason: checked.reason });
    }
    if (applicant.idNumber !== undefined) problems.push({ field: 'body.applicant.idNumber', reason: 'an organisation applicant has no resident ID number; give the credit code' });
  }

  const division = checkDivisionCode(submission.divisionCode);
  if (!division.ok) problems.push({ field: 'body.divisionCode', reason: division.reason });
  else if (!isKnownDivision(division.value.code)) problems.push({ field: 'body.divisionCode', reason: `division code ${submission.divisionCode} is well formed but names no division` });

  // A case the window took on paper and records late keeps its own time; the hub's clock is no later than now.
  const submittedAt = submission.submittedAt === undefined ? now : new Date(submission.submittedAt);
  if (Number.isNaN(submittedAt.getTime())) problems.push({ field: 'body.submittedAt', reason: `${submission.submittedAt} is not a time` });
  else if (submittedAt > now) problems.push({ field: 'body.submittedAt', reason: `submittedAt ${submittedAt.toISOString()} is in the future (the gateway's clock says ${now.toISOString()})` });

  const channel = channels[submission.channel ?? 'window'];
  if (channel === 'WINDOW' && submission.window === undefined) problems.push({ field: 'body.window', reason: 'a window submission names its window' });

  if (problems.length > 0) return { ok: false, problems };
  const canonicalApplicant: Applicant = {
    kind: applicant.type === 'person' ? 'PERSON' : 'ORGANISATION',
    name: applicant.name.trim(),
    idNumber,
    creditCode,
    phone: applicant.phone ?? null,
  };
  return {
    ok: true,
    content: {
      occurredAt: submittedAt,
      applicant: canonicalApplicant,
      itemCode: submission.itemCode,
      itemName: submission.itemName,
      centreId: submission.centre,
      windowId: submission.window ?? null,
      divisionCode: division.ok ? division.value.code : submission.divisionCode,
      documents: submission.documents.map((d) => ({ name: d.name, fileRef: d.fileRef ?? null })),
      channel,
    },
  };
}
