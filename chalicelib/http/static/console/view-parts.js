// Pieces several views draw the same way.

import { h } from "./dom.js";
import { t } from "./i18n.js";

// Badges for a case's clock: breached, due soon, paused, and how far it has escalated.
export function deadlineBadges(clock, deadline) {
  const badges = [];
  if (deadline && deadline.overdue) badges.push(h("span", { className: "badge overdue" }, t("badge.overdue")));
  else if (deadline && deadline.due_soon) badges.push(h("span", { className: "badge soon" }, t("badge.soon")));
  if (clock && clock.paused) badges.push(h("span", { className: "badge paused" }, t("badge.paused")));
  if (clock && clock.escalation_level > 0) {
    const who = t(`esc.${Math.min(clock.escalation_level, 3)}`);
    badges.push(h("span", { className: "badge level" }, `${t("badge.level", { level: clock.escalation_level })} · ${who}`));
  }
  return badges;
}
