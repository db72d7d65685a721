// The notification badge, live on every page for signed-in people; on the first page of the
// notification list, new notifications also appear on top. Plain ES2020, no build step.
//
// Without this script the badge shows the count of the page load and the list is a plain
// page. Protocol: docs/realtime.md ("Notifications stream"). Texts come from the page
// (#notification-strings, rendered with gettext); announcements are polite and never move
// the focus.
(() => {
  "use strict";

  const link = document.querySelector("[data-notifications-after]");
  if (!link || !("WebSocket" in window) || !window.Kring) return;

  const t = window.Kring.strings("notification-strings");
  const counter = link.querySelector("[data-notification-count]");
  const announcer = document.getElementById("notifications-announcer");
  // Only on the notification list page:
  const list = document.getElementById("notification-list");
  const liveList = Boolean(list && list.hasAttribute("data-live"));
  const notice = document.getElementById("notifications-notice");
  const markAll = document.querySelector("form[data-mark-all]");
  const empty = document.getElementById("notifications-empty");

  // --- The badge ----------------------------------------------------------------------

  function showCount(count) {
    if (!counter) return;
    counter.dataset.notificationCount = String(count);
    counter.replaceChildren();
    if (count > 0) {
      const badge = document.createElement("span");
      badge.className = "count-badge";
      badge.setAttribute("aria-hidden", "true");
      badge.textContent = String(count);
      const words = document.createElement("span");
      words.className = "visually-hidden";
      words.textContent = `(${count === 1 ? t("unreadOne") : t("unreadMany", { count })})`;
      counter.append(" ", badge, words);
    }
    if (markAll) markAll.hidden = count === 0;
  }

  // --- Saying it: one polite announcement for what arrives together -------------------

  let heard = [];
  let sayTimer = 0;

  function say(text) {
    if (!announcer || !text) return;
    announcer.textContent = "";
    // A fresh text node a moment later is read even if the words are the same as before.
    window.setTimeout(() => {
      announcer.textContent = text;
    }, 50);
  }

  function announceNew(text) {
    heard.push(text);
    window.clearTimeout(sayTimer);
    sayTimer = window.setTimeout(() => {
      say(heard.length === 1 ? t("newOne", { text: heard[0] }) : t("newMany", { count: heard.length }));
      heard = [];
    }, 400);
  }

  // --- The list page ----------------------------------------------------------------------

  function prepend(html) {
    if (!liveList) return;
    const template = document.createElement("template");
    template.innerHTML = (html || "").trim();
    const item = template.content.firstElementChild;
    if (!item) return;
    window.Kring.fillCsrf(item);
    const existing = item.id ? document.getElementById(item.id) : null;
    if (existing) existing.replaceWith(item);
    else list.prepend(item);
    list.hidden = false;
    if (empty) empty.hidden = true;
  }

  // --- The socket (window.Kring.stream: catch-up by id, repeats dropped, reconnects) ----

  function onFrame(frame) {
    if (frame.type === "notification") {
      prepend(frame.html);
      announceNew(String(frame.text || ""));
    } else if (frame.type === "unread") {
      showCount(Math.max(0, Number(frame.count) || 0));
    } else if (frame.type === "reload" && liveList && notice) {
      notice.textContent = t("reload");
    }
  }

  window.Kring.stream({
    path: "/ws/notifications/",
    seq: Number(link.dataset.notificationsAfter) || 0,
    onFrame,
    // The connection line of a page speaks for that page's own stream; the badge is quiet.
    setState: () => {},
  });
})();
