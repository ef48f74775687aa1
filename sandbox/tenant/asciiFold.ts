const special: Readonly<Record<string, string>> = { ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', æ: 'ae', Æ: 'AE', ß: 'ss', đ: 'd', Đ: 'D' };

/** Folds a name to the lowercase ASCII letters a UPN's local part uses: `Linnéa Sjöberg` → `linnea sjoberg`. */
export function asciiFold(text: string): string {
  return text
    .replace(/[łŁøØæÆßđĐ]/g, (ch) => special[ch] ?? ch)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9 .-]/g, '');
}
