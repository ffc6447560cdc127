import { randomOrganisation, randomPerson } from '../people.ts';
import type { SimulatedRegion } from '../places.ts';
import { type Random, between, chance, digits, pick } from '../random.ts';
import { applicantKindOf, type CatalogueItem } from './catalogue.ts';

/**
 * What a window sends to `POST /v1/cases`, as the gateway's CaseSubmission
 * schema has it (services/gateway/src/cases/submission.ts); the history
 * sender adds `submittedAt`.
 */
export interface CaseSubmissionBody {
  readonly applicant: {
    readonly type: 'person' | 'organisation';
    readonly name: string;
    readonly idNumber?: string;
    readonly creditCode?: string;
    readonly phone?: string;
  };
  readonly itemCode: string;
  readonly itemName: string;
  readonly centre: string;
  readonly window: string;
  readonly divisionCode: string;
  readonly documents: ReadonlyArray<{ readonly name: string; readonly kind?: string; readonly fileRef?: string | null }>;
  readonly channel: 'window';
}

/** Materials every application of that kind brings (申请材料), besides the item's own application form. */
const PERSON_DOCUMENTS = ['申请人居民身份证复印件', '居民户口簿复印件'];
const ORGANISATION_DOCUMENTS = ['营业执照副本复印件', '法定代表人身份证明书', '授权委托书'];

/**
 * An application for `item` at a window of a centre in the region: an adult
 * resident or an organisation of one of its counties, with valid ID number or
 * credit code, at the county's service centre (政务服务中心), on `today`
 * ('YYYY-MM-DD', Asia/Shanghai), which dates the applicant's age.
 */
export function caseSubmission(random: Random, region: SimulatedRegion, item: Pick<CatalogueItem, 'itemCode' | 'name'>, today: string): CaseSubmissionBody {
  const kind = applicantKindOf(item);
  const adultUntil = `${Number(today.slice(0, 4)) - 18}${today.slice(4)}`;
  const phone = `1${pick(random, ['3', '5', '7', '8', '9'])}${digits(random, 9)}`;
  let applicant: CaseSubmissionBody['applicant'];
  let county: string;
  if (kind === 'person') {
    const person = randomPerson(random, region, { bornFrom: '1950-01-01', bornTo: adultUntil });
    applicant = { type: 'person', name: person.name, idNumber: person.idNumber, phone };
    county = person.place.county.code;
  } else {
    const organisation = randomOrganisation(random, region, today);
    applicant = { type: 'organisation', name: organisation.name, creditCode: organisation.creditCode, phone };
    county = organisation.place.county.code;
  }
  const common = kind === 'person' ? PERSON_DOCUMENTS : ORGANISATION_DOCUMENTS;
  const documents = [`${item.name}申请表`, ...common.filter(() => chance(random, 0.8))].map((name, n) => ({
    name,
    kind: n === 0 ? 'original' : 'copy',
    fileRef: `dms://${county}/${today.replaceAll('-', '/')}/${digits(random, 6)}-${n + 1}.pdf`,
  }));
  return {
    applicant,
    itemCode: item.itemCode,
    itemName: item.name,
    centre: `ZWZX-${county}`,
    window: `W${String(between(random, 1, 12)).padStart(2, '0')}`,
    divisionCode: county,
    documents,
    channel: 'window',
  };
}
