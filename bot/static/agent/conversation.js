// The open conversation (centre column): handoff packet, live transcript,
// reply box with canned replies, private notes, hand back and close.

import {
  act,
  api,
  byTestId,
  el,
  fill,
  formatMoment,
  instant,
  label,
  showError,
  showNotice,
  t,
} from "./dom.js";

const AUTHOR_KEYS = {
  customer: "console_customer",
  bot: "console_bot",
  agent: "console_agent",
  system: "console_system",
};

export class Conversation {
  /**
   * @param {object} hooks  watch(senderId): join its live room, resolves to
   *   true once the hub confirmed; unwatch(senderId) leaves it;
   *   onOpened(detail) after a conversation is shown (the 360 panel follows);
   *   onChanged() after an action that changes the queue; me(): the agent.
   */
  constructor(hooks) {
    this.hooks = hooks;
    this.detail = null;
    this.seen = new Set();
    this.canned = new Map(); // language -> [{key, title, text}]
    this.view = byTestId("conversation-view");
    this.replyBox = byTestId("reply-box");
    this.noteBox = byTestId("note-box");
    byTestId("reply-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.send(byTestId("send-button"));
    });
    byTestId("note-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.addNote(byTestId("note-button"));
    });
    byTestId("canned-select").addEventListener("change", (event) => this.useCanned(event.target));
    byTestId("release-button").addEventListener("click", (event) =>
      this.finish(event.target, "release"),
    );
    byTestId("close-button").addEventListener("click", (event) =>
      this.finish(event.target, "close"),
    );
    // Enter sends, Shift+Enter makes a new line, as in most chat tools.
    this.replyBox.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.send(byTestId("send-button"));
      }
    });
  }

  get senderId() {
    return this.detail?.sender_id ?? null;
  }

  /** Fetch and show the conversation of `senderId` (queue "Open", history). */
  async openById(senderId) {
    const detail = await api("GET", `/agent/api/conversations/${encodeURIComponent(senderId)}`);
    await this.show(detail);
  }

  /** Show a ConversationDetail from the API and follow it live. */
  async show(detail) {
    const previous = this.senderId;
    if (previous && previous !== detail.sender_id) this.hooks.unwatch(previous);
    this.detail = detail;
    this.seen = new Set();
    byTestId("conversation-empty").hidden = true;
    this.view.hidden = false;
    this.view.dataset.senderId = detail.sender_id;
    this.renderHead();
    this.renderPacket();
    fill(byTestId("transcript"));
    for (const message of detail.messages ?? []) this.append(message);
    fill(byTestId("notes"), ...(detail.notes ?? []).map((note) => this.noteNode(note)));
    await this.follow().catch(showError);
    await this.loadCanned(detail.language);
    this.hooks.onOpened(detail);
  }

  /**
   * Follow the open conversation live, then fetch it once more. The detail
   * shown was read before the console joined the conversation's live room:
   * a message stored in between (the "Claire joined" line the hub posts
   * right after an accept, a customer writing at that moment, anything said
   * while the socket was down) would otherwise never show. `append` skips
   * the ones already there.
   */
  async follow() {
    const senderId = this.senderId;
    if (!senderId || !(await this.hooks.watch(senderId)) || senderId !== this.senderId) return;
    const fresh = await api("GET", `/agent/api/conversations/${encodeURIComponent(senderId)}`);
    if (senderId !== this.senderId) return;
    for (const message of fresh.messages ?? []) this.append(message);
    this.detail = { ...this.detail, status: fresh.status, handoff: fresh.handoff };
    this.renderHead();
  }

  /** A `message` event from the socket. */
  receive(event) {
    if (event?.sender_id && event.sender_id === this.senderId) this.append(event);
  }

  /** A `conversation` event: the status of a conversation changed. */
  statusChanged(event) {
    if (!this.detail || event?.sender_id !== this.senderId) return;
    this.detail.status = event.status;
    this.renderHead();
  }

  renderHead() {
    const detail = this.detail;
    const handoff = detail.handoff;
    const me = this.hooks.me();
    byTestId("conversation-title").textContent = detail.customer_name || t("console_unverified");
    byTestId("conversation-title").title = detail.sender_id;
    const status = byTestId("conversation-status");
    status.textContent = label("status_", detail.status);
    status.dataset.status = detail.status;
    const mine = detail.status === "agent" && handoff && me && handoff.agent_id === me.id;
    byTestId("reply-hint").hidden = Boolean(mine) || detail.status === "closed";
    const open = detail.status !== "closed";
    byTestId("release-button").disabled = !open;
    byTestId("close-button").disabled = !open;
  }

  renderPacket() {
    const box = byTestId("handoff-packet");
    const handoff = this.detail.handoff;
    if (!handoff) {
      fill(box);
      box.hidden = true;
      return;
    }
    box.hidden = false;
    const packet = handoff.packet ?? {};
    const rows = [
      [t("console_reason"), label("handoff_", handoff.reason ?? packet.reason), "packet-reason"],
      [t("console_summary"), packet.summary ?? "", "packet-summary"],
    ];
    if (packet.contact_email)
      rows.push([t("console_contact_email"), packet.contact_email, "packet-contact-email"]);
    const orders = packet.orders ?? [];
    if (orders.length)
      rows.push([t("console_orders_discussed"), orders.join(", "), "packet-orders"]);
    const slots = Object.entries(packet.slots ?? {});
    fill(
      box,
      el(
        "dl",
        {},
        rows.map(([term, text, testid]) => [el("dt", { text: term }), el("dd", { testid, text })]),
      ),
      slots.length
        ? el(
            "details",
            { class: "packet-slots" },
            el("summary", { text: t("console_slots") }),
            el(
              "dl",
              { testid: "packet-slots" },
              slots.map(([name, value]) => [
                el("dt", { text: name }),
                el("dd", { text: typeof value === "string" ? value : JSON.stringify(value) }),
              ]),
            ),
          )
        : null,
    );
  }

  /** Add one message to the transcript, once, whichever way it arrived first. */
  append(message) {
    // The reply comes back from the POST and again from the socket, one with
    // an id and maybe one without: either key recognises it.
    const keys = [`${message.author}|${instant(message.at)}|${message.text}`];
    if (message.id !== undefined && message.id !== null) keys.push(`id:${message.id}`);
    if (keys.some((key) => this.seen.has(key))) return;
    for (const key of keys) this.seen.add(key);
    const who =
      message.author === "agent" && message.agent_name
        ? message.agent_name
        : t(AUTHOR_KEYS[message.author] ?? "console_system");
    const list = byTestId("transcript");
    const id = Number(message.id ?? Number.NaN);
    // Stored messages keep the store's order, whichever way they came in.
    const later = Number.isNaN(id)
      ? null
      : [...list.children].find((item) => Number(item.dataset.messageId) > id);
    list.insertBefore(
      el(
        "li",
        {
          class: `message author-${message.author}`,
          testid: "transcript-message",
          dataset: { author: message.author, messageId: Number.isNaN(id) ? "" : String(id) },
        },
        el(
          "div",
          { class: "message-head" },
          el("span", { class: "message-author", testid: "message-author", text: who }),
          el("time", { datetime: message.at, text: formatMoment(message.at) }),
        ),
        el("p", { class: "message-text", testid: "message-text", text: message.text }),
      ),
      later ?? null,
    );
    list.scrollTop = list.scrollHeight;
  }

  noteNode(note) {
    return el(
      "li",
      { class: "note", testid: "note" },
      el("span", {
        class: "note-head",
        text: `${note.agent_name ?? ""} · ${formatMoment(note.at)}`,
      }),
      el("p", { text: note.text }),
    );
  }

  async send(button) {
    const text = this.replyBox.value.trim();
    if (!text || !this.senderId) return;
    const senderId = this.senderId;
    await act(button, async () => {
      const message = await api(
        "POST",
        `/agent/api/conversations/${encodeURIComponent(senderId)}/messages`,
        { text },
      );
      this.replyBox.value = "";
      if (message && senderId === this.senderId) this.append(message);
    });
  }

  async addNote(button) {
    const text = this.noteBox.value.trim();
    if (!text || !this.senderId) return;
    const senderId = this.senderId;
    await act(button, async () => {
      const note = await api(
        "POST",
        `/agent/api/conversations/${encodeURIComponent(senderId)}/notes`,
        { text },
      );
      this.noteBox.value = "";
      if (note && senderId === this.senderId) byTestId("notes").append(this.noteNode(note));
    });
  }

  /** Hand the conversation back to the bot (`release`) or `close` it. */
  async finish(button, what) {
    if (!this.senderId) return;
    const senderId = this.senderId;
    await act(button, async () => {
      await api("POST", `/agent/api/conversations/${encodeURIComponent(senderId)}/${what}`);
      showNotice(label("status_", what === "close" ? "closed" : "bot"));
      if (senderId === this.senderId) await this.openById(senderId);
      await this.hooks.onChanged();
    });
  }

  async loadCanned(language) {
    const select = byTestId("canned-select");
    const lang = language === "en" ? "en" : "fr";
    if (!this.canned.has(lang)) {
      try {
        this.canned.set(lang, await api("GET", `/agent/api/canned?language=${lang}`));
      } catch {
        this.canned.set(lang, []); // the reply box works without them
      }
    }
    const replies = this.canned.get(lang) ?? [];
    fill(
      select,
      el("option", { value: "", text: t("console_canned") }),
      replies.map((reply) => el("option", { value: reply.key, text: reply.title })),
    );
    select.disabled = replies.length === 0;
  }

  /** Put the chosen canned reply in the reply box, for the agent to adapt. */
  useCanned(select) {
    const lang = this.detail?.language === "en" ? "en" : "fr";
    const reply = (this.canned.get(lang) ?? []).find((item) => item.key === select.value);
    if (reply) {
      this.replyBox.value = reply.text;
      this.replyBox.focus();
    }
    select.value = "";
  }
}
