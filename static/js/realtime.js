// Kring live updates for the thread page and the group page. Plain ES2020, no build step.
//
// The pages work without this script (forms post normally); it only makes them live.
// Protocol: docs/realtime.md. Everything the page needs is on #realtime-root (data-*),
// every text shown comes from the page (#realtime-strings, rendered with gettext).
(() => {
  "use strict";

  const root = document.getElementById("realtime-root");
  if (!root || !("WebSocket" in window)) return;

  const { fillCsrf, post, getJson, announce } = window.Kring;
  const t = window.Kring.strings("realtime-strings");
  const errorFor = (result) => window.Kring.errorFor(result, t);
  const setState = window.Kring.statusLine(t);

  const isThread = root.dataset.stream === "thread";
  const viewerId = Number(root.dataset.viewer);
  const flag = (name) => root.dataset[name] === "true";
  const canPost = () => flag("canPost");
  const canModerate = () => flag("canModerate");
  const isStaff = () => flag("isStaff");
  const canReply = () => canPost() && (!flag("locked") || canModerate());

  // --- Posts: server-rendered fragments, shown for this viewer --------------------------

  const postList = document.getElementById("posts");

  // data-for says who a control is for; the server checks every action again anyway.
  // "author" alone is the edit link (the author, while they may post); "author staff"
  // is delete (the author, or staff, always); "promote" is "Turn into an idea".
  function allowed(tokens, authorId) {
    const isAuthor = authorId === viewerId;
    if (tokens.length === 1 && tokens[0] === "author") return isAuthor && canReply();
    // "Turn into an idea" (only sent while the group has an open board): moderators, and
    // authors who may post. fragments.allowed() on the server is the same rule.
    if (tokens.length === 1 && tokens[0] === "promote") return canModerate() || (isAuthor && canPost());
    return tokens.some(
      (token) =>
        (token === "member" && canReply()) ||
        (token === "author" && isAuthor) ||
        (token === "moderator" && canModerate()) ||
        (token === "staff" && isStaff())
    );
  }

  function applyViewer(scope) {
    scope.querySelectorAll("[data-for]").forEach((element) => {
      const postElement = element.closest("[data-post]");
      const authorId = postElement ? Number(postElement.dataset.author || 0) : 0;
      element.hidden = !allowed(element.dataset.for.split(/\s+/), authorId);
    });
    scope.querySelectorAll(".reactions button.reaction[data-users]").forEach((button) => {
      const users = (button.dataset.users || "").split(",").filter(Boolean).map(Number);
      button.setAttribute("aria-pressed", users.includes(viewerId) ? "true" : "false");
      button.disabled = !canReply();
    });
  }

  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = (html || "").trim();
    const node = template.content.firstElementChild;
    if (node) {
      applyViewer(node);
      fillCsrf(node);
    }
    return node;
  }

  // Replacing a post must not throw away the reader's place: keep focus on the same control.
  function replaceKeepingFocus(old, node) {
    const active = document.activeElement;
    let selector = null;
    if (active && old.contains(active)) {
      if (active.matches("button[name=emoji]")) {
        selector = `.reactions > button[value="${CSS.escape(active.value)}"]`;
      } else if (active.matches("a[href]")) {
        selector = `a[href="${CSS.escape(active.getAttribute("href"))}"]`;
      }
    }
    old.replaceWith(node);
    if (active && old.contains(active)) {
      const target =
        (selector && node.querySelector(selector)) || node.querySelector(".reaction-picker summary");
      if (target) target.focus({ preventScroll: true });
    }
  }

  function highlight(node) {
    node.classList.add("post--new");
    window.setTimeout(() => node.classList.remove("post--new"), 6000);
  }

  function putPost(postId, html, { fresh }) {
    const node = fragment(html);
    if (!node || !postList) return null;
    const existing = document.getElementById(`post-${postId}`);
    if (existing) {
      replaceKeepingFocus(existing, node);
      return null;
    }
    if (!fresh) return null; // an edit of a post on another page
    if (!flag("lastPage")) {
      showNotice("new-elsewhere", t("newOnLastPage"));
      return null;
    }
    postList.append(node);
    return node;
  }

  function onPostCreated(frame) {
    const node = putPost(frame.post, frame.html, { fresh: true });
    if (!node || frame.author === viewerId) return;
    highlight(node);
    announce(t("newMessage", { name: frame.author_name }));
    stopTyping(frame.author);
    markReadSoon(frame.post);
  }

  function showNotice(id, text) {
    const notice = document.getElementById(id);
    if (!notice) return;
    const slot = notice.querySelector("span") || notice;
    slot.textContent = text;
    notice.hidden = false;
  }

  // --- The thread itself: pinned, locked, moved -----------------------------------------

  function applyThreadState() {
    const pinned = flag("pinned");
    const locked = flag("locked");
    const states = { pinned, unpinned: !pinned, locked, unlocked: !locked };
    root.querySelectorAll("[data-badge]").forEach((badge) => {
      badge.hidden = !states[badge.dataset.badge];
    });
    root.querySelectorAll("[data-show-when]").forEach((element) => {
      element.hidden = !states[element.dataset.showWhen];
    });
    const lockedNotice = document.getElementById("locked-notice");
    if (lockedNotice) lockedNotice.hidden = !locked;
    const replySection = document.getElementById("reply-section");
    if (replySection) replySection.hidden = !canReply();
    if (postList) applyViewer(postList);
  }

  function onThreadUpdated(frame) {
    root.dataset.pinned = frame.pinned ? "true" : "false";
    root.dataset.locked = frame.locked ? "true" : "false";
    const title = document.getElementById("thread-title");
    if (title && frame.title && title.textContent !== frame.title) title.textContent = frame.title;
    applyThreadState();
  }

  function onThreadMoved(frame) {
    onThreadUpdated(frame);
    if (!frame.url) return;
    const url = new URL(frame.url, window.location.href);
    // Follow the thread: the address bar, and the group whose members we may mention.
    window.history.replaceState(null, "", url.pathname + window.location.search + window.location.hash);
    root.dataset.threadUrl = url.pathname;
    root.dataset.mentionUrl = new URL("../leden-zoeken/", url).pathname;
    showNotice("thread-moved", t("moved", { group: frame.group_name }));
  }

  // An idea promoted from this thread: its card shows the live vote count and status.
  function onThreadIdea(frame) {
    const card = document.querySelector(`[data-linked-idea="${Number(frame.idea)}"]`);
    if (!card) return;
    const count = card.querySelector(".vote-count");
    if (count && typeof frame.votes === "number") count.textContent = String(frame.votes);
    const status = card.querySelector(".idea-status");
    if (status && frame.status_label) {
      status.textContent = frame.status_label;
      status.className = `badge idea-status status-${frame.status}`;
      status.dataset.status = frame.status;
    }
  }

  // --- Typing and presence (never stored) -----------------------------------------------

  const typingLine = document.getElementById("typing");
  const typers = new Map();

  function onTyping(frame) {
    if (frame.user === viewerId) return;
    stopTyping(frame.user, false);
    const timer = window.setTimeout(() => stopTyping(frame.user), 6000);
    typers.set(frame.user, { name: frame.name, timer });
    showTyping();
  }

  function stopTyping(userId, show = true) {
    const typer = typers.get(userId);
    if (typer) window.clearTimeout(typer.timer);
    typers.delete(userId);
    if (show) showTyping();
  }

  function showTyping() {
    if (!typingLine) return;
    const names = [...typers.values()].map((typer) => typer.name);
    let text = "";
    if (names.length === 1) text = t("typingOne", { name: names[0] });
    else if (names.length === 2) text = t("typingTwo", { first: names[0], second: names[1] });
    else if (names.length > 2) text = t("typingMany");
    typingLine.textContent = text;
    typingLine.hidden = !text;
  }

  const presenceLine = document.getElementById("presence");
  function onPresence(frame) {
    if (!presenceLine || !Array.isArray(frame.viewers)) return;
    const seen = new Set([viewerId]);
    const names = [];
    frame.viewers.forEach((viewer) => {
      if (seen.has(viewer.id)) return;
      seen.add(viewer.id);
      names.push(viewer.name);
    });
    presenceLine.textContent = names.length ? t("hereNow", { names: names.join(", ") }) : "";
    presenceLine.hidden = !names.length;
  }

  // --- The group page ---------------------------------------------------------------------

  function onGroupActivity(frame) {
    if (frame.author === viewerId) return;
    const status = document.getElementById("group-activity");
    if (status && !status.childElementCount) {
      const link = document.createElement("a");
      link.href = root.dataset.listUrl || window.location.pathname;
      link.textContent = t("showThem");
      status.replaceChildren(document.createTextNode(`${t("groupActivity")} `), link);
    }
    const row = document.querySelector(`[data-thread-row="${Number(frame.thread)}"]`);
    const count = row && row.querySelector(".unread-count");
    if (!count) return;
    const unread = Number(count.dataset.unread || 0) + 1;
    count.dataset.unread = String(unread);
    const link = document.createElement("a");
    link.href = `${row.querySelector(".thread-title a").getAttribute("href")}#nieuw`;
    link.textContent = unread === 1 ? t("newOne") : t("newMany", { count: unread });
    count.replaceChildren(link);
    count.hidden = false;
    row.classList.add("thread-row--unread");
  }

  // --- Telling the server what was read (throttled) -------------------------------------

  let readUpTo = 0;
  let readSent = 0;
  let readTimer = 0;
  let readSentAt = 0;

  function markReadSoon(postId) {
    readUpTo = Math.max(readUpTo, Number(postId) || 0);
    if (readTimer || readUpTo <= readSent || document.visibilityState !== "visible") return;
    const wait = Math.max(1000, readSentAt + 5000 - Date.now());
    readTimer = window.setTimeout(markRead, wait);
  }

  async function markRead() {
    readTimer = 0;
    if (readUpTo <= readSent || document.visibilityState !== "visible") return;
    const upTo = readUpTo;
    const body = new FormData();
    body.set("post", String(upTo));
    readSentAt = Date.now();
    try {
      const { response } = await post(root.dataset.markReadUrl, body);
      if (response.ok) readSent = Math.max(readSent, upTo);
    } catch {
      // Offline: the next page view marks it read anyway.
    }
  }

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && readUpTo > readSent) markReadSoon(readUpTo);
  });

  // --- The socket (window.Kring.stream: catch-up, repeats dropped, reconnects) ----------

  function onFrame(frame) {
    switch (frame.type) {
      case "post.created":
        onPostCreated(frame);
        break;
      case "post.edited":
      case "post.deleted":
      case "post.hidden":
      case "post.unhidden":
      case "post.reactions":
        putPost(frame.post, frame.html, { fresh: false });
        break;
      case "thread.updated":
        onThreadUpdated(frame);
        break;
      case "thread.moved":
        onThreadMoved(frame);
        break;
      case "typing":
        onTyping(frame);
        break;
      case "presence":
        onPresence(frame);
        break;
      case "group.activity":
        onGroupActivity(frame);
        break;
      case "thread.idea":
        onThreadIdea(frame);
        break;
      case "reload":
        reloadPage();
        break;
      default: // pong, error: nothing to show
    }
  }

  // Stopped by the server (signed out, no access): typing and presence no longer hold.
  function onStop() {
    typers.forEach((_typer, userId) => stopTyping(userId));
    if (presenceLine) presenceLine.hidden = true;
  }

  // Far behind: a page load is cheaper than a replay, unless it would lose a draft.
  function reloadPage() {
    const draft = document.querySelector("#antwoord textarea");
    if (draft && draft.value.trim()) {
      showNotice("new-elsewhere", t("reload"));
      live.stop("");
      return;
    }
    window.location.reload();
  }

  // --- The reply form: fetch, keep the text on any error --------------------------------

  const form = document.getElementById("antwoord");
  const textarea = form && form.querySelector("textarea[name=body]");
  const replyTo = form && form.querySelector("input[name=reply_to]");
  const formErrors = document.getElementById("reply-errors");
  let sending = false;

  function showFormError(text) {
    if (!formErrors) return;
    formErrors.replaceChildren();
    if (text) {
      const paragraph = document.createElement("p");
      paragraph.textContent = text;
      formErrors.append(paragraph);
    }
    if (textarea) textarea.setAttribute("aria-invalid", text ? "true" : "false");
  }

  if (form && textarea) {
    form.addEventListener("submit", async (event) => {
      if (!flag("lastPage")) return; // the new post lands on another page: go there
      event.preventDefault();
      if (sending) return;
      sending = true;
      const button = form.querySelector("button[type=submit]");
      if (button) button.setAttribute("aria-disabled", "true");
      try {
        const result = await post(form.action, new FormData(form));
        if (result.response.status === 201 && result.data) {
          showFormError("");
          textarea.value = "";
          if (replyTo) replyTo.value = "";
          putPost(result.data.post, result.data.html, { fresh: true });
        } else {
          showFormError(errorFor(result));
        }
      } catch {
        showFormError(t("sendFailed"));
      } finally {
        sending = false;
        if (button) button.removeAttribute("aria-disabled");
      }
    });
  }

  // Quote: fill the reply without a page load. The server writes the quote (from the
  // Markdown); if it cannot be reached, quote the text as shown. Never a page load here:
  // it would lose what was typed.
  function quoteFromPage(postElement) {
    const author = postElement.querySelector(".post-author");
    const text = postElement.querySelector(".post-body");
    const lines = [t("quoteWrote", { name: author ? author.textContent.trim() : "" })];
    lines.push(...(text ? text.innerText.trim().split("\n") : []));
    return `${lines.map((line) => `> ${line}`.trimEnd()).join("\n")}\n\n`;
  }

  document.addEventListener("click", async (event) => {
    const link = event.target.closest && event.target.closest("a.quote-link");
    if (!link || !textarea || !canReply()) return;
    event.preventDefault();
    const postElement = link.closest("[data-post]");
    let quote = { body: postElement ? quoteFromPage(postElement) : "", reply_to: link.dataset.quote };
    try {
      const { response, data } = await getJson(link.href.split("#")[0]);
      if (response.ok && data && typeof data.body === "string") quote = data;
    } catch {
      // offline: the quote from the page will do
    }
    const before = textarea.value.trimEnd();
    textarea.value = (before ? `${before}\n\n` : "") + quote.body;
    if (replyTo) replyTo.value = String(quote.reply_to || "");
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  });

  // Reactions: toggle without a page load; the answer carries the post as it is now.
  document.addEventListener("submit", async (event) => {
    const reactionForm = event.target;
    if (!reactionForm.matches || !reactionForm.matches("form.reactions")) return;
    const button = event.submitter;
    if (!button || button.name !== "emoji") return;
    event.preventDefault();
    const body = new FormData(reactionForm);
    body.set("emoji", button.value);
    try {
      const result = await post(reactionForm.action, body);
      const postElement = reactionForm.closest("[data-post]");
      if (result.response.ok && result.data && result.data.html && postElement) {
        putPost(postElement.dataset.post, result.data.html, { fresh: false });
      } else if (!result.response.ok) {
        announce(errorFor(result));
      }
    } catch {
      announce(t("actionFailed"));
    }
  });

  // --- Typing signal and @mention suggestions ------------------------------------------

  let typingSentAt = 0;
  const mentionList = document.getElementById("mention-list");
  let options = [];
  let activeOption = -1;
  let mentionStart = -1;
  let mentionTimer = 0;
  let mentionRequest = 0;
  // @username as the server finds them (services.MENTION), just before the caret.
  const mentionBeforeCaret = /(?:^|[^\p{L}\p{N}_@.+-])@([\p{L}\p{N}_.+-]{1,150})$/u;

  function currentMention() {
    const caret = textarea.selectionStart;
    if (caret !== textarea.selectionEnd) return null;
    const match = textarea.value.slice(0, caret).match(mentionBeforeCaret);
    return match ? { query: match[1], start: caret - match[1].length - 1 } : null;
  }

  async function suggest(mention) {
    const request = ++mentionRequest;
    let people = [];
    try {
      const url = `${root.dataset.mentionUrl}?q=${encodeURIComponent(mention.query)}`;
      const { response, data } = await getJson(url);
      if (response.ok && Array.isArray(data)) people = data;
    } catch {
      return;
    }
    if (request !== mentionRequest) return; // a newer keystroke asked again
    showSuggestions(people, mention);
  }

  function showSuggestions(people, mention) {
    const wasOpen = !mentionList.hidden;
    mentionStart = mention.start;
    mentionList.replaceChildren();
    options = people.slice(0, 8).map((person, index) => {
      const option = document.createElement("li");
      option.id = `mention-option-${index}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.username = person.username;
      const name = document.createElement("span");
      name.textContent = person.name;
      const username = document.createElement("span");
      username.className = "meta";
      username.textContent = ` @${person.username}`;
      option.append(name, username);
      // mousedown, not click: the textarea keeps focus and the caret.
      option.addEventListener("mousedown", (downEvent) => {
        downEvent.preventDefault();
        choose(index);
      });
      mentionList.append(option);
      return option;
    });
    if (!options.length) {
      closeSuggestions();
      if (wasOpen) announce(t("noSuggestions"));
      return;
    }
    mentionList.hidden = false;
    setActive(0);
    announce(t("suggestions", { count: options.length }));
  }

  function setActive(index) {
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    activeOption = index;
    textarea.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  }

  function closeSuggestions() {
    window.clearTimeout(mentionTimer);
    mentionRequest += 1;
    options = [];
    activeOption = -1;
    mentionList.hidden = true;
    mentionList.replaceChildren();
    textarea.removeAttribute("aria-activedescendant");
  }

  function choose(index) {
    const username = options[index] && options[index].dataset.username;
    if (!username) return;
    const caret = textarea.selectionStart;
    const before = textarea.value.slice(0, mentionStart);
    const insert = `@${username} `;
    textarea.value = before + insert + textarea.value.slice(caret);
    const position = before.length + insert.length;
    textarea.setSelectionRange(position, position);
    closeSuggestions();
    textarea.focus();
  }

  if (textarea && isThread) {
    if (mentionList) {
      textarea.setAttribute("aria-autocomplete", "list");
      textarea.setAttribute("aria-controls", mentionList.id);
    }

    textarea.addEventListener("input", () => {
      const now = Date.now();
      if (canReply() && now - typingSentAt >= 3000) {
        live.send({ type: "typing" });
        typingSentAt = now;
      }
      if (!mentionList) return;
      window.clearTimeout(mentionTimer);
      const mention = currentMention();
      if (!mention) {
        if (!mentionList.hidden) closeSuggestions();
        return;
      }
      mentionTimer = window.setTimeout(() => suggest(mention), 200);
    });

    textarea.addEventListener("keydown", (event) => {
      if (!mentionList || mentionList.hidden || !options.length) return;
      const count = options.length;
      if (event.key === "ArrowDown") setActive((activeOption + 1) % count);
      else if (event.key === "ArrowUp") setActive((activeOption - 1 + count) % count);
      else if (event.key === "Enter" || event.key === "Tab") choose(activeOption);
      else if (event.key === "Escape") closeSuggestions();
      else return;
      event.preventDefault();
    });

    textarea.addEventListener("blur", () => {
      if (mentionList) window.setTimeout(closeSuggestions, 150);
    });
  }

  // --- Start ------------------------------------------------------------------------------

  fillCsrf(root);
  const live = window.Kring.stream({
    path: root.dataset.wsPath,
    seq: isThread ? Number(root.dataset.seq || 0) : null, // the group stream has no catch-up
    onFrame,
    setState,
    onStop,
  });
})();
