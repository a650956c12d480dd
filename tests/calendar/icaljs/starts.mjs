// Read an iCalendar feed on stdin; print {UID: UTC start in ms} as Mozilla's ical.js sees it.
// The zones come from the feed's own VTIMEZONE blocks (registered below), as in Thunderbird.
import ICAL from "ical.js";

let text = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) text += chunk;

const calendar = new ICAL.Component(ICAL.parse(text));
ICAL.TimezoneService.reset();
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
}
const starts = {};
for (const vevent of calendar.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(vevent);
  const start = event.startDate;
  if (start.timezone !== "Z" && start.zone && start.zone.tzid === "floating") {
    throw new Error(`floating time for ${event.uid}`);
  }
  starts[event.uid] = start.toUnixTime() * 1000;
}
process.stdout.write(JSON.stringify(starts));
