/**
 * Card numbers are personal data: logs show only their last four characters.
 */
export function maskCardId(cardId: string): string {
  if (cardId.length <= 4) return '*'.repeat(cardId.length);
  return `${'*'.repeat(Math.min(cardId.length - 4, 8))}${cardId.slice(-4)}`;
}
