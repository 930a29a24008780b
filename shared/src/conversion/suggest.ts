/** `; did you mean "hex2dec"?` for a misspelt name, or '' when nothing is close enough. */
export function didYouMean(input: string, names: readonly string[]): string {
  const best = closestName(input, names);
  return best === undefined ? '' : `; did you mean "${best}"?`;
}

export function closestName(input: string, names: readonly string[]): string | undefined {
  const wanted = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const distance = editDistance(wanted, name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  // A third of the name may be wrong: "hex2decc", "Hex2dec" and "pad-lef" still find their match.
  const tolerance = Math.max(1, Math.floor(wanted.length / 3));
  return best !== undefined && bestDistance <= tolerance ? best : undefined;
}

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
