/**
 * The chain's canonical encoding, driven by its layout (`generated/layout.ts`, written by the
 * chain's tests): integers little-endian, a sequence as a `u32` count then its items, an option as
 * a tag `0` or `1` then the value, an enum as a `u8` tag then its fields. Values are the JSON the
 * API writes: amounts and other 128-bit integers as decimal strings, 64-bit integers as numbers
 * (`bigint` past 2^53), hashes, keys and signatures in hex, addresses in bech32.
 *
 * `encode` refuses a value that does not fit its shape, naming where; `decode` refuses bytes that
 * are not a canonical encoding, as the chain does.
 */

import { fromHex, toHex } from "./bytes.js";
import { LAYOUT } from "./generated/layout.js";
import { addressBytes, addressFromBytes } from "./keys.js";

/** How one value is written. */
export type Shape =
  | { kind: "bool" }
  | { kind: "uint"; bits: number }
  | { kind: "bps" }
  | { kind: "amount" }
  | { kind: "height" }
  | { kind: "bytes"; len: number; text: "hex" | "address" }
  | { kind: "text"; max: number; denom?: boolean }
  | { kind: "list"; max: number; item: Shape }
  | { kind: "option"; item: Shape }
  | { kind: "named"; name: string };

/** A field: its JSON name and shape. */
export interface Field {
  name: string;
  shape: Shape;
}

/** What an enum's variant carries. */
export type Body = { kind: "unit" } | { kind: "newtype"; shape: Shape } | { kind: "fields"; fields: Field[] };

/** How JSON names an enum's variant (serde's representations). */
export type Tagging = { kind: "external" } | { kind: "internal"; tag: string } | { kind: "adjacent"; tag: string; content: string };

/** A named type. */
export type Definition =
  | { kind: "struct"; fields: Field[] }
  | { kind: "newtype"; shape: Shape }
  | { kind: "enum"; tagging: Tagging; variants: { tag: number; name: string; body: Body }[] };

/** A value in its JSON form. */
export type Json = null | boolean | number | bigint | string | Json[] | { [key: string]: Json };

/** Why a value or bytes do not fit the layout; `path` says where (`msgs[0].bank.amount`). */
export class LayoutError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path || "value"}: ${reason}`);
    this.name = "LayoutError";
  }
}

const DENOM = /^[a-z][a-z0-9]{1,15}$/;
const MAX_BPS = 10_000;
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function definition(name: string, path: string): Definition {
  const found = LAYOUT[name];
  if (!found) {
    throw new LayoutError(path, `no type ${name} in the layout`);
  }
  return found;
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof value !== "bigint";
}

function describe(value: Json | undefined): string {
  const text = typeof value === "bigint" ? `${value}n` : JSON.stringify(value);
  return text === undefined ? "nothing" : text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** Canonical bytes, appended value by value. */
class Writer {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  uint(value: bigint, bytes: number): void {
    const out = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i++) {
      out[i] = Number((value >> BigInt(8 * i)) & 0xffn);
    }
    this.push(out);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

/** An unsigned integer of `bits` bits from a number, a bigint or (for 128 bits) a decimal string. */
function integer(value: Json | undefined, bits: number, path: string): bigint {
  let big: bigint;
  if (typeof value === "bigint") {
    big = value;
  } else if (typeof value === "number" && Number.isSafeInteger(value)) {
    big = BigInt(value);
  } else if (typeof value === "string" && /^\d{1,39}$/.test(value)) {
    big = BigInt(value);
  } else {
    throw new LayoutError(path, `expected an unsigned integer, found ${describe(value)}`);
  }
  if (big < 0n || big >= 1n << BigInt(bits)) {
    throw new LayoutError(path, `${big} does not fit ${bits} bits`);
  }
  return big;
}

function encodeShape(out: Writer, shape: Shape, value: Json | undefined, path: string): void {
  switch (shape.kind) {
    case "bool":
      if (typeof value !== "boolean") {
        throw new LayoutError(path, `expected true or false, found ${describe(value)}`);
      }
      out.uint(value ? 1n : 0n, 1);
      return;
    case "uint":
      if (shape.bits === 128 && typeof value !== "string") {
        throw new LayoutError(path, `expected base units as a decimal string, found ${describe(value)}`);
      }
      out.uint(integer(value, shape.bits, path), shape.bits / 8);
      return;
    case "height":
      out.uint(integer(value, 64, path), 8);
      return;
    case "amount":
      if (typeof value !== "string" || !/^\d+$/.test(value)) {
        throw new LayoutError(path, `expected an amount in base units (a decimal string), found ${describe(value)}`);
      }
      out.uint(integer(value, 128, path), 16);
      return;
    case "bps": {
      const share = integer(value, 16, path);
      if (share > BigInt(MAX_BPS)) {
        throw new LayoutError(path, `a share is at most ${MAX_BPS} basis points, found ${share}`);
      }
      out.uint(share, 2);
      return;
    }
    case "bytes": {
      if (typeof value !== "string") {
        throw new LayoutError(path, `expected ${shape.text === "address" ? "an address" : "hex"}, found ${describe(value)}`);
      }
      let bytes: Uint8Array;
      try {
        bytes = shape.text === "address" ? addressBytes(value) : fromHex(value);
      } catch (error) {
        throw new LayoutError(path, (error as Error).message);
      }
      if (bytes.length !== shape.len) {
        throw new LayoutError(path, `expected ${shape.len} bytes, found ${bytes.length}`);
      }
      out.push(bytes);
      return;
    }
    case "text": {
      if (typeof value !== "string") {
        throw new LayoutError(path, `expected text, found ${describe(value)}`);
      }
      if (shape.denom && !DENOM.test(value)) {
        throw new LayoutError(path, `a denom is 2 to 16 characters of [a-z0-9] starting with a letter, found ${describe(value)}`);
      }
      const bytes = utf8.encode(value);
      if (bytes.length > shape.max) {
        throw new LayoutError(path, `at most ${shape.max} bytes, found ${bytes.length}`);
      }
      out.uint(BigInt(bytes.length), 4);
      out.push(bytes);
      return;
    }
    case "list": {
      if (!Array.isArray(value)) {
        throw new LayoutError(path, `expected a list, found ${describe(value)}`);
      }
      if (value.length > shape.max) {
        throw new LayoutError(path, `at most ${shape.max} items, found ${value.length}`);
      }
      out.uint(BigInt(value.length), 4);
      value.forEach((item, i) => encodeShape(out, shape.item, item, `${path}[${i}]`));
      return;
    }
    case "option":
      if (value === null || value === undefined) {
        out.uint(0n, 1);
      } else {
        out.uint(1n, 1);
        encodeShape(out, shape.item, value, path);
      }
      return;
    case "named":
      encodeNamed(out, shape.name, value, path);
      return;
  }
}

/** Writes `fields` from `value`, refusing keys that are not fields (except `allowed`). */
function encodeFields(out: Writer, fields: Field[], value: Json | undefined, path: string, allowed?: string): void {
  if (!isObject(value)) {
    throw new LayoutError(path, `expected an object, found ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (key !== allowed && !fields.some((field) => field.name === key)) {
      throw new LayoutError(path, `unknown field ${JSON.stringify(key)}`);
    }
  }
  for (const field of fields) {
    if (!(field.name in value)) {
      throw new LayoutError(path, `missing field ${JSON.stringify(field.name)}`);
    }
    encodeShape(out, field.shape, value[field.name], `${path}.${field.name}`);
  }
}

