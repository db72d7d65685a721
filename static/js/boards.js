// Kring idea boards: votes without a page load, live counts and order, similar-idea hints.
// Plain ES2020, no build step. The pages work without this script (forms post normally).
// Protocol: docs/realtime.md and the board frames (idea.created, idea.updated, idea.votes,
// board.updated). Everything the page needs is on #board-root (data-*); every text shown
// comes from #board-strings (rendered with gettext).
(() => {
  "use strict";

  const root = document.getElementById("board-root");
  if (!root) return;

  const { fillCsrf, post, getJson, announce } = window.Kring;
  const t = window.Kring.strings("board-strings");
  const errorFor = (result) => window.Kring.errorFor(result, t);

  const page = root.dataset.page; // "board", "idea" or "idea-form"
  const viewerId = Number(root.dataset.viewer || 0);
  const flag = (name) => root.dataset[name] === "true";

  // --- Similar ideas while typing a title (the new-idea page) ---------------------------

  if (page === "idea-form") {
    const title = document.querySelector("input[name=title]");
    const box = document.getElementById("similar-ideas");
    const list = document.getElementById("similar-list");
    let timer = 0;
    let asked = 0;
    let lastQuery = "";
    if (!title || !box || !list) return;
    title.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 400);
    });

    async function suggest() {
      const query = title.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      const ask = ++asked;
      const url = new URL(root.dataset.similarUrl, window.location.href);
      url.searchParams.set("titel", query);
      if (root.dataset.exclude) url.searchParams.set("behalve", root.dataset.exclude);
      let ideas = [];
      try {
        const { response, data } = await getJson(url);
        if (response.ok && Array.isArray(data)) ideas = data;
      } catch {
        return;
      }
      if (ask !== asked) return; // a newer keystroke asked again
      const wasShown = !box.hidden;
      list.replaceChildren(
        ...ideas.map((idea) => {
          const item = document.createElement("li");
          const link = document.createElement("a");
          link.href = idea.url;
          link.textContent = idea.title;
          const meta = document.createElement("span");
          meta.className = "meta";
          meta.textContent = ` (${t("votesCount", { count: idea.votes })}, ${idea.status})`;
          item.append(link, meta);
          return item;
        })
      );
      box.hidden = !ideas.length;
      if (ideas.length) announce(t("similarFound", { count: ideas.length }));
      else if (wasShown) announce(t("similarNone"));
    }
    return;
  }

  // --- Votes: the button toggles without a page load ------------------------------------

  function setVoted(form, voted) {
    const button = form.querySelector("button.vote-button");
    if (button) button.setAttribute("aria-pressed", voted ? "true" : "false");
    form.action = voted ? form.dataset.unvoteUrl : form.dataset.voteUrl;
  }

  function showVotesLeft(left) {
    const line = document.getElementById("votes-left");
    if (!line || left === null || left === undefined) return;
    line.dataset.votesLeft = String(left);
    line.textContent = t("votesLeft", { count: left });
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches || !form.matches("form.vote-form")) return;
    event.preventDefault();
    if (form.dataset.busy) return;
    form.dataset.busy = "1";
    try {
      const result = await post(form.action, new FormData(form));
      const { response, data } = result;
      if (response.ok && data && typeof data.votes === "number") {
        setVoted(form, data.voted);
        const card = form.closest("[data-idea]");
        if (card) setCount(Number(card.dataset.idea), data.votes, null);
        showVotesLeft(data.votes_left);
        announce(data.message || "");
      } else {
        announce(errorFor(result));
      }
    } catch {
      announce(t("actionFailed"));
    } finally {
      delete form.dataset.busy;
    }
  });

  // --- Live: counts, order, cards --------------------------------------------------------

  const list = document.getElementById("ideas");
  const closedStatuses = new Set(["declined", "duplicate", "implemented"]);

  function setCount(ideaId, votes, trending) {
    document.querySelectorAll(`[data-idea="${ideaId}"]`).forEach((element) => {
      element.dataset.votes = String(votes);
      if (trending !== null && trending !== undefined) element.dataset.trending = String(trending);
      const count = element.querySelector(".vote-count");
      if (count) count.textContent = String(votes);
    });
    reorder();
  }

  // Show the vote form to people who may vote on this card (the server checks again).
  function applyViewer(card, voted) {
    const form = card.querySelector("form.vote-form");
    if (!form) return;
    const author = Number(card.dataset.author || 0);
    const takes = card.dataset.takesVotes === "true" && !closedStatuses.has(card.dataset.status);
    // A decided idea keeps its support as it stands: no votes in or out.
    form.hidden = !flag("canVote") || author === viewerId || !takes;
    setVoted(form, voted);
    fillCsrf(card); // live cards are rendered without a request
  }

  function cardFrom(html) {
    const template = document.createElement("template");
    template.innerHTML = (html || "").trim();
    return template.content.firstElementChild;
  }

  // Top and Trending re-sort the cards on this page; focus stays where it is, nothing moves
  // for people who asked for less motion beyond the order itself.
  function reorder() {
    if (!list || page !== "board") return;
    const sort = root.dataset.sort;
    if (sort !== "top" && sort !== "trending") return;
    const key = sort === "top" ? "votes" : "trending";
    const cards = [...list.children];
    const sorted = [...cards].sort(
      (a, b) =>
        Number(b.dataset[key]) - Number(a.dataset[key]) ||
        Number(b.dataset.votes) - Number(a.dataset.votes) ||
        (b.dataset.created || "").localeCompare(a.dataset.created || "") ||
        Number(b.dataset.idea) - Number(a.dataset.idea)
    );
    if (sorted.every((card, index) => card === cards[index])) return;
    const active = document.activeElement;
    sorted.forEach((card) => list.append(card));
    if (active && list.contains(active) && document.activeElement !== active) {
      active.focus({ preventScroll: true });
    }
  }

  function onIdeaCreated(frame) {
    if (page !== "board" || !list) return;
    if (root.dataset.sort === "nieuw" && flag("firstPage") && !flag("filtered")) {
      const card = cardFrom(frame.html);
      if (!card || document.getElementById(card.id)) return;
      applyViewer(card, false);
      list.prepend(card);
      const empty = document.getElementById("no-ideas");
      if (empty) empty.hidden = true;
      return;
    }
    const notice = document.getElementById("board-notice");
    if (notice && !notice.childElementCount) {
      const link = document.createElement("a");
      link.href = `${window.location.pathname}?sortering=nieuw`;
      link.textContent = t("showThem");
      notice.replaceChildren(document.createTextNode(`${t("newIdeas")} `), link);
    }
  }

  function onIdeaUpdated(frame) {
    if (page === "idea") {
      if (Number(frame.idea) !== Number(root.dataset.idea)) return;
      const fresh = cardFrom(frame.html);
      const status = document.getElementById("idea-status");
      const label = fresh && fresh.querySelector(".idea-status");
      if (status && label) status.textContent = label.textContent;
      setCount(frame.idea, frame.votes, frame.trending);
      return;
    }
    const old = document.getElementById(`idea-${Number(frame.idea)}`);
    const card = old && cardFrom(frame.html);
    if (!card) return;
    const oldButton = old.querySelector("button.vote-button");
    const voted = Boolean(oldButton && oldButton.getAttribute("aria-pressed") === "true");
    applyViewer(card, voted);
    const hadFocus = old.contains(document.activeElement);
    old.replaceWith(card);
    if (hadFocus) {
      const target = card.querySelector("button.vote-button:not([hidden])") || card.querySelector("a");
      if (target) target.focus({ preventScroll: true });
    }
    reorder();
  }

  function onBoardUpdated(frame) {
    const wasOpen = flag("canVote");
    const canVote = frame.voting_open && flag("member");
    if (page === "board") root.dataset.canVote = canVote ? "true" : "false";
    const notice = document.getElementById("board-notice");
    if (notice && wasOpen !== canVote) notice.textContent = t("boardChanged");
    if (list) {
      list.querySelectorAll(".idea-card").forEach((card) => {
        const button = card.querySelector("button.vote-button");
        applyViewer(card, Boolean(button && button.getAttribute("aria-pressed") === "true"));
      });
    }
  }

  // --- The socket (window.Kring.stream: catch-up, repeats dropped, reconnects) ----------

  function onFrame(frame) {
    switch (frame.type) {
      case "idea.created":
        onIdeaCreated(frame);
        break;
      case "idea.updated":
        onIdeaUpdated(frame);
        break;
      case "idea.votes":
        setCount(frame.idea, frame.votes, frame.trending);
        break;
      case "board.updated":
        onBoardUpdated(frame);
        break;
      case "reload":
        window.location.reload();
        break;
      default: // pong, error: nothing to show
    }
  }

  if ("WebSocket" in window && root.dataset.wsPath) {
    window.Kring.stream({
      path: root.dataset.wsPath,
      seq: Number(root.dataset.seq || 0),
      onFrame,
      setState: window.Kring.statusLine(t),
    });
  }
})();
