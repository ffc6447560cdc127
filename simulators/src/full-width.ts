/** Writes digits and letters in full width (全角), as some input methods leave them: 450102 → ４５０１０２. */
export function halfWidthToFullWidth(text: string): string {
  return text.replace(/[0-9A-Za-z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
}
