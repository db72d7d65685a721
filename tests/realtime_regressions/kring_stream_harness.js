// Runs static/js/kring.js's stream() in node with a fake browser: each socket opens and is
// then closed by the server with the code given on the command line; prints the retry delays.
const fs = require("fs");
const [file, pathArg, seqArg, codeArg, roundsArg] = process.argv.slice(2);
const timers = [];
const sockets = [];
global.window = {
  location: { protocol: "http:", host: "localhost" },
  setTimeout: (fn, ms) => { timers.push({ fn, ms }); return timers.length; },
  clearTimeout: () => {},
  setInterval: () => 0,
  clearInterval: () => {},
  addEventListener: () => {},
};
global.document = { getElementById: () => null, cookie: "", querySelector: () => null };
class FakeSocket {
  constructor(url) { this.url = url; this.listeners = {}; this.readyState = 0; sockets.push(this); }
  addEventListener(kind, fn) { (this.listeners[kind] = this.listeners[kind] || []).push(fn); }
  fire(kind, event) { (this.listeners[kind] || []).forEach((fn) => fn(event)); }
  send() {}
  close() {}
}
FakeSocket.OPEN = 1;
global.WebSocket = FakeSocket;
eval(fs.readFileSync(file, "utf8"));
const seq = seqArg === "null" ? null : Number(seqArg);
window.Kring.stream({ path: pathArg, seq, onFrame: () => {}, setState: () => {} });
const delays = [];
for (let round = 0; round < Number(roundsArg); round += 1) {
  const socket = sockets[sockets.length - 1];
  socket.readyState = 1;
  socket.fire("open", {});           // the server accepts the handshake first ...
  socket.readyState = 3;
  socket.fire("close", { code: Number(codeArg) });  // ... then closes with the code
  const timer = timers.filter((t) => t.ms > 0).pop();
  delays.push(timer.ms);
  timers.length = 0;
  timer.fn();                        // the retry: a new socket
}
console.log(JSON.stringify(delays));
