// Instants shown in a named time zone (the organisation's) whatever the browser's zone is.
// Shared by the public pages and the console: both routes serve this file by name.

// Minutes the zone is ahead of UTC at that instant (480 for Asia/Shanghai).
export function offsetMinutes(date, timeZone) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(date);
  const v = Object.fromEntries(parts.map((part) => [part.type, Number(part.value)]));
  // The parts have no milliseconds: round them away.
  return Math.round((Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, v.second) - date.getTime()) / 60000);
}

// Whether a clock in `timeZone` reads differently from the browser's at that instant.
export function differsFromBrowser(date, timeZone) {
  return Boolean(timeZone) && offsetMinutes(date, timeZone) !== -date.getTimezoneOffset();
}

// A part of the zone's name in the locale's words: "long" (China Standard Time, 中国标准时间)
// or "shortOffset" (GMT+8).
export function zoneName(date, locale, timeZone, style = "long") {
  return new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: style })
    .formatToParts(date).find((part) => part.type === "timeZoneName")?.value || timeZone;
}
