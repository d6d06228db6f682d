// The agent console: wires the queue, the open conversation and the customer
// 360 to the hub's JSON API and to its "/agent" socket.io namespace.
// Plain ES modules, no build step; socket.io's client is the global `io`
// (loaded by /vendor/socket.io.min.js before this module runs).

import { api, byTestId, showError } from "./dom.js";
import { Conversation } from "./conversation.js";
import { CustomerPanel } from "./customer.js";
import { Queue } from "./queue.js";

let me = null;
let socket = null;

const customer = new CustomerPanel({
  senderId: () => conversation.senderId,
  onOpenConversation: (senderId) => conversation.openById(senderId),
});

const conversation = new Conversation({
  me: () => me,
  watch: (senderId) => watch(senderId),
  unwatch: (senderId) => socket?.emit("unwatch", { sender_id: senderId }),
  onOpened: (detail) => {
    // The panel loads beside the chat; a failure there must not hide the chat.
    customer.load(detail.customer_id ?? null).catch(showError);
  },
  onChanged: () => queue.refresh(),
});

const queue = new Queue({
  onOpen: (detail) => conversation.show(detail),
  onPreview: (senderId) => conversation.openById(senderId).catch(showError),
});

/**
 * Join the live room of one conversation; resolves to true once the hub has
 * acknowledged it (from then on every new message of it reaches us), false
 * when the socket is down or the hub did not answer.
 */
function watch(senderId) {
  return new Promise((resolve) => {
    if (!socket?.connected) {
      resolve(false);
      return;
    }
    socket.timeout(10000).emit("watch", { sender_id: senderId }, (error) => resolve(!error));
  });
}

/** The socket's token expires after an hour: ask for a fresh one on every connect. */
function fetchToken(callback) {
  api("GET", "/agent/api/socket-token")
    .then((reply) => callback({ token: reply.token }))
    .catch(() => callback({}));
}

function connect() {
  socket = window.io("/agent", { path: "/socket.io", auth: fetchToken });
  const offline = byTestId("console-offline");
  socket.on("connect", () => {
    offline.hidden = true;
    document.body.dataset.socket = "connected";
    // A new connection starts in no room: follow the open chat again, and
    // fetch what was said while the socket was down.
    conversation.follow().catch(showError);
    queue.refresh().catch(showError);
  });
  socket.on("disconnect", () => {
    offline.hidden = false;
    document.body.dataset.socket = "disconnected";
  });
  socket.on("connect_error", () => {
    offline.hidden = false;
    document.body.dataset.socket = "disconnected";
  });
  // The hub only says that the queue changed (its payload is empty): fetch it.
  socket.on("queue", () => queue.refresh().catch(showError));
  socket.on("message", (event) => conversation.receive(event));
  socket.on("conversation", (event) => conversation.statusChanged(event));
}

async function main() {
  customer.clear();
  me = await api("GET", "/agent/api/me");
  byTestId("console-me").textContent = `${me.first_name} · ${me.email}`;
  document.body.dataset.agentId = String(me.id);
  const [agents, snapshot] = await Promise.all([
    api("GET", "/agent/api/agents").catch(() => []),
    api("GET", "/agent/api/queue"),
  ]);
  queue.setAgents(agents);
  queue.render(snapshot);
  setInterval(() => queue.tick(), 1000);
  connect();
  document.body.dataset.ready = "true";
}

main().catch(showError);
