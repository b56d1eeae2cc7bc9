/** How an unread count reads on a badge: `3`, or `99+` beyond that (the exact number helps nobody). */
export function badgeCount(count: number): string {
  return count > 99 ? '99+' : String(count);
}