function encodeNamed(out: Writer, name: string, value: Json | undefined, path: string, allowed?: string): void {
  const def = definition(name, path);
  switch (def.kind) {
    case "struct":
      encodeFields(out, def.fields, value, path, allowed);
      return;
    case "newtype":
      encodeShape(out, def.shape, value, path);
      return;
    case "enum": {
      const { tagging } = def;
      let variantName: Json | undefined;
      let body: Json | undefined;
      if (tagging.kind === "external") {
        if (typeof value === "string") {
          variantName = value;
        } else if (isObject(value) && Object.keys(value).length === 1) {
          variantName = Object.keys(value)[0];
          body = value[variantName as string];
        }
      } else if (isObject(value)) {
        variantName = value[tagging.tag];
        body = tagging.kind === "adjacent" ? value[tagging.content] : value;
      }
      const variant = def.variants.find((v) => v.name === variantName);
      if (!variant) {
        const names = def.variants.map((v) => v.name).join(", ");
        throw new LayoutError(path, `expected a ${name} (one of ${names}), found ${describe(value)}`);
      }
      out.uint(BigInt(variant.tag), 1);
      const at = tagging.kind === "external" ? `${path}.${variant.name}` : path;
      const tagKey = tagging.kind === "internal" ? tagging.tag : undefined;
      if (variant.body.kind === "fields") {
        encodeFields(out, variant.body.fields, body, at, tagKey);
      } else if (variant.body.kind === "newtype") {
        const inner = variant.body.shape;
        if (tagKey !== undefined && inner.kind === "named") {
          encodeNamed(out, inner.name, body, at, tagKey);
        } else {
          encodeShape(out, inner, body, at);
        }
      } else if (tagging.kind === "external" ? typeof value !== "string" : Object.keys(value as object).length !== 1) {
        throw new LayoutError(path, `${variant.name} carries nothing`);
      }
      return;
    }
  }
}

/** The canonical bytes of `value` as the layout's type `name` (for example `Tx` or `Msg`). */
export function encode(name: string, value: Json): Uint8Array {
  const out = new Writer();
  encodeNamed(out, name, value, "");
  return out.finish();
}

/** A cursor over untrusted bytes. */
class Reader {
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {}

