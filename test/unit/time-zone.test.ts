/** `--tz` times: the offset-per-stretch shortcut writes what date-fns-tz writes, across changes. */
import { formatInTimeZone } from "date-fns-tz";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { zoneFormatter } from "../../src/render/time-zone.js";

function reference(us: number, zone: string): string {
  const second = Math.floor(us / 1e6);
  const date = new Date(second * 1000);
  const micros = String(us - second * 1e6).padStart(6, "0");
  return `${formatInTimeZone(date, zone, "yyyy-MM-dd'T'HH:mm:ss")}.${micros}${formatInTimeZone(date, zone, "xxx")}`;
}

/** Seconds around the zone changes of 2025 and a few ordinary days, in time order. */
function seconds(): number[] {
  const around = [
    Date.UTC(2025, 2, 30, 1), // Europe: summer time starts
    Date.UTC(2025, 9, 26, 1), // Europe: it ends
    Date.UTC(2025, 2, 9, 7), // New York
    Date.UTC(2025, 3, 5, 15), // Lord Howe: a 30-minute change
    Date.UTC(2025, 10, 4, 9, 12, 4),
  ];
  const out: number[] = [];
  for (const ms of around) {
    for (let s = -1900; s <= 1900; s += 7) out.push(ms / 1000 + s);
  }
  return out;
}

test("same text as formatInTimeZone, second by second, across zone changes", async () => {
  const zones = [
    "Europe/Paris",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "America/St_Johns",
    "Europe/London",
  ];
  for (const zone of zones) {
    const format = await zoneFormatter(zone);
    for (const [k, second] of seconds().entries()) {
      const us = second * 1e6 + ((k * 7919) % 1e6);
      assert.is(format(us), reference(us, zone), `${zone} at ${us}`);
    }
  }
});

test("times outside the years 1970-9999 still come out as date-fns-tz writes them", async () => {
  const format = await zoneFormatter("Europe/Paris");
  for (const us of [-1e15 + 123, -86_400e6, 253_402_300_800e6 + 5]) {
    assert.is(format(us), reference(us, "Europe/Paris"));
  }
});

test.run();
