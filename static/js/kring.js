// What the live pages share (realtime.js for threads and groups, boards.js for idea boards):
// texts from the page, fetch with the CSRF token, polite announcements, the connection
// status line, and one WebSocket stream that catches up and reconnects. Plain ES2020.
// Protocol: docs/realtime.md.
window.Kring = (() => {
  "use strict";

  // Texts come from a json_script element rendered with gettext; "%(name)s" placeholders,
  // as in the Python catalogue, so translators see one syntax.
  function strings(elementId) {
    const element = document.getElementById(elementId);
    const texts = element ? JSON.parse(element.textContent) : {};
    return (key, values = {}) =>
      (texts[key] || "").replace(/%\((\w+)\)s/g, (_match, name) => String(values[name] ?? ""));
  }

  // --- HTTP: every write goes over HTTP, with the CSRF token ----------------------------

  function csrfToken() {
    const cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (cookie) return decodeURIComponent(cookie[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Live fragments are rendered without a request, so their forms carry no token yet.
  function fillCsrf(scope) {
    const token = csrfToken();
    scope.querySelectorAll('form[method="post"]').forEach((form) => {
      let input = form.querySelector("input[name=csrfmiddlewaretoken]");
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = "csrfmiddlewaretoken";
        form.prepend(input);
      }
      if (!input.value) input.value = token;
    });
  }

  const fetchHeaders = { Accept: "application/json", "X-Requested-With": "fetch" };

  async function jsonOf(response) {
    if (!(response.headers.get("Content-Type") || "").includes("application/json")) return null;
    try {
      return await response.json();
    } catch {
      return null;
    }
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { ...fetchHeaders, "X-CSRFToken": csrfToken() },
    });
    return { response, data: await jsonOf(response) };
  }

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: fetchHeaders });
    return { response, data: await jsonOf(response) };
  }

  function errorFor({ response, data }, t) {
    if (data && data.error) return data.error;
    // A JSON request that ends on an HTML page was sent to the login page.
    if (response.redirected || response.status === 401) return t("signedOut");
    if (response.status === 403) return t("notAllowed");
    return t("actionFailed");
  }

  // --- Speaking to screen readers, politely ---------------------------------------------

  function announce(text) {
    const announcer = document.getElementById("announcer");
    if (!announcer || !text) return;
    announcer.textContent = "";
    // A fresh text node a moment later is read even if the words are the same as before.
    window.setTimeout(() => {
      announcer.textContent = text;
    }, 50);
  }

  // One status line for the connection. A state is only put into words once it has
  // lasted 2 s, so a quick reconnect says nothing and nothing flashes.
  const stateTexts = {
    connecting: "connecting",
    open: "connected",
    reconnecting: "reconnecting",
    signedOut: "signedOut",
    forbidden: "forbidden",
    notFound: "notFound",
  };

  function statusLine(t) {
    const line = document.getElementById("connection-status");
    let timer = 0;
    let pending = "";
    let said = "";
    return (state) => {
      if (state === pending) return; // still the same state: keep counting from its start
      pending = state;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        if (!line || state === said) return; // back where we were: nothing new to say
        line.textContent = t(stateTexts[state]);
        said = state;
      }, 2000);
    };
  }

  // --- One stream: connect, catch up, reconnect with backoff ----------------------------

  const stopCodes = { 4401: "signedOut", 4403: "forbidden", 4404: "notFound" };

  // path: the socket's path; seq: the last seq the page shows, or null for a stream without
  // catch-up (ready when the server says "ready"); onFrame(frame) gets every frame that is new
  // (repeats by seq are dropped here); setState(state) is told connecting / open /
  // reconnecting / signedOut / forbidden / notFound; onStop() runs when the server says no.
  function stream({ path, seq = null, onFrame, setState, onStop = () => {} }) {
    const catchUp = seq !== null;
    let lastSeq = Number(seq || 0);
    let socket = null;
    let attempt = 0;
    let stopped = false;
    let leaving = false;
    let retryTimer = 0;
    let pingTimer = 0;

    function url() {
      const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
      const after = catchUp ? `?after=${lastSeq}` : "";
      return `${scheme}//${window.location.host}${path}${after}`;
    }

    function connect() {
      window.clearTimeout(retryTimer);
      retryTimer = 0;
      if (stopped || socket) return;
      setState(attempt ? "reconnecting" : "connecting");
      try {
        socket = new WebSocket(url());
      } catch {
        socket = null;
        retry();
        return;
      }
      socket.addEventListener("open", () => {
        window.clearInterval(pingTimer);
        pingTimer = window.setInterval(() => send({ type: "ping" }), 25000);
      });
      socket.addEventListener("message", (event) => receive(event.data));
      socket.addEventListener("close", (event) => closed(event.code));
    }

    function ready() {
      attempt = 0;
      setState("open");
    }

    function closed(code) {
      window.clearInterval(pingTimer);
      socket = null;
      if (leaving) return;
      if (stopCodes[code]) {
        stop(stopCodes[code]);
        return;
      }
      if (code === 4429) attempt += 1; // too many frames: wait a little longer
      retry();
    }

    function stop(state) {
      stopped = true;
      window.clearTimeout(retryTimer);
      if (socket) socket.close(1000);
      onStop();
      if (state) setState(state);
    }

    // 1 s, 2 s, 4 s … 30 s, each somewhere between half and all of it, so a restarted
    // server is not hit by every browser in the same second.
    function retry() {
      if (stopped || retryTimer) return;
      const ceiling = Math.min(30000, 1000 * 2 ** Math.min(attempt, 5));
      const delay = ceiling / 2 + Math.random() * (ceiling / 2);
      attempt += 1;
      setState("reconnecting");
      retryTimer = window.setTimeout(connect, delay);
    }

    function send(frame) {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
    }

    function receive(text) {
      let frame;
      try {
        frame = JSON.parse(text);
      } catch {
        return;
      }
      if (!frame || typeof frame.type !== "string") return;
      if (frame.type === "ready") {
        lastSeq = Math.max(lastSeq, Number(frame.seq) || 0);
        ready();
        return;
      }
      if (typeof frame.seq === "number") {
        if (frame.seq <= lastSeq) return; // seen already
        lastSeq = frame.seq;
      }
      onFrame(frame);
    }

    window.addEventListener("online", () => {
      if (!socket && !stopped) connect();
    });
    // Leaving (or going into the back/forward cache): close cleanly, come back with ?after=.
    window.addEventListener("pagehide", () => {
      leaving = true;
      if (socket) socket.close(1000);
    });
    window.addEventListener("pageshow", (event) => {
      leaving = false;
      if (event.persisted && !socket && !stopped) connect();
    });

    connect();
    return { send, stop };
  }

  return { strings, csrfToken, fillCsrf, post, getJson, errorFor, announce, statusLine, stream };
})();