  take(n: number, path: string): Uint8Array {
    if (n > this.bytes.length - this.at) {
      throw new LayoutError(path, `input ended: needed ${n} more bytes, ${this.bytes.length - this.at} left`);
    }
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  uint(bytes: number, path: string): bigint {
    const raw = this.take(bytes, path);
    let value = 0n;
    for (let i = bytes - 1; i >= 0; i--) {
      value = (value << 8n) | BigInt(raw[i] as number);
    }
    return value;
  }

  /** A `u32` length, refused past `max` before anything is read or allocated. */
  length(max: number, path: string): number {
    const length = Number(this.uint(4, path));
    if (length > max) {
      throw new LayoutError(path, `length ${length} exceeds the limit ${max}`);
    }
    return length;
  }

  finish(): void {
    if (this.at !== this.bytes.length) {
      throw new LayoutError("", `${this.bytes.length - this.at} trailing bytes after the value`);
    }
  }
}

/** A 64-bit integer as a number, or a `bigint` past 2^53. */
function u64Json(value: bigint): number | bigint {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function decodeShape(reader: Reader, shape: Shape, path: string): Json {
  switch (shape.kind) {
    case "bool": {
      const tag = reader.uint(1, path);
      if (tag > 1n) {
        throw new LayoutError(path, `unknown tag ${tag} for bool`);
      }
      return tag === 1n;
    }
    case "uint": {
      const value = reader.uint(shape.bits / 8, path);
      return shape.bits === 128 ? value.toString() : shape.bits === 64 ? u64Json(value) : Number(value);
    }
    case "height":
      return u64Json(reader.uint(8, path));
    case "amount":
      return reader.uint(16, path).toString();
    case "bps": {
      const share = Number(reader.uint(2, path));
      if (share > MAX_BPS) {
        throw new LayoutError(path, `invalid bps ${share}`);
      }
      return share;
    }
    case "bytes": {
      const bytes = reader.take(shape.len, path);
      return shape.text === "address" ? addressFromBytes(bytes) : toHex(bytes);
    }
    case "text": {
      const raw = reader.take(reader.length(shape.max, path), path);
      let text: string;
      try {
        text = strictUtf8.decode(raw);
      } catch {
        throw new LayoutError(path, "invalid UTF-8");
      }
      if (shape.denom && !DENOM.test(text)) {
        throw new LayoutError(path, "invalid denom");
      }
      return text;
    }
    case "list": {
      const count = reader.length(shape.max, path);
      return Array.from({ length: count }, (_, i) => decodeShape(reader, shape.item, `${path}[${i}]`));
    }
    case "option": {
      const tag = reader.uint(1, path);
      if (tag > 1n) {
        throw new LayoutError(path, `unknown tag ${tag} for option`);
      }
      return tag === 1n ? decodeShape(reader, shape.item, path) : null;
    }
    case "named":
      return decodeNamed(reader, shape.name, path);
  }
}

function decodeFields(reader: Reader, fields: Field[], path: string): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const field of fields) {
    out[field.name] = decodeShape(reader, field.shape, `${path}.${field.name}`);
  }
  return out;
}

function decodeNamed(reader: Reader, name: string, path: string): Json {
  const def = definition(name, path);
  switch (def.kind) {
    case "struct":
      return decodeFields(reader, def.fields, path);
    case "newtype":
      return decodeShape(reader, def.shape, path);
    case "enum": {
      const tag = Number(reader.uint(1, path));
      const variant = def.variants.find((v) => v.tag === tag);
      if (!variant) {
        throw new LayoutError(path, `unknown tag ${tag} for ${name}`);
      }
      const at = def.tagging.kind === "external" ? `${path}.${variant.name}` : path;
      const body: Json | undefined =
        variant.body.kind === "fields"
          ? decodeFields(reader, variant.body.fields, at)
          : variant.body.kind === "newtype"
            ? decodeShape(reader, variant.body.shape, at)
            : undefined;
      const { tagging } = def;
      if (tagging.kind === "external") {
        return body === undefined ? variant.name : { [variant.name]: body };
      }
      if (tagging.kind === "adjacent") {
        return body === undefined ? { [tagging.tag]: variant.name } : { [tagging.tag]: variant.name, [tagging.content]: body };
      }
      return { [tagging.tag]: variant.name, ...(isObject(body) ? body : {}) };
    }
  }
}

/** The value of the layout's type `name` that `bytes` encode, refusing anything but exactly one
 * canonical encoding. */
export function decode(name: string, bytes: Uint8Array): Json {
  const reader = new Reader(bytes);
  const value = decodeNamed(reader, name, "");
  reader.finish();
  return value;
}

/** The value of shape `shape` (`{ kind: "amount" }`, a `u64`…) that `bytes` encode, canonically and
 * whole. */
export function decodeShaped(shape: Shape, bytes: Uint8Array): Json {
  const reader = new Reader(bytes);
  const value = decodeShape(reader, shape, "");
  reader.finish();
  return value;
}

/** The names of the layout's types. */
export function typeNames(): string[] {
  return Object.keys(LAYOUT);
}
