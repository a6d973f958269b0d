/**
 * Amounts as people write them and as the chain counts them: `5GDC`, `0.25GDC`, `1.5USD` and base
 * units with their denomination (`5000000ugdc`) read to base units (a `bigint`); base units are
 * written back in their unit without trailing zeros (`1.5GDC`), or grouped for reading
 * (`1 000 000 GDC`). The same rules as the CLI's.
 */

/** A display unit: `10^decimals` base units of `denom`. */
export interface Unit {
  readonly symbol: string;
  readonly denom: string;
  readonly decimals: number;
}

/** The units the chain's own denominations are shown in. */
export const UNITS: readonly Unit[] = [
  { symbol: "GDC", denom: "ugdc", decimals: 6 },
  { symbol: "USD", denom: "uusd", decimals: 6 },
];

/** The largest amount: base units are 128-bit. */
export const MAX_AMOUNT = (1n << 128n) - 1n;

/** An amount of one denomination. */
export interface Coin {
  readonly denom: string;
  readonly amount: bigint;
}

const unitNamed = (symbol: string) => UNITS.find((unit) => unit.symbol.toLowerCase() === symbol.toLowerCase());
const unitOf = (denom: string) => UNITS.find((unit) => unit.denom === denom);

/** Whether `denom` is a valid denomination: 2 to 16 lowercase letters and digits, a letter first. */
export function isDenom(denom: string): boolean {
  return /^[a-z][a-z0-9]{1,15}$/.test(denom);
}

/** The coin `text` names; throws with the reason when it names none. */
export function parseCoin(text: string): Coin {
  const shown = JSON.stringify(text.slice(0, 48));
  const trimmed = text.trim();
  if (trimmed === "") {
    throw new Error("no amount given");
  }
  const split = trimmed.search(/[^0-9._]/);
  const number = (split < 0 ? trimmed : trimmed.slice(0, split)).replaceAll("_", "");
  const unitText = (split < 0 ? "" : trimmed.slice(split)).trim();
  const [whole = "", fraction = "", extra] = number.split(".");
  if (extra !== undefined || (whole === "" && fraction === "") || !/^\d*$/.test(whole) || !/^\d*$/.test(fraction)) {
    throw new Error(`${shown} is not a number`);
  }
  if (unitText === "") {
    throw new Error(`${shown} has no unit: write 5GDC, 1.5USD or 5000000ugdc`);
  }
  const big = (digits: string) => (digits === "" ? 0n : BigInt(digits));
  const bounded = (amount: bigint) => {
    if (amount > MAX_AMOUNT) {
      throw new Error(`${shown} is larger than any amount`);
    }
    return amount;
  };
  const unit = unitNamed(unitText);
  if (unit) {
    if (fraction.length > unit.decimals) {
      throw new Error(`${shown}: ${unit.symbol} has ${unit.decimals} decimals`);
    }
    const scale = 10n ** BigInt(unit.decimals);
    const fractionUnits = big(fraction) * 10n ** BigInt(unit.decimals - fraction.length);
    return { denom: unit.denom, amount: bounded(big(whole) * scale + fractionUnits) };
  }
  if (!isDenom(unitText)) {
    throw new Error(`unknown unit ${JSON.stringify(unitText.slice(0, 32))}: GDC, USD or a denomination like ugdc`);
  }
  if (number.includes(".")) {
    throw new Error(`${shown}: base units have no fractions`);
  }
  return { denom: unitText, amount: bounded(big(whole)) };
}

/** `coin` in its unit without trailing zeros (`1.5GDC`), else in base units (`12ufoo`). */
export function formatCoin(coin: Coin): string {
  const unit = unitOf(coin.denom);
  if (!unit) {
    return `${coin.amount}${coin.denom}`;
  }
  const scale = 10n ** BigInt(unit.decimals);
  const [whole, fraction] = [coin.amount / scale, coin.amount % scale];
  if (fraction === 0n) {
    return `${whole}${unit.symbol}`;
  }
  const digits = fraction.toString().padStart(unit.decimals, "0").replace(/0+$/, "");
  return `${whole}.${digits}${unit.symbol}`;
}

/** `coin` for reading: thousands grouped by spaces, then the unit (`1 000 000.5 GDC`). */
export function humanCoin(coin: Coin): string {
  const unit = unitOf(coin.denom);
  if (!unit) {
    return `${coin.amount} ${coin.denom}`;
  }
  const text = formatCoin(coin).slice(0, -unit.symbol.length);
  const [whole = "", fraction] = text.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  return fraction === undefined ? `${grouped} ${unit.symbol}` : `${grouped}.${fraction} ${unit.symbol}`;
}
