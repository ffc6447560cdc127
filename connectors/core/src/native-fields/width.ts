/**
 * Full-width forms (全角字符): departmental systems fed by Chinese input methods
 * often store "４５０１０２" or "ＪＹ１…". Identifiers, codes, dates and amounts
 * are read with every full-width ASCII form folded (including －．，：／（）);
 * free text such as names and addresses only has its digits, Latin letters and
 * ideographic spaces folded, so that punctuation stays as the department wrote it.
 */
const IDEOGRAPHIC_SPACE = /\u3000/g;
const FULL_WIDTH_ASCII = /[\uFF01-\uFF5E]/g;
const FULL_WIDTH_ALPHANUMERIC = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g;
const FULL_WIDTH_OFFSET = 0xfee0;

function fold(character: string): string {
  return String.fromCharCode(character.charCodeAt(0) - FULL_WIDTH_OFFSET);
}

// Most values hold nothing to fold: one test instead of two replacements.
const ANY_CODE_FOLD = /[\u3000\uFF01-\uFF5E]/;
const ANY_TEXT_FOLD = /[\u3000\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/;

/** For identifiers, codes, dates and amounts: every full-width ASCII form folded, trimmed. */
export function halfWidthCode(text: string): string {
  if (!ANY_CODE_FOLD.test(text)) return text.trim();
  return text.replace(IDEOGRAPHIC_SPACE, ' ').replace(FULL_WIDTH_ASCII, fold).trim();
}

/** For free text: full-width digits, letters and spaces folded, trimmed. */
export function halfWidthText(text: string): string {
  if (!ANY_TEXT_FOLD.test(text)) return text.trim();
  return text.replace(IDEOGRAPHIC_SPACE, ' ').replace(FULL_WIDTH_ALPHANUMERIC, fold).trim();
}
